"""Reading whole messages: the field development set, small talk, danger signs, language."""

import pytest

from api.answers.content import Content, load_content
from api.answers.evaluation import evaluate
from api.answers.matching import MessageReader
from api.answers.retrieval import TopicIndex
from api.settings import PROJECT_ROOT

FIELD_DEV = PROJECT_ROOT / "tests/api/answers/field-dev.jsonl"
FIELD_FRESH = PROJECT_ROOT / "tests/api/answers/field-fresh.jsonl"  # a held-out measure


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(PROJECT_ROOT / "content")


@pytest.fixture(scope="module")
def reader(content: Content) -> MessageReader:
    return MessageReader(TopicIndex(content), content, PROJECT_ROOT / "content")


def test_field_dev_set_top1_and_no_answer(reader: MessageReader):
    """Messages harvested from public pages, each line with its source URL (206 lines from
    181 pages). The floor is issue 11's target, which the reader reaches today (0.801), so
    that no change loses ground."""
    result = evaluate(reader, FIELD_DEV)
    assert result.overall.accuracy >= 0.80, result.format()
    assert result.no_answer.accuracy <= 0.05, result.format()


@pytest.mark.parametrize("path", [FIELD_DEV, FIELD_FRESH], ids=["dev", "fresh"])
def test_every_field_line_names_its_source(path):
    import json

    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert lines and all(line["source"].startswith("http") for line in lines)


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("is it safe to go to Saudi as a maid?", "destination.middle_east"),
        ("my agent kept my passport, what can I do", "documents.held"),
        (
            "Saat ini keduanya lost contacts, tidak ada kabar dan tidak ada komunikasi dengan "
            "keluarga di kampung selama satu Minggu.",
            "missing.person",
        ),
    ],
)
def test_the_issue_examples_find_their_topic(reader: MessageReader, message: str, topic: str):
    assert reader.read(message).topic == topic


def test_long_message_is_not_diluted_by_names_places_and_greetings(reader: MessageReader):
    short = reader.read("anak saya di malaysia tidak ada kabar")
    long = reader.read(
        "Selamat pagi bapak ibu, mohon maaf mengganggu. Nama saya Yosefina dari Oebobo, Kupang. "
        "Anak saya Maria berangkat ke Sabah bulan Maret lewat sponsor dari Soe. Sejak Juni "
        "anak saya tidak ada kabar sama sekali, hp tidak aktif. "
        "Terima kasih banyak, Tuhan memberkati."
    )
    assert short.topic == long.topic == "missing.person"


@pytest.mark.parametrize("text", ["terima kasih", "halo", "ok", "👍", "tolong", "makasih e"])
def test_small_talk_is_recognised(reader: MessageReader, text: str):
    reading = reader.read(text)
    assert reading.small_talk and reading.topic is None


@pytest.mark.parametrize(
    "text",
    [
        "kaka, beta pung ade parampuan umur 16 mau dibawa orang pi Kalimantan, bole ko?",
        "anak SMP diajak kerja ke Malaysia sama calo",
    ],
)
def test_a_minor_taken_away_is_a_danger_sign(reader: MessageReader, text: str):
    assert reader.read(text).danger


@pytest.mark.parametrize(
    "text", ["berapa biaya ke malaysia", "how much does it cost to go to malaysia"]
)
def test_what_it_costs_to_go_is_answered_with_the_costs_not_a_death(
    reader: MessageReader, text: str
):
    """ "biaya ke malaysia" shares its words with "biaya pemulangan jenazah dari malaysia", an
    example of the death topic: a 17-year-old asking what going costs got condolences."""
    assert reader.read(text).topic == "fees"


@pytest.mark.parametrize("text", ["halo kk", "permisi kk mau tanya", "pagi kk"])
def test_kk_beside_a_greeting_is_how_someone_addresses_the_helper(reader: MessageReader, text: str):
    """In chat "kk" is kakak: "halo kk" was answered with the requirements for going abroad,
    because "kk" is also the family card (Kartu Keluarga) that topic names."""
    reading = reader.read(text)
    assert reading.small_talk and reading.topic is None


def test_kk_with_something_to_ask_is_still_matched(reader: MessageReader):
    assert reader.read("kk saya hilang, bisa bikin paspor?").topic is not None


@pytest.mark.parametrize(
    "text", ["brp biaya bikin paspor", "berapa biaya bikin paspor", "how much is a passport"]
)
def test_what_a_passport_costs_is_answered_with_the_passport_and_its_fee(
    reader: MessageReader, content: Content, text: str
):
    """It was answered with loans ("biaya" and "paspor" are words of that topic too)."""
    reading = reader.read(text)
    assert reading.topic == "documents.passport"
    lang = "en" if text.startswith("how") else "id"
    body = " ".join(content.topics[reading.topic].texts[lang].pages)
    assert "350" in body and "950" in body


def test_a_fee_to_get_a_held_passport_back_is_about_the_held_passport(reader: MessageReader):
    assert reader.read("agen minta biaya tebus paspor saya").topic == "documents.held"


@pytest.mark.parametrize(
    "text", ["sy umur 16 bisa kerja di luar negri ga", "I am 15 years old, can I work abroad?"]
)
def test_someone_under_18_asking_to_go_gets_the_minimum_age(reader: MessageReader, text: str):
    """ "umur 16" was answered with how to check an offer; the requirements say 18."""
    assert reader.read(text).topic == "migration.requirements"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("bp3mi kupang dmn alamatnya", "hotlines"),
        ("kalo ada apa-apa mau talpon nomor berapa", "hotlines"),
        ("nomor hp anak saya tidak aktif, sudah saya telepon berkali-kali", "missing.person"),
    ],
)
def test_asking_where_to_turn_gets_the_numbers(reader: MessageReader, text: str, topic: str):
    assert reader.read(text).topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("gimana tau calo itu penipu", "agency.check"),
        ("how can I tell if the recruiter is a scammer", "agency.check"),
        ("sy tau agen itu penipu, mau lapor kemana", "report.how"),
        ("sy mau lapor agen penipu", "report.how"),
    ],
)
def test_telling_a_fake_recruiter_is_checking_one_and_reporting_is_reporting(
    reader: MessageReader, text: str, topic: str
):
    """How to tell whether a calo is a fraud was answered with how to report one."""
    assert reader.read(text).topic == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Ajente foti ha'u-nia pasaporte", "documents.held"),  # the agent took my passport
        ("Patraun kaer ha'u-nia pasaporte", "documents.held"),  # the employer holds it
        ("Oinsá atu hetan pasaporte?", "documents.passport"),  # how to get a passport
        ("Patraun la selu ha'u-nia saláriu", "rights.at_work"),  # the boss does not pay me
    ],
)
def test_tetun_questions_find_their_topic(reader: MessageReader, text: str, topic: str):
    """Tetun words the lexicon lacked (foti, kaer, ajente, atu, nia) sent a held passport to
    the signs of trafficking and "how to get a passport" to "did you mean"."""
    assert reader.read(text).topic == topic


@pytest.mark.parametrize("text", ["my friend is missing in dubai", "teman sy ilang di malaysia"])
def test_someone_missing_in_a_named_place_is_a_missing_person(reader: MessageReader, text: str):
    """ "missing in dubai" was answered with working in the Middle East."""
    assert reader.read(text).topic == "missing.person"


def test_a_death_is_the_answer_only_when_the_message_tells_one(reader: MessageReader):
    """ "Bring my child home" shares its words with bringing a body home: a mother's plea was
    answered with condolences. Without a death, the death topic counts little."""
    plea = "Pak, tolong pulangkan anak saya dan pertemukanlah saya dengan anak saya"
    assert reader.read(plea).topic not in (None, "death.abroad")
    death = "kakak saya meninggal di malaysia, bagaimana memulangkan jenazahnya"
    assert reader.read(death).topic == "death.abroad"


def test_a_dollar_job_in_cambodia_gets_how_scam_compounds_recruit(
    reader: MessageReader, content: Content
):
    """The lure that traps most Indonesians in trouble in Cambodia had no word in the content."""
    reading = reader.read("lowongan cs di kamboja gaji dolar aman ga")
    assert reading.topic == "trafficking.online_scam"
    assert "Kamboja" in content.topics[reading.topic].texts["id"].pages[0]


def test_an_adult_going_abroad_is_no_danger_sign(reader: MessageReader):
    assert not reader.read("anak saya umur 25 mau berangkat kerja ke malaysia").danger


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("bagaimana cara membuat paspor", "id"),
        ("how do I get a passport", "en"),
        ("beta pung ana sonde ada kabar", "mkn"),
    ],
)
def test_message_language(reader: MessageReader, text: str, lang: str):
    assert reader.language(text) == lang
