"""Decision letters: Jinja templates rendered to PDF with WeasyPrint.

Each kind of letter has a shipped template in app/letters/. An administrator may replace
it with an edited copy (a LetterTemplate row); `_base.html` always comes from the file.
Templates run in Jinja's sandbox with StrictUndefined, and an edited template is only
saved after `check_template` has compiled and test-rendered it, so a broken template
shows up on the preview page and never when a decision is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlparse

from flask import has_app_context, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import (
    BaseLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from sqlalchemy import select
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from app.extensions import db
from app.formatting import format_day, format_money
from app.models import LetterTemplate, User
from app.services.clock import local_today
from workflows import terms

log = logging.getLogger("sociale_basis.letters")

LETTER_DIR = Path(__file__).resolve().parent.parent / "letters"
BASE = "_base.html"
KINDS: tuple[str, ...] = (
    "grant_light",
    "grant",
    "refusal",
    "not_considered",
    "extension",
    "information_request",
    "determination",
    "objection_decision",
)
# The letters are Dutch content (Awb 2:6), so their names are Dutch in both languages.
KIND_NAMES: dict[str, str] = {
    "grant_light": "Verlening en vaststelling (lichte subsidie)",
    "grant": "Verlening van subsidie (regulier en uitgebreid)",
    "refusal": "Afwijzing",
    "not_considered": "Buiten behandeling stellen",
    "extension": "Verdaging van de beslissing",
    "information_request": "Verzoek om aanvulling",
    "determination": "Vaststelling van subsidie",
    "objection_decision": "Beslissing op bezwaar",
}
# Light-tier facts for grant_light contexts that predate these keys (SPEC §5: paid in full
# at grant, no report): a sent letter must never fail on a key the contract added later.
_LIGHT_TIER_DEFAULTS: dict[str, object] = {
    "obligations": [],
    "later_years_conditional": False,
    "report_deadline": None,
    "advance_percentage": 100,
}
# Decisions open to objection or appeal state the deadline in the remedies clause (3:45).
REMEDY_DEADLINES: dict[str, str] = {
    "grant_light": "objection_deadline",
    "grant": "objection_deadline",
    "refusal": "objection_deadline",
    "not_considered": "objection_deadline",
    "determination": "objection_deadline",
    "objection_decision": "appeal_deadline",
}
MAX_SOURCE_LENGTH = 100_000


def _edited_filename(kind: str) -> str:
    return f"{kind}.html (edited)"


class _LetterLoader(BaseLoader):
    """`_base.html` from the file; a kind from `overrides`, the database, or the file."""

    def __init__(self, overrides: dict[str, str] | None = None) -> None:
        self.overrides = overrides or {}

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        kind = template.removesuffix(".html")
        if template != BASE and (not template.endswith(".html") or kind not in KINDS):
            raise TemplateNotFound(template)
        if kind in self.overrides:
            return self.overrides[kind], _edited_filename(kind), lambda: False
        if template != BASE:
            row = _stored(kind)
            if row is not None:
                return row.body, _edited_filename(kind), lambda: False
        path = LETTER_DIR / template
        return path.read_text(encoding="utf-8"), str(path), lambda: False


def _stored(kind: str) -> LetterTemplate | None:
    if not has_app_context():
        return None
    return db.session.scalar(select(LetterTemplate).where(LetterTemplate.kind == kind))


def _environment(overrides: dict[str, str] | None = None) -> SandboxedEnvironment:
    # No template cache: an edited template must take effect on the next letter.
    environment = SandboxedEnvironment(
        loader=_LetterLoader(overrides),
        autoescape=True,
        undefined=StrictUndefined,
        cache_size=0,
    )
    environment.filters["money"] = lambda cents: format_money(cents, "nl")
    environment.filters["day"] = lambda value: format_day(value, "nl")
    return environment


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown letter kind {kind!r}")


def shipped_source(kind: str) -> str:
    """The template text shipped with the application (the default)."""
    _check_kind(kind)
    return (LETTER_DIR / f"{kind}.html").read_text(encoding="utf-8")


def current_source(kind: str) -> str:
    """The text used for letters now: the edited copy if there is one, else the default."""
    _check_kind(kind)
    row = _stored(kind)
    return row.body if row is not None else shipped_source(kind)


def render_html(kind: str, context: dict[str, object], source: str | None = None) -> str:
    """The letter as HTML; `source` renders an unsaved template text instead (preview)."""
    _check_kind(kind)
    if kind == "grant_light":
        context = {**_LIGHT_TIER_DEFAULTS, **context}
    environment = _environment({kind: source} if source is not None else None)
    return environment.get_template(f"{kind}.html").render(**context)


class _LetterFetcher(URLFetcher):
    """WeasyPrint may load the files of app/letters/ (letter.css) and data: URLs only, so a
    template cannot pull server files into a PDF or reach the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not (path.is_relative_to(LETTER_DIR) and path.is_file()):
                raise ValueError(f"letters may not load {url}")
        elif parsed.scheme != "data":
            raise ValueError(f"letters may not load {url}")
        return super().fetch(url, headers)


def render_pdf(kind: str, context: dict[str, object], source: str | None = None) -> bytes:
    """Letters are in Dutch, the language of the decision (Awb 2:6)."""
    html = render_html(kind, context, source)
    return HTML(string=html, base_url=str(LETTER_DIR), url_fetcher=_LetterFetcher()).write_pdf()


# --- Example contexts --------------------------------------------------------------------


def _common(today: date, subject: str) -> dict[str, object]:
    return {
        "municipality": "Groningen",
        "recipient_name": "Fatima el Amrani",
        "organisation_name": "Stichting Buurthuis De Vink",
        "reference": "SB-2026-000123",
        "subject": subject,
        "title": "Buurthuis De Vink: open huiskamer van Vinkhuizen",
        "received_on": today - timedelta(weeks=5),
        "decided_on": today,
        "signer_name": "Sanne Bakker",
        "legal_basis": "Subsidieregeling Sociale Basis Groningen 2024, artikel 6 tot en met 9",
        "motivation": (
            "De open huiskamer past goed bij het gebiedsprogramma van Vinkhuizen. "
            "Bewoners bepalen zelf mee welke activiteiten er zijn, en de begroting is "
            "helder en realistisch."
        ),
    }


def sample_context(kind: str) -> dict[str, object]:
    """A realistic Dutch example of the context a letter of this kind receives."""
    _check_kind(kind)
    today = local_today()
    objection_deadline = terms.objection_deadline(today).end
    if kind in ("grant_light", "grant"):
        light = kind == "grant_light"
        start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = (
            (start + timedelta(days=182)).replace(day=1) - timedelta(days=1)
            if light
            else date(start.year + 2, 12, 31)
        )
        years = [str(start.year)] if light else [str(start.year + i) for i in range(3)]
        per_year = 245_050 if light else 2_850_000
        context = _common(today, "Besluit op uw subsidieaanvraag SB-2026-000123")
        context.update(
            {
                "objection_deadline": objection_deadline,
                "amount_cents": per_year * len(years),
                "amounts_by_year": {year: per_year for year in years},
                "conditions": (
                    ""
                    if light
                    else "U houdt de huiskamer ten minste vijf dagen per week open en u werkt "
                    "samen met het wijkteam van Vinkhuizen."
                ),
                "obligations": (
                    []
                    if light
                    else [
                        "U stuurt ons elk half jaar een kort voortgangsverslag.",
                        "U vermeldt in uw publicaties dat de gemeente Groningen de "
                        "activiteiten mogelijk maakt.",
                    ]
                ),
                "period_start": start,
                "period_end": end,
                "later_years_conditional": not light,
                "report_deadline": None if light else end + timedelta(weeks=13),
                "advance_percentage": 100 if light else 80,
            }
        )
        if light:
            context["organisation_name"] = ""
            context["title"] = "Moestuin Beijum"
        return context
    if kind == "refusal":
        context = _common(today, "Besluit op uw subsidieaanvraag SB-2026-000123")
        context.update(
            {
                "objection_deadline": objection_deadline,
                "refusal_reason_text": (
                    "Het subsidieplafond voor 2026 is bereikt (artikel 4:25 Algemene wet "
                    "bestuursrecht)."
                ),
                "motivation": (
                    "Wij hebben de aanvragen behandeld in de volgorde waarin wij ze hebben "
                    "ontvangen. Toen wij uw aanvraag beoordeelden, was het geld voor dit jaar "
                    "al verdeeld."
                ),
            }
        )
        return context
    if kind == "not_considered":
        sent = today - timedelta(weeks=3)
        context = _common(today, "Besluit op uw subsidieaanvraag SB-2026-000123")
        context.update(
            {
                "objection_deadline": objection_deadline,
                "request_sent_on": sent,
                "answer_deadline": terms.answer_deadline(sent).end,
                "motivation": (
                    "Zonder een begroting en een activiteitenplan kunnen wij niet beoordelen "
                    "of uw activiteiten passen binnen de subsidieregeling."
                ),
            }
        )
        return context
    if kind == "extension":
        old_deadline = today + timedelta(days=10)
        context = _common(today, "Wij hebben meer tijd nodig voor ons besluit")
        context.update(
            {
                "old_deadline": old_deadline,
                "new_deadline": old_deadline + timedelta(weeks=4),
                "extension_weeks": 4,
                "motivation": (
                    "Wij vragen advies aan de gebiedsadviseur van Vinkhuizen over hoe uw "
                    "plan past bij het gebiedsprogramma. Dat advies hebben wij nog niet."
                ),
            }
        )
        return context
    if kind == "information_request":
        context = _common(today, "Wij hebben meer informatie nodig over uw aanvraag")
        context.update(
            {
                "questions": (
                    "1. Wilt u een begroting sturen met alle kosten en inkomsten?\n"
                    "2. Welke vrijwilligers helpen mee, en hoeveel uur per week?"
                ),
                "answer_deadline": terms.answer_deadline(today).end,
                "motivation": (
                    "In uw aanvraag ontbreekt een begroting. Die hebben wij nodig om het "
                    "bedrag te kunnen beoordelen."
                ),
            }
        )
        return context
    if kind == "determination":
        context = _common(today, "Vaststelling van uw subsidie SB-2026-000123")
        context.update(
            {
                "objection_deadline": objection_deadline,
                "granted_cents": 2_850_000,
                "determined_cents": 2_640_000,
                "paid_cents": 2_280_000,
                "report_received_on": today - timedelta(weeks=5),
                "payment_due_on": terms.payment_deadline(today).end,
                "motivation": (
                    "Uit uw verslag blijkt dat u de activiteiten hebt uitgevoerd. De kosten "
                    "voor de zaalhuur waren lager dan begroot."
                ),
            }
        )
        return context
    context = _common(today, "Beslissing op uw bezwaar, zaak SB-2026-000123")
    context.update(
        {
            "received_on": today - timedelta(weeks=20),
            "outcome": "unfounded",
            "objection_received_on": today - timedelta(weeks=6),
            "appeal_deadline": terms.objection_deadline(today).end,
            "motivation": (
                "U schrijft dat uw aanvraag te laat is behandeld. Wij hebben uw aanvraag "
                "binnen de wettelijke termijn behandeld. Het subsidieplafond was toen al "
                "bereikt. Daarom blijft de afwijzing staan."
            ),
        }
    )
    return context


def _check_contexts(kind: str) -> list[dict[str, object]]:
    """The example, plus variants with every optional value empty and every outcome, so
    that a branch the example does not take cannot fail when a real letter is sent."""
    full = sample_context(kind)
    sparse = {**full, "organisation_name": "", "motivation": ""}
    if kind == "refusal":
        sparse["refusal_reason_text"] = ""
    if kind in ("grant_light", "grant"):
        sparse.update(
            conditions="",
            obligations=[],
            later_years_conditional=False,
            report_deadline=None,
            advance_percentage=100,
            amounts_by_year={str(full["period_start"].year): full["amount_cents"]},  # type: ignore[attr-defined]
        )
    contexts = [full, sparse]
    if kind == "objection_decision":
        contexts += [{**sparse, "outcome": o} for o in ("well_founded", "inadmissible")]
    if kind == "grant_light":
        contexts = [{**_LIGHT_TIER_DEFAULTS, **context} for context in contexts]
    return contexts


# --- Checking an edited template ---------------------------------------------------------


def _template_line(traceback: TracebackType | None, filename: str) -> int | None:
    """The line of the edited template where a render error happened."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _at_line(line: int | None, message: str) -> str:
    if line is None:
        return message
    return _("Line %(line)d: %(message)s", line=line, message=message)


def _describe(kind: str, error: Exception) -> str:
    filename = _edited_filename(kind)
    if isinstance(error, TemplateSyntaxError):
        line = error.lineno if error.filename in (None, filename) else None
        return _at_line(line, _("syntax error: %(detail)s", detail=error.message or ""))
    line = _template_line(error.__traceback__, filename)
    if isinstance(error, SecurityError):
        return _at_line(line, _("not allowed in a letter template: %(detail)s", detail=error))
    if isinstance(error, UndefinedError):
        return _at_line(
            line,
            _(
                "unknown name: %(detail)s. Use only the fields listed below the text.",
                detail=error,
            ),
        )
    if isinstance(error, TemplateNotFound):
        return _at_line(
            line, _("template %(name)s does not exist or may not be used.", name=error.name)
        )
    return _at_line(line, f"{type(error).__name__}: {error}")


def check_template(kind: str, source: str) -> list[str]:
    """Compile and test-render `source` with the example context; readable errors, or [].

    Outside a request (CLI, tasks) the messages are in Dutch, the default language."""
    _check_kind(kind)
    with nullcontext() if has_request_context() else force_locale("nl"):
        return _check(kind, source)


def _check(kind: str, source: str) -> list[str]:
    if len(source) > MAX_SOURCE_LENGTH:
        return [_("The text is too long (at most %(max)d characters).", max=MAX_SOURCE_LENGTH)]
    environment = _environment({kind: source})
    try:
        template = environment.get_template(f"{kind}.html")
    except TemplateError as error:
        return [_describe(kind, error)]
    errors: list[str] = []
    for context in _check_contexts(kind):
        try:
            html = template.render(**context)
        except Exception as error:  # noqa: BLE001  (any failure is shown to the admin)
            message = _describe(kind, error)
            if message not in errors:
                errors.append(message)
            continue
        deadline_key = REMEDY_DEADLINES.get(kind)
        if deadline_key and format_day(context[deadline_key], "nl") not in html:  # type: ignore[arg-type]
            if kind == "objection_decision":
                message = _(
                    "The letter must state the appeal deadline with {{ %(field)s | day }} "
                    "(Awb 3:45).",
                    field=deadline_key,
                )
            else:
                message = _(
                    "The letter must state the objection deadline with {{ %(field)s | day }} "
                    "(Awb 3:45).",
                    field=deadline_key,
                )
            if message not in errors:
                errors.append(message)
    return errors


# --- Edited templates --------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateStatus:
    kind: str
    name: str
    customised: bool
    updated_at: datetime | None = None
    updated_by: str | None = None


def overview() -> list[TemplateStatus]:
    """Every kind of letter, with whether an administrator has edited it."""
    rows = {row.kind: row for row in db.session.scalars(select(LetterTemplate))}
    result = []
    for kind in KINDS:
        row = rows.get(kind)
        editor = db.session.get(User, row.updated_by_id) if row and row.updated_by_id else None
        result.append(
            TemplateStatus(
                kind=kind,
                name=KIND_NAMES[kind],
                customised=row is not None,
                updated_at=row.updated_at if row else None,
                updated_by=editor.name if editor else None,
            )
        )
    return result


def save_template(kind: str, source: str, actor: User) -> list[str]:
    """Store an edited template if it passes `check_template`; else return its errors."""
    _check_kind(kind)
    source = source.replace("\r\n", "\n")
    errors = check_template(kind, source)
    if errors:
        return errors
    row = _stored(kind)
    if row is None:
        row = LetterTemplate(kind=kind, body=source)
        db.session.add(row)
    row.body = source
    row.updated_by_id = actor.id
    db.session.commit()
    log.info("letter template %s saved by user %s", kind, actor.id)
    return []


def restore_default(kind: str, actor: User) -> bool:
    """Delete the edited copy so the shipped template is used again."""
    _check_kind(kind)
    row = _stored(kind)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    log.info("letter template %s restored to the default by user %s", kind, actor.id)
    return True


# --- Preview as text ---------------------------------------------------------------------


@dataclass
class TextBlock:
    """One block of a letter as read: a heading, paragraph, list item or table row."""

    kind: str
    lines: list[str] = field(default_factory=list)


class _TextExtractor(HTMLParser):
    """Headings, paragraphs, list items and table rows of the letter body, as text.

    Line breaks in the source count only inside `class="text"` (shown with pre-line)."""

    BLOCKS = {"h1": "heading", "h2": "heading", "h3": "heading", "p": "paragraph"}
    BLOCKS |= {"li": "item", "tr": "row", "div": "paragraph"}
    VOID = {"br", "meta", "link", "img", "hr", "input", "col", "wbr"}
    HIDDEN = {"head", "style", "script", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self.open: list[tuple[str, bool]] = []  # (tag, keeps line breaks)
        self.text: list[str] = []
        self.kind = "paragraph"

    def flush(self) -> None:
        lines = [" ".join(line.split()) for line in "".join(self.text).split("\n")]
        lines = [line for line in lines if line]
        if lines:
            self.blocks.append(TextBlock(self.kind, lines))
        self.text = []

    def _hidden(self) -> bool:
        return any(tag in self.HIDDEN for tag, _keeps in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.flush()
            self.kind = self.BLOCKS[tag]
        if tag == "br":
            self.text.append("\n")
        elif tag in ("td", "th") and "".join(self.text).strip():
            self.text.append(" \u2014 ")
        if tag not in self.VOID:
            classes = (dict(attrs).get("class") or "").split()
            self.open.append((tag, "text" in classes))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break
        if tag in self.BLOCKS:
            self.flush()
            self.kind = "paragraph"

    def handle_data(self, data: str) -> None:
        if self._hidden():
            return
        if not any(keeps for _tag, keeps in self.open):
            data = data.replace("\n", " ")
        self.text.append(data)


def text_blocks(html: str) -> list[TextBlock]:
    """The readable text of a rendered letter, for showing it escaped on a page."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    extractor.flush()
    return extractor.blocks
