"""Cases (zaken): applications and everything that happens to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.area import Area, Neighbourhood
from app.models.organisation import Organisation
from app.models.question import CaseAnswer
from app.models.regulation import Regulation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class ReferenceSequence(db.Model):
    """The last case number handed out per year; numbers are never reused."""

    __tablename__ = "reference_sequences"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_deadline", "status", "decision_deadline"),
        # The case queue (migration 0003). Search: trigram GIN on PostgreSQL, plain on SQLite.
        Index(
            "ix_cases_title_search",
            "title",
            postgresql_using="gin",
            postgresql_ops={"title": "gin_trgm_ops"},
        ),
        Index(
            "ix_cases_reference_search",
            "reference",
            postgresql_using="gin",
            postgresql_ops={"reference": "gin_trgm_ops"},
        ),
        Index("ix_cases_received_on", "received_on"),
        Index("ix_cases_assignee_status_deadline", "assignee_id", "status", "decision_deadline"),
        Index("ix_cases_area_status_deadline", "area_id", "status", "decision_deadline"),
        UniqueConstraint("applicant_id", "submission_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    regulation_id: Mapped[int] = mapped_column(ForeignKey("regulations.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # resident, informal_group or organisation (then organisation_id is set)
    applicant_kind: Mapped[str] = mapped_column(String(20), default="resident")
    group_name: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    target_group: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")
    expected_results: Mapped[str] = mapped_column(Text, default="")
    requested_cents: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[date]
    period_end: Mapped[date]
    tier: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    received_on: Mapped[date | None]
    decision_deadline: Mapped[date | None]
    extension_weeks: Mapped[int] = mapped_column(default=0)
    submission_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    regulation: Mapped[Regulation] = relationship()
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    organisation: Mapped[Organisation | None] = relationship()
    area: Mapped[Area] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    year_amounts: Mapped[list[CaseYearAmount]] = relationship(
        back_populates="case", order_by="CaseYearAmount.year", cascade="all, delete-orphan"
    )
    co_applicants: Mapped[list[CoApplicant]] = relationship(
        back_populates="case", order_by="CoApplicant.position", cascade="all, delete-orphan"
    )
    answers: Mapped[list[CaseAnswer]] = relationship(cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", viewonly=True
    )


class CaseYearAmount(db.Model):
    """The amount requested for one year of the period."""

    __tablename__ = "case_year_amounts"
    __table_args__ = (UniqueConstraint("case_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    year: Mapped[int]
    requested_cents: Mapped[int] = mapped_column(BigInteger)

    case: Mapped[Case] = relationship(back_populates="year_amounts")


class CoApplicant(db.Model):
    """A member of an informal group who applies together with the contact person."""

    __tablename__ = "co_applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")

    case: Mapped[Case] = relationship(back_populates="co_applicants")


class CaseEvent(db.Model):
    """Append-only audit trail and timeline of a case."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    before: Mapped[dict[str, object] | None] = mapped_column(JSON)
    after: Mapped[dict[str, object] | None] = mapped_column(JSON)
    visible_to_applicant: Mapped[bool] = mapped_column(default=True)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
