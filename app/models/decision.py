"""Decisions (besluiten) on a case, with their letters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.case import Case
from app.models.document import Document
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class Decision(db.Model):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    amounts_by_year: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="sent")
    refusal_reason: Mapped[str | None] = mapped_column(String(40))
    motivation: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(String(300), default="")
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    board_decision: Mapped[bool] = mapped_column(default=False)
    send_back_note: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date]
    objection_deadline: Mapped[date | None]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    letter: Mapped[Document | None] = relationship()
