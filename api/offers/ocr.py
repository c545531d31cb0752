"""Read the text of a screenshot or photo of a job offer with Debian's Tesseract.

The image stays in memory: Pillow decodes and cleans it (grey, dark mode turned light, small
screenshots enlarged, speckles smoothed away), and the cleaned PNG goes to `tesseract` through
a pipe, whose text comes back on stdout; nothing is written to disk. Tesseract reads
Indonesian and English (Debian's tesseract-ocr-ind and -eng; `make tesseract` installs them).
"""

import io
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

LANGUAGES = "ind+eng"
MAX_BYTES = 20 * 1024 * 1024  # Telegram's download limit for bots
MAX_PIXELS = 40_000_000  # a larger image is refused (decompression bombs)
TARGET_WIDTH = 1600  # narrower images are enlarged to this width: Tesseract likes ~30 px letters
MAX_SCALE = 3.0
DARK_MEAN = 110  # a mean grey level below this is a dark-mode screenshot: invert it
TIMEOUT_SECONDS = 60
MIN_CONFIDENCE = 10  # words Tesseract is hardly sure of (noise read as letters) are dropped
MIN_LETTERS = 12  # fewer letters than this is "no readable text"


class ImageError(ValueError):
    """The bytes are not an image we can read (not an image, too large, corrupt)."""


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed or failed: a set-up problem, not the user's."""


@dataclass(frozen=True)
class OcrResult:
    text: str  # the words read, in reading order, one paragraph of the image per line
    words: int

    @property
    def readable(self) -> bool:
        return sum(char.isalpha() for char in self.text) >= MIN_LETTERS


def available() -> bool:
    return shutil.which("tesseract") is not None


def prepare(data: bytes) -> bytes:
    """The image cleaned for OCR, as PNG bytes; ImageError if it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ImageError("image too large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ImageError("image has too many pixels")
            image.load()
            grey = ImageOps.exif_transpose(image).convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ImageError("not a readable image") from error
    if sum(i * n for i, n in enumerate(grey.histogram())) / (grey.width * grey.height) < DARK_MEAN:
        grey = ImageOps.invert(grey)
    scale = min(MAX_SCALE, TARGET_WIDTH / grey.width)
    if scale > 1.1:
        grey = grey.resize(
            (round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS
        )
    grey = ImageOps.autocontrast(grey.filter(ImageFilter.MedianFilter(3)), cutoff=1)
    out = io.BytesIO()
    grey.save(out, format="PNG")
    return out.getvalue()


def _lines(tsv: str) -> tuple[str, int]:
    """Text from Tesseract's TSV output: confident words, grouped in their paragraphs. The
    lines a paragraph wraps into are joined: a wrap is not the end of a sentence."""
    lines: dict[tuple[str, ...], list[str]] = {}
    words = 0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
        except ValueError:
            continue
        if confidence < MIN_CONFIDENCE:
            continue
        word = "I" if cells[11] == "|" else cells[11]  # Tesseract's usual slip for a lone "I"
        lines.setdefault(tuple(cells[1:4]), []).append(word)
        words += 1
    return "\n".join(" ".join(line) for line in lines.values()), words


def read(data: bytes) -> OcrResult:
    """The text in an image (PNG, JPEG, WebP...); ImageError for a bad image,
    OcrUnavailable when Tesseract is missing or fails."""
    png = prepare(data)
    if not available():
        raise OcrUnavailable("tesseract is not installed (make tesseract)")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", LANGUAGES, "--psm", "3", "tsv"],
            input=png,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        raise OcrUnavailable(f"tesseract failed: {type(error).__name__}") from error
    text, words = _lines(done.stdout.decode("utf-8", "replace"))
    return OcrResult(text=text, words=words)
