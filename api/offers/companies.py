"""Company names an offer gives ("PT Sumber Rejeki Abadi", "agensi Karya Mandiri"), for
comparing with the registry of licensed placement companies."""

import re
from dataclasses import dataclass

# After "PT"/"CV" a name may be written in lower case; after the looser words only names
# written with capitals count ("perusahaan besar" is no name), and they need two words
# ("agen Malaysia" is a place).
_LEGAL_FORM = re.compile(r"(?<![\w.])(?:p\s?\.\s?t|pt|c\s?\.\s?v|cv)\b\.?", re.IGNORECASE)
_LOOSE = re.compile(r"(?<!\w)(?:perusahaan|agensi|agency|agen|company|p3mi|pptkis)\b", re.I)
_WORD = re.compile(r"[ \t]*([^\W_][\w&'-]*)")
MAX_WORDS = 6
LOWER_CASE_WORDS = 4
STOP_WORDS = frozenset(
    """
    resmi penempatan berizin terdaftar legal swasta besar yang ini itu tersebut kami kita saya
    milik dari di ke untuk dengan dan atau akan sudah bisa butuh buka membuka cari mencari
    dicari lowongan kerja bekerja gaji tkw tki pmi cpmi sedang lagi segera hubungi wa whatsapp
    telp hp no nomor alamat kantor cabang menerima merekrut rekrut recruiting hiring sebagai
    jadi tidak tanpa bukan ada punya mana apa pak bapak ibu bu mama om tante kak mas mbak bang
    the a an in at for is are to and of our we with by from
    """.split()
)


@dataclass(frozen=True)
class Mention:
    start: int  # in the offer's text
    end: int
    words: tuple[str, ...]


def _name_words(text: str, position: int, *, capitals_only: bool) -> tuple[list[str], int]:
    """The words of a name starting at `position`, and where they end."""
    words: list[str] = []
    end = position
    capitals = capitals_only
    while len(words) < MAX_WORDS:
        match = _WORD.match(text, end)
        if match is None:
            break
        word = match.group(1)
        if word.lower() in STOP_WORDS:
            break
        if not words:
            capitals = capitals or word[0].isupper()
        if capitals and not word[0].isupper() and not word[0].isdigit():
            break
        if not capitals and len(words) == LOWER_CASE_WORDS:
            break
        words.append(word)
        end = match.end()
    return words, end


def mentions(text: str) -> list[Mention]:
    """Each company name the text gives after a legal form or a word like "perusahaan"."""
    found: list[Mention] = []
    for pattern, capitals_only, fewest in ((_LEGAL_FORM, False, 1), (_LOOSE, True, 2)):
        for marker in pattern.finditer(text):
            words, end = _name_words(text, marker.end(), capitals_only=capitals_only)
            if len(words) >= fewest and sum(len(word) for word in words) >= 4:
                if not any(m.start <= marker.start() < m.end for m in found):
                    found.append(Mention(marker.start(), end, tuple(words)))
    return sorted(found, key=lambda mention: mention.start)
