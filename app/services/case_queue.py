"""The officer's case queue: filters, search, sorting, pages and counts per status.

Every list starts from `authz.visible_cases(user)`, so a filter can narrow what a
person may see but never widen it. A page costs a fixed number of queries whatever
its length: one for the counts per status (the total follows from them) and one
for the rows, which selects only the columns the table shows and joins the names
of area, regulation, applicant, organisation and assignee after paging.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, any_, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Area, Case, Organisation, Regulation, User, UserRole
from app.services import authz
from app.services.clock import local_today
from workflows.lifecycle import State
from workflows.tiers import Tier

PAGE_SIZE = 50
MAX_PAGE = 100_000
MAX_DUE_DAYS = 366
MAX_SEARCH_LENGTH = 100
OPEN_STATES: tuple[str, ...] = (
    State.SUBMITTED.value,
    State.INTAKE.value,
    State.INFORMATION_REQUESTED.value,
    State.FIT_CHECK.value,
    State.DECISION_PROPOSED.value,
    State.DECISION_APPROVED.value,
)
STATUSES: tuple[str, ...] = tuple(state.value for state in State)
TIERS: tuple[str, ...] = tuple(tier.value for tier in Tier)
SORT_KEYS: tuple[str, ...] = ("deadline", "received", "reference", "amount")
DIRECTIONS: tuple[str, ...] = ("asc", "desc")
ASSIGNABLE_ROLES: tuple[str, ...] = ("officer", "team_lead")
TRUE_WORDS = frozenset({"1", "true", "on", "yes", "y"})
LIKE_ESCAPE = "\\"


def _positive_int(value: str | None, maximum: int) -> int | None:
    """A whole number from 1 to maximum, or None for anything else."""
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if 1 <= number <= maximum else None


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    value = (value or "").strip()
    return value if value in allowed else None


def _clean_search(value: str | None) -> str:
    return " ".join((value or "").split())[:MAX_SEARCH_LENGTH]


@dataclass(frozen=True)
class QueueFilter:
    """What the person asked for, validated: a value that does not parse is left out."""

    status: str | None = None
    regulation_id: int | None = None
    area_id: int | None = None
    tier: str | None = None
    assignee: str | int | None = None  # "me", "none" or a user id
    due_within_days: int | None = None
    overdue: bool = False
    open_only: bool = False
    search: str = ""
    sort: str = "deadline"
    direction: str = "asc"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str], **fixed: Any) -> QueueFilter:
        """Parse request arguments; `fixed` values (for "My work") win over the arguments."""
        assignee: str | int | None = _choice(args.get("assignee"), ("me", "none"))
        if assignee is None:
            assignee = _positive_int(args.get("assignee"), 2**31 - 1)
        due = (args.get("due_within_days") or "").strip()
        parsed = cls(
            status=_choice(args.get("status"), STATUSES),
            regulation_id=_positive_int(args.get("regulation_id"), 2**31 - 1),
            area_id=_positive_int(args.get("area_id"), 2**31 - 1),
            tier=_choice(args.get("tier"), TIERS),
            assignee=assignee,
            due_within_days=0 if due == "0" else _positive_int(due, MAX_DUE_DAYS),
            overdue=(args.get("overdue") or "").strip().lower() in TRUE_WORDS,
            open_only=(args.get("open") or "").strip().lower() in TRUE_WORDS,
            search=_clean_search(args.get("search")),
            sort=_choice(args.get("sort"), SORT_KEYS) or "deadline",
            direction=_choice(args.get("dir"), DIRECTIONS) or "asc",
            page=_positive_int(args.get("page"), MAX_PAGE) or 1,
        )
        return replace(parsed, **fixed)

    def to_args(self, **changes: Any) -> dict[str, str]:
        """The query arguments that give this filter back (defaults left out), for links."""
        qfilter = replace(self, **changes)
        args = {
            "status": qfilter.status,
            "regulation_id": qfilter.regulation_id,
            "area_id": qfilter.area_id,
            "tier": qfilter.tier,
            "assignee": qfilter.assignee,
            "due_within_days": qfilter.due_within_days,
            "overdue": "1" if qfilter.overdue else None,
            "open": "1" if qfilter.open_only else None,
            "search": qfilter.search or None,
            "sort": None if qfilter.sort == "deadline" else qfilter.sort,
            "dir": None if qfilter.direction == "asc" else qfilter.direction,
            "page": None if qfilter.page == 1 else qfilter.page,
        }
        return {key: str(value) for key, value in args.items() if value is not None}

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.status
            or self.regulation_id
            or self.area_id
            or self.tier
            or self.assignee
            or self.due_within_days is not None
            or self.overdue
            or self.search
        )


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str | None
    title: str
    status: str
    tier: str
    requested_cents: int
    received_on: date | None
    decision_deadline: date | None
    area_name: str
    regulation_title: str
    regulation_title_en: str
    applicant_name: str
    organisation_name: str | None
    assignee_id: int | None
    assignee_name: str | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def regulation(self, locale: str | None) -> str:
        return (
            self.regulation_title_en
            if locale == "en" and self.regulation_title_en
            else (self.regulation_title)
        )


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    page_size: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * self.page_size + len(self.rows)


@dataclass(frozen=True)
class FilterOptions:
    """The choices of the filter form and of the assign form."""

    areas: list[tuple[int, str]]
    regulations: list[tuple[int, str, str]]
    assignees: list[tuple[int, str]]


def _like_pattern(text: str) -> str:
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
    escaped = escaped.replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def _one_of(column: Any, ids: Select[Any]) -> ColumnElement[bool]:
    """column IN (ids), written so that PostgreSQL can combine it with other indexes.

    `= ANY(ARRAY(subquery))` is evaluated once, before the scan, and then is an index
    condition, so a search can be one BitmapOr over the indexes of every matched column;
    a plain `IN (subquery)` inside an OR would force a scan of every visible case.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(func.array(ids.scalar_subquery()))
    return column.in_(ids)


def search_condition(text: str) -> ColumnElement[bool]:
    """Case-insensitive match on reference, title, applicant name or organisation name.

    On PostgreSQL the title and reference conditions use the trigram GIN indexes of
    migration 0003 and the names become lists of ids for the foreign key indexes; on
    SQLite the same conditions scan, which is fine for a first-run database.
    """
    pattern = _like_pattern(text)
    return or_(
        Case.title.ilike(pattern, escape=LIKE_ESCAPE),
        Case.reference.ilike(pattern, escape=LIKE_ESCAPE),
        _one_of(
            Case.applicant_id, select(User.id).where(User.name.ilike(pattern, escape=LIKE_ESCAPE))
        ),
        _one_of(
            Case.organisation_id,
            select(Organisation.id).where(Organisation.name.ilike(pattern, escape=LIKE_ESCAPE)),
        ),
    )


def _conditions(user: User, qfilter: QueueFilter, today: date) -> list[ColumnElement[bool]]:
    """Every filter except the status (the counts per status need the rest)."""
    conditions: list[ColumnElement[bool]] = []
    if qfilter.regulation_id:
        conditions.append(Case.regulation_id == qfilter.regulation_id)
    if qfilter.area_id:
        conditions.append(Case.area_id == qfilter.area_id)
    if qfilter.tier:
        conditions.append(Case.tier == qfilter.tier)
    if qfilter.assignee == "me":
        conditions.append(Case.assignee_id == user.id)
    elif qfilter.assignee == "none":
        conditions.append(Case.assignee_id.is_(None))
    elif isinstance(qfilter.assignee, int):
        conditions.append(Case.assignee_id == qfilter.assignee)
    if qfilter.open_only or qfilter.overdue or qfilter.due_within_days is not None:
        conditions.append(Case.status.in_(OPEN_STATES))
    # Overdue and "due within N days" together mean: everything that needs attention by then.
    if qfilter.due_within_days is not None:
        last_day = today + timedelta(days=qfilter.due_within_days)
        if qfilter.overdue:
            conditions.append(Case.decision_deadline <= last_day)
        else:
            conditions.append(Case.decision_deadline.between(today, last_day))
    elif qfilter.overdue:
        conditions.append(Case.decision_deadline < today)
    if qfilter.search:
        conditions.append(search_condition(qfilter.search))
    return conditions


def _ordering(qfilter: QueueFilter, columns: Any) -> list[ColumnElement[Any]]:
    """ORDER BY for a sort key, on the Case columns or on a subquery's columns."""

    def directed(column: Any) -> Any:
        return column.desc() if qfilter.direction == "desc" else column.asc()

    keys: dict[str, Callable[[], list[Any]]] = {
        "deadline": lambda: [
            sql_case((columns.status.in_(OPEN_STATES), 0), else_=1),
            directed(columns.decision_deadline).nulls_last(),
        ],
        "received": lambda: [directed(columns.received_on).nulls_last()],
        "reference": lambda: [directed(columns.reference).nulls_last()],
        "amount": lambda: [directed(columns.requested_cents)],
    }
    return [*keys[qfilter.sort](), directed(columns.id)]


def _visible(user: User) -> Select[Any]:
    return authz.visible_cases(user)


def count_by_status(user: User, qfilter: QueueFilter) -> dict[str, int]:
    """Visible cases per status under every filter of qfilter except the status itself."""
    query = (
        _visible(user)
        .with_only_columns(Case.status, func.count(Case.id))
        .where(*_conditions(user, qfilter, local_today()))
        .group_by(Case.status)
    )
    counts = {status: count for status, count in db.session.execute(query).tuples()}
    return {status: counts[status] for status in STATUSES if counts.get(status)}


def _rows(user: User, qfilter: QueueFilter, page: int, page_size: int) -> list[QueueRow]:
    conditions = _conditions(user, qfilter, local_today())
    if qfilter.status:
        conditions.append(Case.status == qfilter.status)
    # Page first, over the cases table alone; join the names for these rows only.
    page_rows = (
        _visible(user)
        .with_only_columns(
            Case.id,
            Case.reference,
            Case.title,
            Case.status,
            Case.tier,
            Case.requested_cents,
            Case.received_on,
            Case.decision_deadline,
            Case.area_id,
            Case.regulation_id,
            Case.applicant_id,
            Case.organisation_id,
            Case.assignee_id,
        )
        .where(*conditions)
        .order_by(*_ordering(qfilter, Case))
        .limit(page_size)
        .offset((page - 1) * page_size)
        .subquery("page_rows")
    )
    applicant = aliased(User, name="applicant")
    assignee = aliased(User, name="assignee")
    query = (
        select(
            page_rows.c.id,
            page_rows.c.reference,
            page_rows.c.title,
            page_rows.c.status,
            page_rows.c.tier,
            page_rows.c.requested_cents,
            page_rows.c.received_on,
            page_rows.c.decision_deadline,
            Area.name,
            Regulation.title,
            Regulation.title_en,
            applicant.name,
            Organisation.name,
            page_rows.c.assignee_id,
            assignee.name,
        )
        .join(Area, Area.id == page_rows.c.area_id)
        .join(Regulation, Regulation.id == page_rows.c.regulation_id)
        .join(applicant, applicant.id == page_rows.c.applicant_id)
        .outerjoin(Organisation, Organisation.id == page_rows.c.organisation_id)
        .outerjoin(assignee, assignee.id == page_rows.c.assignee_id)
        .order_by(*_ordering(qfilter, page_rows.c))
    )
    return [QueueRow(*row) for row in db.session.execute(query).tuples()]


def queue_page(user: User, qfilter: QueueFilter, page_size: int = PAGE_SIZE) -> QueuePage:
    """One page of the queue: two queries, whatever the filter and the number of rows."""
    counts = count_by_status(user, qfilter)
    total = counts.get(qfilter.status, 0) if qfilter.status else sum(counts.values())
    pages = max((total + page_size - 1) // page_size, 1)
    page = min(qfilter.page, pages)
    rows = _rows(user, qfilter, page, page_size) if total else []
    return QueuePage(
        rows=rows, total=total, page=page, pages=pages, page_size=page_size, counts=counts
    )


def assignable_users_query() -> Select[tuple[User]]:
    """Staff a case may be assigned to: officers and team leads with an active account."""
    return (
        select(User)
        .where(
            User.is_active_account.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(ASSIGNABLE_ROLES))),
        )
        .order_by(User.name, User.id)
    )


def filter_options() -> FilterOptions:
    """The areas, regulations and assignable staff, as plain tuples (three small queries)."""
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name)).tuples().all()
    regulations = (
        db.session.execute(
            select(Regulation.id, Regulation.title, Regulation.title_en).order_by(Regulation.title)
        )
        .tuples()
        .all()
    )
    staff = assignable_users_query().with_only_columns(User.id, User.name)
    assignees = db.session.execute(staff).tuples().all()
    return FilterOptions(list(areas), list(regulations), list(assignees))
