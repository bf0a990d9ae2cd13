"""Files an applicant sends with an answer or an objection, checked like application documents."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from app.models import Case, Document, User
from app.services import storage, uploads
from app.services.errors import InvalidInput

MAX_FILES = 5
ANSWER = "answer"
OBJECTION = "objection"


def check(field: str, files: Sequence[tuple[str, bytes]]) -> tuple[uploads.Upload, ...]:
    """At most MAX_FILES files, each judged by its content; InvalidInput names a refused file."""
    if len(files) > MAX_FILES:
        raise InvalidInput(
            _("You sent %(sent)d files. Send at most %(n)d.", sent=len(files), n=MAX_FILES), field
        )
    checked = []
    for filename, data in files:
        try:
            checked.append(uploads.check(field, filename, data))
        except InvalidInput as exc:
            raise InvalidInput(f"{filename}: {exc.message}", field) from exc
    return tuple(checked)


def store(case: Case, kind: str, files: Sequence[uploads.Upload], actor: User) -> None:
    """Add the files to the case in the caller's transaction."""
    for upload in files:
        storage.store(case, kind, upload.filename, upload.media_type, upload.data, actor)


def sent_with_answers_and_objections(documents: Sequence[Document]) -> list[Document]:
    return [document for document in documents if document.kind in (ANSWER, OBJECTION)]
