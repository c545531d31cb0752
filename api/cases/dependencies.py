"""What the case routes take from the application state (loaded in the lifespan)."""

from typing import Annotated

from fastapi import Depends, Request

from api.cases.danger import DangerWords
from api.cases.districts import Districts
from api.cases.notices import Notices
from api.cases.storage import Storage


def _danger_words(request: Request) -> DangerWords:
    return request.app.state.danger_words


def _districts(request: Request) -> Districts:
    return request.app.state.districts


def _notices(request: Request) -> Notices:
    return request.app.state.notices


def _storage(request: Request) -> Storage:
    return request.app.state.storage


DangerDep = Annotated[DangerWords, Depends(_danger_words)]
DistrictsDep = Annotated[Districts, Depends(_districts)]
NoticesDep = Annotated[Notices, Depends(_notices)]
StorageDep = Annotated[Storage, Depends(_storage)]
