"""The text Tesseract reads: a paragraph the image wraps over several lines is one line."""

from api.offers import ocr

HEADER = "\t".join(
    ["level", "page", "block", "par", "line", "word", "l", "t", "w", "h", "conf", "text"]
)


def _row(block: int, par: int, line: int, word: str) -> str:
    return "\t".join(
        ["5", "1", str(block), str(par), str(line), "1", "0", "0", "9", "9", "90", word]
    )


def test_wrapped_lines_of_a_paragraph_are_joined_and_paragraphs_kept_apart() -> None:
    tsv = "\n".join(
        [
            HEADER,
            _row(1, 1, 1, "12:41"),
            _row(2, 1, 1, "setelah"),
            _row(2, 1, 1, "membayar"),
            _row(2, 1, 2, "Rp"),
            _row(2, 1, 2, "110"),
            _row(2, 1, 2, "juta"),
        ]
    )
    text, words = ocr._lines(tsv)
    assert text == "12:41\nsetelah membayar Rp 110 juta"
    assert words == 6
