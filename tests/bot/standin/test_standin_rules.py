"""The stand-in refuses what Telegram refuses, with Telegram's status codes and words: each
rule the bot could break, tried at the limit and one past it."""

import asyncio
import json

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.standin import BotApiStandin, FloodLimits

TOKEN = "123456:test-token_for-the-standin"
CHAT = 5550001


@pytest.fixture
def standin() -> BotApiStandin:
    standin = BotApiStandin(flood=None)
    standin.open_chat(CHAT)
    return standin


async def call(standin: BotApiStandin, method: str, **params) -> tuple[int, dict]:
    """A call as it arrives over the wire: strings, and JSON for everything else."""
    wire = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return await standin.handle(TOKEN, method, wire)


async def refused(standin: BotApiStandin, method: str, **params) -> str:
    status, body = await call(standin, method, **params)
    assert status >= 400 and body["ok"] is False and body["error_code"] == status, body
    return body["description"]


async def send(standin: BotApiStandin, text: str = "Halo", **params) -> dict:
    status, body = await call(standin, "sendMessage", chat_id=CHAT, text=text, **params)
    assert status == 200, body
    return body["result"]


def keyboard(*rows: list[dict]) -> dict:
    return {"inline_keyboard": list(rows)}


def button(data: str = "x", text: str = "Tap") -> dict:
    return {"text": text, "callback_data": data}


async def test_a_text_of_4096_characters_goes_and_4097_is_refused(standin):
    await send(standin, "a" * 4096)
    assert (
        await refused(standin, "sendMessage", chat_id=CHAT, text="a" * 4097)
        == "Bad Request: message is too long"
    )


@pytest.mark.parametrize("text", ["", "   \n  "])
async def test_an_empty_or_blank_text_is_refused(standin, text):
    description = await refused(standin, "sendMessage", chat_id=CHAT, text=text)
    assert description == "Bad Request: message text is empty"


async def test_the_length_is_counted_after_entity_parsing(standin):
    sent = await send(standin, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    assert sent["text"] == "a" * 4096
    assert (
        await refused(standin, "sendMessage", chat_id=CHAT, text="<b> </b>", parse_mode="HTML")
        == "Bad Request: message text is empty"
    )


@pytest.mark.parametrize(
    "html", ["<b>open", "<b>x</i>", "<blink>x</blink>", "a < b", "Tom & Jerry", "<a>x</a>"]
)
async def test_bad_html_is_refused(standin, html):
    description = await refused(standin, "sendMessage", chat_id=CHAT, text=html, parse_mode="HTML")
    assert description.startswith("Bad Request: can't parse entities: ")


async def test_html_entities_are_read(standin):
    sent = await send(standin, "a &lt; b &amp;&amp; <i>c</i> &#33;", parse_mode="HTML")
    assert sent["text"] == "a < b && c !"


async def test_an_unknown_parse_mode_is_refused(standin):
    description = await refused(standin, "sendMessage", chat_id=CHAT, text="x", parse_mode="BBCode")
    assert description == 'Bad Request: unsupported parse_mode "BBCode"'


async def test_callback_data_of_1_to_64_bytes_goes_and_beyond_is_refused(standin):
    await send(standin, reply_markup=keyboard([button("é" * 32)]))  # 64 bytes
    for data in ["é" * 32 + "x", ""]:
        description = await refused(
            standin, "sendMessage", chat_id=CHAT, text="x", reply_markup=keyboard([button(data)])
        )
        assert description == "Bad Request: BUTTON_DATA_INVALID"


async def test_an_inline_button_needs_exactly_one_action(standin):
    no_action = await refused(
        standin, "sendMessage", chat_id=CHAT, text="x", reply_markup=keyboard([{"text": "Tap"}])
    )
    assert "Text buttons are unallowed in the inline keyboard" in no_action
    two = {"text": "Tap", "callback_data": "x", "url": "https://example.org"}
    assert "only one" in await refused(
        standin, "sendMessage", chat_id=CHAT, text="x", reply_markup=keyboard([two])
    )
    assert "Text must be non-empty" in await refused(
        standin, "sendMessage", chat_id=CHAT, text="x", reply_markup=keyboard([button(text=" ")])
    )


async def test_at_most_100_buttons_and_8_a_row(standin):
    await send(standin, reply_markup=keyboard(*[[button(str(i))] * 5 for i in range(20)]))
    await send(standin, reply_markup=keyboard([button()] * 8))
    for markup in [keyboard(*[[button()] * 1] * 101), keyboard([button()] * 9)]:
        description = await refused(
            standin, "sendMessage", chat_id=CHAT, text="x", reply_markup=markup
        )
        assert description == "Bad Request: BUTTONS_TOO_MUCH"


async def test_an_unknown_chat_and_a_blocked_user(standin):
    assert await refused(standin, "sendMessage", chat_id=42, text="x") == (
        "Bad Request: chat not found"
    )
    sent = await send(standin, reply_markup=keyboard([button()]))
    standin.block(CHAT)
    for method, params in [
        ("sendMessage", {"text": "x"}),
        ("editMessageText", {"message_id": sent["message_id"], "text": "y"}),
        ("editMessageReplyMarkup", {"message_id": sent["message_id"]}),
        ("sendChatAction", {"action": "typing"}),
    ]:
        status, body = await call(standin, method, chat_id=CHAT, **params)
        assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")


async def test_editing_to_the_same_content_is_not_modified(standin):
    sent = await send(standin, "Pilih", reply_markup=keyboard([button("a")]))
    same = {"chat_id": CHAT, "message_id": sent["message_id"], "text": "Pilih"}
    description = await refused(
        standin, "editMessageText", **same, reply_markup=keyboard([button("a")])
    )
    assert description.startswith("Bad Request: message is not modified")
    status, _ = await call(standin, "editMessageText", **same)  # the keyboard goes: modified
    assert status == 200
    description = await refused(
        standin, "editMessageReplyMarkup", chat_id=CHAT, message_id=sent["message_id"]
    )
    assert description.startswith("Bad Request: message is not modified")


async def test_messages_are_found_by_chat_and_id(standin):
    sent = await send(standin, reply_markup=keyboard([button()]))
    standin.open_chat(777)
    for chat, message_id in [(777, sent["message_id"]), (CHAT, 999)]:
        description = await refused(
            standin, "editMessageText", chat_id=chat, message_id=message_id, text="y"
        )
        assert description == "Bad Request: message to edit not found"


async def test_a_message_with_a_reply_keyboard_or_from_the_user_cannot_be_edited(standin):
    menu = {"keyboard": [[{"text": "Menu"}]], "resize_keyboard": True}
    sent = await send(standin, reply_markup=menu)
    user_message = {"message_id": 50, "chat": {"id": CHAT, "type": "private"}, "text": "hi"}
    standin.record_user_message(user_message)
    for message_id in [sent["message_id"], 50]:
        description = await refused(
            standin, "editMessageText", chat_id=CHAT, message_id=message_id, text="y"
        )
        assert description == "Bad Request: message can't be edited"


async def test_a_callback_query_is_answered_once_and_only_while_fresh(standin):
    query = standin.new_callback_query(CHAT)
    assert (await call(standin, "answerCallbackQuery", callback_query_id=query))[0] == 200
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert await refused(standin, "answerCallbackQuery", callback_query_id=query) == too_old
    assert await refused(standin, "answerCallbackQuery", callback_query_id="123") == too_old
    late = standin.new_callback_query(CHAT)
    standin.pass_time(16)
    assert await refused(standin, "answerCallbackQuery", callback_query_id=late) == too_old


async def test_a_callback_answer_holds_200_characters(standin):
    fits = standin.new_callback_query(CHAT)
    assert (await call(standin, "answerCallbackQuery", callback_query_id=fits, text="a" * 200))[
        0
    ] == 200
    assert [toast.text for toast in standin.toasts_for(CHAT)] == ["a" * 200]
    query = standin.new_callback_query(CHAT)
    description = await refused(
        standin, "answerCallbackQuery", callback_query_id=query, text="a" * 201
    )
    assert description == "Bad Request: MESSAGE_TOO_LONG"


@pytest.mark.parametrize(
    ("commands", "language", "description"),
    [
        ([{"command": "start", "description": "Mulai"}], "mkn", "invalid language code specified"),
        ([{"command": "start", "description": "Mulai"}], "EN", "invalid language code specified"),
        ([{"command": "Start", "description": "Mulai"}], "", "BOT_COMMAND_INVALID"),
        ([{"command": "a" * 33, "description": "Mulai"}], "", "BOT_COMMAND_INVALID"),
        ([{"command": "start", "description": " "}], "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        ([{"command": "start", "description": "a" * 257}], "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        (
            [{"command": f"c{i}", "description": "d"} for i in range(101)],
            "",
            "too many commands specified",
        ),
    ],
)
async def test_set_my_commands_rules(standin, commands, language, description):
    params = {"commands": commands} | ({"language_code": language} if language else {})
    assert await refused(standin, "setMyCommands", **params) == f"Bad Request: {description}"


async def test_commands_for_a_two_letter_language_and_the_default(standin):
    commands = [{"command": f"c_{i}", "description": "d" * 256} for i in range(100)]
    for language in ["", "id"]:
        status, _ = await call(standin, "setMyCommands", commands=commands, language_code=language)
        assert status == 200
    assert set(standin.commands) == {"", "id"}


@pytest.mark.parametrize(
    ("url", "secret", "description"),
    [
        (
            "http://bot.example.org/hook",
            None,
            "bad webhook: HTTPS url must be provided for webhook",
        ),
        (
            "https://bot.example.org:8080/hook",
            None,
            "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        ),
        ("https://bot.example.org/hook", "s3cret!", "secret token contains unallowed characters"),
        ("https://bot.example.org/hook", "a" * 257, "secret token contains unallowed characters"),
    ],
)
async def test_webhook_rules_of_telegrams_cloud(standin, url, secret, description):
    params = {"url": url} | ({"secret_token": secret} if secret else {})
    assert await refused(standin, "setWebhook", **params) == f"Bad Request: {description}"


async def test_a_local_bot_api_server_takes_a_plain_http_webhook_on_any_port():
    standin = BotApiStandin(local=True)
    status, _ = await call(
        standin, "setWebhook", url="http://127.0.0.1:8080/hook", secret_token="a-b_C1"
    )
    assert status == 200 and standin.webhook == ("http://127.0.0.1:8080/hook", "a-b_C1")


async def test_get_updates_confirms_by_offset_and_conflicts_with_a_webhook(standin):
    for update_id in (1, 2, 3):
        standin.post_update({"update_id": update_id, "message": {}})
    status, body = await call(standin, "getUpdates")
    assert [u["update_id"] for u in body["result"]] == [1, 2, 3]
    _, body = await call(standin, "getUpdates", offset=3)  # 1 and 2 are confirmed
    assert [u["update_id"] for u in body["result"]] == [3]
    _, body = await call(standin, "getUpdates", offset=4, timeout=0)
    assert body["result"] == []
    await call(standin, "setWebhook", url="https://bot.example.org/hook")
    status, body = await call(standin, "getUpdates")
    assert status == 409 and body["description"].startswith(
        "Conflict: can't use getUpdates method while webhook is active"
    )


async def test_a_second_get_updates_terminates_the_first(standin):
    first = asyncio.create_task(call(standin, "getUpdates", timeout=5))
    await asyncio.sleep(0)  # the first is waiting for updates
    second = asyncio.create_task(call(standin, "getUpdates", timeout=5))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    standin.post_update({"update_id": 1, "message": {}})
    status, body = await second
    assert status == 200 and [u["update_id"] for u in body["result"]] == [1]


async def test_flood_control_in_one_chat_and_overall():
    standin = BotApiStandin(flood=FloodLimits(per_chat_rate=1, per_chat_burst=5, overall_rate=30))
    standin.open_chat(CHAT)
    for _ in range(5):
        await send(standin)
    status, body = await call(standin, "sendMessage", chat_id=CHAT, text="x")
    assert status == 429 and body["parameters"]["retry_after"] == 1
    assert body["description"] == "Too Many Requests: retry after 1"
    standin.pass_time(1)
    await send(standin)
    statuses = []
    for chat in range(1, 31):  # 30 a second over all chats; one went already
        standin.open_chat(chat)
        statuses.append((await call(standin, "sendMessage", chat_id=chat, text="x"))[0])
    assert statuses == [200] * 29 + [429]


async def test_file_ids_and_the_20_mb_download_limit():
    standin = BotApiStandin()
    small = standin.add_photo(b"\xff\xd8 a photo")
    big = standin.add_file(b"0" * (20 * 1024 * 1024 + 1), "documents", "zip")
    status, body = await call(standin, "getFile", file_id=small)
    assert status == 200 and standin.download(TOKEN, body["result"]["file_path"]) == (
        200,
        b"\xff\xd8 a photo",
    )
    assert (
        await refused(standin, "getFile", file_id="AgACnothing") == "Bad Request: invalid file_id"
    )
    assert await refused(standin, "getFile", file_id=big) == "Bad Request: file is too big"
    assert standin.download(TOKEN, "photos/unknown.jpg")[0] == 404
    local = BotApiStandin(local=True)
    assert (await call(local, "getFile", file_id=local.add_file(b"0" * (21 * 1024 * 1024))))[
        0
    ] == 200


async def test_a_wrong_token_and_an_unknown_method():
    standin = BotApiStandin(token=TOKEN)
    status, body = await standin.handle("123456:another-token", "getMe", {})
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await standin.handle(TOKEN, "sendMesage", {})
    assert (status, body["description"]) == (404, "Not Found")


async def test_python_telegram_bot_meets_telegrams_errors_not_network_errors(standin):
    bot = Bot(TOKEN, request=standin.request(), get_updates_request=standin.request())
    await bot.initialize()
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("y", chat_id=CHAT, message_id=12345)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")
    standin.block(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "x")
    assert [method for method, *_ in standin.refusals] == [
        "editMessageText",
        "getFile",
        "sendMessage",
    ]
