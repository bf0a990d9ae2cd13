"""Uploaded files: the type is read from the content, never trusted from the name."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

from app.services.errors import InvalidInput

MAX_FILE_BYTES = 8 * 1024 * 1024
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet": (
        "application/vnd.oasis.opendocument.spreadsheet"
    ),
}
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    OFFICE_TYPES["word/"]: ".docx",
    OFFICE_TYPES["xl/"]: ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


@dataclass(frozen=True)
class Upload:
    filename: str
    media_type: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """The media type the bytes really are, or None when it is not an allowed kind."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return None


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return OPEN_DOCUMENT.get(archive.read("mimetype").strip())
    except zipfile.BadZipFile:
        return None
    for prefix, media_type in OFFICE_TYPES.items():
        if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
            return media_type
    return None


def check(field: str, filename: str, data: bytes, photo_only: bool = False) -> Upload:
    """Accept a file only when its content is an allowed type within the size limit."""
    if not data:
        raise InvalidInput(_("The file is empty."), field)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            _(
                "The file is larger than %(n)d MB. Choose a smaller file.",
                n=MAX_FILE_BYTES // 2**20,
            ),
            field,
        )
    media_type = sniff(data)
    allowed = PHOTO_TYPES if photo_only else EXTENSIONS.keys()
    if media_type not in allowed:
        message = (
            _("This is not a photo. Upload a JPG or PNG file.")
            if photo_only
            else _(
                "This file type is not allowed. "
                "Upload a PDF, Word, Excel, OpenDocument, JPG or PNG file."
            )
        )
        raise InvalidInput(message, field)
    stem = (filename.rsplit(".", 1)[0] or "document")[:120]
    return Upload(stem + EXTENSIONS[media_type], media_type, data)
