"""One place that decides who may see and do what to which case."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, or_, select

from app.extensions import db
from app.models import Case, OrganisationMember, User

ALL_CASES_ROLES = ("officer", "team_lead", "admin", "finance", "council")
WORKFLOW_STAFF_ROLES = frozenset({"officer", "advisor", "team_lead", "finance", "admin"})


def _organisation_ids(user: User) -> Select[tuple[int]]:
    return select(OrganisationMember.organisation_id).where(OrganisationMember.user_id == user.id)


def visible_cases(user: User) -> Select[tuple[Case]]:
    """A query of the cases this user may see: the basis of every case list."""
    query = select(Case)
    staff_query = query.where(Case.status != "draft")  # a draft is the applicant's own work
    if user.has_role(*ALL_CASES_ROLES):
        return staff_query
    if user.has_role("advisor"):
        return staff_query.where(Case.area_id.in_(user.advisor_area_ids()))
    return query.where(
        or_(Case.applicant_id == user.id, Case.organisation_id.in_(_organisation_ids(user)))
    )


def is_case_owner(user: User, case: Case) -> bool:
    if case.applicant_id == user.id:
        return True
    if case.organisation_id is None:
        return False
    return case.organisation_id in db.session.scalars(_organisation_ids(user)).all()


def can_view_case(user: User, case: Case) -> bool:
    if is_case_owner(user, case):
        return True
    if case.status == "draft":
        return False
    if user.has_role(*ALL_CASES_ROLES):
        return True
    return user.has_role("advisor") and case.area_id in user.advisor_area_ids()


def case_for(user: User, case_id: int) -> Case:
    """The case if this user may see it; 404 otherwise, so its existence is not revealed."""
    case = db.session.get(Case, case_id)
    if case is None or not can_view_case(user, case):
        abort(404)
    return case


def workflow_roles(user: User, case: Case) -> frozenset[str]:
    """The lifecycle roles this user holds for this case."""
    roles = set(user.role_names & WORKFLOW_STAFF_ROLES)
    if user.has_role("advisor") and case.area_id not in user.advisor_area_ids():
        roles.discard("advisor")
    if is_case_owner(user, case):
        roles.add("applicant")
    return frozenset(roles)
