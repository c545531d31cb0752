"""The application factory: routes, with content and database owned by the lifespan."""

import asyncio
import gc
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    contextmanager,
)

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from api import encryption, files_read
from api.agencies.router import router as agencies_router
from api.agencies.service import RegistryCache
from api.answers.router import router as answers_router
from api.audit.router import router as audit_router
from api.campaigns.queuing import CampaignQueuer, queuing
from api.campaigns.router import router as campaigns_router
from api.cases.notices import Notices
from api.cases.router import router as cases_router
from api.cases.staff_router import router as staff_cases_router
from api.cases.storage import LocalFolderStorage
from api.conversations.router import router as conversations_router
from api.db import create_engine, create_sessionmaker
from api.errors import add_error_handler
from api.forms.router import router as forms_router
from api.offers.router import OCR_SLOTS
from api.offers.router import router as offers_router
from api.openapi import document_refusals
from api.outbox.router import router as outbox_router
from api.reporters.router import router as reporters_router
from api.retention.job import RetentionJob, retaining
from api.retention.service import Periods
from api.settings import Settings
from api.staff.router import auth_router
from api.staff.router import router as staff_router
from api.stats.router import router as stats_router
from api.text import TextGuard
from api.web import audit_log, campaigns, case_page, content_review, queue, sheet, stats, team
from api.web.auth import add_login_redirect
from api.web.pages import STATIC_DIR, add_role_refused_page
from api.web.router import router as web_router
from api.web.security import add_proxy_headers, add_security_headers


@contextmanager
def long_lived_objects_frozen() -> Iterator[None]:
    """What the app keeps while it runs (content, its index, catalogs, the bot) out of the
    garbage collector's full collections: each full collection scanned all of it again, about
    a tenth of the CPU of a conversation. Python's gc.freeze, for objects that live as long as
    the process. (No collection first: it cost a tenth of a start, and what it would free is
    little and freed when the app stops.)"""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


ExtraLifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(settings: Settings, *, extra_lifespan: ExtraLifespan | None = None) -> FastAPI:
    """Build the backend. `extra_lifespan` runs inside it (the bot, when in one process)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        encryption.use(settings.keyring())  # refused (DataKeyError) without a key
        app.state.settings = settings
        read = files_read.read(settings)
        app.state.content = read.content
        app.state.topic_index = read.topic_index
        app.state.message_reader = read.message_reader
        app.state.offer_rules = read.offer_rules
        app.state.catalogs = read.catalogs
        app.state.districts = read.districts
        app.state.forms = read.forms
        app.state.danger_words = read.danger_words
        app.state.storage = LocalFolderStorage(settings.uploads_dir)
        app.state.agency_registry = RegistryCache()
        # per app, so per event loop: a module-level semaphore outlived the loop of a stopped
        # app, and a slot held when that loop stopped was never given back
        app.state.ocr_slots = asyncio.Semaphore(OCR_SLOTS)
        app.state.notices = Notices(
            catalogs=app.state.catalogs,
            districts=app.state.districts,
            forms=app.state.forms,
            staff_chat_id=settings.staff_chat_id,
            staff_chat_channel=settings.staff_chat_channel,
            public_url=settings.public_url,
        )
        token = settings.service_token
        app.state.service_token = token.get_secret_value() if token else secrets.token_urlsafe(32)
        engine = create_engine(settings.database_url)
        app.state.sessionmaker = create_sessionmaker(engine)
        try:
            app.state.campaign_queuer = CampaignQueuer(
                app.state.sessionmaker,
                batch_size=settings.campaign_batch_size,
                catalogs=app.state.catalogs,
            )
            app.state.retention = RetentionJob(
                app.state.sessionmaker,
                storage=app.state.storage,
                forms=app.state.forms,
                periods=Periods.from_settings(settings),
            )
            async with AsyncExitStack() as stack:
                if settings.campaign_queue_seconds > 0:
                    await stack.enter_async_context(
                        queuing(app.state.campaign_queuer, settings.campaign_queue_seconds)
                    )
                if settings.retention_every_seconds > 0:
                    await stack.enter_async_context(
                        retaining(app.state.retention, settings.retention_every_seconds)
                    )
                if extra_lifespan is not None:
                    await stack.enter_async_context(extra_lifespan(app))
                with long_lived_objects_frozen():
                    yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="NTT Safe Migration Helpline",
        version="0.1.0",
        summary="Backend of the helpline: content, answers, reports and the people it talks to.",
        lifespan=lifespan,
    )
    # FastAPI tries the routers in turn for every request: the channel's, most asked first
    app.include_router(conversations_router)
    app.include_router(answers_router)
    app.include_router(forms_router)
    app.include_router(reporters_router)
    app.include_router(offers_router)
    app.include_router(cases_router)
    app.include_router(agencies_router)
    app.include_router(staff_cases_router)
    app.include_router(outbox_router)
    app.include_router(auth_router)
    app.include_router(staff_router)
    app.include_router(audit_router)
    app.include_router(web_router)
    app.include_router(team.router)
    app.include_router(audit_log.router)
    app.include_router(content_review.router)
    app.include_router(stats.router)
    app.include_router(queue.router)
    app.include_router(sheet.router)
    app.include_router(case_page.router)
    app.include_router(campaigns.router)
    app.mount("/staff/static", StaticFiles(directory=STATIC_DIR), name="staff-static")
    app.include_router(stats_router)
    app.include_router(campaigns_router)
    add_error_handler(app)
    document_refusals(app)
    app.add_middleware(TextGuard)
    add_login_redirect(app)
    add_role_refused_page(app)
    case_page.add_case_refused_page(app)
    add_security_headers(app, settings)
    add_proxy_headers(app, settings)  # added last: runs first, before anything reads the scheme

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz(request: Request) -> JSONResponse:
        try:
            async with request.app.state.sessionmaker() as session:
                await session.execute(text("SELECT 1"))
        except Exception:  # any database failure means "not ready", never a 500
            return JSONResponse({"status": "database unreachable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    return app
