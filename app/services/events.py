"""The case timeline: one append-only CaseEvent per thing that happened."""

from __future__ import annotations

from app.extensions import db
from app.models import Case, CaseEvent, User


def record(
    case: Case,
    kind: str,
    actor: User | None,
    *,
    before: dict[str, object] | None = None,
    after: dict[str, object] | None = None,
    visible_to_applicant: bool = True,
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        kind=kind,
        actor=actor,
        before=before,
        after=after,
        visible_to_applicant=visible_to_applicant,
    )
    db.session.add(event)
    return event
