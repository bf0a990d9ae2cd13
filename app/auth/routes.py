"""Log in, log out, register; verify the address, reset the password, manage the account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResendVerificationForm,
    ResetPasswordForm,
)
from app.services import accounts
from app.services.errors import InvalidInput, NotAllowed

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
            if not user.is_verified:
                flash(_unverified_notice(), "info")
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
            flash(
                _(
                    "Your account has been created. We sent you an e-mail with a link to "
                    "confirm your e-mail address."
                ),
                "success",
            )
            return redirect(_safe_next(url_for("portal.my_cases")))
    return render_template("auth/register.html", form=form)


def _unverified_notice() -> str:
    return _(
        "Please confirm your e-mail address with the link we sent you. "
        "On the page My account you can have the link sent again."
    )


def _link_error(exc: accounts.LinkInvalid) -> str:
    if isinstance(exc, accounts.LinkExpired):
        return _("This link has expired. Request a new one.")
    return _("This link is not valid or has already been used.")


def _link_problem(exc: accounts.LinkInvalid, retry_url: str, retry_label: str) -> tuple[str, int]:
    page = render_template(
        "auth/link_problem.html",
        message=_link_error(exc),
        retry_url=retry_url,
        retry_label=retry_label,
    )
    return page, 410 if isinstance(exc, accounts.LinkExpired) else 400


# --- Verification of the e-mail address -----------------------------------------------


@bp.get("/account/verify/<token>")
def verify_email(token: str) -> str | Response | tuple[str, int]:
    try:
        accounts.verify_email(token)
    except accounts.LinkInvalid as exc:
        return _link_problem(exc, url_for("auth.account"), _("Send the link again"))
    flash(_("Your e-mail address has been confirmed."), "success")
    return redirect(
        url_for("auth.account") if current_user.is_authenticated else url_for("auth.login")
    )


@bp.post("/account/verify/resend")
@login_required
def resend_verification() -> Response:
    form = ResendVerificationForm()
    if form.validate_on_submit():
        if current_user.is_verified:
            flash(_("Your e-mail address has been confirmed."), "success")
        elif accounts.send_verification(current_user):
            flash(_("We sent you a new link. It is valid for 3 days."), "success")
        else:
            flash(_("We sent you a link a moment ago. You can ask again after 5 minutes."), "info")
    return redirect(url_for("auth.account"))


# --- Forgotten password -----------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password() -> str:
    form = ForgotPasswordForm()
    sent = False
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        sent = True
    return render_template("auth/forgot_password.html", form=form, sent=sent)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    retry = (url_for("auth.forgot_password"), _("Request a new link"))
    try:
        accounts.user_for_reset(token)
    except accounts.LinkInvalid as exc:
        return _link_problem(exc, *retry)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data)
        except accounts.LinkInvalid as exc:
            return _link_problem(exc, *retry)
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            logout_user()
            flash(_("Your password has been changed. You can log in now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


# --- My account -------------------------------------------------------------------------


def _render_account(**forms: object) -> str:
    return render_template(
        "auth/account.html",
        password_form=forms.get("password_form") or ChangePasswordForm(prefix="password"),
        email_form=forms.get("email_form") or ChangeEmailForm(prefix="email"),
        resend_form=ResendVerificationForm(prefix="resend"),
    )


@bp.get("/account")
@login_required
def account() -> str:
    return _render_account()


@bp.post("/account/password")
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return _render_account(password_form=form)


@bp.post("/account/email")
@login_required
def change_email() -> str | Response:
    form = ChangeEmailForm(prefix="email")
    if form.validate_on_submit():
        try:
            accounts.request_email_change(current_user, form.email.data, form.current_password.data)
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(
                _(
                    "We sent a link to %(email)s. Your e-mail address changes when you "
                    "follow that link.",
                    email=form.email.data.strip().lower(),
                ),
                "success",
            )
            return redirect(url_for("auth.account"))
    return _render_account(email_form=form)


@bp.get("/account/email/<token>")
def confirm_email_change(token: str) -> str | Response | tuple[str, int]:
    try:
        accounts.confirm_email_change(token)
    except accounts.LinkInvalid as exc:
        return _link_problem(exc, url_for("auth.account"), _("My account"))
    except InvalidInput as exc:
        return render_template(
            "auth/link_problem.html",
            message=exc.message,
            retry_url=url_for("auth.account"),
            retry_label=_("My account"),
        ), 409
    flash(_("Your e-mail address has been changed."), "success")
    return redirect(
        url_for("auth.account") if current_user.is_authenticated else url_for("auth.login")
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account() -> str | Response:
    form = DeleteAccountForm(prefix="delete")
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            accounts.delete_account(current_user, form.password.data)
        except InvalidInput as exc:
            getattr(form, exc.field).errors.append(exc.message)
        except NotAllowed as exc:
            errors.append(exc.message)
        else:
            logout_user()
            flash(_("Your account has been deleted."), "success")
            return redirect(url_for("public.home"))
    return render_template(
        "auth/delete_account.html",
        form=form,
        errors=errors,
        open_cases=accounts.open_cases(current_user),
    )
