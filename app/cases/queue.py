"""The officer's queue: every case this person may see, filtered and paged."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from app.auth.access import roles_required
from app.cases.routes import OPEN_STATES, STAFF, bp
from app.extensions import db
from app.models import Case
from app.services import authz
from workflows import lifecycle

PAGE_SIZE = 50


@bp.get("/")
@roles_required(*STAFF)
def queue() -> str:
    status = request.args.get("status", "")
    page = max(request.args.get("page", 1, type=int), 1)
    query = authz.visible_cases(current_user)
    if status:
        query = query.where(Case.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    cases = db.session.scalars(
        query.order_by(
            sql_case((Case.status.in_(OPEN_STATES), 0), else_=1),
            Case.decision_deadline.asc().nulls_last(),
            Case.id,
        )
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "cases/queue.html",
        cases=cases,
        status=status,
        statuses=[state.value for state in lifecycle.State],
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
        open_states=OPEN_STATES,
    )
