from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.lifecycle import (
    DEFAULT_CONTEXT,
    GUARD_MESSAGES,
    GUARDS,
    ROLES,
    TRANSITIONS,
    GuardContext,
    IllegalTransition,
    State,
    Transition,
    allowed_actions,
    check,
    transition_for,
)

ACTIONS = [t.action for t in TRANSITIONS]
PERMISSIVE = GuardContext(tier="light", answer_term_expired=True, objection_upheld=True)
REGULAR = GuardContext(tier="regular", actor_id=1, proposer_id=2)
DECLARED_PAIRS = {(source, t.action) for t in TRANSITIONS for source in t.sources}


def test_actions_are_unique() -> None:
    assert len(ACTIONS) == len(set(ACTIONS))


def test_every_guard_and_role_is_known() -> None:
    used_guards = {g for t in TRANSITIONS for g in t.guards}
    assert used_guards == set(GUARDS) == set(GUARD_MESSAGES)
    assert {r for t in TRANSITIONS for r in t.roles} <= ROLES


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action_pair(state: State, action: str) -> None:
    try:
        transition = check(state, action, ROLES, PERMISSIVE)
    except IllegalTransition as error:
        assert (state, action) not in DECLARED_PAIRS
        assert error.reason == "wrong_state"
        assert (error.state, error.action) == (state, action)
        assert f"'{action}'" in str(error)
        assert f"'{state}'" in str(error)
    else:
        assert (state, action) in DECLARED_PAIRS
        assert transition.action == action
        assert state in transition.sources


def test_legal_pairs_equal_the_declared_pairs() -> None:
    legal = {
        (state, t.action) for state in State for t in allowed_actions(state, ROLES, PERMISSIVE)
    }
    assert legal == DECLARED_PAIRS


def test_every_state_is_reachable_from_draft() -> None:
    seen, queue = {State.DRAFT}, deque([State.DRAFT])
    while queue:
        state = queue.popleft()
        for t in allowed_actions(state, ROLES, PERMISSIVE):
            if t.target not in seen:
                seen.add(t.target)
                queue.append(t.target)
    assert seen == set(State)


@pytest.mark.parametrize("state", [State.CLOSED, State.WITHDRAWN])
def test_terminal_states_allow_nothing(state: State) -> None:
    assert allowed_actions(state, ROLES, PERMISSIVE) == []


def test_illegal_transition_message() -> None:
    with pytest.raises(IllegalTransition) as caught:
        check(State.DRAFT, "approve", ["team_lead"])
    assert caught.value.reason == "wrong_state"
    assert str(caught.value) == (
        "Cannot 'approve' a case in state 'draft': "
        "the action is only possible from decision_proposed"
    )


def test_unknown_action() -> None:
    with pytest.raises(IllegalTransition, match="'fly'.*'intake'") as caught:
        transition_for("intake", "fly")
    assert caught.value.reason == "unknown_action"


def test_unknown_state() -> None:
    with pytest.raises(IllegalTransition) as caught:
        transition_for("limbo", "submit")
    assert caught.value.reason == "unknown_state"


def test_plain_strings_are_accepted() -> None:
    assert check("draft", "submit", ["applicant"]).target == State.SUBMITTED
    assert check("draft", "submit", "applicant").target == State.SUBMITTED
    assert [t.action for t in allowed_actions("granted", "finance")] == ["activate"]


@pytest.mark.parametrize(
    ("state", "action", "roles"),
    [
        (State.DRAFT, "submit", ["officer"]),
        (State.DECISION_PROPOSED, "approve", ["advisor"]),
        (State.DECISION_PROPOSED, "approve", ["applicant"]),
        (State.GRANTED, "activate", ["officer"]),
        (State.INTAKE, "withdraw", ["officer", "team_lead"]),
        (State.OBJECTION, "decide_objection", []),
    ],
)
def test_role_not_allowed(state: State, action: str, roles: list[str]) -> None:
    with pytest.raises(IllegalTransition, match="requires the role") as caught:
        check(state, action, roles, PERMISSIVE)
    assert caught.value.reason == "role_not_allowed"


def assert_refused(
    state: State, action: str, roles: list[str], ctx: GuardContext, guard: str
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        check(state, action, roles, ctx)
    assert caught.value.reason == guard
    assert GUARD_MESSAGES[guard] in str(caught.value)


def test_four_eyes_refuses_the_proposer_as_approver_on_the_regular_tier() -> None:
    same = GuardContext(tier="regular", actor_id=7, proposer_id=7)
    assert_refused(State.DECISION_PROPOSED, "approve", ["team_lead"], same, "four_eyes")
    assert check(State.DECISION_PROPOSED, "approve", ["team_lead"], REGULAR)


def test_four_eyes_refuses_unknown_people_on_the_regular_tier() -> None:
    unknown = GuardContext(tier="regular")
    assert_refused(State.DECISION_PROPOSED, "approve", ["officer"], unknown, "four_eyes")


def test_four_eyes_allows_the_proposer_on_the_light_tier() -> None:
    ctx = GuardContext(tier="light", actor_id=7, proposer_id=7)
    assert check(State.DECISION_PROPOSED, "approve", ["officer"], ctx)


def test_objection_decision_needs_another_person_than_the_proposer() -> None:
    same = GuardContext(tier="extended", actor_id=3, proposer_id=3)
    assert_refused(State.OBJECTION, "decide_objection", ["officer"], same, "four_eyes")


@pytest.mark.parametrize(
    ("total", "mandate", "allowed"),
    [
        (2_500_000, 2_500_000, True),
        (2_500_001, 2_500_000, False),
        (10**12, None, True),
        (0, 0, True),
    ],
)
def test_within_mandate(total: int, mandate: int | None, allowed: bool) -> None:
    ctx = GuardContext(
        tier="regular", actor_id=1, proposer_id=2, total_cents=total, actor_mandate_cents=mandate
    )
    if allowed:
        assert check(State.DECISION_PROPOSED, "approve", ["team_lead"], ctx)
    else:
        assert_refused(State.DECISION_PROPOSED, "approve", ["team_lead"], ctx, "within_mandate")


@pytest.mark.parametrize("state", [State.INTAKE, State.FIT_CHECK])
def test_fit_check_required(state: State) -> None:
    missing = GuardContext(fit_check_required=True)
    done = GuardContext(fit_check_required=True, has_fit_check=True)
    guard = "fit_check_done_if_required"
    assert_refused(state, "propose_decision", ["officer"], missing, guard)
    assert check(state, "propose_decision", ["officer"], done)
    assert check(state, "propose_decision", ["officer"], GuardContext())


def test_proposer_cannot_send_back_their_own_proposal() -> None:
    same = GuardContext(tier="regular", actor_id=4, proposer_id=4)
    assert_refused(State.DECISION_PROPOSED, "send_back", ["officer"], same, "not_proposer")
    assert check(State.DECISION_PROPOSED, "send_back", ["team_lead"], REGULAR)


def test_not_consider_needs_an_expired_answer_term() -> None:
    state = State.INFORMATION_REQUESTED
    guard = "answer_term_expired"
    assert_refused(state, "not_consider", ["officer"], GuardContext(), guard)
    assert check(state, "not_consider", ["officer"], GuardContext(answer_term_expired=True))


def test_decide_light_only_in_the_light_tier() -> None:
    assert_refused(State.INTAKE, "decide_light", ["officer"], REGULAR, "light_tier")
    transition = check(State.SUBMITTED, "decide_light", ["officer"], GuardContext())
    assert transition.target == State.GRANTED
    assert "direct_determination" in transition.effects


def test_reopen_only_when_the_objection_was_upheld() -> None:
    state = State.OBJECTION_DECIDED
    assert_refused(state, "reopen", ["officer"], GuardContext(), "objection_upheld")
    upheld = GuardContext(objection_upheld=True)
    assert check(state, "reopen", ["officer"], upheld).target == State.INTAKE


def actions(state: State, roles: list[str], ctx: GuardContext = DEFAULT_CONTEXT) -> list[str]:
    return [t.action for t in allowed_actions(state, roles, ctx)]


def test_allowed_actions_for_an_applicant() -> None:
    assert actions(State.DRAFT, ["applicant"]) == ["submit", "withdraw"]
    assert actions(State.INFORMATION_REQUESTED, ["applicant"]) == ["receive_answer", "withdraw"]
    assert actions(State.GRANTED, ["applicant"]) == ["object"]
    assert actions(State.DECISION_PROPOSED, ["applicant"]) == []


def test_allowed_actions_for_an_officer() -> None:
    assert actions(State.INTAKE, ["officer"], REGULAR) == [
        "request_information",
        "start_fit_check",
        "propose_decision",
    ]
    missing_fit_check = GuardContext(tier="regular", fit_check_required=True)
    assert actions(State.INTAKE, ["officer"], missing_fit_check) == [
        "request_information",
        "start_fit_check",
    ]
    assert "decide_light" in actions(State.INTAKE, ["officer"])


def test_allowed_actions_for_other_roles() -> None:
    assert actions(State.DECISION_PROPOSED, ["team_lead"], REGULAR) == ["send_back", "approve"]
    assert actions(State.GRANTED, ["finance"]) == ["activate"]
    assert actions(State.FIT_CHECK, ["advisor"]) == []


CONTEXTS = st.builds(
    GuardContext,
    tier=st.sampled_from(["light", "regular", "extended"]),
    fit_check_required=st.booleans(),
    has_fit_check=st.booleans(),
    actor_id=st.none() | st.integers(1, 3),
    proposer_id=st.none() | st.integers(1, 3),
    total_cents=st.integers(0, 10**9),
    actor_mandate_cents=st.none() | st.integers(0, 10**9),
    answer_term_expired=st.booleans(),
    objection_upheld=st.booleans(),
)


@settings(max_examples=200, database=None, deadline=None)
@given(st.sampled_from(list(State)), st.sets(st.sampled_from(sorted(ROLES))), CONTEXTS)
def test_allowed_actions_are_exactly_those_check_accepts(
    state: State, roles: set[str], ctx: GuardContext
) -> None:
    allowed = allowed_actions(state, roles, ctx)
    for transition in TRANSITIONS:
        accepted = _accepts(state, transition, roles, ctx)
        assert (transition in allowed) is accepted
        if accepted:
            assert state in transition.sources
            assert not transition.roles.isdisjoint(roles)


def _accepts(state: State, transition: Transition, roles: set[str], ctx: GuardContext) -> bool:
    try:
        check(state, transition.action, roles, ctx)
    except IllegalTransition:
        return False
    return True
