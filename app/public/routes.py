"""Pages for everyone: start page, open regulations, language choice."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app import SUPPORTED_LOCALES
from app.services import accounts
from app.services.submission import open_regulations

bp = Blueprint("public", __name__, template_folder="templates")


@bp.get("/")
def home() -> str:
    return render_template("public/home.html", regulations=open_regulations())


@bp.get("/regulations")
def regulations() -> str:
    return render_template(
        "public/regulations.html", regulations=open_regulations(), locale=g.locale
    )


@bp.get("/language/<code>")
def set_language(code: str) -> Response:
    if code in SUPPORTED_LOCALES:
        session["locale"] = code
        if current_user.is_authenticated:
            accounts.remember_locale(current_user, code)
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.home")
    return redirect(target)
