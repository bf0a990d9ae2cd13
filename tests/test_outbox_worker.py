"""The outbox delivered by a real Celery worker process on the real broker (Redis in CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from support import TEST_CONFIG, database
from test_skeleton_path import register_resident, submit_application

from app import create_app
from app.models import Notification

pytestmark = pytest.mark.worker


def _broker_url(tmp_path: Path) -> str:
    return os.environ.get("REDIS_URL") or f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"


QUEUE = f"test-{uuid.uuid4().hex}"


@pytest.fixture()
def worker_app(app: Flask, reference_data: dict[str, object], tmp_path: Path) -> Flask:
    """A second app on the same database whose Celery talks to the real broker."""
    celery_config = {
        **TEST_CONFIG["CELERY"],
        "broker_url": _broker_url(tmp_path),
        "task_default_queue": QUEUE,
    }
    return create_app(
        {
            **TEST_CONFIG,
            "CELERY": celery_config,
            "MAILBOX_DIR": app.config["MAILBOX_DIR"],
            "STORAGE_DIR": app.config["STORAGE_DIR"],
        }
    )


@pytest.fixture()
def worker(worker_app: Flask, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`celery worker` as production runs it, on this test's queue, database and mailbox."""
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": worker_app.config["CELERY"]["broker_url"],
        "SB_MAILBOX_DIR": worker_app.config["MAILBOX_DIR"],
        "SB_STORAGE_DIR": worker_app.config["STORAGE_DIR"],
    }
    command = [sys.executable, "-m", "celery", "-A", "celery_worker.celery", "worker"]
    command += ["--pool=solo", "-Q", QUEUE, "--loglevel=info", f"--logfile={log}"]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).parent.parent)
    _wait_for(lambda: log.exists() and "ready." in log.read_text(), "worker ready", 60)
    yield process
    process.terminate()
    process.wait(timeout=30)


def _wait_for(condition, what: str, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _status(app: Flask, notification_id: int) -> str:
    with database(app) as session:
        return session.get(Notification, notification_id).status


def test_worker_delivers_the_receipt_once(worker_app: Flask, worker: subprocess.Popen) -> None:
    client = worker_app.test_client()
    register_resident(client)
    case = submit_application(client)
    with database(worker_app) as session:
        notification_id = session.scalar(
            select(Notification.id).where(Notification.case_id == case.id)
        )
    _wait_for(lambda: _status(worker_app, notification_id) == "sent", "delivery", 30)

    # The same message enqueued again (a redelivery) is not sent twice.
    worker_app.extensions["celery"].send_task(
        "app.tasks.deliver_notification", args=[notification_id]
    )
    time.sleep(2)

    with database(worker_app) as session:
        notification = session.get(Notification, notification_id)
        assert notification.attempts == 1
        assert notification.sent_at is not None
    mailbox = Path(worker_app.config["MAILBOX_DIR"]).glob("*.eml")
    mails = [mail for mail in mailbox if case.reference in mail.read_text()]
    assert len(mails) == 1  # the receipt, once (the other mail confirms the e-mail address)
