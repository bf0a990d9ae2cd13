"""Plain-language labels for states and timeline events, in both languages."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import lazy_gettext as _l

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
    "decision_sent": _l("Decision sent"),
    "status_changed": _l("Status changed"),
}

SOON_DAYS = 7


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def deadline_state(deadline: date) -> str:
    days = (deadline - local_today()).days
    if days < 0:
        return "overdue"
    return "soon" if days <= SOON_DAYS else "ok"


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        status_label=status_label, event_label=event_label, deadline_state=deadline_state
    )
