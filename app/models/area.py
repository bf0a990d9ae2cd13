"""Areas (gebieden) of the area teams and their neighbourhoods or villages."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    inhabitants: Mapped[int | None]
    weak_social_base: Mapped[bool] = mapped_column(default=False)

    neighbourhoods: Mapped[list[Neighbourhood]] = relationship(
        back_populates="area", order_by="Neighbourhood.name", cascade="all, delete-orphan"
    )


class Neighbourhood(db.Model):
    __tablename__ = "neighbourhoods"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    area: Mapped[Area] = relationship(back_populates="neighbourhoods")
