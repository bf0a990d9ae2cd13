"""Objections (bezwaar, Awb 6:4 ff.) against a decision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.case import Case
from app.models.decision import Decision
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

OUTCOMES = ("well_founded", "unfounded", "inadmissible")


class Objection(db.Model):
    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    received_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(20), default="online")
    grounds: Mapped[str] = mapped_column(Text)
    in_time: Mapped[bool]
    lateness_reason: Mapped[str] = mapped_column(Text, default="")
    lateness_excusable: Mapped[bool | None]
    advisory_committee: Mapped[bool] = mapped_column(default=False)
    extended: Mapped[bool] = mapped_column(default=False)
    hearing_on: Mapped[date | None]
    decision_deadline: Mapped[date]
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_motivation: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    decision: Mapped[Decision] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
