"""Sociale basis: the application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, session
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.extensions import babel, csrf, db, login_manager, migrate
from config import Config

SUPPORTED_LOCALES = ("nl", "en")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def select_locale() -> str:
    """Dutch unless the person chose English (remembered in the session and account)."""
    if not has_request_context():
        return "nl"
    chosen = session.get("locale")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED_LOCALES:
        return current_user.locale
    return "nl"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    config = Config()
    config.check()
    app = Flask(__name__, instance_path=config.INSTANCE_DIR)
    app.config.from_mapping(config.as_dict())
    app.config.from_mapping(overrides or {})

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _init_login(app)

    from app.celery_app import celery_init_app

    celery_init_app(app)
    _register_blueprints(app)
    _register_hooks(app)

    from app.cli import register_cli

    register_cli(app)
    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.services import notifications

    notifications.install_outbox_dispatch()
    return app


def _init_login(app: Flask) -> None:
    from app.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # Every request needs the roles: one query instead of two.
        return db.session.get(User, int(user_id), options=[joinedload(User.roles)])


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.cases import bp as cases_bp
    from app.documents.routes import bp as documents_bp
    from app.portal import bp as portal_bp
    from app.public.routes import bp as public_bp

    for blueprint in (public_bp, auth_bp, portal_bp, cases_bp, documents_bp, admin_bp):
        app.register_blueprint(blueprint)


def _register_hooks(app: Flask) -> None:
    from app import formatting, labels
    from app.errors import register_error_pages

    formatting.register(app)
    labels.register(app)
    register_error_pages(app)

    @app.before_request
    def remember_locale_choice() -> None:
        g.locale = select_locale()

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
