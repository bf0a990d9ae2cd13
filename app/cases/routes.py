"""The officer's pages: the queue, a case, the light-tier decision."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.access import roles_required
from app.cases.forms import GrantForm
from app.extensions import db
from app.formatting import format_money
from app.models import Case, CaseEvent, Decision, Document
from app.services import authz, decisions
from app.services.errors import InvalidInput, NotAllowed, StaleCase
from workflows import lifecycle

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")
STAFF = ("officer", "advisor", "team_lead", "admin", "finance", "council")
OPEN_STATES = (
    "submitted",
    "intake",
    "information_requested",
    "fit_check",
    "decision_proposed",
    "decision_approved",
)


def _grant_form(case: Case) -> GrantForm:
    form = GrantForm()
    if not form.is_submitted():
        form.amount.data = format_money(case.requested_cents).replace("€", "").strip()
        form.version.data = str(case.version)
    return form


def _render_case(case: Case, form: GrantForm, errors: list[str] | None = None) -> str:
    roles = authz.workflow_roles(current_user, case)
    ctx = lifecycle.GuardContext(tier=case.tier, actor_id=current_user.id)
    actions = {t.action for t in lifecycle.allowed_actions(case.status, roles, ctx)}
    events = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    return render_template(
        "cases/case.html",
        case=case,
        form=form,
        errors=errors or [],
        actions=actions,
        events=events,
        show_actors=True,
        decisions=db.session.scalars(select(Decision).where(Decision.case_id == case.id)).all(),
        documents=db.session.scalars(select(Document).where(Document.case_id == case.id)).all(),
    )


@bp.get("/<int:case_id>")
@roles_required(*STAFF)
def detail(case_id: int) -> str:
    case = authz.case_for(current_user, case_id)
    return _render_case(case, _grant_form(case))


@bp.post("/<int:case_id>/grant")
@roles_required("officer", "team_lead")
def grant(case_id: int) -> str | Response | tuple[str, int]:
    case = authz.case_for(current_user, case_id)
    form = _grant_form(case)
    if not form.validate_on_submit():
        return _render_case(case, form), 422
    try:
        decisions.grant_light(
            case, current_user, form.amount.cents, form.motivation.data, int(form.version.data or 0)
        )
    except InvalidInput as exc:
        getattr(form, exc.field).errors.append(exc.message)
        return _render_case(case, form), 422
    except StaleCase as exc:
        return _render_case(case, form, [exc.message]), 409
    except NotAllowed as exc:
        db.session.rollback()
        return _render_case(case, form, [exc.message]), 403
    flash(_("The decision has been sent to the applicant."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))
