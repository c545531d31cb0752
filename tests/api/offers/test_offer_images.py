"""Screenshots: offers of the field dev set rendered as images (fonts, sizes, a phone chat
layout with emoji, noise, JPEG), read with Tesseract and checked like typed text."""

import difflib
import io
import json
import random
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from api.offers import ocr, service

pytestmark = pytest.mark.skipif(not ocr.available(), reason="tesseract missing: make tesseract")

FONTS = Path("/usr/share/fonts/truetype/dejavu")
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
FIELD_DEV = Path(__file__).with_name("field-dev.jsonl")
STYLES = {  # name: font, size, image width, background, text colour
    "plain": ("DejaVuSans.ttf", 26, 900, "white", "black"),
    "serif_small": ("DejaVuSerif.ttf", 17, 620, "#f4f1ea", "#222"),
    "phone_chat": ("DejaVuSansCondensed.ttf", 28, 720, "#e5ddd5", "#111"),  # with status bar, emoji
}


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if font.getlength(trial) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line]


def render(text: str, style: str, seed: int = 0) -> bytes:
    """An image of `text` as a user might send it; JPEG bytes."""
    rng = random.Random(seed)
    font_file, size, width, bg, fg = STYLES[style]
    font = ImageFont.truetype(str(FONTS / font_file), size)
    lines = _wrap(text, font, width - 120)
    line_height = int(font.size * 1.45)
    height = 160 + line_height * len(lines)
    image = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(image)
    top = 40
    if style == "phone_chat":
        draw.rectangle((0, 0, width, 50), fill="#075e54")
        draw.text((20, 12), "12:41", fill="white", font=font)
        draw.rounded_rectangle((30, 70, width - 30, height - 30), radius=18, fill="white")
        if EMOJI_FONT.exists():
            emoji = ImageFont.truetype(str(EMOJI_FONT), 109)
            mark = Image.new("RGBA", (140, 140))
            ImageDraw.Draw(mark).text((0, 0), "💰", font=emoji, embedded_color=True)
            image.paste(mark.resize((40, 40)), (width - 90, 80), mark.resize((40, 40)))
        top = 90
    for number, line in enumerate(lines):
        draw.text((50, top + number * line_height), line, fill=fg, font=font)
    if style != "plain":
        pixels = image.load()
        for _ in range(width * height // 60):  # speckle noise
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = (rng.randrange(90, 200),) * 3
        image = image.filter(ImageFilter.GaussianBlur(0.4))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=55 if style == "phone_chat" else 75)
    return out.getvalue()


def _suspicious_lines() -> list[dict]:
    rows = [json.loads(line) for line in FIELD_DEV.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if row["suspicious"]][::3]  # every third: 58 offers


def test_images_reach_90_percent_of_text_figures(offer_rules) -> None:
    rows = _suspicious_lines()
    text_hits = image_hits = expected = 0
    accuracies = []
    for number, row in enumerate(rows):
        style = list(STYLES)[number % len(STYLES)]
        read = ocr.read(render(row["text"], style, seed=number))
        accuracies.append(
            difflib.SequenceMatcher(
                None, " ".join(row["text"].split()), " ".join(read.text.split())
            ).ratio()
        )
        want = set(row["flags"])
        text_flags = {flag.id for flag in service.check(row["text"], "id", offer_rules).flags}
        image_flags = {flag.id for flag in service.check(read.text, "id", offer_rules).flags}
        expected += len(want)
        text_hits += len(want & text_flags)
        image_hits += len(want & image_flags)
    accuracy = sum(accuracies) / len(accuracies)
    summary = (
        f"{len(rows)} images: character accuracy {accuracy:.3f}; flag recall text "
        f"{text_hits / expected:.3f}, images {image_hits / expected:.3f}"
    )
    print(summary)
    assert accuracy >= 0.90, summary
    assert image_hits >= 0.90 * text_hits, summary


def test_image_without_text_is_not_readable() -> None:
    image = Image.new("RGB", (800, 600), "#88aacc")
    ImageDraw.Draw(image).ellipse((200, 150, 600, 450), fill="#ffcc00")
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert not ocr.read(out.getvalue()).readable


def test_not_an_image_is_refused() -> None:
    with pytest.raises(ocr.ImageError):
        ocr.read(b"this is not an image")


def test_dark_mode_screenshot_is_read(offer_rules) -> None:
    image = Image.new("RGB", (900, 140), "#111b21")
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 26)
    ImageDraw.Draw(image).text(
        (30, 40), "Paspor tidak usah, cukup bawa KTP saja", fill="#e9edef", font=font
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    flags = {
        flag.id for flag in service.check(ocr.read(out.getvalue()).text, "id", offer_rules).flags
    }
    assert "no_documents" in flags
