"""Goal suggestions for the area programme fit check (SPEC §7), on the real seed texts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.services.goal_matching import STOP_WORDS, GoalSuggestion, GoalText, suggest_goals

SEED = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "app" / "seed" / "groningen.yaml").read_text("utf-8")
)
AREAS = {area["slug"]: area for area in SEED["areas"]}
CASES = SEED["demo_case_texts"]
FIELDS = ("title", "description", "target_group", "activities", "expected_results")


def area_goals(slug: str) -> list[GoalText]:
    goals = AREAS[slug]["programme"]["goals"]
    return [GoalText(i, g["title"], g["description"]) for i, g in enumerate(goals)]


def all_goals() -> list[GoalText]:
    goals = [g for area in SEED["areas"] for g in area["programme"]["goals"]]
    return [GoalText(i, g["title"], g["description"]) for i, g in enumerate(goals)]


def application_text(case: dict) -> str:
    return " ".join(case[field] for field in FIELDS)


def case_titled(title: str) -> dict:
    (case,) = [c for c in CASES if c["title"].startswith(title)]
    return case


def test_most_demo_applications_get_a_suggestion() -> None:
    assert len(CASES) == 30
    suggested = [c for c in CASES if suggest_goals(application_text(c), area_goals(c["area"]))]
    assert len(suggested) >= 26


@pytest.mark.parametrize(
    ("case_title", "goal_title_part"),
    [
        ("Kookclub 'Samen aan tafel'", "Minder eenzaamheid onder jongvolwassenen"),
        ("Taalcafé Korrewegwijk", "Taal leren en meedoen"),
        ("Mantelzorgcafé Beijum", "Mantelzorgers in Oost"),
        ("Ontmoetingsplek voor mensen met dementie", "Dementievriendelijke buurten"),
        ("Geldcafé Selwerd", "Armoede en schulden eerder signaleren"),
        ("Jeugdsoos en speeltuin Garmerwolde", "Jeugd in Ten Boer"),
    ],
)
def test_clear_cases_get_their_goal_first(case_title: str, goal_title_part: str) -> None:
    case = case_titled(case_title)
    goals = area_goals(case["area"])
    top = suggest_goals(application_text(case), goals)[0]
    assert goal_title_part in goals[top.goal_id].title


def test_matched_words_are_the_applications_own_words() -> None:
    goals = [GoalText(1, "Een moestuin in elke wijk", "Buren tuinieren samen.")]
    (suggestion,) = suggest_goals("Wij leggen twee Moestuinen aan.", goals)
    assert suggestion.matched_words == ("moestuinen",)

    case = case_titled("Buurtmoestuin Rivierenbuurt")
    for suggestion in suggest_goals(application_text(case), area_goals(case["area"])):
        text = application_text(case).lower()
        assert 0 < len(suggestion.matched_words) <= 8
        assert all(word in text for word in suggestion.matched_words)


def test_demo_explanations_never_show_stop_words_or_short_words() -> None:
    for case in CASES:
        for suggestion in suggest_goals(application_text(case), area_goals(case["area"])):
            assert not set(suggestion.matched_words) & STOP_WORDS
            assert all(len(word) >= 3 for word in suggestion.matched_words)


def test_compound_matches_its_last_part_both_ways() -> None:
    goals = [GoalText(1, "Een moestuin voor de straat", ""), GoalText(2, "Taalcafé", "")]
    (suggestion,) = suggest_goals("Wij starten een buurtmoestuin", goals)
    assert (suggestion.goal_id, suggestion.matched_words) == (1, ("buurtmoestuin",))

    (suggestion,) = suggest_goals("Een moestuin", [GoalText(3, "Buurtmoestuinen in Zuid", "")])
    assert suggestion.matched_words == ("moestuin",)


def test_compound_parts_need_five_letters() -> None:
    assert suggest_goals("Een moestuin", [GoalText(1, "Een tuin bij school", "")]) == []


def test_unrelated_text_gets_no_suggestion() -> None:
    text = "De auto moet naar de garage voor de apk"
    for slug in AREAS.keys() - {"ten-boer"}:
        assert suggest_goals(text, area_goals(slug)) == []
    # One Ten Boer goal literally mentions "ouderen zonder auto"; the advisor sees why.
    goals = all_goals()
    (suggestion,) = suggest_goals(text, goals)
    assert suggestion.matched_words == ("auto",)
    assert "zelfstandig blijven wonen" in goals[suggestion.goal_id].title


def test_stop_words_alone_never_match() -> None:
    text = " ".join(sorted(STOP_WORDS)).upper()
    assert suggest_goals(text, all_goals()) == []
    assert suggest_goals("", all_goals()) == []


def test_ordering_limit_and_ties() -> None:
    case = case_titled("Samen tegen eenzaamheid in Beijum")
    goals = area_goals(case["area"])
    every = suggest_goals(application_text(case), goals, limit=len(goals))
    scores = [s.score for s in every]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert suggest_goals(application_text(case), goals, limit=1) == every[:1]
    assert suggest_goals(application_text(case), goals) == every[:3]
    assert suggest_goals(application_text(case), goals, limit=0) == []
    assert suggest_goals(application_text(case), list(reversed(goals)), limit=9) == every

    twins = [GoalText(7, "Moestuin", "groente"), GoalText(3, "Moestuin", "groente")]
    assert [s.goal_id for s in suggest_goals("moestuin", twins)] == [3, 7]


def test_deterministic_across_processes() -> None:
    script = (
        "import json, sys;"
        "from app.services.goal_matching import GoalText, suggest_goals;"
        "texts, goals = json.load(sys.stdin);"
        "goals = [GoalText(*g) for g in goals];"
        "print([suggest_goals(text, goals) for text in texts])"
    )
    goals = [[g.id, g.title, g.description] for g in all_goals()]
    payload = json.dumps([[application_text(c) for c in CASES], goals])
    root = Path(__file__).resolve().parents[1]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            input=payload,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert "GoalSuggestion(" in outputs.pop()


def test_same_call_gives_same_result() -> None:
    case = CASES[0]
    first = suggest_goals(application_text(case), area_goals(case["area"]))
    assert first == suggest_goals(application_text(case), area_goals(case["area"]))
    assert all(isinstance(s, GoalSuggestion) for s in first)
