"""Celery bound to the Flask app: every task runs inside an app context."""

from __future__ import annotations

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask

BEAT_SCHEDULE = {
    "outbox-catch-up": {
        "task": "app.tasks.deliver_pending_notifications",
        "schedule": 60.0,
    },
    "daily-sweep": {
        "task": "app.tasks.deliver_pending_notifications",
        "schedule": crontab(hour=6, minute=0),
    },
}


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.config_from_object(app.config["CELERY"])
    celery.conf.beat_schedule = BEAT_SCHEDULE
    celery.set_default()
    app.extensions["celery"] = celery
    from app import tasks  # noqa: F401  (registers the tasks)

    return celery
