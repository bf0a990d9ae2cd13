"""Browser tests: the app served on a free local port, driven by Debian's Chromium.

Time is travelled with `tick=True` (see `frozen_time` in tests/conftest.py): the server
thread sees 2 March 2026 and the clock keeps moving. time-machine does not touch
`time.monotonic`, which Playwright's event loop uses, and Chromium runs in its own
process, so Playwright's waits and timeouts are unaffected.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 10_000


@pytest.fixture()
def live_server(app: Flask, reference_data: dict[str, object]) -> Iterator[str]:
    """The test app on 127.0.0.1 with a free port, with the demo municipality seeded."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    yield new_page
    context.close()


_AXE = Axe()


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture()
def assert_accessible() -> Callable[[Page], dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page and fail on any violation."""

    def check(page: Page) -> dict:
        results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        assert not violations, f"axe violations on {page.url}:\n{_describe(violations)}"
        return results.response

    return check
