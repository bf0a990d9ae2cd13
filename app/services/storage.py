"""Case files on disk outside the web root, addressed by a random key."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Case, Document, User


def _path(storage_key: str) -> Path:
    return Path(current_app.config["STORAGE_DIR"]) / storage_key[:2] / storage_key


def store(
    case: Case, kind: str, filename: str, media_type: str, data: bytes, uploaded_by: User | None
) -> Document:
    key = secrets.token_hex(20)
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    document = Document(
        case=case,
        kind=kind,
        filename=filename,
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by=uploaded_by,
    )
    db.session.add(document)
    return document


def documents_of(case: Case) -> list[Document]:
    """Every file of a case, oldest first."""
    return list(
        db.session.scalars(
            select(Document).where(Document.case_id == case.id).order_by(Document.id)
        )
    )


def path_of(document: Document) -> Path:
    return _path(document.storage_key)
