"""Celery tasks: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from app.services import notifications


@shared_task(
    name="app.tasks.deliver_notification",
    bind=True,
    acks_late=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_notification(self, notification_id: int) -> str:  # type: ignore[no-untyped-def]
    try:
        return notifications.deliver(notification_id)
    except notifications.DeliveryFailed as exc:
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from exc


@shared_task(name="app.tasks.deliver_pending_notifications", acks_late=True, time_limit=600)
def deliver_pending_notifications() -> int:
    return notifications.deliver_pending()
