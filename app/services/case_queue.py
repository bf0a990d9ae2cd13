"""The officer's case queue: filters, search, sorting, pages and counts per status.

Every list starts from `authz.visible_cases(user)`, so a filter can narrow what a
person may see but never widen it. A page costs two queries whatever its length: one
for the choices of the filter form (areas, regulations and staff, which also name the
rows' area and regulation), and one statement that filters once and returns both the
counts per status (the total follows from them) and the page's rows, with only the
columns the table shows and the names of applicant, organisation and assignee joined
after paging.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    any_,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
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
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _positive_int(value: str | None, maximum: int) -> int | None:
    """A whole number from 1 to maximum in ASCII digits, or None for anything else."""
    value = (value or "").strip()
    if not WHOLE_NUMBER.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    value = (value or "").strip()
    return value if value in allowed else None


def _clean_search(value: str | None) -> str:
    """Printable characters only (PostgreSQL refuses NUL), spaces collapsed, length capped."""
    printable = "".join(char if char.isprintable() else " " for char in (value or ""))
    return " ".join(printable.split())[:MAX_SEARCH_LENGTH]


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


@dataclass(frozen=True)
class FilterOptions:
    """The choices of the filter form and of the assign form."""

    areas: list[tuple[int, str]]
    regulations: list[tuple[int, str, str]]
    assignees: list[tuple[int, str]]


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    page_size: int
    counts: dict[str, int]
    options: FilterOptions


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

    def btree_order(column: Any) -> Any:
        """Empty values last going up, first going down: the order a btree index reads in
        both directions on PostgreSQL, made explicit so that SQLite sorts the same."""
        if qfilter.direction == "desc":
            return column.desc().nulls_first()
        return column.asc().nulls_last()

    # Open cases first, unless the filter already says whether they are open: then the
    # order is plain and an index on the deadline can deliver it.
    open_first = not (
        qfilter.status
        or qfilter.open_only
        or qfilter.overdue
        or qfilter.due_within_days is not None
    )
    keys: dict[str, Callable[[], list[Any]]] = {
        "deadline": lambda: [
            *([sql_case((columns.status.in_(OPEN_STATES), 0), else_=1)] if open_first else []),
            directed(columns.decision_deadline).nulls_last(),
        ],
        "received": lambda: [btree_order(columns.received_on)],
        "reference": lambda: [btree_order(columns.reference)],
        "amount": lambda: [directed(columns.requested_cents)],
    }
    return [*keys[qfilter.sort](), directed(columns.id)]


# Built once: an alias is costly to make, and the same one keeps the statement cacheable.
_APPLICANT = aliased(User, name="applicant")
_ASSIGNEE = aliased(User, name="assignee")

# The columns of a row after (part, position, number, status), as QueueRow takes them.
ROW_COLUMNS = (
    "id",
    "reference",
    "title",
    "tier",
    "requested_cents",
    "received_on",
    "decision_deadline",
    "area_id",
    "regulation_id",
    "applicant_name",
    "organisation_name",
    "assignee_id",
    "assignee_name",
)


def _page_statement(
    user: User, qfilter: QueueFilter, page: int, page_size: int
) -> CompoundSelect[Any]:
    """Counts per status and one page of rows, in one statement that filters once.

    `matched` holds the visible cases under every filter except the status, narrowed to
    the columns that sort. One branch takes the page from it (status filter, order,
    limit, offset) and only then joins the names, so names are looked up for fifty rows,
    not for every match; the other counts it per status. Rows come back as
    (part 1, position, -, status, row columns...) and (part 0, -, count, status, -...).
    """
    matched = (
        authz.visible_cases(user)
        .with_only_columns(
            Case.id,
            Case.status,
            Case.decision_deadline,
            Case.received_on,
            Case.reference,
            Case.requested_cents,
        )
        .where(*_conditions(user, qfilter, local_today()))
        .cte("matched")
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # A search is the costly part: run it once and keep the (few) matches. Without one,
        # let each branch use its own indexes (counting from the status index, top-N rows).
        matched = matched.prefix_with("MATERIALIZED" if qfilter.search else "NOT MATERIALIZED")
    counts = select(
        literal_column("0").label("part"),
        null().label("position"),
        func.count().label("number"),
        matched.c.status,
        *(null().label(name) for name in ROW_COLUMNS),
    ).group_by(matched.c.status)

    # Sort and cut the page first (top-N over the narrow rows), then number its rows.
    page_rows = select(*matched.c).order_by(*_ordering(qfilter, matched.c))
    if qfilter.status:
        page_rows = page_rows.where(matched.c.status == qfilter.status)
    page_ids = page_rows.limit(page_size).offset((page - 1) * page_size).subquery("page_ids")
    position = func.row_number().over(order_by=_ordering(qfilter, page_ids.c))
    applicant, assignee = _APPLICANT, _ASSIGNEE
    rows = (
        select(
            literal_column("1").label("part"),
            position.label("position"),
            null().label("number"),
            Case.status,
            Case.id,
            Case.reference,
            Case.title,
            Case.tier,
            Case.requested_cents,
            Case.received_on,
            Case.decision_deadline,
            Case.area_id,
            Case.regulation_id,
            applicant.name,
            Organisation.name,
            Case.assignee_id,
            assignee.name,
        )
        .select_from(page_ids)
        .join(Case, Case.id == page_ids.c.id)
        .join(applicant, applicant.id == Case.applicant_id)
        .outerjoin(Organisation, Organisation.id == Case.organisation_id)
        .outerjoin(assignee, assignee.id == Case.assignee_id)
    )
    # The rows branch goes first: a UNION takes its column types (dates!) from it.
    return union_all(rows, counts).order_by(literal_column("part"), literal_column("position"))


def _fetch(
    user: User, qfilter: QueueFilter, page: int, page_size: int, options: FilterOptions
) -> tuple[dict[str, int], list[QueueRow]]:
    areas = dict(options.areas)
    regulations = {reg_id: (title, title_en) for reg_id, title, title_en in options.regulations}
    counts: dict[str, int] = {}
    rows: list[QueueRow] = []
    statement = _page_statement(user, qfilter, page, page_size)
    for part, _position, number, status, *columns in db.session.execute(statement).tuples():
        if part == 0:
            counts[status] = number
            continue
        (
            case_id,
            reference,
            title,
            tier,
            cents,
            received_on,
            deadline,
            area_id,
            regulation_id,
            applicant_name,
            organisation_name,
            assignee_id,
            assignee_name,
        ) = columns
        regulation_title, regulation_title_en = regulations.get(regulation_id, ("", ""))
        rows.append(
            QueueRow(
                id=case_id,
                reference=reference,
                title=title,
                status=status,
                tier=tier,
                requested_cents=cents,
                received_on=received_on,
                decision_deadline=deadline,
                area_name=areas.get(area_id, ""),
                regulation_title=regulation_title,
                regulation_title_en=regulation_title_en,
                applicant_name=applicant_name,
                organisation_name=organisation_name,
                assignee_id=assignee_id,
                assignee_name=assignee_name,
            )
        )
    return {status: counts[status] for status in STATUSES if counts.get(status)}, rows


def queue_page(user: User, qfilter: QueueFilter, page_size: int = PAGE_SIZE) -> QueuePage:
    """One page of the queue and the choices of its filter form: two queries in all.

    The names of areas and regulations come with the choices (there are a handful), so
    the page query joins only the people. A page number past the end costs one more
    query, for the last page.
    """
    options = filter_options()
    counts, rows = _fetch(user, qfilter, qfilter.page, page_size, options)
    total = counts.get(qfilter.status, 0) if qfilter.status else sum(counts.values())
    pages = max((total + page_size - 1) // page_size, 1)
    page = min(qfilter.page, pages)
    if page != qfilter.page:
        counts, rows = _fetch(user, qfilter, page, page_size, options)
    return QueuePage(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        page_size=page_size,
        counts=counts,
        options=options,
    )


def assignable_users_query() -> Select[tuple[User]]:
    """Staff a case may be assigned to: officers and team leads with an active account."""
    return select(User).where(
        User.is_active_account.is_(True),
        User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(ASSIGNABLE_ROLES))),
    )


@cache
def _options_statement() -> CompoundSelect[Any]:
    """The same for every request: built once, so its compiled form is reused as well."""
    staff = assignable_users_query().subquery()
    return union_all(
        select(literal_column("'area'"), Area.id, Area.name, null()),
        select(
            literal_column("'regulation'"), Regulation.id, Regulation.title, Regulation.title_en
        ),
        select(literal_column("'staff'"), staff.c.id, staff.c.name, null()),
    )


def filter_options() -> FilterOptions:
    """The areas, regulations and assignable staff, as plain tuples, in one query."""
    options = _options_statement()
    areas: list[tuple[int, str]] = []
    regulations: list[tuple[int, str, str]] = []
    assignees: list[tuple[int, str]] = []
    for kind, option_id, name, name_en in db.session.execute(options).tuples():
        if kind == "area":
            areas.append((option_id, name))
        elif kind == "regulation":
            regulations.append((option_id, name, name_en or ""))
        else:
            assignees.append((option_id, name))
    return FilterOptions(
        sorted(areas, key=lambda item: item[1]),
        sorted(regulations, key=lambda item: item[1]),
        sorted(assignees, key=lambda item: (item[1], item[0])),
    )
