"""The resident's pages fit a phone-width screen (390 px) without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PAGES = ["/", "/regulations", "/register", "/login", "/portal/apply/bewonersinitiatief"]


def test_pages_fit_a_phone_screen(browser: Browser, live_server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_server}/register")
    page.get_by_label("Uw naam").fill("Sam de Boer")
    page.get_by_label("E-mailadres").fill("sam@example.org")
    page.get_by_label("Wachtwoord", exact=True).fill("een lange zin als wachtwoord")
    page.get_by_label("Herhaal het wachtwoord").fill("een lange zin als wachtwoord")
    page.get_by_role("button", name="Account aanmaken").click()
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a 390px screen"
        shot = tmp_path / f"{path.strip('/').replace('/', '_') or 'home'}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000
    context.close()
