import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from api.audit.schemas import UtcDateTime
from api.staff import passwords
from api.staff.models import Role

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # bounds the work of hashing
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


def _strong_enough(password: str) -> str:
    """Long enough, not blank, not common; the refusal never repeats the password."""
    if len(password.strip()) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError(
            "password_too_short",
            "the password must have at least {min_length} characters",
            {"min_length": MIN_PASSWORD_LENGTH},
        )
    if passwords.guessable(password):
        raise PydanticCustomError(
            "password_too_common",
            "this password is too common or too easy to guess: use a few unrelated words",
        )
    return password


Password = Annotated[
    str,
    Field(
        max_length=MAX_PASSWORD_LENGTH,
        json_schema_extra={"minLength": MIN_PASSWORD_LENGTH, "writeOnly": True},
    ),
    AfterValidator(_strong_enough),
]


def normal_username(username: str) -> str:
    """Usernames are compared without case or surrounding spaces."""
    return username.strip().lower()


def _valid_username(username: str) -> str:
    username = normal_username(username)
    if not USERNAME.fullmatch(username):
        raise PydanticCustomError(
            "username_invalid",
            "the username must have 2 to 64 characters: letters, digits, '.', '_' or '-',"
            " starting with a letter or digit",
        )
    return username


Username = Annotated[
    str,
    Field(max_length=200, description="2 to 64 characters: letters, digits, '.', '_' and '-'"),
    AfterValidator(_valid_username),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    name: Name
    role: Role
    password: Password


class StaffUpdate(BaseModel):
    """The fields to change; those left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    role: Role | None = None
    active: bool | None = None


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password


class StaffRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    name: str
    role: Role
    active: bool
    created_at: UtcDateTime


class StaffList(BaseModel):
    items: list[StaffRead]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds until the token expires")
