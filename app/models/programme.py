"""Area programmes: the multi-year goals on which subsidies are granted."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.area import Area


class AreaProgramme(db.Model):
    __tablename__ = "area_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    start_year: Mapped[int]
    end_year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")

    area: Mapped[Area] = relationship()
    goals: Mapped[list[ProgrammeGoal]] = relationship(
        back_populates="programme", order_by="ProgrammeGoal.id", cascade="all, delete-orphan"
    )


class ProgrammeGoal(db.Model):
    __tablename__ = "programme_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("area_programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))
    health_dimensions: Mapped[list[str]] = mapped_column(JSON, default=list)
    action_line: Mapped[int | None]

    programme: Mapped[AreaProgramme] = relationship(back_populates="goals")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="goal", order_by="Indicator.id", cascade="all, delete-orphan"
    )


class Indicator(db.Model):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("programme_goals.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(60))
    baseline: Mapped[float | None]
    targets: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)

    goal: Mapped[ProgrammeGoal] = relationship(back_populates="indicators")
