"""Budget lines (subsidieplafonds) per year, municipal or a national SPUK scheme."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class BudgetLine(db.Model):
    __tablename__ = "budget_lines"
    __table_args__ = (UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    ceiling_cents: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(20), default="municipal")
    scheme: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))


regulation_budget_lines = Table(
    "regulation_budget_lines",
    db.metadata,
    Column("regulation_id", ForeignKey("regulations.id"), primary_key=True),
    Column("budget_line_id", ForeignKey("budget_lines.id"), primary_key=True),
)
