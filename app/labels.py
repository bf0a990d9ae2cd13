"""Plain-language labels for states and timeline events, in both languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.models import ApplicationQuestion, AreaProgramme
from app.services import attachments, questions
from app.services.clock import local_today

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "intake": _l("Being checked"),
    "information_requested": _l("Information requested"),
    "fit_check": _l("Area programme check"),
    "decision_proposed": _l("Decision proposed"),
    "decision_approved": _l("Decision approved"),
    "granted": _l("Granted"),
    "refused": _l("Refused"),
    "not_considered": _l("Not considered"),
    "active": _l("Running"),
    "accountability": _l("Accountability"),
    "determined": _l("Determined"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
    "objection": _l("Objection filed"),
    "objection_decided": _l("Objection decided"),
}

EVENT_LABELS = {
    "submitted": _l("Application submitted"),
    "submit": _l("Application submitted"),  # a draft submitted through the lifecycle
    "decision_sent": _l("Decision sent"),
    "status_changed": _l("Status changed"),
    "start_intake": _l("Intake started"),
    "request_information": _l("Information requested"),
    "receive_answer": _l("Answer received"),
    "decision_deadline_moved": _l("Decision date moved"),
    "term_extended": _l("Decision term extended"),
    "not_consider": _l("Application not considered"),
    "start_fit_check": _l("Fit check requested"),
    "fit_assessed": _l("Fit with the area programme assessed"),
    "propose_decision": _l("Decision proposed"),
    "send_back": _l("Proposal sent back"),
    "approve": _l("Decision approved"),
    "grant": _l("Subsidy granted"),
    "refuse": _l("Application refused"),
    "decide_light": _l("Granted and determined"),
    "withdraw": _l("Application withdrawn"),
    "object": _l("Objection received"),
    "decide_objection": _l("Objection decided"),
    "reopen": _l("Case reopened"),
    "note": _l("Internal note"),
    "objection_term_extended": _l("Term to decide on the objection extended"),
    "assigned": _l("Assigned"),
}

TIER_LABELS = {
    "light": _l("light tier"),
    "regular": _l("regular tier"),
    "extended": _l("extended tier"),
}
HOLIDAY_LABELS = {
    "weekend": _l("weekend"),
    "new_years_day": _l("New Year's Day"),
    "easter_monday": _l("Easter Monday"),
    "kings_day": _l("King's Day"),
    "liberation_day": _l("Liberation Day"),
    "ascension_day": _l("Ascension Day"),
    "whit_monday": _l("Whit Monday"),
    "christmas_day": _l("Christmas Day"),
    "boxing_day": _l("Boxing Day"),
}
VERDICT_LABELS = {
    "fits": _l("fits the area programme"),
    "partly": _l("partly fits"),
    "does_not_fit": _l("does not fit"),
}
OUTCOME_LABELS = {
    "well_founded": _l("Well-founded"),
    "unfounded": _l("Unfounded"),
    "inadmissible": _l("Inadmissible"),
}
SENT_WITH_LABELS = {
    attachments.ANSWER: _l("Sent with the answer"),
    attachments.OBJECTION: _l("Sent with the objection"),
}
CHANNEL_LABELS = {"paper": _l("on paper"), "online": _l("online")}
DECISION_STATUS_LABELS = {
    "proposed": _l("proposed, waiting for approval"),
    "approved": _l("approved"),
    "sent_back": _l("sent back"),
    "revoked": _l("revoked after objection"),
}
DECISION_KIND_LABELS = {
    "grant": _l("Grant"),
    "refusal": _l("Refusal"),
    "not_considered": _l("Not considered"),
}

STEP_TITLES = {
    "initiative": _l("Your initiative"),
    "applicant": _l("Who applies"),
    "money": _l("Period and amount"),
    "questions": _l("More questions"),
    "documents": _l("Documents"),
    "check": _l("Check and submit"),
}
APPLICANT_KIND_LABELS = {
    "resident": _l("I apply myself, as a resident"),
    "informal_group": _l("We apply as an informal group of residents (no KvK registration)"),
    "organisation": _l("I apply for a registered organisation"),
}

SOON_DAYS = 7


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def _lookup(labels: dict[str, object]) -> Callable[[str | None], str]:
    return lambda key: str(labels.get(key or "", key or ""))


def goal_title(programme: AreaProgramme, goal_id: int) -> str:
    return next((goal.title for goal in programme.goals if goal.id == goal_id), "")


def deadline_state(deadline: date) -> str:
    days = (deadline - local_today()).days
    if days < 0:
        return "overdue"
    return "soon" if days <= SOON_DAYS else "ok"


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        status_label=status_label,
        event_label=event_label,
        deadline_state=deadline_state,
        goal_title=goal_title,
        tier_label=_lookup(TIER_LABELS),
        holiday_label=_lookup(HOLIDAY_LABELS),
        verdict_label=_lookup(VERDICT_LABELS),
        outcome_label=_lookup(OUTCOME_LABELS),
        decision_kind_label=_lookup(DECISION_KIND_LABELS),
        decision_status_label=_lookup(DECISION_STATUS_LABELS),
        channel_label=_lookup(CHANNEL_LABELS),
        step_title=_lookup(STEP_TITLES),
        applicant_kind_label=_lookup(APPLICANT_KIND_LABELS),
        sent_with_labels=SENT_WITH_LABELS,
    )
    app.add_template_filter(answer_text, "answer")


def answer_text(question: ApplicationQuestion, value: object) -> str:
    return questions.shown(question, value, str(get_locale() or "nl"))
