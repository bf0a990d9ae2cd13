"""The applicant's organisations: register one, invite and remove members, accept invitations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.extensions import db
from app.models import Organisation, OrganisationMember
from app.portal.routes import bp
from app.services import organisations
from app.services.errors import InvalidInput, ServiceError

LEGAL_FORM_LABELS = {
    "stichting": _l("Foundation (stichting)"),
    "vereniging": _l("Association (vereniging)"),
    "cooperatie": _l("Cooperative (coöperatie)"),
    "bv": _l("Private company (bv)"),
    "kerkgenootschap": _l("Church (kerkgenootschap)"),
    "other": _l("Other legal form"),
}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=200)])
    legal_form = SelectField(_l("Legal form"), choices=[("", "—"), *LEGAL_FORM_LABELS.items()])
    kvk_number = StringField(_l("KvK number"), validators=[DataRequired(), Length(max=20)])
    iban = StringField(_l("IBAN"), validators=[DataRequired(), Length(max=40)])
    account_holder = StringField(
        _l("Name of the account holder"), validators=[DataRequired(), Length(max=200)]
    )
    street = StringField(_l("Street and number"), validators=[DataRequired(), Length(max=200)])
    postcode = StringField(_l("Postcode"), validators=[DataRequired(), Length(max=10)])
    city = StringField(_l("Town or city"), validators=[DataRequired(), Length(max=100)])


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the new member"),
        validators=[DataRequired(), Email(), Length(max=254)],
    )


class RemoveForm(FlaskForm):
    member_id = HiddenField(validators=[DataRequired()])


class AcceptForm(FlaskForm):
    pass


def _mine(organisation_id: int) -> tuple[Organisation, OrganisationMember]:
    """The organisation if the current user is a member; 404 otherwise."""
    organisation = db.session.get(Organisation, organisation_id)
    member = organisations.membership(current_user, organisation_id) if organisation else None
    if member is None:
        abort(404)
    return organisation, member


def _details(form: OrganisationForm) -> organisations.OrganisationDetails:
    return organisations.OrganisationDetails(
        **{
            name: getattr(form, name).data or ""
            for name in organisations.OrganisationDetails.__annotations__
        }
    )


@bp.get("/organisations")
@login_required
def organisation_list() -> str:
    members = db.session.scalars(
        select(OrganisationMember).where(OrganisationMember.user_id == current_user.id)
    ).all()
    return render_template("portal/organisations.html", members=members)


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def organisation_new() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = organisations.register(current_user, _details(form))
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("Your organisation has been registered."), "success")
            return redirect(url_for("portal.organisation_detail", organisation_id=organisation.id))
    return render_template("portal/organisation_new.html", form=form)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@login_required
def organisation_detail(organisation_id: int) -> str | Response:
    organisation, member = _mine(organisation_id)
    invite_form = InviteForm(prefix="invite")
    if request.method == "POST" and invite_form.validate_on_submit():
        try:
            organisations.invite(organisation, current_user, invite_form.email.data)
        except ServiceError as exc:
            db.session.rollback()
            invite_form.email.errors.append(exc.message)
        else:
            flash(_("The invitation has been sent."), "success")
            return redirect(url_for("portal.organisation_detail", organisation_id=organisation.id))
    return render_template(
        "portal/organisation.html",
        organisation=organisation,
        is_admin=member.role == "admin",
        invite_form=invite_form,
        legal_forms=LEGAL_FORM_LABELS,
    )


@bp.route(
    "/organisations/<int:organisation_id>/members/<int:member_id>/remove", methods=["GET", "POST"]
)
@login_required
def remove_member(organisation_id: int, member_id: int) -> str | Response:
    """Confirm, then remove a member (administrators only)."""
    organisation, member = _mine(organisation_id)
    target = db.session.get(OrganisationMember, member_id)
    if member.role != "admin" or target is None or target.organisation_id != organisation.id:
        abort(404)
    form = RemoveForm(member_id=str(member_id))
    error = None
    if form.validate_on_submit():
        try:
            organisations.remove_member(organisation, current_user, member_id)
        except ServiceError as exc:
            db.session.rollback()
            error = exc.message
        else:
            flash(_("The member has been removed."), "success")
            return redirect(url_for("portal.organisation_detail", organisation_id=organisation.id))
    return render_template(
        "portal/remove_member.html",
        organisation=organisation,
        target=target,
        form=form,
        error=error,
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str) -> str | Response:
    form = AcceptForm()
    try:
        organisation, email = organisations.read_invitation(token)
    except ServiceError as exc:
        return render_template("portal/invitation.html", error=exc.message, form=form), 400
    if form.validate_on_submit():
        try:
            organisations.accept(current_user, token)
        except ServiceError as exc:
            return render_template(
                "portal/invitation.html", error=exc.message, form=form, organisation=organisation
            ), 403
        flash(_("You are now a member of %(name)s.", name=organisation.name), "success")
        return redirect(url_for("portal.organisation_detail", organisation_id=organisation.id))
    return render_template(
        "portal/invitation.html", organisation=organisation, email=email, form=form, error=None
    )
