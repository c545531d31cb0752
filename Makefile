# The two commands of the README: `make run` starts the helpline, `make test` runs the tests.
# Both create .venv and install what they need on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run chat test lint bench chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/helpline run

chat: $(STAMP)
	$(BIN)/helpline chat

# The browser tests drive Debian's Chromium (Playwright downloads no browser); the emoji font
# makes the bot's buttons legible in screenshots.
chromium:
	@command -v chromium >/dev/null && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || { \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y chromium fonts-noto-color-emoji; }

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/helpline content check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_answers.py
