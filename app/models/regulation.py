"""Subsidy regulations (subsidieregelingen): who may apply for what, and how."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.budget import BudgetLine, regulation_budget_lines
from app.models.question import ApplicationQuestion


class Regulation(db.Model):
    __tablename__ = "regulations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(String(300), default="")
    tier: Mapped[str] = mapped_column(String(20))
    applicant_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    max_amount_cents: Mapped[int] = mapped_column(BigInteger)
    max_years: Mapped[int] = mapped_column(default=1)
    decision_term_weeks: Mapped[int] = mapped_column(default=8)
    requires_fit_check: Mapped[bool] = mapped_column(default=False)
    is_open: Mapped[bool] = mapped_column(default=False)
    required_documents: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # Activities must take place within the period; applications are refused after closes_on.
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    closes_on: Mapped[date | None]

    budget_lines: Mapped[list[BudgetLine]] = relationship(secondary=regulation_budget_lines)
    questions: Mapped[list[ApplicationQuestion]] = relationship(
        order_by="ApplicationQuestion.position", cascade="all, delete-orphan"
    )

    def localized_title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title

    def localized_summary(self, locale: str) -> str:
        return self.summary_en if locale == "en" and self.summary_en else self.summary
