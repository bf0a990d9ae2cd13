"""Letters to the applicant: build the context, render the PDF, store it on the case."""

from __future__ import annotations

from datetime import date

from app.models import Case, Document, User
from app.services import letters, notifications, storage
from app.services.clock import local_today

MUNICIPALITY = "Groningen"
SUBJECTS = {
    "grant": "Besluit op uw subsidieaanvraag",
    "grant_light": "Besluit op uw subsidieaanvraag",
    "refusal": "Besluit op uw subsidieaanvraag",
    "not_considered": "Besluit: uw aanvraag wordt niet behandeld",
    "extension": "Wij hebben meer tijd nodig voor ons besluit",
    "information_request": "Wij hebben meer informatie nodig",
    "objection_decision": "Beslissing op uw bezwaar",
}


def letter_context(case: Case, kind: str, signer: User, **specific: object) -> dict[str, object]:
    return {
        "municipality": MUNICIPALITY,
        "recipient_name": case.applicant.name,
        "organisation_name": case.organisation.name if case.organisation else "",
        "reference": case.reference,
        "subject": f"{SUBJECTS[kind]} {case.reference}",
        "title": case.title,
        "received_on": case.received_on,
        "decided_on": local_today(),
        "signer_name": signer.name,
        "legal_basis": case.regulation.legal_basis,
        "motivation": "",
        **specific,
    }


def send_letter(
    case: Case, kind: str, signer: User, context: dict[str, object], dedupe_key: str
) -> Document:
    """Render and store the letter, and tell the applicant it is in the portal."""
    pdf = letters.render_pdf(kind, context)
    document = storage.store(
        case, f"letter_{kind}", f"{kind}-{case.reference}.pdf", "application/pdf", pdf, signer
    )
    notifications.queue(
        recipient=case.applicant,
        template="letter_sent",
        dedupe_key=dedupe_key,
        case=case,
        context={
            "reference": case.reference,
            "title": case.title,
            "name": case.applicant.name,
            "subject": str(context["subject"]),
            "objection_deadline": as_iso(context.get("objection_deadline")),
        },
    )
    return document


def as_iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
