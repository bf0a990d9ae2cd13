"""Assigning a case to the officer or team lead who handles it."""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from app.models import Case, User
from app.services import events, transitions
from app.services.case_queue import ASSIGNABLE_ROLES
from app.services.errors import InvalidInput, NotAllowed

log = logging.getLogger("sociale_basis.assignment")


def can_assign(actor: User) -> bool:
    return actor.is_authenticated and actor.has_role(*ASSIGNABLE_ROLES)


def is_assignable(user: User) -> bool:
    return user.is_active_account and user.has_role(*ASSIGNABLE_ROLES)


def _person(user: User | None) -> dict[str, object]:
    return {"assignee_id": user.id if user else None, "assignee": user.name if user else None}


def assign(case: Case, assignee: User | None, actor: User) -> None:
    """Give the case to assignee (None: to nobody), record it on the timeline and commit.

    Only officers and team leads assign, and only to officers and team leads. Assigning
    to the person who already has the case changes nothing and records nothing.
    """
    if not can_assign(actor):
        log.warning("refused assignment of case %s by user %s", case.id, actor.id)
        raise NotAllowed(_("Your role does not allow this action. The attempt was logged."))
    if assignee is not None and not is_assignable(assignee):
        raise InvalidInput(_("A case can only be assigned to an officer or team lead."), "assignee")
    previous = case.assignee
    if (previous.id if previous else None) == (assignee.id if assignee else None):
        return
    case.assignee = assignee
    events.record(
        case,
        "assigned",
        actor,
        before=_person(previous),
        after=_person(assignee),
        visible_to_applicant=False,
    )
    transitions.commit_or_stale()
