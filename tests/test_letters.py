"""Decision letters per kind (SPEC §6) and the administrator's letter template editor."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select
from support import OFFICER, csrf_token, database, login, post_form, user_by_email

from app.formatting import format_day
from app.models import LetterTemplate
from app.services import letters

ADMIN = "beheerder@demo.sociale-basis.nl"
KEY_PHRASES = {
    "grant_light": "stellen deze subsidie direct vast",
    "grant": "wij verlenen u subsidie",
    "refusal": "wij wijzen uw aanvraag af",
    "not_considered": "wij nemen uw aanvraag niet in behandeling",
    "extension": "verdagen de beslissing",
    "information_request": "Wij hebben meer informatie nodig",
    "determination": "Wij betalen u nog € 3.600,00",
    "objection_decision": "Beslissing op bezwaar",
}
REMEDY_DATE = {
    "grant_light": "objection_deadline",
    "grant": "objection_deadline",
    "refusal": "objection_deadline",
    "not_considered": "objection_deadline",
    "determination": "objection_deadline",
    "objection_decision": "appeal_deadline",
}
OBJECTION_CLAUSE = "Bent u het niet eens met dit besluit"


def pdf_text(data: bytes) -> str:
    """The PDF's text with lines joined, as a reader takes it in."""
    pages = PdfReader(io.BytesIO(data)).pages
    text = "\n".join(page.extract_text() for page in pages).replace("\xa0", " ")
    return " ".join(text.split())


def letter_page(kind: str) -> str:
    return f"/admin/letters/{kind}"


def stored_templates(app: Flask) -> list[LetterTemplate]:
    with database(app) as session:
        return session.scalars(select(LetterTemplate)).all()


def as_admin(client: FlaskClient) -> FlaskClient:
    login(client, ADMIN)
    return client


def with_body_line(kind: str, old: str, new: str) -> str:
    source = letters.shipped_source(kind)
    assert old in source
    return source.replace(old, new, 1)


# --- Rendering every kind ----------------------------------------------------------------


def test_kinds_are_the_eight_letters() -> None:
    assert tuple(KEY_PHRASES) == letters.KINDS


@pytest.mark.parametrize("kind", list(KEY_PHRASES))
def test_every_kind_renders_a_pdf_from_its_example(app: Flask, kind: str) -> None:
    with app.app_context():
        context = letters.sample_context(kind)
        text = pdf_text(letters.render_pdf(kind, context))
    assert context["reference"] in text
    assert KEY_PHRASES[kind] in text
    assert format_day(context["decided_on"], "nl") in text
    if kind in REMEDY_DATE:
        assert format_day(context[REMEDY_DATE[kind]], "nl") in text
    if kind in ("extension", "information_request"):
        assert "bezwaar maken" not in text
        assert OBJECTION_CLAUSE not in text
    elif kind == "objection_decision":
        assert "beroep instellen bij de rechtbank Noord-Nederland" in text
        assert "bezwaar maken" not in text
    else:
        assert "bezwaar maken" in text and OBJECTION_CLAUSE in text


def test_the_shipped_templates_pass_their_own_check(app: Flask) -> None:
    with app.app_context():
        for kind in letters.KINDS:
            assert letters.check_template(kind, letters.shipped_source(kind)) == [], kind


def test_grant_letter_has_amounts_per_year_conditions_obligations_and_the_4_34_clause(
    app: Flask,
) -> None:
    with app.app_context():
        context = letters.sample_context("grant")
        text = pdf_text(letters.render_pdf("grant", context))
    assert len(context["amounts_by_year"]) == 3
    for year, cents in context["amounts_by_year"].items():
        assert f"{year} € {cents // 100:,}".replace(",", ".") in text
    assert context["legal_basis"] in text
    assert context["conditions"] in text
    for obligation in context["obligations"]:
        assert obligation in text
    assert "4:34" in text and "begroting" in text
    assert "80 procent van het bedrag als voorschot" in text
    assert format_day(context["report_deadline"], "nl") in text


def test_a_one_year_grant_has_no_budget_clause(app: Flask) -> None:
    with app.app_context():
        context = letters.sample_context("grant")
        year, cents = next(iter(context["amounts_by_year"].items()))
        context.update(
            amounts_by_year={year: cents},
            amount_cents=cents,
            later_years_conditional=False,
            report_deadline=None,
            advance_percentage=100,
        )
        text = pdf_text(letters.render_pdf("grant", context))
    assert "4:34" not in text
    assert "volledige bedrag als voorschot" in text


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        ("well_founded", "gegrond"),
        ("unfounded", "ongegrond"),
        ("inadmissible", "niet-ontvankelijk"),
    ],
)
def test_objection_decision_says_the_outcome_in_dutch(app: Flask, outcome: str, words: str) -> None:
    with app.app_context():
        context = {**letters.sample_context("objection_decision"), "outcome": outcome}
        text = pdf_text(letters.render_pdf("objection_decision", context))
    assert f"Uw bezwaar is {words}." in text


def test_a_missing_context_key_fails_loudly(app: Flask) -> None:
    context = letters.sample_context("refusal")
    del context["refusal_reason_text"]
    with app.app_context(), pytest.raises(Exception, match="refusal_reason_text"):
        letters.render_html("refusal", context)


def test_grant_light_accepts_the_older_context_without_tier_keys(app: Flask) -> None:
    context = letters.sample_context("grant_light")
    for key in ("obligations", "later_years_conditional", "report_deadline", "advance_percentage"):
        del context[key]
    with app.app_context():
        text = pdf_text(letters.render_pdf("grant_light", context))
    assert "Wij maken het volledige bedrag binnen zes weken over" in text


def test_letters_cannot_load_files_outside_the_letter_folder() -> None:
    fetcher = letters._LetterFetcher()
    css = fetcher.fetch((letters.LETTER_DIR / "letter.css").as_uri())
    css.close()
    for url in ("file:///etc/passwd", "http://example.org/logo.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# --- check_template ----------------------------------------------------------------------


def test_check_reports_a_syntax_error_with_its_line(app: Flask) -> None:
    source = with_body_line("refusal", "{% block body %}", "{% block body %}\n{% if %}")
    with app.app_context():
        errors = letters.check_template("refusal", source)
    assert len(errors) == 1
    assert errors[0].startswith("Regel 3: fout in de opbouw: Expected an expression")


def test_check_reports_an_undefined_name_with_its_line(app: Flask) -> None:
    source = (
        "{% extends '_base.html' %}\n{% block body %}\n<p>{{ undefined_thing }}</p>\n{% endblock %}"
    )
    with app.app_context():
        errors = letters.check_template("refusal", source)
    assert len(errors) == 1
    assert errors[0].startswith("Regel 3: onbekende naam: 'undefined_thing' is undefined")


def test_check_refuses_sandbox_escapes(app: Flask) -> None:
    with app.app_context():
        for source in (
            "{{ ''.__class__.__mro__ }}",
            "{{ cycler.__init__.__globals__ }}",
            "{{ reference.__class__ }}",
        ):
            errors = letters.check_template("extension", source)
            assert errors and "unsafe" in " ".join(errors), source


def test_check_refuses_a_decision_letter_without_the_objection_deadline(app: Flask) -> None:
    source = "{% extends '_base.html' %}{% block remedies %}{% endblock %}"
    with app.app_context():
        assert letters.check_template("refusal", source)
        assert letters.check_template("extension", source) == []


def test_check_renders_branches_the_example_does_not_take(app: Flask) -> None:
    # Fine with the example's report date, fails for a letter without a report deadline.
    source = with_body_line(
        "grant", "<h2>Verantwoording</h2>", "<h2>Verantwoording {{ report_deadline.year }}</h2>"
    )
    with app.app_context():
        assert letters.check_template("grant", source)


# --- The administrator's pages -----------------------------------------------------------


def test_an_officer_may_not_open_the_admin_pages(app: Flask, client: FlaskClient) -> None:
    login(client, OFFICER)
    for url in ("/admin/", "/admin/letters/", letter_page("grant"), "/admin/letters/grant/restore"):
        assert client.get(url).status_code == 403, url
    page = client.get("/cases/").get_data(as_text=True)
    response = client.post(
        letter_page("grant"),
        data={"csrf_token": csrf_token(page), "body": "x", "action": "save"},
    )
    assert response.status_code == 403
    assert stored_templates(app) == []


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get("/admin/letters/")
    assert response.status_code == 302 and "/login" in response.location


def test_admin_sees_every_letter_template(client: FlaskClient) -> None:
    html = as_admin(client).get("/admin/letters/").get_data(as_text=True)
    assert "<h1>Briefsjablonen</h1>" in html
    for kind, name in letters.KIND_NAMES.items():
        assert f'href="/admin/letters/{kind}"' in html
        assert name in html
    assert "Standaard" in html and "Aangepast" not in html


def test_edit_page_shows_the_source_in_a_labelled_textarea(client: FlaskClient) -> None:
    html = as_admin(client).get(letter_page("extension")).get_data(as_text=True)
    assert '<label class="label" for="body">' in html
    assert "verdagen de beslissing" in html
    assert "<code>new_deadline</code>" in html


def test_preview_with_a_syntax_error_shows_the_line_and_saves_nothing(
    app: Flask, client: FlaskClient
) -> None:
    source = with_body_line("refusal", "{% block body %}", "{% block body %}\n{% if %}")
    response = post_form(
        as_admin(client), letter_page("refusal"), {"body": source, "action": "preview"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and 'href="#body"' in html
    assert 'id="body-error"' in html
    assert "Regel 3: fout in de opbouw" in html
    assert "Voorbeeld met voorbeeldgegevens" not in html
    assert stored_templates(app) == []


def test_saving_a_template_with_an_undefined_name_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    source = with_body_line("refusal", "<h2>De reden</h2>", "<h2>{{ undefined_thing }}</h2>")
    response = post_form(
        as_admin(client), letter_page("refusal"), {"body": source, "action": "save"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "undefined_thing" in html and "onbekende naam" in html
    assert stored_templates(app) == []


def test_saving_a_sandbox_escape_is_refused(app: Flask, client: FlaskClient) -> None:
    source = with_body_line("refusal", "<h2>De reden</h2>", "<h2>{{ ''.__class__.__mro__ }}</h2>")
    response = post_form(
        as_admin(client), letter_page("refusal"), {"body": source, "action": "save"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "niet toegestaan in een briefsjabloon" in html and "__class__" in html
    assert "&lt;class" not in html and "object&#39;&gt;" not in html
    assert stored_templates(app) == []


def test_preview_shows_the_letter_as_escaped_text(app: Flask, client: FlaskClient) -> None:
    source = with_body_line(
        "refusal",
        "<h2>De reden</h2>",
        '<h2>De reden</h2><p><b onclick="steal()">Lees dit goed</b><script>steal()</script></p>',
    )
    response = post_form(
        as_admin(client), letter_page("refusal"), {"body": source, "action": "preview"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    preview = html.split('id="preview-title"', 1)[1].split("</section>", 1)[0]
    assert "Lees dit goed" in preview
    assert "wij wijzen uw aanvraag af" in preview
    assert "onclick" not in preview and "<script" not in preview and "<b " not in preview
    assert stored_templates(app) == []


def test_preview_as_pdf_downloads_the_letter(app: Flask, client: FlaskClient) -> None:
    source = with_body_line("extension", "U hoeft niets te doen.", "U hoeft echt niets te doen.")
    response = post_form(
        as_admin(client), letter_page("extension"), {"body": source, "action": "pdf"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "U hoeft echt niets te doen." in pdf_text(response.data)
    assert stored_templates(app) == []


def test_a_saved_template_is_used_for_letters_until_the_default_is_restored(
    app: Flask, client: FlaskClient
) -> None:
    as_admin(client)
    source = with_body_line(
        "refusal", "wij wijzen uw aanvraag af", "wij wijzen uw aanvraag helaas af"
    )
    response = post_form(client, letter_page("refusal"), {"body": source, "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    with database(app) as session:
        row = session.scalar(select(LetterTemplate).where(LetterTemplate.kind == "refusal"))
        assert row.body == source
        assert row.updated_by_id == user_by_email(ADMIN).id
        text = pdf_text(letters.render_pdf("refusal", letters.sample_context("refusal")))
    assert "wij wijzen uw aanvraag helaas af" in text
    listing = client.get("/admin/letters/").get_data(as_text=True)
    assert "Aangepast" in listing and "Eva Kuipers" in listing
    assert "helaas" in client.get(letter_page("refusal")).get_data(as_text=True)

    confirmation = client.get("/admin/letters/refusal/restore")
    assert confirmation.status_code == 200
    assert "Standaardtekst terugzetten?" in confirmation.get_data(as_text=True)
    assert len(stored_templates(app)) == 1  # opening the confirmation changes nothing
    response = post_form(client, "/admin/letters/refusal/restore", {})
    assert response.status_code == 302

    with database(app) as session:
        assert session.scalar(select(func.count(LetterTemplate.id))) == 0
        text = pdf_text(letters.render_pdf("refusal", letters.sample_context("refusal")))
    assert "helaas" not in text and "wij wijzen uw aanvraag af" in text
    assert "helaas" not in client.get(letter_page("refusal")).get_data(as_text=True)


def test_restoring_a_default_that_is_already_in_use_changes_nothing(client: FlaskClient) -> None:
    response = as_admin(client).get("/admin/letters/grant/restore")
    assert response.status_code == 302
    assert response.location.endswith(letter_page("grant"))


def test_unknown_letter_kind_is_not_found(client: FlaskClient) -> None:
    assert as_admin(client).get(letter_page("nonsense")).status_code == 404
