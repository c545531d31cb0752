"""Case references: short, unguessable and easy to read out (`NTT-7KQ3X9`)."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: nothing to mix up
PREFIX = "NTT-"
LENGTH = 6
PATTERN = re.compile(f"{PREFIX}[{ALPHABET}]{{{LENGTH}}}")


def new() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def clean(text: str) -> str | None:
    """A reference as typed (any case, spaces around) in its canonical form, or None."""
    reference = text.strip().upper()
    return reference if PATTERN.fullmatch(reference) else None
