"""View decorators for roles; refusals are logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, request
from flask_login import current_user, login_required

log = logging.getLogger("sociale_basis.access")


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                log.warning(
                    "refused %s %s for user %s", request.method, request.path, current_user.id
                )
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
