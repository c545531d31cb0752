"""Browser tests: the real helpline served by Uvicorn, driven by Debian's Chromium through
Playwright (no browser download).

They run on SQLite only: they test what the browser gets; the database tests cover PostgreSQL.
Script errors, Content-Security-Policy violations and failed scripts, styles or images fail the
test. Screenshots go to test-artifacts/screenshots/ (git-ignored)."""

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from playwright.async_api import Browser, ConsoleMessage, Page, Response, async_playwright

from api.settings import PROJECT_ROOT
from bot.local import LocalHelpline

SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
# Chromium reports a failed request on the console too; `_failed_request` judges those.
FAILED_REQUEST = "Failed to load resource"

OpenPage = Callable[..., Awaitable[Page]]
Login = Callable[..., Awaitable[dict]]
Screenshot = Callable[[Page, str], Awaitable[Path]]


@pytest.fixture
def database_url(tmp_path: Path, migrated_sqlite: Path) -> str:
    """SQLite only (this overrides the two-database fixture of tests/conftest.py)."""
    database = tmp_path / "helpline.db"
    shutil.copyfile(migrated_sqlite, database)
    return f"sqlite+aiosqlite:///{database}"


class _Server(uvicorn.Server):
    """Uvicorn that says when it listens."""

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self.listening = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.listening.set()


@pytest.fixture
async def base_url(helpline: LocalHelpline) -> AsyncIterator[str]:
    """The helpline (backend and bot; its lifespan already runs) over HTTP on a free port, in
    the test's event loop."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = _Server(uvicorn.Config(helpline.app, lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    listening = asyncio.create_task(server.listening.wait())
    await asyncio.wait({serving, listening}, return_when=asyncio.FIRST_COMPLETED)
    if not server.listening.is_set():
        listening.cancel()
        pytest.fail(f"Uvicorn did not start: {serving.exception()!r}")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving
    sock.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: `make test` installs it (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox"]
        )
        yield browser
        await browser.close()


PAGE_AND_CALLS = ("document", "fetch", "xhr")


def _failed_request(response: Response) -> bool:
    """A script, style or image that did not load, or any server error. Pages and calls of a
    page's script answering 4xx (the login redirect, a refused role, a file the demo will not
    take) are what tests assert, through what the page shows, not failures."""
    if response.status >= 500:
        return True
    return response.status >= 400 and response.request.resource_type not in PAGE_AND_CALLS


@pytest.fixture
async def open_page(browser: Browser, base_url: str) -> AsyncIterator[OpenPage]:
    """`page = await open_page("phone")`: a page in a new browser context (its own cookies) of
    desktop (1280x800) or phone (360x740) size, in English unless `locale` says otherwise."""
    problems: list[str] = []
    contexts = []

    async def open_new(device: str = "desktop", *, locale: str = "en-US") -> Page:
        context = await browser.new_context(
            base_url=base_url, viewport=VIEWPORTS[device], locale=locale
        )
        contexts.append(context)
        page = await context.new_page()

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and not message.text.startswith(FAILED_REQUEST):
                problems.append(f"{device} console error at {page.url}: {message.text}")

        def on_response(response: Response) -> None:
            if _failed_request(response):
                problems.append(f"{device}: {response.status} for {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"{device} script error: {error}"))
        page.on("response", on_response)
        return page

    yield open_new
    for context in contexts:
        await context.close()
    if problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(problems))


@pytest.fixture
async def desktop(open_page: OpenPage) -> Page:
    return await open_page("desktop")


@pytest.fixture
async def phone(open_page: OpenPage) -> Page:
    return await open_page("phone")


@pytest.fixture
def login(staff_login) -> Login:
    """`member = await login(page, "admin")`: a new member of that role (see `staff_login`),
    logged in through the real login form; with `username` and `password`, that existing
    account instead. Lands on `next` (default /staff)."""

    async def log_in(
        page: Page,
        role: str = "agent",
        *,
        username: str | None = None,
        password: str | None = None,
        next: str = "/staff",
    ) -> dict:
        if password is None:
            member = await staff_login(role, username=username)
        else:
            member = {"username": username, "password": password}
        await page.goto(f"/staff/login?next={quote(next)}")
        await page.fill("input[name=username]", member["username"])
        await page.fill("input[name=password]", member["password"])
        async with page.expect_navigation() as navigation:
            await page.click("main form button[type=submit]")
        if "/staff/login" in page.url:
            said = await page.locator("main").inner_text()
            response = await navigation.value
            chain = []
            request = response.request if response else None
            while request is not None:
                chain.append(f"{request.method} {request.url}")
                request = request.redirected_from
            pytest.fail(f"could not log in as {member['username']}: {said} ({chain})")
        return member

    return log_in


@pytest.fixture
def screenshot() -> Screenshot:
    """`await screenshot(page, "team-phone")`: the whole page as
    test-artifacts/screenshots/team-phone.png."""

    async def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        await page.screenshot(path=path, full_page=True)
        return path

    return take
