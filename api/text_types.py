"""Text types for wire schemas, written as static `Annotated` aliases so that type checkers
read them as types: stripped of surrounding spaces, not empty, bounded, no NUL character."""

from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def no_nul(text: str) -> str:
    """PostgreSQL cannot store the NUL character: refused as bad input, not a failure."""
    if "\x00" in text:
        raise ValueError("text cannot contain the NUL character")
    return text


def bounded(max_length: int) -> StringConstraints:
    """Stripped of surrounding spaces, not empty, at most `max_length` characters."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


# Each alias: Annotated[str, bounded(N), AfterValidator(no_nul)], the N written out.
ShortText = Annotated[str, bounded(200), AfterValidator(no_nul)]
