"""The applicant's pages: apply, receipt, my applications, one application."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Area, Case, CaseEvent, Decision, Regulation
from app.portal.forms import ApplicationForm
from app.services import authz, submission
from app.services.errors import InvalidInput

bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")


def _neighbourhood_choices() -> dict[str, list[tuple[int, str]]]:
    areas = db.session.scalars(select(Area).order_by(Area.name)).all()
    return {area.name: [(n.id, n.name) for n in area.neighbourhoods] for area in areas}


def _open_regulation(code: str) -> Regulation:
    regulation = db.session.scalar(select(Regulation).where(Regulation.code == code))
    if regulation is None or not regulation.is_open:
        abort(404)
    return regulation


def _application(form: ApplicationForm) -> submission.Application:
    return submission.Application(
        title=form.title.data,
        description=form.description.data,
        neighbourhood_id=form.neighbourhood_id.data,
        requested_cents=form.requested_amount.cents,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        target_group=form.target_group.data or "",
    )


@bp.route("/apply/<code>", methods=["GET", "POST"])
@login_required
def apply(code: str) -> str | Response:
    regulation = _open_regulation(code)
    form = ApplicationForm()
    form.neighbourhood_id.choices = _with_blank(_neighbourhood_choices())
    if not form.submission_token.data:
        form.submission_token.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        try:
            case = submission.submit(
                current_user, regulation, _application(form), form.submission_token.data
            )
        except InvalidInput as exc:
            _attach_error(form, exc)
        else:
            return redirect(url_for("portal.receipt", case_id=case.id))
    return render_template("portal/apply.html", form=form, regulation=regulation, locale=g.locale)


def _with_blank(choices: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    return {"": [(0, "—")], **choices}


def _attach_error(form: ApplicationForm, error: InvalidInput) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
    else:
        field.errors = [*field.errors, error.message]


@bp.get("/cases/<int:case_id>/receipt")
@login_required
def receipt(case_id: int) -> str:
    case = authz.case_for(current_user, case_id)
    if not authz.is_case_owner(current_user, case):
        abort(404)
    return render_template("portal/receipt.html", case=case)


@bp.get("/")
@login_required
def my_cases() -> str:
    query = authz.visible_cases(current_user).order_by(Case.created_at.desc())
    if current_user.is_staff:
        query = query.where(Case.applicant_id == current_user.id)
    cases = db.session.scalars(query).all()
    return render_template("portal/my_cases.html", cases=cases)


@bp.get("/cases/<int:case_id>")
@login_required
def case_detail(case_id: int) -> str:
    case = authz.case_for(current_user, case_id)
    if not authz.is_case_owner(current_user, case):
        abort(404)
    events = db.session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.visible_to_applicant.is_(True))
        .order_by(CaseEvent.id)
    ).all()
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.case_id == case.id, Decision.status.in_(("sent", "revoked")))
        .order_by(Decision.id)
    ).all()
    return render_template("portal/case.html", case=case, events=events, decisions=decisions)
