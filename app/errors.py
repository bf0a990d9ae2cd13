"""Error pages that say what happened and what to do next."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

ERRORS = {
    400: (_l("The request could not be processed"), _l("Go back and try again.")),
    403: (
        _l("You may not do this"),
        _l("Your role does not allow this action. The attempt was logged."),
    ),
    404: (_l("Page not found"), _l("Check the address, or go back to the start page.")),
    413: (_l("File too large"), _l("Choose a smaller file and try again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("Try again later. Nothing you entered was saved twice."),
    ),
}


def _page(code: int):  # type: ignore[no-untyped-def]
    title, advice = ERRORS[code]
    return render_template("error.html", code=code, title=title, advice=advice), code


def register_error_pages(app: Flask) -> None:
    for code in ERRORS:
        app.register_error_handler(code, lambda error, code=code: _page(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        title = _l("Your session has expired")
        advice = _l("The form was not sent. Reload the page and try again.")
        return render_template("error.html", code=400, title=title, advice=advice), 400
