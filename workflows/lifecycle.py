"""The case lifecycle (SPEC §4), declared once as data.

Each action has exactly one transition; a transition lists the states it may
fire from, the roles that may fire it, the guards that must hold and the
effects the application layer carries out (events, deadlines, letters,
notifications).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INTAKE = "intake"
    INFORMATION_REQUESTED = "information_requested"
    FIT_CHECK = "fit_check"
    DECISION_PROPOSED = "decision_proposed"
    DECISION_APPROVED = "decision_approved"
    GRANTED = "granted"
    REFUSED = "refused"
    NOT_CONSIDERED = "not_considered"
    ACTIVE = "active"
    ACCOUNTABILITY = "accountability"
    DETERMINED = "determined"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    OBJECTION = "objection"
    OBJECTION_DECIDED = "objection_decided"


ROLES: frozenset[str] = frozenset(
    {"applicant", "officer", "advisor", "team_lead", "finance", "admin", "system"}
)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State
    roles: frozenset[str]
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()


def _t(
    action: str,
    sources: Iterable[State],
    target: State,
    roles: Iterable[str],
    guards: tuple[str, ...] = (),
    effects: tuple[str, ...] = ("event",),
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), guards, effects)


DECISION_EFFECTS = ("event", "letter", "objection_term", "notify_applicant")

TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "submit",
        [State.DRAFT],
        State.SUBMITTED,
        ["applicant"],
        effects=("event", "decision_deadline", "notify_applicant"),
    ),
    _t("start_intake", [State.SUBMITTED], State.INTAKE, ["officer"]),
    _t(
        "request_information",
        [State.INTAKE],
        State.INFORMATION_REQUESTED,
        ["officer"],
        effects=("event", "answer_deadline", "suspend_decision_term", "notify_applicant"),
    ),
    _t(
        "receive_answer",
        [State.INFORMATION_REQUESTED],
        State.INTAKE,
        ["applicant", "officer"],
        effects=("event", "resume_decision_term", "notify_officer"),
    ),
    _t(
        "not_consider",
        [State.INFORMATION_REQUESTED],
        State.NOT_CONSIDERED,
        ["officer"],
        guards=("answer_term_expired",),
        effects=DECISION_EFFECTS,
    ),
    _t(
        "start_fit_check",
        [State.INTAKE],
        State.FIT_CHECK,
        ["officer"],
        effects=("event", "notify_advisor"),
    ),
    _t(
        "propose_decision",
        [State.FIT_CHECK, State.INTAKE],
        State.DECISION_PROPOSED,
        ["officer"],
        guards=("fit_check_done_if_required",),
        effects=("event", "notify_approver"),
    ),
    _t(
        "send_back",
        [State.DECISION_PROPOSED],
        State.INTAKE,
        ["team_lead", "officer"],
        guards=("not_proposer",),
        effects=("event", "notify_proposer"),
    ),
    _t(
        "approve",
        [State.DECISION_PROPOSED],
        State.DECISION_APPROVED,
        ["team_lead", "officer", "admin"],
        guards=("four_eyes", "within_mandate"),
    ),
    _t(
        "grant",
        [State.DECISION_APPROVED],
        State.GRANTED,
        ["officer", "system"],
        effects=("event", "commit_budget", "letter", "objection_term", "notify_applicant"),
    ),
    _t(
        "refuse",
        [State.DECISION_APPROVED],
        State.REFUSED,
        ["officer", "system"],
        effects=DECISION_EFFECTS,
    ),
    _t(
        "decide_light",
        [State.SUBMITTED, State.INTAKE],
        State.GRANTED,
        ["officer"],
        guards=("light_tier",),
        effects=(
            "event",
            "commit_budget",
            "letter",
            "objection_term",
            "notify_applicant",
            "direct_determination",
        ),
    ),
    _t(
        "activate",
        [State.GRANTED],
        State.ACTIVE,
        ["system", "finance"],
        effects=("event", "payment_schedule"),
    ),
    _t(
        "start_accountability",
        [State.ACTIVE],
        State.ACCOUNTABILITY,
        ["system", "officer"],
        effects=("event", "notify_applicant"),
    ),
    _t(
        "determine", [State.ACCOUNTABILITY], State.DETERMINED, ["officer"], effects=DECISION_EFFECTS
    ),
    _t("close", [State.DETERMINED], State.CLOSED, ["officer", "system"]),
    _t(
        "withdraw",
        [State.DRAFT, State.SUBMITTED, State.INTAKE, State.INFORMATION_REQUESTED],
        State.WITHDRAWN,
        ["applicant"],
        effects=("event", "stop_decision_term", "notify_officer"),
    ),
    _t(
        "object",
        [State.GRANTED, State.REFUSED, State.NOT_CONSIDERED, State.DETERMINED, State.ACTIVE],
        State.OBJECTION,
        ["applicant", "officer"],
        effects=("event", "objection_decision_deadline", "notify_applicant"),
    ),
    _t(
        "decide_objection",
        [State.OBJECTION],
        State.OBJECTION_DECIDED,
        ["officer"],
        guards=("four_eyes",),
        effects=("event", "letter", "notify_applicant"),
    ),
    _t(
        "reopen",
        [State.OBJECTION_DECIDED],
        State.INTAKE,
        ["officer"],
        guards=("objection_upheld",),
        effects=("event", "decision_deadline"),
    ),
)

_STATE_VALUES = frozenset(s.value for s in State)
TRANSITIONS_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


@dataclass(frozen=True)
class GuardContext:
    """The facts about a case and the acting user that the guards need."""

    tier: str = "light"
    fit_check_required: bool = False
    has_fit_check: bool = False
    actor_id: int | None = None
    proposer_id: int | None = None
    total_cents: int = 0
    actor_mandate_cents: int | None = None
    answer_term_expired: bool = False
    objection_upheld: bool = False


def _four_eyes(ctx: GuardContext) -> bool:
    # An unknown actor or proposer (None == None) counts as the same person.
    return ctx.tier == "light" or ctx.actor_id != ctx.proposer_id


def _within_mandate(ctx: GuardContext) -> bool:
    return ctx.actor_mandate_cents is None or ctx.total_cents <= ctx.actor_mandate_cents


DEFAULT_CONTEXT = GuardContext()


GUARDS: dict[str, Callable[[GuardContext], bool]] = {
    "answer_term_expired": lambda ctx: ctx.answer_term_expired,
    "fit_check_done_if_required": lambda ctx: ctx.has_fit_check or not ctx.fit_check_required,
    "not_proposer": _four_eyes,
    "four_eyes": _four_eyes,
    "within_mandate": _within_mandate,
    "light_tier": lambda ctx: ctx.tier == "light",
    "objection_upheld": lambda ctx: ctx.objection_upheld,
}

GUARD_MESSAGES: dict[str, str] = {
    "answer_term_expired": "the answer term of the information request has not expired yet",
    "fit_check_done_if_required": "the regulation requires a fit check that has not been done",
    "not_proposer": "the proposer cannot send back their own proposal",
    "four_eyes": "the approver must be someone other than the proposer",
    "within_mandate": "the amount exceeds the mandate of the approver",
    "light_tier": "only possible in the light tier",
    "objection_upheld": "only possible when the objection was upheld",
}


class IllegalTransition(Exception):
    """An action that may not be fired now; `reason` is a short machine key."""

    def __init__(self, state: str, action: str, reason: str, detail: str) -> None:
        self.state = state
        self.action = action
        self.reason = reason
        self.detail = detail
        super().__init__(f"Cannot '{action}' a case in state '{state}': {detail}")


def _one_of(items: Iterable[str]) -> str:
    names = sorted(items)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _role_set(roles: Iterable[str]) -> frozenset[str]:
    """Accept a single role string as well as a collection of roles."""
    return frozenset([roles] if isinstance(roles, str) else roles)


def transition_for(state: State | str, action: str) -> Transition:
    """The transition for an action from a state; raises IllegalTransition when there is none."""
    if state not in _STATE_VALUES:
        raise IllegalTransition(str(state), action, "unknown_state", "unknown state")
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None:
        raise IllegalTransition(str(state), action, "unknown_action", "unknown action")
    if state not in transition.sources:
        raise IllegalTransition(
            str(state),
            action,
            "wrong_state",
            f"the action is only possible from {_one_of(transition.sources)}",
        )
    return transition


def check(
    state: State | str,
    action: str,
    roles: Iterable[str],
    ctx: GuardContext = DEFAULT_CONTEXT,
) -> Transition:
    """The transition when these roles may fire the action now; else raises IllegalTransition."""
    transition = transition_for(state, action)
    if transition.roles.isdisjoint(_role_set(roles)):
        raise IllegalTransition(
            str(state),
            action,
            "role_not_allowed",
            f"the action requires the role {_one_of(transition.roles)}",
        )
    for guard in transition.guards:
        if not GUARDS[guard](ctx):
            raise IllegalTransition(str(state), action, guard, GUARD_MESSAGES[guard])
    return transition


def allowed_actions(
    state: State | str,
    roles: Iterable[str],
    ctx: GuardContext = DEFAULT_CONTEXT,
) -> list[Transition]:
    """The transitions these roles may fire from this state now, in declaration order."""
    roles = _role_set(roles)
    allowed: list[Transition] = []
    for transition in TRANSITIONS:
        try:
            allowed.append(check(state, transition.action, roles, ctx))
        except IllegalTransition:
            continue
    return allowed
