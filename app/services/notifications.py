"""Transactional outbox: rows written with the change, delivered after commit."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Case, Notification, User
from app.models.types import utcnow

log = logging.getLogger(__name__)
STALE_SENDING = timedelta(minutes=15)


class DeliveryFailed(Exception):
    """Sending failed; the task retries with backoff."""


@dataclass(frozen=True)
class Address:
    """A recipient without an account yet, such as an invited organisation member."""

    email: str
    locale: str = "nl"
    id: None = None


def queue(
    *,
    recipient: User | Address,
    template: str,
    dedupe_key: str,
    case: Case | None = None,
    context: dict[str, object] | None = None,
) -> Notification | None:
    """Add a message to the outbox in the caller's transaction (once per dedupe key)."""
    exists = db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key))
    if exists:
        return None
    notification = Notification(
        recipient_email=recipient.email,
        recipient_id=recipient.id,
        case_id=case.id if case else None,
        template=template,
        locale=recipient.locale or "nl",
        context=context or {},
        dedupe_key=dedupe_key,
    )
    db.session.add(notification)
    return notification


def _collect_new(session: Session, flush_context: object) -> None:
    ids = session.info.setdefault("outbox", set())
    ids.update(obj.id for obj in session.new if isinstance(obj, Notification))


def _dispatch(session: Session) -> None:
    ids = session.info.pop("outbox", set())
    if not ids:
        return
    celery = current_app.extensions["celery"]
    for notification_id in sorted(ids):
        try:
            celery.send_task("app.tasks.deliver_notification", args=[notification_id])
        except Exception:  # the broker is down: beat's catch-up delivers it later
            log.exception("could not enqueue notification %s", notification_id)


def _forget(session: Session) -> None:
    session.info.pop("outbox", None)


def install_outbox_dispatch() -> None:
    """Hook the outbox into every session of the app, once per process."""
    if event.contains(Session, "after_commit", _dispatch):
        return
    event.listen(Session, "after_flush", _collect_new)
    event.listen(Session, "after_commit", _dispatch)
    event.listen(Session, "after_soft_rollback", lambda session, previous: _forget(session))


def deliver(notification_id: int) -> str:
    """Send one message unless it was already sent. Returns the outcome."""
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, _claimable())
        .values(status="sending", attempts=Notification.attempts + 1, last_error=None)
    ).rowcount
    db.session.commit()
    if not claimed:
        return "skipped"
    notification = db.session.get(Notification, notification_id)
    try:
        send_email(notification.recipient_email, *render_message(notification), notification)
    except Exception as exc:
        notification.status = "failed"
        notification.last_error = str(exc)[:2000]
        db.session.commit()
        raise DeliveryFailed(str(exc)) from exc
    notification.status = "sent"
    notification.sent_at = utcnow()
    db.session.commit()
    return "sent"


def _claimable():  # type: ignore[no-untyped-def]
    stale = utcnow() - STALE_SENDING
    return or_(
        Notification.status.in_(("pending", "failed")),
        (Notification.status == "sending") & (Notification.created_at < stale),
    )


def deliver_pending() -> int:
    """Catch up: deliver everything still waiting, e.g. after the broker was down."""
    ids = db.session.scalars(select(Notification.id).where(_claimable())).all()
    delivered = 0
    for notification_id in ids:
        try:
            delivered += deliver(notification_id) == "sent"
        except DeliveryFailed:
            log.warning("notification %s failed again", notification_id)
    return delivered


def render_message(notification: Notification) -> tuple[str, str]:
    with force_locale(notification.locale):
        subject = render_template(
            f"email/{notification.template}.subject.txt", **notification.context
        ).strip()
        body = render_template(f"email/{notification.template}.txt", **notification.context)
    return subject, body


def send_email(to: str, subject: str, body: str, notification: Notification) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{notification.dedupe_key}@sociale-basis>"
    message.set_content(body)
    if current_app.config["SMTP_HOST"]:
        _send_smtp(message)
    else:
        _write_mailbox(message, notification.dedupe_key)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


def _write_mailbox(message: EmailMessage, dedupe_key: str) -> None:
    folder = Path(current_app.config["MAILBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    (folder / f"{name}.eml").write_bytes(bytes(message))


def mailbox_messages() -> list[Path]:
    """The messages in the local mailbox folder, newest first (development)."""
    folder = Path(current_app.config["MAILBOX_DIR"])
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime, reverse=True)
