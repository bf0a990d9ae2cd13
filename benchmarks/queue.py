"""Benchmark of the officer's case queue on PostgreSQL with 50,000 cases.

    export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/sociale_basis
    .venv/bin/python -m benchmarks.queue        # or: make bench

In the database of DATABASE_URL it (re)creates its own schema `sb_benchmark` (nothing
else is touched), runs the migrations into it, seeds the reference municipality and
bulk-inserts 50,000 cases spread over areas, regulations, states, deadlines, applicants,
organisations and officers. Then, in one run and interleaved, it measures

  (a) the real queue page, GET /cases/ with a filter and a search, through the Flask
      test client as a logged-in officer: routing, session, login, authorisation,
      queries, template; and
  (b) a bare Flask endpoint, registered only here, that selects the same 50 rows with
      one indexed query and returns them as JSON,

and prints p50/p95/max of both, the ratio p95(queue)/p95(bare) and the SQL queries per
request. The target: p95(queue) <= 150 ms and the ratio <= 3. A few other queue pages
are measured for information. The exit status is 0 when the target is met.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

from flask import Flask, jsonify
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, insert, select, text
from sqlalchemy.engine import Engine

SCHEMA = "sb_benchmark"
OFFICER = "medewerker@demo.sociale-basis.nl"
PASSWORD = "demo-wachtwoord-2026"
P95_LIMIT_MS = 150.0
RATIO_LIMIT = 3.0
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CASE_LINK = re.compile(r'<td><a href="/cases/(\d+)"')


def _words(text: str, separator: str = " ") -> tuple[str, ...]:
    return tuple(text.split(separator))


FIRST_NAMES = _words(
    "Anna Bram Chantal Daan Emma Fatima Gerrit Hanna Ivo Jasmijn Kees Lieke Mohamed Noor "
    "Olga Pieter Quinten Roos Sander Tineke Umut Vera Willem Yara Zeynep Aaltje Berend "
    "Dirk Elif Femke Geert Hilde Jelle Karin Luuk Marieke Nadia Otto Petra Rutger Sietske"
)
LAST_NAMES = _words(
    "de Vries|Jansen|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|"
    "Hendriks|van Dijk|Dijkstra|Hoekstra|Huizinga|Zijlstra|Kuipers|Wiersma|Postma|Veenstra|"
    "Bosma|Kramer|Hofstra|van der Meer|Yilmaz|el Amrani|Ramdin|Nijboer|Tuinstra|Schuurman|"
    "Brouwer|Koster|Westra|Oosterhof|Brinkman|Haan|Kok|Scholten",
    "|",
)
ORGANISATION_WORDS = _words(
    "Buurtkracht Samen Sterk De Linde Het Anker Wijkwerk Noorderlicht De Brug Ommeland "
    "Vrijwilligers Mantelzorg Kunstkwartier Jeugdhonk Dorpshuis Groenwerk De Kern Samenspel"
)


# ---------------------------------------------------------------------------- set-up


def _sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def prepare_schema(url: str) -> str:
    """Drop and create the benchmark schema; make sure pg_trgm exists. Returns its schema."""
    engine = create_engine(_sqlalchemy_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        extension_schema = connection.scalar(
            text(
                "SELECT n.nspname FROM pg_extension e "
                "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            )
        )
    engine.dispose()
    return str(extension_schema)


def drop_schema(url: str) -> None:
    engine = create_engine(_sqlalchemy_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def build_app(extension_schema: str) -> Flask:
    os.environ.setdefault("SB_INSTANCE_DIR", tempfile.mkdtemp(prefix="sb-benchmark-"))
    from app import create_app

    search_path = ",".join(dict.fromkeys([SCHEMA, extension_schema]))
    return create_app(
        {
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "connect_args": {"options": f"-c search_path={search_path}"},
            },
            "CELERY": {
                "broker_url": "memory://",
                "result_backend": None,
                "task_ignore_result": True,
                "timezone": "Europe/Amsterdam",
            },
        }
    )


@dataclass
class Reference:
    areas: dict[int, list[int]]  # area id -> neighbourhood ids
    area_names: dict[str, int]
    regulations: dict[str, tuple[int, str, int]]  # code -> id, tier, decision term weeks
    officer_ids: list[int]


def _reference() -> Reference:
    from app.extensions import db
    from app.models import Area, Neighbourhood, Regulation, User, UserRole

    areas: dict[int, list[int]] = {}
    for area_id, neighbourhood_id in db.session.execute(
        select(Area.id, Neighbourhood.id).join(Neighbourhood, Neighbourhood.area_id == Area.id)
    ):
        areas.setdefault(area_id, []).append(neighbourhood_id)
    regulations = {
        code: (reg_id, tier, weeks)
        for code, reg_id, tier, weeks in db.session.execute(
            select(Regulation.code, Regulation.id, Regulation.tier, Regulation.decision_term_weeks)
        )
    }
    officers = db.session.scalars(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "officer")
    ).all()
    area_names = dict(db.session.execute(select(Area.slug, Area.id)).tuples().all())
    return Reference(areas, area_names, regulations, list(officers))


def seed(app: Flask, case_count: int, applicant_count: int, seed_value: int = 2026) -> Reference:
    """Reference municipality plus applicants, organisations, officers and cases, in bulk."""
    from app.extensions import db
    from app.models import Case, Organisation, User, UserRole
    from app.services import demo
    from app.services.case_queue import OPEN_STATES
    from app.services.clock import local_today

    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    with app.app_context():
        demo.seed_demo(case_count=0)
        texts = demo.load_seed()["demo_case_texts"]
        hashed = "not-a-login"  # these accounts never log in: no need for argon2 here

        def users(rows: list[dict[str, Any]]) -> None:
            db.session.execute(insert(User.__table__), rows)

        users(
            [
                {
                    "email": f"aanvrager{n}@benchmark.example",
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "password_hash": hashed,
                    "is_active_account": True,
                    "created_at": now,
                }
                for n in range(applicant_count)
            ]
        )
        users(
            [
                {
                    "email": f"medewerker{n}@benchmark.example",
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "password_hash": hashed,
                    "is_active_account": True,
                    "created_at": now,
                }
                for n in range(10)
            ]
        )
        officer_ids = db.session.scalars(
            select(User.id).where(User.email.like("medewerker%@benchmark.example"))
        ).all()
        db.session.execute(
            insert(UserRole.__table__), [{"user_id": i, "role": "officer"} for i in officer_ids]
        )
        db.session.execute(
            insert(Organisation.__table__),
            [
                {
                    "name": f"{rng.choice(['Stichting', 'Vereniging', 'Buurtvereniging'])} "
                    f"{rng.choice(ORGANISATION_WORDS)} {n}",
                    "legal_form": "stichting",
                    "kvk_number": f"{90_000_000 + n}",
                    "is_formal": True,
                }
                for n in range(applicant_count // 15)
            ],
        )
        applicant_ids = db.session.scalars(
            select(User.id).where(User.email.like("aanvrager%@benchmark.example"))
        ).all()
        organisation_ids = db.session.scalars(
            select(Organisation.id).where(Organisation.kvk_number.like("9%"))
        ).all()
        db.session.commit()
        reference = _reference()

        states = list(demo.STATE_WEIGHTS)
        weights = list(demo.STATE_WEIGHTS.values())
        today = local_today()
        numbers: dict[int, int] = {}
        rows = []
        area_ids = list(reference.areas)
        for n in range(case_count):
            item = texts[n % len(texts)]
            regulation_id, tier, weeks = reference.regulations[item["regulation"]]
            area_id = (
                reference.area_names[item["area"]] if rng.random() < 0.6 else rng.choice(area_ids)
            )
            state = rng.choices(states, weights)[0]
            # Open cases arrived recently (some are overdue); decided ones over two years.
            age = rng.randint(0, 75) if state in OPEN_STATES else rng.randint(30, 730)
            received = None if state == "draft" else today - timedelta(days=age)
            reference_text = None
            if received is not None:
                numbers[received.year] = numbers.get(received.year, 0) + 1
                reference_text = f"SB-{received.year}-{numbers[received.year]:06d}"
            start = (received or today) + timedelta(days=30)
            rows.append(
                {
                    "reference": reference_text,
                    "regulation_id": regulation_id,
                    "applicant_id": rng.choice(applicant_ids),
                    "organisation_id": None if tier == "light" else rng.choice(organisation_ids),
                    "area_id": area_id,
                    "neighbourhood_id": rng.choice(reference.areas[area_id]),
                    "assignee_id": rng.choice(reference.officer_ids)
                    if received and rng.random() < 0.85
                    else None,
                    "title": item["title"],
                    "description": item["description"],
                    "target_group": item.get("target_group", ""),
                    "activities": item.get("activities", ""),
                    "expected_results": item.get("expected_results", ""),
                    "requested_cents": item["amount"] * 100 + rng.randint(-50, 50) * 1000,
                    "period_start": start,
                    "period_end": start + timedelta(days=150),
                    "tier": tier,
                    "status": state,
                    "received_on": received,
                    "decision_deadline": received + timedelta(weeks=weeks) if received else None,
                    "extension_weeks": 0,
                    "submission_token": f"benchmark-{n}",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
        for start_row in range(0, len(rows), 5000):
            db.session.execute(insert(Case.__table__), rows[start_row : start_row + 5000])
        db.session.commit()
        # As autovacuum would: statistics, visibility map, GIN pending lists merged.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as vacuum:
            vacuum.execute(text("VACUUM ANALYZE"))
        return reference


# ---------------------------------------------------------------------------- the bare endpoint

OPEN_STATES_SQL = (
    "'submitted', 'intake', 'information_requested', 'fit_check', "
    "'decision_proposed', 'decision_approved'"
)
# The same 50 rows as the queue page (area filter, search, default order), in one query
# written by hand: page over the cases table through the indexes, then join the names.
BARE_SQL = text(
    f"""
    SELECT p.id, p.reference, p.title, p.status, p.requested_cents, p.received_on,
           p.decision_deadline, a.name AS area, r.title AS regulation,
           u.name AS applicant, o.name AS organisation, s.name AS assignee
    FROM (
        SELECT c.id, c.reference, c.title, c.status, c.requested_cents, c.received_on,
               c.decision_deadline, c.area_id, c.regulation_id, c.applicant_id,
               c.organisation_id, c.assignee_id
        FROM cases c
        WHERE c.area_id = :area_id
          AND c.status <> 'draft'
          AND (c.title ILIKE :pattern
               OR c.reference ILIKE :pattern
               OR c.applicant_id = ANY(ARRAY(SELECT id FROM users WHERE name ILIKE :pattern))
               OR c.organisation_id = ANY(
                   ARRAY(SELECT id FROM organisations WHERE name ILIKE :pattern)))
        ORDER BY CASE WHEN c.status IN ({OPEN_STATES_SQL}) THEN 0 ELSE 1 END,
                 c.decision_deadline NULLS LAST, c.id
        LIMIT 50
    ) p
    JOIN areas a ON a.id = p.area_id
    JOIN regulations r ON r.id = p.regulation_id
    JOIN users u ON u.id = p.applicant_id
    LEFT JOIN organisations o ON o.id = p.organisation_id
    LEFT JOIN users s ON s.id = p.assignee_id
    ORDER BY CASE WHEN p.status IN ({OPEN_STATES_SQL}) THEN 0 ELSE 1 END,
             p.decision_deadline NULLS LAST, p.id
    """
)


def register_bare_endpoint(app: Flask, params: dict[str, Any]) -> None:
    from app.extensions import db

    def bare() -> Any:
        rows = db.session.execute(BARE_SQL, params).mappings().all()
        return jsonify([{key: str(value) for key, value in row.items()} for row in rows])

    app.add_url_rule("/_benchmark/bare", "benchmark_bare", bare)


# ---------------------------------------------------------------------------- measuring


@contextmanager
def counting_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def login(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = CSRF.search(page)
    assert token, "no CSRF token on the login page"
    response = client.post(
        "/login", data={"csrf_token": token.group(1), "email": OFFICER, "password": PASSWORD}
    )
    assert response.status_code == 302, f"login failed: {response.status_code}"


def timed_get(client: FlaskClient, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url)
    body = response.get_data()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return elapsed, body


@dataclass
class Figures:
    name: str
    times: list[float]
    queries: int

    def percentile(self, share: float) -> float:
        ordered = sorted(self.times)
        return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    def line(self) -> str:
        return (
            f"  {self.name:<46} p50 {self.p50:7.1f} ms   p95 {self.p95:7.1f} ms   "
            f"max {max(self.times):7.1f} ms   queries/request {self.queries}"
        )


def measure(
    engine: Engine,
    urls: dict[str, tuple[FlaskClient, str]],
    requests: int,
    warmup: int,
    check: Callable[[str, bytes], None] | None = None,
) -> dict[str, Figures]:
    """Interleave the URLs so that every one sees the same conditions; count queries once."""
    for _ in range(warmup):
        for client, url in urls.values():
            timed_get(client, url)
    queries: dict[str, int] = {}
    for name, (client, url) in urls.items():
        with counting_queries(engine) as statements:
            _elapsed, body = timed_get(client, url)
        queries[name] = len(statements)
        if check:
            check(name, body)
    times: dict[str, list[float]] = {name: [] for name in urls}
    order = list(urls.items())
    for round_number in range(requests):
        for name, (client, url) in order if round_number % 2 == 0 else reversed(order):
            times[name].append(timed_get(client, url)[0])
    return {name: Figures(name, times[name], queries[name]) for name in urls}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--applicants", type=int, default=6_000)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per URL")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--search", default="moestuin", help="search text of the main scenario")
    parser.add_argument("--area", default="oude-wijken", help="area filter (slug)")
    parser.add_argument("--keep", action="store_true", help=f"keep schema {SCHEMA} afterwards")
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        print(
            "benchmarks.queue measures PostgreSQL, the production database, and refuses "
            "SQLite.\nSet DATABASE_URL, for example:\n"
            "  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/sociale_basis "
            ".venv/bin/python -m benchmarks.queue",
            file=sys.stderr,
        )
        return 2

    started = time.perf_counter()
    extension_schema = prepare_schema(url)
    app = build_app(extension_schema)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    reference = seed(app, args.cases, args.applicants)
    seeded = time.perf_counter()

    from app.extensions import db
    from app.services.case_queue import _like_pattern

    area_id = reference.area_names[args.area]
    register_bare_endpoint(app, {"area_id": area_id, "pattern": _like_pattern(args.search)})
    client = app.test_client()
    login(client)
    anonymous = app.test_client()  # the bare endpoint: no session, so exactly one query

    queue_url = f"/cases/?area_id={area_id}&search={quote_plus(args.search)}"
    with app.app_context():
        engine = db.engine
        from app.models import Case
        from app.services.case_queue import search_condition

        matching = db.session.scalar(
            select(db.func.count(Case.id)).where(
                Case.area_id == area_id, Case.status != "draft", search_condition(args.search)
            )
        )
        total = db.session.scalar(select(db.func.count(Case.id)))

    shown: dict[str, list[int]] = {}

    def remember_ids(name: str, body: bytes) -> None:
        if name == "bare":
            import json

            shown[name] = [int(row["id"]) for row in json.loads(body)]
        else:
            shown[name] = [int(i) for i in CASE_LINK.findall(body.decode())]

    main_figures = measure(
        engine,
        {"queue": (client, queue_url), "bare": (anonymous, "/_benchmark/bare")},
        args.requests,
        args.warmup,
        remember_ids,
    )
    same_rows = shown["queue"] == shown["bare"] and len(shown["queue"]) == 50
    # No N+1: the last page of the same search (fewer rows) costs the same queries.
    last_page = math.ceil(matching / 50)
    with counting_queries(engine) as statements:
        last_body = timed_get(client, f"{queue_url}&page={last_page}")[1]
    last_rows = len(CASE_LINK.findall(last_body.decode()))
    last_queries = len(statements)

    extra_requests = max(args.requests // 3, 20)
    extra_pages = {
        "queue, no filter (first of 1,000 pages)": "/cases/",
        "queue, open + overdue, sorted by amount": "/cases/?overdue=1&sort=amount&dir=desc",
        "queue, applicant name search 'Dijkstra'": "/cases/?search=Dijkstra",
        "queue, reference search, page 2 of a status": "/cases/?search=SB-2025-00&"
        "status=granted&page=2",
        "my work (open cases of the officer)": "/cases/mine",
    }
    extra = measure(
        engine,
        {name: (client, url) for name, url in extra_pages.items()},
        extra_requests,
        max(args.warmup // 3, 5),
    )
    finished = time.perf_counter()
    if not args.keep:
        drop_schema(url)

    queue, bare = main_figures["queue"], main_figures["bare"]
    ratio = queue.p95 / bare.p95
    constant = last_queries == queue.queries
    ok = queue.p95 <= P95_LIMIT_MS and ratio <= RATIO_LIMIT and same_rows and constant
    print()
    print(f"Case queue benchmark on PostgreSQL: {total:,} cases (schema {SCHEMA})")
    print(
        f"  set-up (migrate + seed) {seeded - started:.1f} s, measuring "
        f"{finished - seeded:.1f} s; {args.requests} measured requests per URL after "
        f"{args.warmup} warm-up rounds"
    )
    print(
        f"  main scenario: GET {queue_url} ({matching} cases match, a page shows 50); "
        f"same 50 rows on both: {'yes' if same_rows else 'NO'}"
    )
    for figures in main_figures.values():
        print(figures.line())
    print(
        f"  ratio p95(queue) / p95(bare) = {ratio:.2f}  (target <= {RATIO_LIMIT:.0f}); "
        f"p95(queue) {queue.p95:.1f} ms (target <= {P95_LIMIT_MS:.0f} ms)"
    )
    print(
        f"  queries per queue page: {queue.queries} with 50 rows, {last_queries} with "
        f"{last_rows} rows (last page): {'constant' if constant else 'NOT CONSTANT'}"
    )
    print(f"  other queue pages, {extra_requests} requests each (for information):")
    for figures in extra.values():
        print(figures.line())
    print("  RESULT:", "target met" if ok else "TARGET NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
