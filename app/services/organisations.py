"""Organisations: registration with validated numbers, members, invitations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as NumberError
from stdnum.nl import postcode as nl_postcode

from app.extensions import db
from app.models import Organisation, OrganisationMember, User
from app.services import notifications
from app.services.errors import InvalidInput, NotAllowed

LEGAL_FORMS = ("stichting", "vereniging", "cooperatie", "bv", "kerkgenootschap", "other")
INVITATION_DAYS = 7
_KVK = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    legal_form: str
    kvk_number: str
    iban: str
    account_holder: str
    street: str
    postcode: str
    city: str


def normalise_kvk(value: str) -> str:
    """Eight digits; the KvK publishes no checksum, so the format is what can be checked."""
    digits = re.sub(r"[\s.]", "", value)
    if not _KVK.match(digits) or digits == "00000000":
        raise InvalidInput(_("A KvK number has 8 digits."), "kvk_number")
    return digits


def normalise_iban(value: str) -> str:
    try:
        return iban_number.validate(value)
    except NumberError as exc:
        raise InvalidInput(
            _("This IBAN is not correct. Check the number on your bank card or statement."), "iban"
        ) from exc


def normalise_postcode(value: str) -> str:
    try:
        return nl_postcode.validate(value)
    except NumberError as exc:
        raise InvalidInput(_("Enter a Dutch postcode, for example 9712 AB."), "postcode") from exc


def _validate(details: OrganisationDetails) -> dict[str, str]:
    if details.legal_form not in LEGAL_FORMS:
        raise InvalidInput(_("Choose the legal form."), "legal_form")
    kvk = normalise_kvk(details.kvk_number)
    existing = db.session.scalar(select(Organisation.id).where(Organisation.kvk_number == kvk))
    if existing:
        raise InvalidInput(
            _("This organisation is already registered. Ask its administrator to invite you."),
            "kvk_number",
        )
    return {
        "kvk_number": kvk,
        "iban": normalise_iban(details.iban),
        "postcode": normalise_postcode(details.postcode),
    }


def register(user: User, details: OrganisationDetails) -> Organisation:
    """Register a formal organisation; the person registering it becomes its administrator."""
    checked = _validate(details)
    organisation = Organisation(
        name=details.name.strip(),
        legal_form=details.legal_form,
        kvk_number=checked["kvk_number"],
        iban=checked["iban"],
        account_holder=details.account_holder.strip(),
        street=details.street.strip(),
        postcode=checked["postcode"],
        city=details.city.strip(),
        is_formal=True,
    )
    organisation.members.append(OrganisationMember(user=user, role="admin"))
    db.session.add(organisation)
    db.session.commit()
    return organisation


def membership(user: User, organisation_id: int) -> OrganisationMember | None:
    return db.session.scalar(
        select(OrganisationMember).where(
            OrganisationMember.user_id == user.id,
            OrganisationMember.organisation_id == organisation_id,
        )
    )


def _admin_membership(user: User, organisation: Organisation) -> OrganisationMember:
    member = membership(user, organisation.id)
    if member is None or member.role != "admin":
        raise NotAllowed(_("Only an administrator of the organisation can do this."))
    return member


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="organisation-invitation")


def invite(organisation: Organisation, inviter: User, email: str) -> None:
    """Send an invitation link; whoever logs in with that address can accept it."""
    _admin_membership(inviter, organisation)
    email = email.strip().lower()
    already = db.session.scalar(
        select(OrganisationMember.id)
        .join(User)
        .where(
            OrganisationMember.organisation_id == organisation.id, func.lower(User.email) == email
        )
    )
    if already:
        raise InvalidInput(_("This person is already a member."), "email")
    token = _serializer().dumps({"organisation": organisation.id, "email": email})
    notifications.queue(
        recipient=notifications.Address(email, inviter.locale or "nl"),
        template="organisation_invitation",
        dedupe_key=f"organisation:{organisation.id}:invite:{email}:{token[-12:]}",
        context={
            "organisation": organisation.name,
            "inviter": inviter.name,
            "link": url_for("portal.accept_invitation", token=token, _external=True),
            "days": INVITATION_DAYS,
        },
    )
    db.session.commit()


def read_invitation(token: str) -> tuple[Organisation, str]:
    try:
        data = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except SignatureExpired as exc:
        raise NotAllowed(_("This invitation has expired. Ask for a new one.")) from exc
    except BadSignature as exc:
        raise NotAllowed(_("This invitation link is not valid.")) from exc
    organisation = db.session.get(Organisation, data["organisation"])
    if organisation is None:
        raise NotAllowed(_("This invitation link is not valid."))
    return organisation, data["email"]


def accept(user: User, token: str) -> Organisation:
    organisation, email = read_invitation(token)
    if user.email.lower() != email:
        raise NotAllowed(
            _(
                "This invitation is for %(email)s. Log in with that address to accept it.",
                email=email,
            )
        )
    if membership(user, organisation.id) is None:
        organisation.members.append(OrganisationMember(user=user, role="member"))
        db.session.commit()
    return organisation


def remove_member(organisation: Organisation, admin: User, member_id: int) -> None:
    """An administrator removes a member; the last administrator cannot be removed."""
    _admin_membership(admin, organisation)
    member = db.session.get(OrganisationMember, member_id)
    if member is None or member.organisation_id != organisation.id:
        raise NotAllowed(_("This person is not a member."))
    admins = [m for m in organisation.members if m.role == "admin"]
    if member.role == "admin" and len(admins) == 1:
        raise NotAllowed(_("The last administrator cannot be removed."))
    db.session.delete(member)
    db.session.commit()
