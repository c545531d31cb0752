# The two commands of the README: `make run` starts the helpline, `make test` runs the tests.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run chat test lint bench chromium tesseract

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# With a bot token the helpline runs on Telegram; without one, the demo (its own database).
run: $(STAMP) tesseract
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/helpline run; else \
		echo "No TELEGRAM_BOT_TOKEN: starting the demo (helpline demo), on a database of its own in var/demo/."; \
		$(BIN)/helpline demo; fi

chat: $(STAMP)
	$(BIN)/helpline chat

# The browser tests drive Debian's Chromium (Playwright downloads no browser); the emoji font
# makes the bot's buttons legible in screenshots.
chromium:
	@command -v chromium >/dev/null && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y chromium fonts-noto-color-emoji; }

# The offer checker reads screenshots with Debian's Tesseract and its Indonesian and English data.
tesseract:
	@command -v tesseract >/dev/null && [ -e /usr/share/tesseract-ocr/5/tessdata/ind.traineddata ] || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng; }

test: $(STAMP) chromium tesseract
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/helpline content check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_answers.py
