"""Normalisation undoes the tricks used to dodge keyword filters."""

import pytest

from api.offers.normalize import Normalizer

ABBREVIATIONS = dict(
    gj="gaji", krj="kerja", lgsg="langsung", brgkt="berangkat", hub="hubungi", wa="whatsapp"
)
ABBREVIATIONS.update(jt="juta", pasport="paspor")


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer(ABBREVIATIONS, frozenset({"tapi"}))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("GAJI Besar", "gaji besar"),
        ("Gratiiis biaya", "gratis biaya"),
        ("Café à Kupang", "cafe a kupang"),
        ("𝐠𝐚𝐣𝐢 𝟐𝟓 𝐣𝐮𝐭𝐚", "gaji 25 juta"),
        ("🔥🔥 gaji 😍 besar 💰", "gaji besar"),
        ("g a j i besar", "gaji besar"),
        ("p.a.s.p.o.r", "paspor"),
        ("G-A-J-I", "gaji"),
        ("d.p 500rb", "dp 500 rb"),
        ("g4ji k3rj4", "gaji kerja"),
        ("p4sp0r", "paspor"),
        ("cewek2 muda", "cewek cewek muda"),
        ("gj 8jt", "gaji 8 juta"),
        ("krj lgsg brgkt", "kerja langsung berangkat"),
        ("hub WA", "hubungi whatsap"),  # expansions are normalised too
        ("Passport", "paspor"),
    ],
)
def test_tricks_are_undone(normalizer: Normalizer, text: str, words: str) -> None:
    assert normalizer.normalize(text).text == f" {words} "


def test_words_map_back_to_the_original_text(normalizer: Normalizer) -> None:
    text = "Hub WA: G.A.J.I 25 JT!!!"
    result = normalizer.normalize(text)
    words = result.text.split()
    assert words == ["hubungi", "whatsap", "gaji", "25", "juta"]
    start, end = result.original_span(2, 4)
    assert text[start:end] == "G.A.J.I 25 JT"


def test_clauses_and_sentences(normalizer: Normalizer) -> None:
    result = normalizer.normalize("gaji besar, tanpa biaya. Rp. 1.500.000 tapi ok")
    assert result.text == " gaji besar tanpa biaya rp 1 500 000 tapi ok "
    assert result.clauses == (0, 0, 1, 1, 2, 2, 2, 2, 3, 3)
    assert result.sentences == (0, 0, 0, 0, 1, 1, 1, 1, 1, 1)


def test_compact_text_keeps_offsets(normalizer: Normalizer) -> None:
    text = "gaji 30 j u t a sebulan"
    compact = normalizer.normalize(text).compact
    assert len(compact) == len(text)
    assert compact.split() == ["gaji", "30", "juta", "sebulan"]


def test_ordinary_single_letters_stay(normalizer: Normalizer) -> None:
    assert normalizer.normalize("Jl. A. Yani no 5").text == " jl a yani no 5 "
