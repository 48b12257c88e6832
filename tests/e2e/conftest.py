"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded
browser), on a phone-sized viewport, with axe-core checking every page visited."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself (factories, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, request):
    """Open a fresh phone-sized browser context; screenshot every page on failure."""
    pages = []

    def _new_page():
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        # Console errors (a CSP refusal, a failed script) fail the journey.
        page.console_errors = []
        page.on(
            "console",
            lambda message: (
                page.console_errors.append(f"{page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        pages.append(page)
        return page

    yield _new_page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        for index, page in enumerate(pages):
            page.screenshot(path=str(RESULTS / f"{request.node.name}-{index}.png"), full_page=True)
    for page in pages:
        page.context.close()


@pytest.fixture
def check_accessibility():
    """Run axe-core on the current page and fail on any WCAG 2.2 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
        },
        "resultTypes": ["violations"],
    }

    def _check(page):
        results = axe.run(page, options=options)
        violations = results.response["violations"]
        described = [
            f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations
        ]
        assert not violations, f"{page.url}: " + "; ".join(described)
        assert not page.console_errors, page.console_errors
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                          && !(e.parentElement && e.parentElement.closest('.table-scroll')))
                  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +
                          (e.textContent || '').trim().slice(0, 40))"""
            )
            raise AssertionError(f"{page.url} is {width}px wide on a 360px phone: {wide}")

    return _check
