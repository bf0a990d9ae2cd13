"""Registration and login with argon2id password hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import User, UserRole
from app.services.errors import InvalidInput

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
