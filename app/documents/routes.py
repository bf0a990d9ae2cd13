"""Downloading case files: always as an attachment, never sniffed inline."""

from __future__ import annotations

from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Document
from app.services import authz, storage

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _visible_document(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or not authz.can_view_case(current_user, document.case):
        abort(404)
    return document


@bp.get("/<int:document_id>")
@login_required
def download(document_id: int) -> Response:
    document = _visible_document(document_id)
    response = send_file(
        storage.path_of(document),
        mimetype=document.media_type,
        as_attachment=True,
        download_name=document.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


@bp.get("/<int:document_id>/view")
@login_required
def view(document_id: int) -> Response:
    """Open a PDF or photo in the browser; other types are only downloaded."""
    document = _visible_document(document_id)
    if document.media_type not in INLINE_TYPES:
        abort(404)
    response = send_file(
        storage.path_of(document), mimetype=document.media_type, download_name=document.filename
    )
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
