"""Decision letters: Jinja templates rendered to PDF with WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML

from app.formatting import format_day, format_money

LETTER_DIR = Path(__file__).resolve().parent.parent / "letters"

_environment = Environment(
    loader=FileSystemLoader(LETTER_DIR),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
_environment.filters["money"] = lambda cents: format_money(cents, "nl")
_environment.filters["day"] = lambda value: format_day(value, "nl")


def render_html(template: str, context: dict[str, object]) -> str:
    return _environment.get_template(f"{template}.html").render(**context)


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    """Letters are in Dutch, the language of the decision (Awb 2:6)."""
    html = render_html(template, context)
    return HTML(string=html, base_url=str(LETTER_DIR)).write_pdf()
