"""Configuration from environment variables, with safe embedded defaults.

The embedded default needs no server: SQLite for data and for the Celery broker.
Production (SB_ENV=production) refuses to start with the default secret key.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _instance_dir() -> Path:
    path = Path(_env("SB_INSTANCE_DIR", str(BASE_DIR / "instance")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _database_url(instance: Path) -> str:
    url = _env("DATABASE_URL", f"sqlite:///{instance / 'sociale_basis.sqlite'}")
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _broker_url(instance: Path) -> str:
    redis = os.environ.get("REDIS_URL")
    if redis:
        return redis
    return _env("CELERY_BROKER_URL", f"sqla+sqlite:///{instance / 'celery_broker.sqlite'}")


class Config:
    """Settings read once, when the application is created."""

    def __init__(self) -> None:
        instance = _instance_dir()
        self.ENV_NAME = _env("SB_ENV", "development")
        self.SECRET_KEY = _env("SECRET_KEY", DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = _database_url(instance)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.INSTANCE_DIR = str(instance)
        self.STORAGE_DIR = _env("SB_STORAGE_DIR", str(instance / "storage"))
        self.MAILBOX_DIR = _env("SB_MAILBOX_DIR", str(instance / "mailbox"))
        self.MAIL_FROM = _env("MAIL_FROM", "Gemeente Groningen <subsidies@groningen.example>")
        self.SMTP_HOST = os.environ.get("SMTP_HOST", "")
        self.SMTP_PORT = int(_env("SMTP_PORT", "587"))
        self.SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
        self.BASE_URL = _env("SB_BASE_URL", "http://127.0.0.1:5000")
        self.BABEL_DEFAULT_LOCALE = "nl"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
        self.LANGUAGES = ("nl", "en")
        self.MAX_CONTENT_LENGTH = int(_env("SB_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
        self.WTF_CSRF_TIME_LIMIT = None
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.ENV_NAME == "production"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.CELERY = {
            "broker_url": _broker_url(instance),
            "result_backend": None,
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "timezone": "Europe/Amsterdam",
            "enable_utc": True,
            "broker_connection_retry_on_startup": True,
        }

    def check(self) -> None:
        """Refuse an unsafe production configuration."""
        if self.ENV_NAME == "production" and self.SECRET_KEY == DEFAULT_SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production (SB_ENV=production).")

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in vars(self).items() if key.isupper()}
