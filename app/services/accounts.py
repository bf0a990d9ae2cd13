"""Accounts: registration, login, verification, password reset, changes, deletion."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, Notification, User, UserRole
from app.models.types import utcnow
from app.services import notifications
from app.services.errors import InvalidInput, NotAllowed

hasher = PasswordHasher()
_DUMMY_HASH = hasher.hash("not a real password")
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return hasher.hash(password)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def register(email: str, name: str, password: str, locale: str | None = None) -> User:
    """Create a resident's account; the e-mail address must be new."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field="password"
        )
    if find_by_email(email):
        raise InvalidInput(_("An account with this e-mail address already exists."), "email")
    user = User(
        email=email.strip().lower(), name=name.strip(), password_hash=hash_password(password)
    )
    user.locale = locale
    user.roles.append(UserRole(role="applicant"))
    db.session.add(user)
    db.session.commit()
    send_verification(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None; same work either way."""
    user = find_by_email(email)
    try:
        hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


# --- Signed links: e-mail verification, password reset, change of e-mail address ---------

VERIFY_SALT = "sociale-basis/account-verify"
RESET_SALT = "sociale-basis/password-reset"
EMAIL_CHANGE_SALT = "sociale-basis/email-change"
VERIFY_MAX_AGE = int(timedelta(days=3).total_seconds())
RESET_MAX_AGE = int(timedelta(hours=1).total_seconds())
RESEND_INTERVAL = timedelta(minutes=5)
# A person may delete their account when every case of theirs is a draft or finished.
FINISHED_STATES = frozenset(
    {"draft", "withdrawn", "refused", "not_considered", "closed", "objection_decided"}
)
DELETED_NAME = "Verwijderde gebruiker"


class LinkInvalid(Exception):
    """The link is tampered with, already used, or its account has changed."""


class LinkExpired(LinkInvalid):
    """The link was genuine but is too old."""


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkExpired from exc
    except BadSignature as exc:
        raise LinkInvalid from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise LinkInvalid
    return payload


def _link(endpoint: str, token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, token=token)


def _bucket() -> int:
    return int(time.time() // RESEND_INTERVAL.total_seconds())


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _sent_recently(user: User, template: str) -> bool:
    since = utcnow() - RESEND_INTERVAL
    return bool(
        db.session.scalar(
            select(Notification.id).where(
                Notification.recipient_id == user.id,
                Notification.template == template,
                Notification.created_at > since,
            )
        )
    )


def send_verification(user: User) -> bool:
    """Queue the verification link (at most once per 5 minutes). False when refused."""
    if user.is_verified or _sent_recently(user, "account_verify"):
        return False
    token = _serializer(VERIFY_SALT).dumps({"uid": user.id, "email": user.email})
    queued = notifications.queue(
        recipient=user,
        template="account_verify",
        dedupe_key=f"account_verify:{user.id}:{_fingerprint(user.email)}:{_bucket()}",
        context={"name": user.name, "link": _link("auth.verify_email", token)},
    )
    db.session.commit()
    return queued is not None


def verify_email(token: str) -> User:
    """Mark the address of the link verified; a second use changes nothing."""
    payload = _load(VERIFY_SALT, token, VERIFY_MAX_AGE)
    user = db.session.get(User, payload["uid"])
    if user is None or not user.is_active or user.email != payload.get("email"):
        raise LinkInvalid
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this address; silent otherwise."""
    user = find_by_email(email)
    if user is None or not user.is_active or _sent_recently(user, "account_reset"):
        return
    token = _serializer(RESET_SALT).dumps({"uid": user.id, "pw": _fingerprint(user.password_hash)})
    notifications.queue(
        recipient=user,
        template="account_reset",
        dedupe_key=f"account_reset:{user.id}:{_bucket()}",
        context={"name": user.name, "link": _link("auth.reset_password", token)},
    )
    db.session.commit()


def user_for_reset(token: str) -> User:
    """The account of a reset link that is genuine, at most 1 hour old and unused."""
    payload = _load(RESET_SALT, token, RESET_MAX_AGE)
    user = db.session.get(User, payload["uid"])
    # Setting a password changes the hash, so a used link no longer matches.
    if user is None or not user.is_active or payload.get("pw") != _fingerprint(user.password_hash):
        raise LinkInvalid
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset(token)
    _check_length(password)
    user.password_hash = hash_password(password)
    # Receiving the link proves the person reads mail at this address.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()
    return user


def _check_length(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field)


def _check_current(user: User, password: str, field: str = "current_password") -> None:
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        raise InvalidInput(_("Your current password is not correct."), field) from exc


def change_password(user: User, current: str, new: str) -> None:
    _check_current(user, current)
    _check_length(new)
    user.password_hash = hash_password(new)
    db.session.commit()


def request_email_change(user: User, new_email: str, current: str) -> None:
    """Send a link to the new address; the address changes only when it is followed."""
    _check_current(user, current)
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise InvalidInput(_("This is already your e-mail address."), "email")
    if find_by_email(new_email):
        raise InvalidInput(_("An account with this e-mail address already exists."), "email")
    token = _serializer(EMAIL_CHANGE_SALT).dumps(
        {"uid": user.id, "old": user.email, "new": new_email}
    )
    notification = notifications.queue(
        recipient=user,
        template="account_email_change",
        dedupe_key=f"account_email_change:{user.id}:{_fingerprint(new_email)}:{_bucket()}",
        context={
            "name": user.name,
            "new_email": new_email,
            "link": _link("auth.confirm_email_change", token),
        },
    )
    if notification is not None:
        notification.recipient_email = new_email
    db.session.commit()


def confirm_email_change(token: str) -> User:
    """Replace the address by the verified new one and tell the old address."""
    payload = _load(EMAIL_CHANGE_SALT, token, VERIFY_MAX_AGE)
    user = db.session.get(User, payload["uid"])
    new_email = payload.get("new")
    if user is None or not user.is_active or user.email != payload.get("old") or not new_email:
        raise LinkInvalid
    if find_by_email(new_email):
        raise InvalidInput(_("An account with this e-mail address already exists."), "email")
    old_email = user.email
    # Queued before the change: the outbox keeps the old address as recipient.
    notifications.queue(
        recipient=user,
        template="account_email_changed",
        dedupe_key=f"account_email_changed:{user.id}:{_fingerprint(new_email)}",
        context={"name": user.name, "old_email": old_email, "new_email": new_email},
    )
    db.session.flush()
    user.email = new_email
    user.email_verified_at = utcnow()
    db.session.commit()
    return user


def open_cases(user: User) -> list[Case]:
    """The cases that stop the account from being deleted: submitted and not finished."""
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.applicant_id == user.id, Case.status.not_in(FINISHED_STATES))
            .order_by(Case.id)
        )
    )


def delete_account(user: User, current: str) -> None:
    """Anonymise the account; rows in the audit trail keep pointing at it."""
    _check_current(user, current, field="password")
    if open_cases(user):
        raise NotAllowed(
            _(
                "You cannot delete your account while applications of yours are still being "
                "handled. You can delete it once they are finished or withdrawn."
            )
        )
    user.name = DELETED_NAME
    user.email = f"deleted-{user.id}@invalid"
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.is_active_account = False
    user.email_verified_at = None
    user.locale = None
    db.session.commit()


def remember_locale(user: User, locale: str) -> None:
    """The language a person chose, kept for their next visit and their e-mail."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()
