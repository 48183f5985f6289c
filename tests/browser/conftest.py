"""Tier 4 in a real browser: people use the portals through Chromium, against the real stack.

Playwright drives Debian's `chromium` (Playwright's own browser download is not used); the
stack is the one the e2e tier starts (broker, database, four services, gateway). A missing
chromium skips this tier on a developer's machine and fails it in CI (CI=true), where
.ci/run installs it.

Screenshots of each portal's home page, and of every page open when a test fails, are kept
under build/artefacts/screenshots/.
"""

import os
import re
import shutil
import uuid

import pytest

from verband_testkit import ROOT, Stack, attach_stack_logs
from verband_testkit.api import PASSWORD, TEAM_ROLES, create_team

SCREENSHOTS = ROOT / "build" / "artefacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
# Every role a browser test acts in; each is held by its own person of the team.
BROWSER_ROLES = (*TEAM_ROLES, "family_coach", "secretary", "iroj_viewer")
# What axe-core may not find on a page (WCAG 2.1 AA rules and best practices it checks).
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 15_000


def _unavailable(message: str):
    """No browser: a failure in CI, where .ci/run installs one; a skip elsewhere."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(message)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    attach_stack_logs(item, report)
    if report.failed and report.when == "call":
        for n, page in enumerate(item.funcargs.get("people", _People.none()).pages()):
            try:
                path = SCREENSHOTS / "failures" / f"{item.name}-{n}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("screenshot", f"{page.url} -> {path}"))
            except Exception as exc:  # noqa: BLE001 - a closed page has nothing to show
                report.sections.append(("screenshot", f"none: {exc!r}"))


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole run."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements/dev.in)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def stack(chromium):
    # Asks for the browser first: without one there is no point starting the stack.
    stack = Stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def team(stack):
    """A network in Limburg with one person per role, shared by the tests of this run."""
    return create_team(stack, roles=BROWSER_ROLES, region="Limburg")


@pytest.fixture(scope="session")
def other_team(stack):
    """Another network, in another region: nothing of it may show to `team`'s people."""
    return create_team(stack, roles=BROWSER_ROLES, region="Antwerpen")


class Person:
    """One person in their own browser context (own cookies), signed in through the form."""

    def __init__(self, context, email: str, label: str):
        self.context = context
        self.page = context.new_page()
        self.email = email
        self.label = label

    def sign_in(self, email: str | None = None, password: str = PASSWORD):
        """Through the sign-in form; from a page that asked for it, or from the form itself."""
        page = self.page
        if email is not None:
            self.email = email
        if "/aanmelden" not in page.url:
            page.goto("/aanmelden")
        page.get_by_label("E-mailadres").fill(self.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()
        assert "/aanmelden" not in page.url, f"{self.label} not signed in: {self.text()[:400]}"
        return self

    def goto(self, path: str, expect_status: int | None = 200):
        response = self.page.goto(path)
        if expect_status is not None:
            assert response is not None and response.status == expect_status, (
                f"{self.label}: GET {path} answered "
                f"{response.status if response else None}: {self.text()[:600]}"
            )
        return response

    def text(self) -> str:
        return self.page.locator("body").inner_text()

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text()

    def screenshot(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def accessibility_violations(self) -> list[dict]:
        """axe-core's serious and critical findings on the page as it is now."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]

    def sideways_overflow(self) -> list[str]:
        """Elements that stick out of the viewport on the right (the page scrolls sideways)."""
        return self.page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width + 1) return [];
                return [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > width + 1)
                    .filter(el => !el.parentElement
                        || el.parentElement.getBoundingClientRect().right <= width + 1)
                    .slice(0, 8)
                    .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}: `
                        + `${Math.round(el.getBoundingClientRect().right)}px of ${width}px `
                        + `"${(el.innerText || '').slice(0, 40)}"`);
            }"""
        )

    def accessibility_problems(self) -> str:
        """axe-core's serious and critical findings, described; empty when there are none."""
        return describe(self.accessibility_violations())

    def assert_accessible(self):
        found = self.accessibility_violations()
        assert not found, f"axe-core on {self.page.url} ({self.label}):\n" + describe(found)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v.get("nodes", [])[:5]:
            lines.append(
                f"    {' '.join(map(str, node.get('target', [])))}: {node.get('html', '')[:160]}"
            )
    return "\n".join(lines)


class _People:
    """Opens a signed-in browser per person: people.of(team, "referrer")."""

    def __init__(self, chromium, base_url: str):
        self.chromium = chromium
        self.base_url = base_url
        self.opened: list[Person] = []

    @classmethod
    def none(cls):
        return cls(None, "")

    def as_(self, email: str, label: str | None = None, sign_in: bool = True) -> Person:
        context = self.chromium.new_context(
            base_url=self.base_url,
            locale="nl-BE",
            timezone_id="Europe/Brussels",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        person = Person(context, email, label or email)
        self.opened.append(person)
        return person.sign_in() if sign_in else person

    def of(self, team, role: str, sign_in: bool = True) -> Person:
        return self.as_(team.people[role]["email"], f"{role} of {team.network['name']}", sign_in)

    def anonymous(self) -> Person:
        return self.as_(f"anonymous-{uuid.uuid4().hex[:6]}", "anonymous", sign_in=False)

    def pages(self):
        return [p.page for p in self.opened if not p.page.is_closed()]

    def close(self):
        for person in self.opened:
            try:
                person.context.close()
            except Exception:  # noqa: BLE001, S110 - already closed with the browser
                pass


@pytest.fixture
def people(chromium, stack):
    opened = _People(chromium, stack.base_url)
    try:
        yield opened
    finally:
        opened.close()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
