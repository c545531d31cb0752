"""The `helpline` command: run, migrate, chat, ask, eval, content checks and staff accounts."""

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from api.answers.content import ContentError, Problem, load_content, read_content
from api.answers.matching import MessageReader
from api.answers.retrieval import TopicIndex
from api.encryption import DataKeyError
from api.errors import DomainError, NotFound
from api.offers.rules import RulesError
from api.settings import Settings
from api.staff.models import Role, Staff


def _load_index(settings: Settings) -> tuple:
    """The content and the reader of messages built on its topic index."""
    content = load_content(settings.content_dir)
    return content, MessageReader(TopicIndex(content), content, settings.content_dir)


def _jsonl_texts() -> Iterator[str]:
    """The "text" of each JSON line on standard input; "" for a line that is not one."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            yield str(json.loads(line).get("text", ""))
        except (json.JSONDecodeError, AttributeError):
            yield ""


AGENCY_SAMPLE = "agencies-sample.csv"


def _agency_sample_problems(path: Path) -> list[str]:
    """Problems of the sample registry in content/, each with its file and line."""
    from api.agencies.service import read_csv

    if not path.exists():
        return []
    try:
        _rows, problems = read_csv(path.read_text(encoding="utf-8-sig"))
    except DomainError as error:
        return [f"{path.name}: {error.message}"]
    return [f"{path.name}:{problem.line}: {problem.reason}" for problem in problems]


def content_check(settings: Settings, _args: argparse.Namespace) -> int:
    from api.cases import districts
    from api.cases.danger import DangerWords
    from api.offers.rules import validate as validate_offer_rules
    from helpline.runner import button_problems

    _content, content_problems = read_content(settings.content_dir)
    # Problems of the content files, then lines of the sample registry (as text).
    problems: list[Problem | str] = [
        *content_problems,
        *validate_offer_rules(settings.content_dir),
    ]
    for load in (districts.load, DangerWords.load):
        try:
            load(settings.content_dir)
        except ContentError as error:
            problems.extend(error.problems)
    if not problems:
        problems.extend(button_problems(_content, districts.load(settings.content_dir)))
    problems.extend(_agency_sample_problems(settings.content_dir / AGENCY_SAMPLE))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {settings.content_dir}", file=sys.stderr)
        return 1
    print(f"content OK: {len(_content.topics)} topics, {len(_content.contacts)} contacts")
    return 0


def migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from api.migrations import upgrade

    _use_keys_if_given(settings)
    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def ask(settings: Settings, args: argparse.Namespace) -> int:
    from api.answers.service import answer

    content, index = _load_index(settings)
    if args.jsonl:
        for text in _jsonl_texts():
            reading = index.read(text)
            output = {
                "topic": reading.topic,
                "score": reading.score,
                "alternatives": [m.slug for m in reading.ranking if m.slug != reading.topic],
                "suggestions": reading.suggestions,
                "small_talk": reading.small_talk,
                "danger": reading.danger,
                "lang": reading.lang,
            }
            print(json.dumps(output, ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        print('Give a question, e.g. helpline ask "cara buat paspor"', file=sys.stderr)
        return 2
    if args.lang not in content.language_codes:
        print(f"Unknown language {args.lang!r}; use one of {', '.join(content.language_codes)}")
        return 2
    result = answer(index, content, text=" ".join(args.question), lang=args.lang)
    if result.danger:
        print("Danger sign: a minor being taken away. Emergency contacts are shown first.")
    if result.small_talk:
        print("Small talk: a kind reply and the menu.")
        return 0
    if result.answer is None:
        if result.suggestions:
            print("Did you mean: " + ", ".join(s.slug for s in result.suggestions))
        else:
            print("No matching topic.")
        return 0
    print(f"[{result.topic}] score {result.score}")
    print(result.answer.title)
    print()
    print("\n\n".join(result.answer.pages))
    return 0


def evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from api.answers.evaluation import evaluate as evaluate_answers

    _content, index = _load_index(settings)
    print(evaluate_answers(index, Path(args.file)).format())
    return 0


def locales_update(settings: Settings, _args: argparse.Namespace) -> int:
    from api.i18n import update_catalogs
    from api.settings import PROJECT_ROOT

    languages = [language.code for language in load_content(settings.content_dir).languages]
    for path in update_catalogs(PROJECT_ROOT, settings.locales_dir, languages):
        print(f"updated {path}")
    return 0


def check_offer(settings: Settings, args: argparse.Namespace) -> int:
    from api.offers import rules, service

    offer_rules = rules.load(settings.content_dir)
    if args.image:
        return _check_offer_image(settings, args, offer_rules)
    if not args.jsonl:
        result = service.check(sys.stdin.read(), args.lang, offer_rules)
        print(f"risk: {result.risk}")
        for flag in result.flags:
            print(f"- {flag.id}: {flag.label}\n  «{flag.excerpt}»\n  {flag.advice}")
        print(result.advice)
        return 0
    for text in _jsonl_texts():
        result = service.check(text, args.lang, offer_rules)
        print(json.dumps({"risk": result.risk, "flags": [f.id for f in result.flags]}), flush=True)
    return 0


def _check_offer_image(settings: Settings, args: argparse.Namespace, offer_rules) -> int:
    """Read a screenshot with OCR; print what the bot would say, or with --json
    {"risk", "flags", "text"}."""
    from api.i18n import Catalogs
    from api.offers import ocr, service
    from bot.handlers import IMAGE_UNREADABLE, offer_check_reply

    try:
        read = ocr.read(Path(args.image).read_bytes())
    except (OSError, ocr.ImageError, ocr.OcrUnavailable) as error:
        print(f"cannot read {args.image}: {error}", file=sys.stderr)
        return 1
    _ = Catalogs(settings.locales_dir).translator(args.lang)
    if not read.readable:
        print(
            json.dumps({"risk": None, "flags": [], "text": read.text})
            if args.json
            else _(IMAGE_UNREADABLE)
        )
        return 0
    result = service.check(read.text, args.lang, offer_rules)
    if args.json:
        flags = [flag.id for flag in result.flags]
        print(
            json.dumps({"risk": result.risk, "flags": flags, "text": read.text}, ensure_ascii=False)
        )
    else:
        print(offer_check_reply(_, result.model_dump(), read_from_image=read.text))
    return 0


def evaluate_offers(settings: Settings, args: argparse.Namespace) -> int:
    from api.offers import evaluation, rules

    report = evaluation.evaluate(Path(args.file), rules.load(settings.content_dir))
    print(evaluation.format_report(report))
    return 0


MIN_SERVICE_TOKEN = 16  # characters: a guessable token would open every reporter's data
NO_TOKEN = """helpline run connects the helpline to Telegram and needs the bot's token:
  TELEGRAM_BOT_TOKEN=123456:ABC... helpline run     (get one from @BotFather)
To try the helpline without Telegram, run the demo:  helpline demo   (or: make run)
For an extra backend worker without the bot:        helpline serve"""


def _serve(settings: Settings, args: argparse.Namespace, mode) -> int:
    from helpline.runner import prepare

    if args.host:
        settings.host = args.host
    if args.port:
        settings.port = args.port
    prepare(settings)
    asyncio.run(mode(settings))
    return 0


def run(settings: Settings, args: argparse.Namespace) -> int:
    from helpline.runner import serve_telegram

    if not settings.telegram_bot_token or not settings.telegram_bot_token.get_secret_value():
        print(NO_TOKEN, file=sys.stderr)
        return 2
    return _serve(settings, args, serve_telegram)


NO_SERVICE_TOKEN = """helpline serve runs the backend apart from the bot, which calls it with the
service token: set the same HELPLINE_SERVICE_TOKEN for every worker and the bot, e.g.
  HELPLINE_SERVICE_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"""


def serve(settings: Settings, args: argparse.Namespace) -> int:
    from helpline.runner import serve_backend

    token = settings.service_token
    if token is None or len(token.get_secret_value()) < MIN_SERVICE_TOKEN:
        print(NO_SERVICE_TOKEN, file=sys.stderr)
        return 2
    return _serve(settings, args, serve_backend)


def demo(settings: Settings, args: argparse.Namespace) -> int:
    from helpline.runner import demo_settings, serve_demo

    return _serve(demo_settings(settings), args, serve_demo)


def chat(settings: Settings, args: argparse.Namespace) -> int:
    from api import encryption
    from api.migrations import upgrade
    from bot.terminal import chat as terminal_chat
    from helpline.runner import demo_settings

    settings = demo_settings(settings)
    encryption.use(settings.keyring())
    upgrade(settings.database_url)
    asyncio.run(terminal_chat(settings, language_code=args.lang))
    return 0


def _use_keys_if_given(settings: Settings) -> None:
    """The data keys, when set, for a command that migrates: a migration encrypts what an
    older version kept in clear (and says so when it has rows to encrypt and no key)."""
    from api import encryption

    if settings.data_keys is not None:
        encryption.use(settings.keyring())


def rotate_key(settings: Settings, _args: argparse.Namespace) -> int:
    """Re-encrypt every row with the newest key of HELPLINE_DATA_KEYS."""
    from api import encryption
    from api.cases.storage import LocalFolderStorage
    from api.db import create_engine, create_sessionmaker
    from api.key_rotation import rotate
    from api.migrations import upgrade

    keys = settings.keyring()
    encryption.use(keys)
    upgrade(settings.database_url)

    async def run() -> str:
        engine = create_engine(settings.database_url)
        try:
            done = await rotate(
                create_sessionmaker(engine), keys, LocalFolderStorage(settings.uploads_dir)
            )
        finally:
            await engine.dispose()
        older = len(keys.keys) - 1
        return (
            f"re-encrypted {done.values} values and {done.photos} photos and re-indexed "
            f"{done.cases_indexed} cases with the newest key; the {older} older key(s) can now "
            "be removed from HELPLINE_DATA_KEYS"
        )

    print(asyncio.run(run()))
    return 0


@asynccontextmanager
async def _database_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session on the configured database, committed when the block ends without error."""
    from api.db import create_engine, create_sessionmaker

    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            yield session
            await session.commit()
    finally:
        await engine.dispose()


def _read_password(args: argparse.Namespace) -> str:
    """The new password: one line of standard input, or typed twice at a terminal."""
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("New password: ")
    if getpass.getpass("Same password again: ") != password:
        raise DomainError("the two passwords differ", code="passwords_differ")
    return password


async def _staff_member(session: AsyncSession, username: str) -> Staff:
    from api.staff import service

    staff = await service.get_by_username(session, username)
    if staff is None:
        raise NotFound(f"no staff member with the username {username!r}")
    return staff


async def _staff_add(settings: Settings, args: argparse.Namespace) -> str:
    from api.staff import service
    from api.staff.schemas import StaffCreate

    data = StaffCreate(
        username=args.username, name=args.name, role=args.role, password=_read_password(args)
    )
    async with _database_session(settings) as session:
        staff = await service.create(session, data=data, actor=None)
    return f"added {staff.role} {staff.username} (id {staff.id})"


async def _staff_list(settings: Settings, _args: argparse.Namespace) -> str:
    from api.staff import service

    async with _database_session(settings) as session:
        members = await service.list_all(session)
    lines = [f"{'id':>4}  {'username':<24} {'role':<10} {'status':<8} name"]
    for staff in members:
        status = "active" if staff.active else "disabled"
        lines.append(
            f"{staff.id:>4}  {staff.username:<24} {staff.role:<10} {status:<8} {staff.name}"
        )
    return "\n".join(lines)


async def _staff_change(settings: Settings, username: str, **changes: object) -> str:
    from api.staff import service
    from api.staff.schemas import StaffUpdate

    data = StaffUpdate.model_validate(changes)
    async with _database_session(settings) as session:
        staff = await service.update(
            session, await _staff_member(session, username), data=data, actor=None
        )
    status = "active" if staff.active else "disabled"
    return f"{staff.username}: {staff.role}, {status}"


async def _staff_disable(settings: Settings, args: argparse.Namespace) -> str:
    return await _staff_change(settings, args.username, active=False)


async def _staff_enable(settings: Settings, args: argparse.Namespace) -> str:
    return await _staff_change(settings, args.username, active=True)


async def _staff_set_role(settings: Settings, args: argparse.Namespace) -> str:
    return await _staff_change(settings, args.username, role=args.role)


async def _staff_reset_password(settings: Settings, args: argparse.Namespace) -> str:
    from api.staff import service
    from api.staff.schemas import PasswordReset

    data = PasswordReset(password=_read_password(args))
    async with _database_session(settings) as session:
        staff = await _staff_member(session, args.username)
        await service.reset_password(session, staff, data=data, actor=None)
    return f"new password set for {staff.username}; their sessions have ended"


def staff(settings: Settings, args: argparse.Namespace) -> int:
    """Staff account commands; refusals are explained on stderr with exit code 2."""
    from api.migrations import upgrade

    _use_keys_if_given(settings)
    upgrade(settings.database_url)
    try:
        print(asyncio.run(args.staff_action(settings, args)))
    except ValidationError as error:
        for problem in error.errors():
            field = ".".join(str(part) for part in problem["loc"])
            print(f"{field}: {problem['msg']}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(error.message, file=sys.stderr)
        return 2
    return 0


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DomainError(f"cannot read {path}: {error}") from None


def _source_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


async def _agencies_import(settings: Settings, args: argparse.Namespace) -> str:
    from api.agencies import service

    text = await asyncio.to_thread(_read_text, args.file)
    async with _database_session(settings) as session:
        report = await service.import_csv(session, text, source_date=args.source_date)
    lines = [f"line {problem.line}: {problem.reason}" for problem in report.refused]
    lines.append(
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"refused {len(report.refused)}"
    )
    return "\n".join(lines)


async def _agencies_find(settings: Settings, args: argparse.Namespace) -> str:
    from api.agencies import service

    async with _database_session(settings) as session:
        registry = await service.load_registry(session)
    if not len(registry):
        return "the registry is empty: import it first (helpline agencies import FILE.csv)"
    found = registry.match(" ".join(args.name))
    lines = [f"{found.result} (score {found.score:g}, registry of {registry.source_date})"]
    for agency in [found.agency] if found.agency else [c.agency for c in found.candidates]:
        lines.append(
            f"- {agency.name} | licence {agency.licence_number or '-'} | {agency.status} | "
            f"{agency.address or '-'} | source {agency.source_date}"
        )
    return "\n".join(lines)


def agencies(settings: Settings, args: argparse.Namespace) -> int:
    """Registry commands; refusals are explained on stderr with exit code 2."""
    from api.migrations import upgrade

    _use_keys_if_given(settings)
    upgrade(settings.database_url)
    try:
        print(asyncio.run(args.agencies_action(settings, args)))
    except DomainError as error:
        print(error.message, file=sys.stderr)
        return 2
    return 0


def _add_agencies_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("agencies", help="the registry of licensed placement companies")
    parser.set_defaults(handler=agencies)
    actions = parser.add_subparsers(dest="action", required=True)
    importer = actions.add_parser("import", help="import an export of the registry (CSV)")
    importer.add_argument("file")
    importer.add_argument(
        "--source-date",
        type=_source_date,
        help="date of the export, for rows without a source_date (YYYY-MM-DD)",
    )
    importer.set_defaults(agencies_action=_agencies_import)
    finder = actions.add_parser("find", help="match a company name or licence number")
    finder.add_argument("name", nargs="+")
    finder.set_defaults(agencies_action=_agencies_find)


def _add_staff_commands(commands: argparse._SubParsersAction) -> None:
    roles = [role.value for role in Role]
    staff_parser = commands.add_parser("staff", help="staff accounts of the dashboard and API")
    staff_parser.set_defaults(handler=staff)
    actions = staff_parser.add_subparsers(dest="action", required=True)

    def add_action(name: str, function, summary: str) -> argparse.ArgumentParser:
        action = actions.add_parser(name, help=summary)
        action.set_defaults(staff_action=function)
        return action

    def with_password(action: argparse.ArgumentParser) -> None:
        action.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (the default when it is not a terminal)",
        )

    add = add_action("add", _staff_add, "create a staff account")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="full name")
    add.add_argument("--role", required=True, choices=roles)
    with_password(add)
    add_action("list", _staff_list, "list staff accounts")
    add_action("disable", _staff_disable, "disable an account and end its sessions").add_argument(
        "username"
    )
    add_action("enable", _staff_enable, "enable a disabled account").add_argument("username")
    set_role = add_action("set-role", _staff_set_role, "change the role of an account")
    set_role.add_argument("username")
    set_role.add_argument("role", choices=roles)
    reset = add_action("reset-password", _staff_reset_password, "set a new password")
    reset.add_argument("username")
    with_password(reset)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="helpline", description="NTT Safe Migration Helpline")
    commands = main.add_subparsers(dest="command", required=True)

    for name, handler, summary in (
        ("run", run, "the backend and the bot on Telegram (needs TELEGRAM_BOT_TOKEN)"),
        ("serve", serve, "the backend alone, e.g. an extra worker (never delivers messages)"),
        ("demo", demo, "the bot on a local stand-in, /demo, on a database of its own"),
    ):
        mode_parser = commands.add_parser(name, help=summary)
        mode_parser.add_argument("--host")
        mode_parser.add_argument("--port", type=int)
        mode_parser.set_defaults(handler=handler)

    commands.add_parser("migrate", help="apply database migrations").set_defaults(handler=migrate)
    commands.add_parser(
        "rotate-key", help="re-encrypt the database with the newest key of HELPLINE_DATA_KEYS"
    ).set_defaults(handler=rotate_key)

    chat_parser = commands.add_parser(
        "chat", help="chat with the bot in this terminal (on the demo's database)"
    )
    chat_parser.add_argument("--lang", default="id", help="your Telegram app's language")
    chat_parser.set_defaults(handler=chat)

    ask_parser = commands.add_parser("ask", help="answer a question from the content")
    ask_parser.add_argument("question", nargs="*")
    ask_parser.add_argument("--lang", default="id")
    ask_parser.add_argument("--jsonl", action="store_true", help="read {text, lang} lines on stdin")
    ask_parser.set_defaults(handler=ask)

    eval_parser = commands.add_parser("eval", help="measure quality on a labelled file")
    eval_kinds = eval_parser.add_subparsers(dest="kind", required=True)
    answers_parser = eval_kinds.add_parser("answers", help="question matching accuracy")
    answers_parser.add_argument("file")
    answers_parser.set_defaults(handler=evaluate)
    offers_parser = eval_kinds.add_parser("offers", help="offer checker quality")
    offers_parser.add_argument("file")
    offers_parser.set_defaults(handler=evaluate_offers)

    offer_parser = commands.add_parser("check-offer", help="check a job offer read on stdin")
    offer_parser.add_argument("--lang", default="id")
    offer_parser.add_argument("--jsonl", action="store_true", help="read {text} lines on stdin")
    offer_parser.add_argument("--image", help="a screenshot or photo of the offer, read with OCR")
    offer_parser.add_argument("--json", action="store_true", help="with --image: one JSON object")
    offer_parser.set_defaults(handler=check_offer)

    content_parser = commands.add_parser("content", help="curated content tools")
    content_actions = content_parser.add_subparsers(dest="action", required=True)
    content_actions.add_parser("check", help="validate content/").set_defaults(
        handler=content_check
    )

    locales_parser = commands.add_parser("locales", help="interface string catalogs")
    locales_actions = locales_parser.add_subparsers(dest="action", required=True)
    locales_actions.add_parser(
        "update", help="extract strings from the code into every catalog"
    ).set_defaults(handler=locales_update)

    _add_staff_commands(commands)
    _add_agencies_commands(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings()
    try:
        return args.handler(settings, args)
    except DataKeyError as error:
        print(error, file=sys.stderr)
        return 2
    except (ContentError, RulesError) as error:
        print("The content has problems; fix them and try again:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
