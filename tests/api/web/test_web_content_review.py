"""Content review over HTTP: unreviewed translations, marking one reviewed, what answers say."""

import re
import shutil
from pathlib import Path

import httpx

from api.app import create_app
from api.i18n import Catalogs
from api.settings import Settings
from api.web.security import CSRF_COOKIE, SESSION_COOKIE
from bot import texts
from bot.standin import TelegramUser

NOTE = "⚠️"


def article(page: httpx.Response, slug: str, lang: str) -> str:
    """The HTML of one translation on the content review page."""
    pattern = rf'<article class="card review" id="{re.escape(slug)}-{lang}">(.*?)</article>'
    return re.search(pattern, page.text, re.S)[1]


def review_form(page: httpx.Response, slug: str, lang: str) -> dict[str, str]:
    """The hidden fields of the "mark reviewed" form of one translation on the page."""
    return dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', article(page, slug, lang))
    )


async def reviewed(client: httpx.AsyncClient, slug: str, lang: str) -> bool:
    topic = await client.get(f"/api/v1/topics/{slug}", params={"lang": lang})
    return topic.json()["reviewed"]


async def test_an_admin_marks_a_translation_reviewed_and_answers_say_so(
    api, signed_in, staff_login
):
    admin = await signed_in("admin")
    page = await api.get("/staff/content")
    assert page.status_code == 200
    assert 'id="hotlines-tet"' in page.text and 'id="hotlines-id"' not in page.text
    tetun = article(page, "hotlines", "tet")
    assert "Iha Indonézia:" in tetun  # the translation, with the Indonesian text to compare
    assert "Bandingkan dengan teks bahasa Indonesia" in tetun and "Di Indonesia:" in tetun
    assert not await reviewed(api, "hotlines", "tet")

    response = await api.post("/staff/content/review", data=review_form(page, "hotlines", "tet"))
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/content?done=reviewed#hotlines-tet"
    assert await reviewed(api, "hotlines", "tet")
    assert not await reviewed(api, "hotlines", "aoz")  # only the one that was checked
    answer = await api.get("/api/v1/answers", params={"q": "hotline", "lang": "tet"})
    assert answer.json()["answer"]["slug"] == "hotlines" and answer.json()["answer"]["reviewed"]

    after = await api.get(response.headers["location"])
    assert "Diperiksa oleh Test admin 1" in after.text
    assert 'name="sha256"' not in article(after, "hotlines", "tet")
    audit = await api.get("/api/v1/audit?action=content_reviewed", headers=admin["headers"])
    [entry] = audit.json()["items"]
    assert entry["staff_id"] == admin["id"]
    assert entry["detail"] == {"slug": "hotlines", "language": "tet"}

    again = await api.post("/staff/content/review", data=review_form(page, "hotlines", "tet"))
    assert again.status_code == 303  # a second click changes nothing
    audit = await api.get("/api/v1/audit?action=content_reviewed", headers=admin["headers"])
    assert audit.json()["total"] == 1


async def test_a_review_survives_a_restart_and_lapses_when_the_text_changes(
    database_url, staff_login, tmp_path: Path
):
    content_dir = tmp_path / "content"
    shutil.copytree(Settings().content_dir, content_dir)
    settings = Settings(
        _env_file=None, database_url=database_url, content_dir=content_dir, service_token="t"
    )
    admin = await staff_login("admin")

    async def run_app(action):
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://helpline.test"
            ) as client:
                client.cookies.set(SESSION_COOKIE, admin["token"], domain="helpline.test")
                client.cookies.set(CSRF_COOKIE, "csrf", domain="helpline.test")
                return await action(client)

    async def mark(client):
        page = await client.get("/staff/content")
        form = review_form(page, "trafficking.signs", "tet") | {"csrf_token": "csrf"}
        return (await client.post("/staff/content/review", data=form)).status_code

    assert await run_app(mark) == 303
    assert await run_app(lambda client: reviewed(client, "trafficking.signs", "tet"))

    topic = content_dir / "topics" / "trafficking.signs.yaml"
    text = topic.read_text(encoding="utf-8")
    tet_title = re.search(r"\n  tet:\n(?:.*\n)*?    title: (.*)\n", text)
    edited = text[: tet_title.start(1)] + tet_title[1] + " (edited)" + text[tet_title.end(1) :]
    topic.write_text(edited, encoding="utf-8")
    assert not await run_app(lambda client: reviewed(client, "trafficking.signs", "tet"))


async def test_a_review_on_one_worker_counts_at_once_on_another(settings, staff_login):
    """Two backend processes on one database: answers read the reviews from the database, so
    the worker that did not take the review does not keep saying "unreviewed"."""
    admin = await staff_login("admin")
    first, second = create_app(settings), create_app(settings)
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://h.test")
            for app in (first, second)
        ]
        one, other = clients
        try:
            assert not await reviewed(other, "hotlines", "tet")  # seen before the review
            one.cookies.set(SESSION_COOKIE, admin["token"], domain="h.test")
            one.cookies.set(CSRF_COOKIE, "csrf", domain="h.test")
            form = review_form(await one.get("/staff/content"), "hotlines", "tet")
            posted = await one.post("/staff/content/review", data=form | {"csrf_token": "csrf"})
            assert posted.status_code == 303
            assert await reviewed(other, "hotlines", "tet")
            answer = await other.get("/api/v1/answers", params={"q": "hotline", "lang": "tet"})
            assert answer.json()["answer"]["reviewed"]
        finally:
            for client in clients:
                await client.aclose()


async def test_refusals_are_explained_on_the_page(api, signed_in):
    await signed_in("admin")
    page = await api.get("/staff/content")
    form = review_form(page, "hotlines", "tet")

    stale = await api.post("/staff/content/review", data=form | {"sha256": "0" * 64})
    assert stale.status_code == 409 and "Teks sudah berubah" in stale.text
    unknown = await api.post("/staff/content/review", data=form | {"slug": "no.such.topic"})
    assert unknown.status_code == 404 and "Terjemahan ini tidak ada." in unknown.text
    checked = await api.post("/staff/content/review", data=form | {"lang": "id"})
    assert checked.status_code == 409 and "sudah ditandai diperiksa" in checked.text
    assert not await reviewed(api, "hotlines", "tet")


async def test_only_admins_review_and_only_with_the_csrf_token(api, signed_in, staff_login):
    admin = await signed_in("admin")
    form = review_form(await api.get("/staff/content"), "hotlines", "tet")
    without_token = {key: value for key, value in form.items() if key != "csrf_token"}
    assert (await api.post("/staff/content/review", data=without_token)).status_code == 403

    await signed_in("supervisor")
    assert (await api.get("/staff/content")).status_code == 403
    assert (await api.post("/staff/content/review", data=form)).status_code == 403
    assert not await reviewed(api, "hotlines", "tet")
    audit = await api.get("/api/v1/audit?action=content_reviewed", headers=admin["headers"])
    assert audit.json()["total"] == 0


async def test_the_bot_drops_the_unreviewed_note_once_reviewed(
    helpline, user: TelegramUser, staff_login
):
    tet = Catalogs(helpline.app.state.settings.locales_dir).translator("tet")
    await user.send("/start")
    await user.press("Tetun")
    before = await user.send(tet(texts.MENU_HOTLINE))
    assert before[-1].text.startswith(NOTE)

    admin = await staff_login("admin")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=helpline.app), base_url="http://helpline.test"
    ) as dashboard:
        dashboard.cookies.set(SESSION_COOKIE, admin["token"], domain="helpline.test")
        dashboard.cookies.set(CSRF_COOKIE, "csrf", domain="helpline.test")
        page = await dashboard.get("/staff/content")
        form = review_form(page, "hotlines", "tet") | {"csrf_token": "csrf"}
        assert (await dashboard.post("/staff/content/review", data=form)).status_code == 303

    after = await user.send(tet(texts.MENU_HOTLINE))
    assert not after[-1].text.startswith(NOTE)
    assert "110" in after[-1].text  # still the emergency contacts, in Tetun
