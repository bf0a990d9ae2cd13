"""Log in, log out, register."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import LoginForm, RegisterForm
from app.services import accounts
from app.services.errors import InvalidInput

bp = Blueprint("auth", __name__, template_folder="templates")


def _home_for(user) -> str:  # type: ignore[no-untyped-def]
    return url_for("cases.queue") if user.is_staff else url_for("portal.my_cases")


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    errors: list[str] = []
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user)
            return redirect(_safe_next(_home_for(user)))
        errors.append(_("The e-mail address or password is not correct."))
    return render_template("auth/login.html", form=form, errors=errors)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(form.email.data, form.name.data, form.password.data, g.locale)
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            login_user(user)
            flash(_("Your account has been created."), "success")
            return redirect(_safe_next(url_for("portal.my_cases")))
    return render_template("auth/register.html", form=form)
