"""Accounts of residents, organisation members and staff, with their roles."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

STAFF_ROLES = frozenset({"officer", "advisor", "team_lead", "finance", "admin", "council"})
ROLES = STAFF_ROLES | {"applicant"}


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # The case queue searches applicants by name (migration 0004): trigram GIN on PostgreSQL.
    __table_args__ = (
        Index(
            "ix_users_name_search",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person proved they receive mail at `email` (the link of migration 0005).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_verified(self) -> bool:
        """Staff accounts are made by an administrator and count as verified."""
        return self.email_verified_at is not None or self.is_staff

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(role.role for role in self.roles)

    @property
    def is_staff(self) -> bool:
        return bool(self.role_names & STAFF_ROLES)

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names & set(names))

    def advisor_area_ids(self) -> frozenset[int]:
        return frozenset(r.area_id for r in self.roles if r.role == "advisor" and r.area_id)


class UserRole(db.Model):
    """A role of a user; an advisor's role names the area it covers."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))

    user: Mapped[User] = relationship(back_populates="roles")
