"""Case references SB-<year>-<6 digits>: unique and never reused."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import ReferenceSequence


def next_reference(year: int) -> str:
    """Take the next number of the year with one atomic UPDATE ... RETURNING."""
    _ensure_sequence(year)
    number = db.session.execute(
        update(ReferenceSequence)
        .where(ReferenceSequence.year == year)
        .values(last_number=ReferenceSequence.last_number + 1)
        .returning(ReferenceSequence.last_number)
    ).scalar_one()
    return f"SB-{year}-{number:06d}"


def _ensure_sequence(year: int) -> None:
    if db.session.scalar(select(ReferenceSequence.year).where(ReferenceSequence.year == year)):
        return
    try:
        with db.session.begin_nested():
            db.session.add(ReferenceSequence(year=year, last_number=0))
    except IntegrityError:
        pass  # another transaction created it first; the UPDATE then waits for it
