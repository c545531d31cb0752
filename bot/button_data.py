"""The data of the bot's buttons that carry content ids or the backend's neutral actions
(`ACTIONS`: how a queued message's "reply to case X" becomes Telegram callback data), and the
check that content ids fit.

Telegram takes 1-64 bytes of `callback_data` and refuses the whole message otherwise
(BUTTON_DATA_INVALID), so a long topic slug, category id or district slug would break every
answer that shows it. `problems` is run wherever content is loaded for the bot (`helpline
run`, `helpline demo`, `helpline content check`), naming the id that does not fit."""

from collections.abc import Iterable

CALLBACK_DATA_BYTES = 64
TOPIC = "topic:{}"
MORE = "page:{}:{}"
ORIGINAL = "orig:{}"
FEEDBACK = "fb:{}:{}"
HUMAN = "human:{}"
CATEGORY = "cat:{}"
DISTRICT = "sub:{}"
REPLY_TO_CASE = "reply:{}"
ACTIONS = {"reply_to_case": lambda action: REPLY_TO_CASE.format(action["case"])}
LONGEST_PAGE = 99  # the page number a topic's "More" button could carry
TOPIC_BUTTONS = (TOPIC, MORE.format("{}", LONGEST_PAGE), ORIGINAL, FEEDBACK.format("{}", 1), HUMAN)


def problems(
    topic_slugs: Iterable[str], category_ids: Iterable[str], district_slugs: Iterable[str]
) -> list[str]:
    """Each content id that would make a button's data longer than Telegram takes."""
    found = []
    for what, ids, templates in (
        ("topic", topic_slugs, TOPIC_BUTTONS),
        ("category", category_ids, (CATEGORY,)),
        ("district", district_slugs, (DISTRICT,)),
    ):
        for content_id in ids:
            longest = max(len(template.format(content_id).encode()) for template in templates)
            if longest > CALLBACK_DATA_BYTES:
                found.append(
                    f"{what} {content_id!r} is too long for Telegram's buttons: their data would "
                    f"take {longest} bytes, at most {CALLBACK_DATA_BYTES} fit"
                )
    return found
