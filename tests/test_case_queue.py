"""The officer's queue, "My work" and assigning cases, through the test client.

Every filter is checked against the database: the page must show exactly the cases
the same condition selects there, over all its pages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import ColumnElement, event, func, select
from support import OFFICER, OTHER_OFFICER, RESIDENT, csrf_token, database, login, user_by_email

from app.extensions import db
from app.models import Area, Case, CaseEvent, Organisation, Regulation, User
from app.services import assignment, demo
from app.services.case_queue import OPEN_STATES, PAGE_SIZE, QueueFilter
from app.services.clock import local_today
from app.services.errors import InvalidInput, NotAllowed

CASE_COUNT = 60
ADVISOR_CENTRUM = "adviseur.centrum@demo.sociale-basis.nl"
ROW_LINK = re.compile(r'<td><a href="/cases/(\d+)"')
COUNT_LINK = re.compile(r'status=([a-z_]+)[^"]*"[^>]*>[^<]*</a> \((\d+)\)')
PAGE_OF = re.compile(r"Pagina (\d+) van (\d+)")


# ---------------------------------------------------------------------------- helpers


@pytest.fixture()
def seeded(app: Flask, reference_data: dict[str, object]) -> Flask:
    with database(app):
        demo.seed_demo(case_count=CASE_COUNT)
    return app


@pytest.fixture()
def officer(seeded: Flask) -> FlaskClient:
    client = seeded.test_client()
    login(client, OFFICER)
    return client


def page_ids(html: str) -> list[int]:
    return [int(found) for found in ROW_LINK.findall(html)]


def queue_ids(client: FlaskClient, url: str = "/cases/", **args: str) -> list[int]:
    """The case ids of every page of the queue, in order."""
    ids: list[int] = []
    page = 1
    while True:
        response = client.get(url, query_string={**args, "page": str(page)})
        assert response.status_code == 200, response.status_code
        html = response.get_data(as_text=True)
        ids += page_ids(html)
        found = PAGE_OF.search(html)
        if not found or int(found.group(1)) >= int(found.group(2)):
            return ids
        page += 1


def db_ids(app: Flask, *conditions: ColumnElement[bool]) -> set[int]:
    """The cases staff may see (drafts are the applicant's own) that meet the conditions."""
    with database(app) as session:
        return set(session.scalars(select(Case.id).where(Case.status != "draft", *conditions)))


def visible_count(app: Flask) -> int:
    return len(db_ids(app))


def first_id(app: Flask, model: type, *conditions: ColumnElement[bool]) -> int:
    with database(app) as session:
        return session.scalar(select(model.id).where(*conditions).order_by(model.id).limit(1))


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def assign_case(
    client: FlaskClient, case_id: int, assignee: str, back: str = "/cases/?status=intake"
) -> Any:
    page = client.get(back).get_data(as_text=True)
    return client.post(
        f"/cases/{case_id}/assign",
        data={"csrf_token": csrf_token(page), "assignee": assignee, "next": back},
    )


# ---------------------------------------------------------------------------- the list


def test_queue_shows_every_visible_case_and_counts_per_status(
    seeded: Flask, officer: FlaskClient
) -> None:
    assert sorted(queue_ids(officer)) == sorted(db_ids(seeded))
    html = officer.get("/cases/").get_data(as_text=True)
    counts = {status: int(number) for status, number in COUNT_LINK.findall(html)}
    with database(seeded) as session:
        expected = dict(
            session.execute(
                select(Case.status, func.count(Case.id))
                .where(Case.status != "draft")
                .group_by(Case.status)
            ).all()
        )
    assert counts == expected
    assert sum(counts.values()) == visible_count(seeded) < CASE_COUNT
    assert f"{visible_count(seeded)} zaken" in html


def test_counts_follow_the_other_filters_but_not_the_status(
    seeded: Flask, officer: FlaskClient
) -> None:
    area_id = first_id(seeded, Area, Area.slug == "oost")
    html = officer.get(f"/cases/?area_id={area_id}&status=intake").get_data(as_text=True)
    counts = {status: int(number) for status, number in COUNT_LINK.findall(html)}
    with database(seeded) as session:
        expected = dict(
            session.execute(
                select(Case.status, func.count(Case.id))
                .where(Case.area_id == area_id, Case.status != "draft")
                .group_by(Case.status)
            ).all()
        )
    assert counts == expected
    assert len(page_ids(html)) == expected.get("intake", 0)


def _today() -> date:
    return local_today()


FILTERS: dict[str, Callable[[Flask], tuple[dict[str, str], list[ColumnElement[bool]]]]] = {
    "status": lambda app: ({"status": "intake"}, [Case.status == "intake"]),
    "regulation": lambda app: (
        {"regulation_id": str(rid := first_id(app, Regulation, Regulation.tier == "regular"))},
        [Case.regulation_id == rid],
    ),
    "area": lambda app: (
        {"area_id": str(aid := first_id(app, Area, Area.slug == "zuid"))},
        [Case.area_id == aid],
    ),
    "tier": lambda app: ({"tier": "light"}, [Case.tier == "light"]),
    "assignee me": lambda app: (
        {"assignee": "me"},
        [Case.assignee_id == first_id(app, User, User.email == OFFICER)],
    ),
    "assignee nobody": lambda app: ({"assignee": "none"}, [Case.assignee_id.is_(None)]),
    "assignee someone": lambda app: (
        {"assignee": str(uid := first_id(app, User, User.email == OTHER_OFFICER))},
        [Case.assignee_id == uid],
    ),
    "overdue": lambda app: (
        {"overdue": "1"},
        [Case.status.in_(OPEN_STATES), Case.decision_deadline < _today()],
    ),
    "due within 30 days": lambda app: (
        {"due_within_days": "30"},
        [
            Case.status.in_(OPEN_STATES),
            Case.decision_deadline >= _today(),
            Case.decision_deadline <= _today() + timedelta(days=30),
        ],
    ),
    "area and status together": lambda app: (
        {
            "area_id": str(aid := first_id(app, Area, Area.slug == "oude-wijken")),
            "status": "submitted",
        },
        [Case.area_id == aid, Case.status == "submitted"],
    ),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_each_filter_shows_exactly_the_matching_cases(
    seeded: Flask, officer: FlaskClient, name: str
) -> None:
    args, conditions = FILTERS[name](seeded)
    expected = db_ids(seeded, *conditions)
    assert expected, f"the demo data has no case for {name}: the test would prove nothing"
    assert expected != db_ids(seeded), f"{name} selects every case: the test would prove nothing"
    assert sorted(queue_ids(officer, **args)) == sorted(expected)


def test_overdue_deadlines_are_coloured_and_labelled(seeded: Flask, officer: FlaskClient) -> None:
    html = officer.get("/cases/?overdue=1").get_data(as_text=True)
    assert page_ids(html)
    assert 'class="deadline deadline-overdue"' in html
    assert "(verlopen)" in html  # the text says it too, not only the colour


@pytest.mark.parametrize("text", ["moestuin", "MOESTUIN", "binnenplaats met moes"])
def test_search_on_part_of_the_title_ignores_case(
    seeded: Flask, officer: FlaskClient, text: str
) -> None:
    expected = db_ids(seeded, func.lower(Case.title).contains(text.lower()))
    assert expected
    assert sorted(queue_ids(officer, search=text)) == sorted(expected)


def test_search_on_reference(seeded: Flask, officer: FlaskClient) -> None:
    with database(seeded) as session:
        case_id, reference = session.execute(
            select(Case.id, Case.reference).where(Case.reference.is_not(None)).limit(1)
        ).one()
    assert queue_ids(officer, search=reference) == [case_id]
    digits = reference.rsplit("-", 1)[1]
    assert case_id in queue_ids(officer, search=digits)


def test_search_on_applicant_and_organisation_name(seeded: Flask, officer: FlaskClient) -> None:
    resident_id = first_id(seeded, User, User.email == RESIDENT)
    assert sorted(queue_ids(officer, search="fatima el")) == sorted(
        db_ids(seeded, Case.applicant_id == resident_id)
    )
    organisation_id = first_id(seeded, Organisation, Organisation.name.like("%De Hoogte"))
    expected = db_ids(seeded, Case.organisation_id == organisation_id)
    assert expected
    assert set(expected) <= set(queue_ids(officer, search="de hoogte"))


def test_search_treats_wildcards_as_text(seeded: Flask, officer: FlaskClient) -> None:
    html = officer.get("/cases/?search=%25_%25").get_data(as_text=True)
    assert page_ids(html) == []
    assert "Er zijn geen zaken die bij dit filter passen." in html


@pytest.mark.parametrize(
    ("sort", "direction", "column"),
    [
        ("amount", "desc", Case.requested_cents),
        ("amount", "asc", Case.requested_cents),
        ("received", "asc", Case.received_on),
        ("reference", "desc", Case.reference),
    ],
)
def test_sorting(
    seeded: Flask, officer: FlaskClient, sort: str, direction: str, column: Any
) -> None:
    ids = queue_ids(officer, sort=sort, dir=direction, status="granted")
    with database(seeded) as session:
        values = dict(session.execute(select(Case.id, column).where(Case.id.in_(ids))).all())
    shown = [values[case_id] for case_id in ids]
    assert len(set(shown)) > 1
    assert shown == sorted(shown, reverse=direction == "desc")
    html = officer.get(f"/cases/?sort={sort}&dir={direction}").get_data(as_text=True)
    expected = "descending" if direction == "desc" else "ascending"
    assert f'aria-sort="{expected}"' in html
    assert html.count("aria-sort=") == 1


def test_default_order_is_open_cases_first_by_deadline(seeded: Flask, officer: FlaskClient) -> None:
    ids = queue_ids(officer)
    with database(seeded) as session:
        rows = {
            case_id: (status, deadline)
            for case_id, status, deadline in session.execute(
                select(Case.id, Case.status, Case.decision_deadline)
            )
        }
    keys = [(rows[i][0] not in OPEN_STATES, rows[i][1] or date.max, i) for i in ids]
    assert keys == sorted(keys)


def test_pages(seeded: Flask, officer: FlaskClient) -> None:
    first = officer.get("/cases/").get_data(as_text=True)
    second = officer.get("/cases/?page=2").get_data(as_text=True)
    assert len(page_ids(first)) == PAGE_SIZE
    assert len(page_ids(second)) == visible_count(seeded) - PAGE_SIZE
    assert not set(page_ids(first)) & set(page_ids(second))
    assert "Pagina 1 van 2" in first and "Pagina 2 van 2" in second
    assert 'href="/cases/?page=2"' in first
    beyond = officer.get("/cases/?page=40").get_data(as_text=True)
    assert page_ids(beyond) == page_ids(second)  # past the end: the last page


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "page=abc",
        "page=-1",
        "page=0",
        "page=99999999999999999999",
        "area_id=x",
        "area_id=99999999",
        "regulation_id=1.5",
        "tier=heavy",
        "assignee=%3Cscript%3E",
        "assignee=-4",
        "due_within_days=-3",
        "due_within_days=100000",
        "overdue=maybe",
        "sort=id;drop table cases",
        "dir=sideways",
        "search=" + "x" * 5000,
        "search=%00%ff",
        "page=%C2%B2",
        "area_id=%D9%A1",
        "assignee=%C2%B2",
        "status=intake&status=granted",
    ],
)
def test_bad_parameters_are_ignored_never_an_error(officer: FlaskClient, query: str) -> None:
    response = officer.get(f"/cases/?{query}")
    assert response.status_code == 200
    assert officer.get(f"/cases/mine?{query}").status_code == 200


def test_filter_parsing() -> None:
    parsed = QueueFilter.from_args(
        {"status": "intake", "page": "3", "sort": "amount", "dir": "desc", "assignee": "12"}
    )
    assert (parsed.status, parsed.page, parsed.sort, parsed.direction) == (
        "intake",
        3,
        "amount",
        "desc",
    )
    assert parsed.assignee == 12
    assert QueueFilter.from_args(parsed.to_args()) == parsed
    assert QueueFilter.from_args({"search": "  moes   tuin  "}).search == "moes tuin"
    assert QueueFilter.from_args({"due_within_days": "0"}).due_within_days == 0
    assert QueueFilter.from_args({"page": "7"}, page=1).page == 1
    with pytest.raises(AttributeError):
        parsed.page = 2  # type: ignore[misc]


def test_the_page_is_accessible_and_has_no_inline_script_or_style(officer: FlaskClient) -> None:
    response = officer.get("/cases/")
    html = response.get_data(as_text=True)
    for field_id in ("search", "status", "regulation_id", "area_id", "tier", "assignee"):
        assert f'<label class="label" for="{field_id}">' in html
        assert f'id="{field_id}"' in html
    assert '<label class="choice-label" for="overdue">' in html
    assert "<caption>" in html and "<h1>" in html
    assert html.count('class="button"') == 1  # one primary button: the filter form's
    assert "<script" not in html and "style=" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


# ---------------------------------------------------------------------------- who sees what


def test_an_advisor_sees_only_the_cases_of_their_area(seeded: Flask) -> None:
    advisor = seeded.test_client()
    login(advisor, ADVISOR_CENTRUM)
    centrum = first_id(seeded, Area, Area.slug == "centrum")
    expected = db_ids(seeded, Case.area_id == centrum)
    assert expected and expected != db_ids(seeded)
    assert sorted(queue_ids(advisor)) == sorted(expected)
    west = first_id(seeded, Area, Area.slug == "west")
    assert queue_ids(advisor, area_id=str(west)) == []
    found = expected & db_ids(seeded, func.lower(Case.title).contains("moestuin"))
    assert sorted(queue_ids(advisor, search="moestuin")) == sorted(found)


def test_an_applicant_gets_403(seeded: Flask) -> None:
    resident = seeded.test_client()
    login(resident, RESIDENT)
    assert resident.get("/cases/").status_code == 403
    assert resident.get("/cases/mine").status_code == 403
    case_id = first_id(
        seeded, Case, Case.applicant_id == first_id(seeded, User, User.email == RESIDENT)
    )
    page = resident.get("/portal/").get_data(as_text=True)  # the log-out form has a token
    response = resident.post(
        f"/cases/{case_id}/assign", data={"csrf_token": csrf_token(page), "assignee": "none"}
    )
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(seeded: Flask) -> None:
    response = seeded.test_client().get("/cases/")
    assert response.status_code == 302
    assert "/login" in response.location


# ---------------------------------------------------------------------------- my work


def test_my_work_lists_my_open_cases(seeded: Flask, officer: FlaskClient) -> None:
    me = first_id(seeded, User, User.email == OFFICER)
    expected = db_ids(seeded, Case.assignee_id == me, Case.status.in_(OPEN_STATES))
    assert expected
    assert sorted(queue_ids(officer, "/cases/mine")) == sorted(expected)
    html = officer.get("/cases/mine").get_data(as_text=True)
    assert 'aria-current="page">Mijn werkvoorraad</a>' in html
    assert 'id="assignee"' not in html  # the person is fixed: no assignee filter
    with_status = queue_ids(officer, "/cases/mine", status="intake")
    assert sorted(with_status) == sorted(
        db_ids(seeded, Case.assignee_id == me, Case.status == "intake")
    )


def test_my_work_is_empty_for_someone_without_cases(seeded: Flask) -> None:
    advisor = seeded.test_client()
    login(advisor, ADVISOR_CENTRUM)
    html = advisor.get("/cases/mine").get_data(as_text=True)
    assert page_ids(html) == []
    assert "Er zijn geen open zaken aan u toegewezen." in html


# ---------------------------------------------------------------------------- assigning


def test_assign_to_me_then_to_a_colleague_records_events(
    seeded: Flask, officer: FlaskClient
) -> None:
    me = user_by_email_id(seeded, OFFICER)
    colleague = user_by_email_id(seeded, OTHER_OFFICER)
    case_id = first_id(seeded, Case, Case.assignee_id == colleague, Case.status == "intake")

    response = assign_case(officer, case_id, "me")
    assert response.status_code == 302
    assert response.location.endswith("/cases/?status=intake")
    html = officer.get(response.location).get_data(as_text=True)
    assert "is nu toegewezen aan Sanne Bakker" in html
    row = re.search(rf'<a href="/cases/{case_id}".*?</tr>', html, re.S)
    assert row and "Sanne Bakker" in row.group(0)

    assert assign_case(officer, case_id, str(colleague)).status_code == 302
    assert assign_case(officer, case_id, "none").status_code == 302
    with database(seeded) as session:
        case = session.get(Case, case_id)
        assert case.assignee_id is None
        events = session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.kind == "assigned")
            .order_by(CaseEvent.id)
        ).all()
        moves = [(e.before["assignee_id"], e.after["assignee_id"]) for e in events]
        assert moves == [(colleague, me), (me, colleague), (colleague, None)]
        assert all(e.actor_id == me and not e.visible_to_applicant for e in events)
        assert events[0].after["assignee"] == "Sanne Bakker"


def user_by_email_id(app: Flask, email: str) -> int:
    with database(app):
        return user_by_email(email).id


def test_assigning_to_the_same_person_records_nothing(seeded: Flask, officer: FlaskClient) -> None:
    me = user_by_email_id(seeded, OFFICER)
    case_id = first_id(seeded, Case, Case.assignee_id == me)
    assert assign_case(officer, case_id, "me").status_code == 302
    with database(seeded) as session:
        assert not session.scalar(
            select(func.count(CaseEvent.id)).where(CaseEvent.kind == "assigned")
        )


@pytest.mark.parametrize("who", ["resident", "advisor", "unknown", "nothing"])
def test_only_officers_and_team_leads_can_be_assigned(
    seeded: Flask, officer: FlaskClient, who: str
) -> None:
    choice = {
        "resident": str(user_by_email_id(seeded, RESIDENT)),
        "advisor": str(user_by_email_id(seeded, ADVISOR_CENTRUM)),
        "unknown": "987654",
        "nothing": "",
    }[who]
    case_id = first_id(seeded, Case, Case.status == "intake")
    with database(seeded) as session:
        before = session.get(Case, case_id).assignee_id
    response = assign_case(officer, case_id, choice)
    assert response.status_code == 302
    html = officer.get(response.location).get_data(as_text=True)
    assert 'class="notice notice-error"' in html
    with database(seeded) as session:
        assert session.get(Case, case_id).assignee_id == before
        assert not session.scalar(
            select(func.count(CaseEvent.id)).where(CaseEvent.kind == "assigned")
        )


def test_an_advisor_may_not_assign_and_is_logged(
    seeded: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Alembic's logging set-up (the migrations of the test schema) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("sociale_basis.access"), "disabled", False)
    advisor = seeded.test_client()
    login(advisor, ADVISOR_CENTRUM)
    centrum = first_id(seeded, Area, Area.slug == "centrum")
    case_id = first_id(seeded, Case, Case.area_id == centrum)
    with caplog.at_level(logging.WARNING, logger="sociale_basis.access"):
        response = assign_case(advisor, case_id, "me", back="/cases/")
    assert response.status_code == 403
    assert any("refused POST" in message for message in caplog.messages)
    assert "Toewijzen" not in advisor.get("/cases/").get_data(as_text=True)


def test_assigning_needs_the_csrf_token(seeded: Flask, officer: FlaskClient) -> None:
    case_id = first_id(seeded, Case, Case.status == "intake")
    assert officer.post(f"/cases/{case_id}/assign", data={"assignee": "me"}).status_code == 400


def test_assign_goes_back_only_to_our_own_pages(seeded: Flask, officer: FlaskClient) -> None:
    case_id = first_id(seeded, Case, Case.status == "intake")
    for back in (
        "https://evil.example/cases/",
        "//evil.example/cases/",
        "/portal/",
        "/cases/\\evil",
        "/cases/\x00",
    ):
        page = officer.get("/cases/").get_data(as_text=True)
        response = officer.post(
            f"/cases/{case_id}/assign",
            data={"csrf_token": csrf_token(page), "assignee": "me", "next": back},
        )
        assert response.status_code == 302
        assert response.location == "/cases/"


def test_assignment_service_rules(seeded: Flask) -> None:
    with database(seeded) as session:
        case = session.scalar(select(Case).where(Case.status == "intake").limit(1))
        advisor = user_by_email(ADVISOR_CENTRUM)
        officer_user = user_by_email(OFFICER)
        with pytest.raises(NotAllowed):
            assignment.assign(case, officer_user, advisor)
        with pytest.raises(InvalidInput):
            assignment.assign(case, advisor, officer_user)
        assignment.assign(case, officer_user, officer_user)
        assert session.get(Case, case.id).assignee_id == officer_user.id


# ---------------------------------------------------------------------------- no N+1


def test_queries_per_page_do_not_grow_with_the_rows(seeded: Flask, officer: FlaskClient) -> None:
    counts = {}
    last_page_rows = visible_count(seeded) - PAGE_SIZE
    for url, rows in (("/cases/?page=2", last_page_rows), ("/cases/", PAGE_SIZE)):
        with counted_queries(seeded) as statements:
            html = officer.get(url).get_data(as_text=True)
        assert len(page_ids(html)) == rows
        counts[rows] = len(statements)
    assert counts[last_page_rows] == counts[PAGE_SIZE], counts
    assert counts[PAGE_SIZE] <= 5, counts
    with counted_queries(seeded) as statements:
        officer.get("/cases/?search=moestuin&area_id=1&overdue=1&sort=amount")
    assert len(statements) == counts[PAGE_SIZE]


def test_drafts_are_the_applicants_own(app: Flask, client: FlaskClient) -> None:
    with database(app) as session:
        demo.seed_demo(case_count=60)
        draft = session.scalar(select(Case).where(Case.status == "draft"))
        draft_id, owner = draft.id, draft.applicant.email
    officer = app.test_client()
    login(officer, OFFICER)
    assert officer.get(f"/cases/{draft_id}").status_code == 404
    drafts_page = officer.get("/cases/?status=draft").get_data(as_text=True)
    assert "Er zijn geen zaken die bij dit filter passen." in drafts_page
    applicant = app.test_client()
    login(applicant, owner)
    assert applicant.get(f"/portal/cases/{draft_id}").status_code == 200
