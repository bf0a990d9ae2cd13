"""The officer's queue, "My work", and assigning a case to an officer."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.access import roles_required
from app.cases.routes import STAFF, bp
from app.extensions import db
from app.labels import status_label
from app.models import User
from app.services import assignment, authz, case_queue
from app.services.case_queue import WHOLE_NUMBER, QueueFilter
from app.services.errors import InvalidInput, NotAllowed, StaleCase

log = logging.getLogger("sociale_basis.access")

# "My work": the open cases assigned to the person looking; the other filters still apply.
MY_WORK = {"assignee": "me", "open_only": True}


def _case_url(endpoint: str) -> tuple[str, str]:
    """The URL of a case page as (before, after) the case id: built once, not per row."""
    marker = 987654321
    before, _marker, after = url_for(endpoint, case_id=marker).partition(str(marker))
    return before, after


def _render(endpoint: str, heading: str, fixed: dict[str, Any]) -> str:
    qfilter = QueueFilter.from_args(request.args, **fixed)
    page = case_queue.queue_page(current_user, qfilter)

    def link_args(**changes: Any) -> dict[str, str]:
        """Query arguments for a link on this page; the fixed filters stay out of the URL."""
        args = qfilter.to_args(**{"page": 1, **changes})
        for name in fixed:
            args.pop({"open_only": "open"}.get(name, name), None)
        return args

    def sort_args(key: str) -> dict[str, str]:
        """A column header sorts by its key, or flips the direction if it already does."""
        flip = qfilter.sort == key and qfilter.direction == "asc"
        return link_args(sort=key, direction="desc" if flip else "asc")

    return render_template(
        "cases/queue.html",
        is_filtered=bool(link_args(sort="deadline", direction="asc")),
        heading=heading,
        endpoint=endpoint,
        is_my_work=bool(fixed),
        qfilter=qfilter,
        result=page,
        options=page.options,
        statuses=case_queue.STATUSES,
        status_names={status: status_label(status) for status in case_queue.STATUSES},
        tiers=case_queue.TIERS,
        link_args=link_args,
        sort_args=sort_args,
        can_assign=assignment.can_assign(current_user),
        case_url=_case_url("cases.detail"),
        assign_url=_case_url("cases.assign"),
    )


@bp.get("/")
@roles_required(*STAFF)
def queue() -> str:
    return _render("cases.queue", _("Case queue"), {})


@bp.get("/mine")
@roles_required(*STAFF)
def mine() -> str:
    return _render("cases.mine", _("My work"), MY_WORK)


def _back() -> str:
    """Where the assign form came from, if that is one of our own case pages."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    plain = target.isascii() and target.isprintable() and "\\" not in target
    if plain and target.startswith("/cases/") and not parts.netloc and not parts.scheme:
        return target
    return url_for("cases.queue")


def _chosen_assignee() -> User | None:
    choice = request.form.get("assignee", "").strip()
    if choice == "me":
        return current_user._get_current_object()  # type: ignore[no-any-return]
    if choice == "none":
        return None
    user = db.session.get(User, int(choice)) if WHOLE_NUMBER.fullmatch(choice) else None
    if user is None:
        raise InvalidInput(_("Choose who will handle this case."), "assignee")
    return user


@bp.post("/<int:case_id>/assign")
@roles_required("officer", "team_lead")
def assign(case_id: int) -> Response:
    case = authz.case_for(current_user, case_id)
    label = case.reference or case.title
    try:
        assignee = _chosen_assignee()
        assignment.assign(case, assignee, current_user)
    except NotAllowed:
        log.warning("refused assign of case %s for user %s", case.id, current_user.id)
        abort(403)
    except (InvalidInput, StaleCase) as exc:
        flash(exc.message, "error")
        return redirect(_back())
    if assignee is None:
        flash(_("%(case)s is no longer assigned to anyone.", case=label), "success")
    else:
        flash(_("%(case)s is now assigned to %(name)s.", case=label, name=assignee.name), "success")
    return redirect(_back())
