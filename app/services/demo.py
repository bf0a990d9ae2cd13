"""Demo data: the reference municipality and a living case load. Safe to run again."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    ApplicationQuestion,
    Area,
    AreaProgramme,
    BudgetLine,
    Case,
    CaseEvent,
    CaseYearAmount,
    Decision,
    Indicator,
    Neighbourhood,
    Organisation,
    OrganisationMember,
    ProgrammeGoal,
    Regulation,
    User,
    UserRole,
)
from app.services.accounts import hash_password
from app.services.clock import AMSTERDAM, local_today
from app.services.references import next_reference
from workflows import terms

SEED_FILE = Path(__file__).resolve().parent.parent / "seed" / "groningen.yaml"
DEMO_TOKEN_PREFIX = "demo-"

# How often each state occurs among the generated cases (relative weights).
STATE_WEIGHTS = {
    "draft": 8,
    "submitted": 30,
    "intake": 22,
    "information_requested": 10,
    "fit_check": 14,
    "decision_proposed": 10,
    "decision_approved": 3,
    "granted": 40,
    "refused": 10,
    "not_considered": 3,
    "active": 20,
    "accountability": 6,
    "determined": 6,
    "closed": 10,
    "withdrawn": 6,
    "objection": 2,
}
DECIDED = {"granted", "active", "accountability", "determined", "closed", "objection"}


@dataclass
class SeedReport:
    users: list[tuple[str, str]]
    password: str
    cases_created: int
    cases_total: int


def load_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _get_or_create(model: type, defaults: dict[str, Any] | None = None, **keys: Any) -> Any:
    instance = db.session.scalar(select(model).filter_by(**keys))
    if instance is None:
        instance = model(**keys, **(defaults or {}))
        db.session.add(instance)
        db.session.flush()
    return instance


def seed_areas(data: dict[str, Any]) -> dict[str, Area]:
    areas = {}
    for item in data["areas"]:
        area = _get_or_create(
            Area,
            {
                "name": item["name"],
                "inhabitants": item.get("inhabitants"),
                "weak_social_base": item.get("weak_social_base", False),
            },
            slug=item["slug"],
        )
        for name in item["neighbourhoods"]:
            _get_or_create(Neighbourhood, area_id=area.id, name=name)
        _seed_programme(area, item["programme"])
        areas[area.slug] = area
    return areas


def _seed_programme(area: Area, item: dict[str, Any]) -> None:
    start, end = item["period"]
    programme = _get_or_create(
        AreaProgramme,
        {"start_year": start, "end_year": end, "status": item.get("status", "adopted")},
        area_id=area.id,
        title=item["title"],
    )
    for goal_item in item["goals"]:
        goal = _get_or_create(
            ProgrammeGoal,
            {
                "description": goal_item["description"],
                "source": goal_item["source"],
                "health_dimensions": goal_item.get("health_dimensions", []),
                "action_line": goal_item.get("action_line"),
            },
            programme_id=programme.id,
            title=goal_item["title"],
        )
        for indicator in goal_item.get("indicators", []):
            _get_or_create(
                Indicator,
                {
                    "unit": indicator["unit"],
                    "baseline": indicator.get("baseline"),
                    "targets": {str(k): v for k, v in indicator.get("targets", {}).items()},
                },
                goal_id=goal.id,
                name=indicator["name"],
            )


def seed_budget_lines(data: dict[str, Any]) -> None:
    for item in data["budget_lines"]:
        for year in item["years"]:
            _get_or_create(
                BudgetLine,
                {"ceiling_cents": item["amount"] * 100, "source": item.get("source", "municipal")},
                name=item["name"],
                year=year,
            )
    for scheme, years in data.get("spuk", {}).items():
        for year, amount in years.items():
            _get_or_create(
                BudgetLine,
                {"ceiling_cents": amount * 100, "source": "spuk", "scheme": scheme},
                name=f"SPUK {scheme}",
                year=int(year),
            )


def seed_regulations(data: dict[str, Any]) -> dict[str, Regulation]:
    regulations = {}
    for item in data["regulations"]:
        fields = {
            "title": item["title"],
            "title_en": item.get("title_en", ""),
            "summary": item.get("summary", ""),
            "summary_en": item.get("summary_en", ""),
            "legal_basis": item.get("legal_basis", ""),
            "tier": item["tier"],
            "applicant_kinds": item["applicant_kinds"],
            "min_amount_cents": item["min_amount"] * 100,
            "max_amount_cents": item["max_amount"] * 100,
            "max_years": item["max_years"],
            "decision_term_weeks": item["decision_term_weeks"],
            "requires_fit_check": item["requires_fit_check"],
            "is_open": item["is_open"],
            "required_documents": item.get("required_documents", []),
            "period_start": item["period"][0] if item.get("period") else None,
            "period_end": item["period"][1] if item.get("period") else None,
            "closes_on": item.get("closes_on"),
        }
        regulation = _get_or_create(Regulation, fields, code=item["code"])
        if not regulation.questions:
            regulation.questions = [
                _question(position, question)
                for position, question in enumerate(item.get("questions", []))
            ]
        if not regulation.budget_lines:
            regulation.budget_lines = list(
                db.session.scalars(
                    select(BudgetLine).where(BudgetLine.name.in_(item["budget_lines"]))
                )
            )
        regulations[regulation.code] = regulation
    return regulations


def _question(position: int, item: dict[str, Any]) -> ApplicationQuestion:
    return ApplicationQuestion(
        position=position,
        key=item["key"],
        kind=item["kind"],
        label=item["label"],
        label_en=item.get("label_en", ""),
        hint=item.get("hint", ""),
        hint_en=item.get("hint_en", ""),
        required=item.get("required", False),
        choices=item.get("choices", []),
        min_value=item.get("min"),
        max_value=item.get("max"),
    )


def seed_users(data: dict[str, Any], areas: dict[str, Area]) -> dict[str, User]:
    password_hash = hash_password(data["demo_users"]["password"])
    users = {}
    for item in data["demo_users"]["users"]:
        user = _get_or_create(
            User, {"name": item["name"], "password_hash": password_hash}, email=item["email"]
        )
        for role in item["roles"]:
            for area_slug in item.get("areas") or [None]:
                area_id = areas[area_slug].id if area_slug else None
                _get_or_create(UserRole, user_id=user.id, role=role, area_id=area_id)
        users[user.email] = user
    return users


def seed_organisations(
    data: dict[str, Any], areas: dict[str, Area], users: dict[str, User]
) -> list[Organisation]:
    organisations = []
    for item in data["organisations"]:
        organisation = _get_or_create(
            Organisation,
            {
                "name": item["name"],
                "legal_form": item["legal_form"],
                "iban": item["iban"],
                "is_formal": item.get("formal", True),
                "area_id": areas[item["area"]].id if item.get("area") else None,
            },
            kvk_number=item["kvk_number"],
        )
        organisations.append(organisation)
    for item in data["demo_users"]["users"]:
        if item.get("organisation"):
            organisation = next(o for o in organisations if o.name == item["organisation"])
            _get_or_create(
                OrganisationMember,
                {"role": "admin"},
                organisation_id=organisation.id,
                user_id=users[item["email"]].id,
            )
    return organisations


def seed_demo(case_count: int = 200, seed: int = 2026) -> SeedReport:
    """Load the reference municipality and generate demo cases up to case_count."""
    data = load_seed()
    areas = seed_areas(data)
    seed_budget_lines(data)
    regulations = seed_regulations(data)
    users = seed_users(data, areas)
    organisations = seed_organisations(data, areas, users)
    db.session.commit()
    created = DemoCases(data, areas, regulations, users, organisations, seed).fill(case_count)
    total = db.session.scalar(select(func.count(Case.id)))
    logins = [(item["email"], ", ".join(item["roles"])) for item in data["demo_users"]["users"]]
    return SeedReport(logins, data["demo_users"]["password"], created, total)


def _moment(day: date) -> datetime:
    """Office hours on that day in Groningen, as an aware datetime."""
    return datetime.combine(day, time(10, 0), tzinfo=AMSTERDAM)


class DemoCases:
    """Generates cases spread over every state, with their events and decisions."""

    def __init__(
        self,
        data: dict[str, Any],
        areas: dict[str, Area],
        regulations: dict[str, Regulation],
        users: dict[str, User],
        organisations: list[Organisation],
        seed: int,
    ) -> None:
        self.texts = data["demo_case_texts"]
        self.areas = areas
        self.regulations = regulations
        self.resident = users["bewoner@demo.sociale-basis.nl"]
        self.member = users["vereniging@demo.sociale-basis.nl"]
        self.officers = [u for u in users.values() if u.has_role("officer")]
        self.team_lead = next(u for u in users.values() if u.has_role("team_lead"))
        self.organisations = organisations
        self.random = random.Random(seed)
        self.today = local_today()

    def fill(self, case_count: int) -> int:
        existing = db.session.scalar(
            select(func.count(Case.id)).where(Case.submission_token.like(f"{DEMO_TOKEN_PREFIX}%"))
        )
        states = list(STATE_WEIGHTS)
        weights = list(STATE_WEIGHTS.values())
        for number in range(existing, case_count):
            state = self.random.choices(states, weights)[0]
            self._case(number, self.texts[number % len(self.texts)], state)
            if number % 50 == 49:
                db.session.commit()
        db.session.commit()
        return max(case_count - existing, 0)

    def _case(self, number: int, text: dict[str, Any], state: str) -> Case:
        regulation = self.regulations[text["regulation"]]
        area = self.areas[text["area"]]
        neighbourhood = next(n for n in area.neighbourhoods if n.name == text["neighbourhood"])
        received = self.today - timedelta(days=self.random.randint(0, 330))
        years = 1 if regulation.max_years == 1 else self.random.randint(2, regulation.max_years)
        start = (
            date(received.year + (1 if received.month > 9 else 0), 1, 1)
            if years > 1
            else received + timedelta(days=30)
        )
        end = date(start.year + years - 1, 12, 31) if years > 1 else start + timedelta(days=120)
        amount = text["amount"] * 100
        case = Case(
            reference=None if state == "draft" else next_reference(received.year),
            regulation=regulation,
            applicant=self.resident if regulation.tier == "light" else self.member,
            organisation=None if regulation.tier == "light" else self._organisation(area),
            applicant_kind="resident" if regulation.tier == "light" else "organisation",
            area=area,
            neighbourhood=neighbourhood,
            assignee=None if state in ("draft", "submitted") else self.random.choice(self.officers),
            title=text["title"],
            description=text["description"],
            target_group=text.get("target_group", ""),
            activities=text.get("activities", ""),
            expected_results=text.get("expected_results", ""),
            requested_cents=amount,
            period_start=start,
            period_end=end,
            tier=regulation.tier,
            status=state,
            received_on=None if state == "draft" else received,
            decision_deadline=None
            if state == "draft"
            else terms.decision_deadline(received, regulation.decision_term_weeks).end,
            submission_token=f"{DEMO_TOKEN_PREFIX}{number}",
        )
        case.year_amounts = [
            CaseYearAmount(
                year=start.year + i,
                requested_cents=amount // years + (amount % years if i == 0 else 0),
            )
            for i in range(years)
        ]
        db.session.add(case)
        db.session.flush()
        self._history(case, state)
        return case

    def _organisation(self, area: Area) -> Organisation:
        local = [o for o in self.organisations if o.area_id == area.id]
        return (local or self.organisations)[0]

    def _history(self, case: Case, state: str) -> None:
        if state == "draft":
            return
        self._event(case, "submitted", case.applicant, case.received_on, {"status": "submitted"})
        if state in DECIDED | {"refused"}:
            self._decision(case, "refusal" if state == "refused" else "grant")
        if state != "submitted":
            moved_on = min(case.received_on + timedelta(days=3), self.today)
            self._event(case, "status_changed", case.assignee, moved_on, {"status": state})

    def _event(
        self, case: Case, kind: str, actor: User | None, day: date, after: dict[str, object]
    ) -> None:
        db.session.add(CaseEvent(case=case, kind=kind, actor=actor, at=_moment(day), after=after))

    def _decision(self, case: Case, kind: str) -> None:
        decided_on = min(case.decision_deadline, self.today) - timedelta(
            days=self.random.randint(0, 20)
        )
        decided_on = max(decided_on, case.received_on)
        amount = case.requested_cents if kind == "grant" else 0
        approver = case.assignee if case.tier == "light" else self.team_lead
        db.session.add(
            Decision(
                case=case,
                kind=kind,
                amount_cents=amount,
                amounts_by_year={str(a.year): a.requested_cents for a in case.year_amounts}
                if amount
                else {},
                motivation="De aanvraag past binnen de regeling en het gebiedsprogramma."
                if kind == "grant"
                else "Het subsidieplafond van de regeling is bereikt (artikel 4:25 Awb).",
                legal_basis=case.regulation.legal_basis,
                proposer=case.assignee,
                approver=approver,
                decided_on=decided_on,
                objection_deadline=terms.objection_deadline(decided_on).end,
                sent_at=_moment(decided_on),
            )
        )
        self._event(case, "decision_sent", approver, decided_on, {"decision": kind})
