"""Fit assessments: how an application serves the goals of its area's programme."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.case import Case
from app.models.programme import AreaProgramme, ProgrammeGoal
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

VERDICTS = ("fits", "partly", "does_not_fit")


class FitAssessment(db.Model):
    __tablename__ = "fit_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("area_programmes.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    motivation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    programme: Mapped[AreaProgramme] = relationship()
    advisor: Mapped[User] = relationship()
    scores: Mapped[list[GoalScore]] = relationship(
        back_populates="assessment", order_by="GoalScore.goal_id", cascade="all, delete-orphan"
    )


class GoalScore(db.Model):
    """Contribution of the application to one goal: 0 (none) to 3 (strong)."""

    __tablename__ = "goal_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "goal_id"),
        CheckConstraint("score BETWEEN 0 AND 3", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("fit_assessments.id"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("programme_goals.id"))
    score: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[FitAssessment] = relationship(back_populates="scores")
    goal: Mapped[ProgrammeGoal] = relationship()
