"""The fit check (SPEC §7): the area advisor scores a case against the area programme."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import VERDICTS, AreaProgramme, Case, FitAssessment, GoalScore, User, UserRole
from app.services import events, notifications
from app.services.errors import InvalidInput, NotAllowed
from app.services.goal_matching import GoalSuggestion, GoalText, suggest_goals
from app.services.transitions import check_version, fire


@dataclass(frozen=True)
class Score:
    goal_id: int
    score: int
    note: str = ""


def adopted_programme(case: Case) -> AreaProgramme | None:
    """The adopted programme of the case's primary area covering the case's start year."""
    year = case.period_start.year
    return db.session.scalar(
        select(AreaProgramme)
        .where(
            AreaProgramme.area_id == case.area_id,
            AreaProgramme.status == "adopted",
            AreaProgramme.start_year <= year,
            AreaProgramme.end_year >= year,
        )
        .order_by(AreaProgramme.start_year.desc())
    )


def suggestions(case: Case, programme: AreaProgramme, limit: int = 3) -> list[GoalSuggestion]:
    text = " ".join(
        (case.title, case.description, case.target_group, case.activities, case.expected_results)
    )
    goals = [GoalText(goal.id, goal.title, goal.description) for goal in programme.goals]
    return suggest_goals(text, goals, limit=limit)


def start_fit_check(case: Case, officer: User, expected_version: int | None) -> None:
    """Ask the area advisors of the primary area to score the case."""
    check_version(case, expected_version)
    fire(case, "start_fit_check", officer, visible_to_applicant=False)
    db.session.flush()
    for advisor in _advisors(case):
        notifications.queue(
            recipient=advisor,
            template="fit_check_requested",
            dedupe_key=f"case:{case.id}:fit_check:{case.version}:{advisor.id}",
            case=case,
            context={"reference": case.reference, "title": case.title, "name": advisor.name},
        )
    db.session.commit()


def _advisors(case: Case) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == "advisor", UserRole.area_id == case.area_id)
        )
    )


def may_assess(user: User, case: Case) -> bool:
    return case.status == "fit_check" and case.area_id in user.advisor_area_ids()


def record_assessment(
    case: Case,
    advisor: User,
    scores: list[Score],
    verdict: str,
    motivation: str,
    expected_version: int | None,
) -> FitAssessment:
    """Keep the advisor's scores; every assessment stays in the case history."""
    check_version(case, expected_version)
    if not may_assess(advisor, case):
        raise NotAllowed(_("Only the area advisor of this area can assess the fit now."))
    programme = adopted_programme(case)
    if programme is None:
        raise NotAllowed(_("The area has no adopted programme for this period."))
    _validate(programme, scores, verdict, motivation)
    assessment = FitAssessment(
        case=case,
        programme=programme,
        advisor=advisor,
        verdict=verdict,
        motivation=motivation.strip(),
        scores=[GoalScore(goal_id=s.goal_id, score=s.score, note=s.note.strip()) for s in scores],
    )
    db.session.add(assessment)
    events.record(
        case,
        "fit_assessed",
        advisor,
        after={"verdict": verdict, "scores": {str(s.goal_id): s.score for s in scores}},
        visible_to_applicant=False,
    )
    db.session.commit()
    return assessment


def _validate(programme: AreaProgramme, scores: list[Score], verdict: str, motivation: str) -> None:
    goal_ids = {goal.id for goal in programme.goals}
    if verdict not in VERDICTS:
        raise InvalidInput(_("Choose an overall verdict."), "verdict")
    if not motivation.strip():
        raise InvalidInput(_("Give the motivation of your verdict."), "motivation")
    if {s.goal_id for s in scores} != goal_ids:
        raise InvalidInput(_("Score every goal of the programme, 0 when it does not apply."))
    if any(not 0 <= s.score <= 3 for s in scores):
        raise InvalidInput(_("A score is 0, 1, 2 or 3."))
