from pydantic import BaseModel, Field

from api.offers.schemas import OfferCheckResult


class TopicScore(BaseModel):
    slug: str
    score: float
    title: str


class Answer(BaseModel):
    slug: str
    title: str
    pages: list[str] = Field(description="the answer split into phone-sized pages")
    lang: str = Field(description="the language of the text (the asked one, or the fallback)")
    reviewed: bool = Field(description="false: not yet checked by a native speaker")
    fallback: bool = Field(description="true: no text in the asked language, fallback shown")
    actions: list[str] = Field(
        default_factory=list,
        description="extra buttons: report_missing, report_danger, hotlines",
    )


class TopicLink(BaseModel):
    slug: str
    title: str


class AnswerList(BaseModel):
    query: str
    lang: str = Field(description="the language answered in: the message's, else the asked one")
    topic: str | None = Field(description="the answering topic, or null when nothing fits")
    score: float
    ranking: list[TopicScore]
    answer: Answer | None
    suggestions: list[TopicLink] = Field(
        default_factory=list, description="when unsure: the topics to offer (Did you mean ...?)"
    )
    small_talk: bool = Field(False, description="thanks, greetings, ok: a kind reply and the menu")
    danger: bool = Field(False, description="a danger sign (a minor taken away): urgent")
    danger_words: bool = Field(
        False, description="the message has danger words (as /safety/check): emergency contacts"
    )
    detected_lang: str | None = Field(None, description="the language the message is written in")
    awaited_reply: str | None = Field(
        None,
        description="with `channel` and `user`: the reference of the case a caseworker waits "
        "for this person to answer (as /reporters/.../awaited-reply), else null",
    )
    offer_check: OfferCheckResult | None = Field(
        None,
        description="with `check_offer`: the message's check as a job offer when it looks "
        "like one (as /offers/detect, and counted likewise), else null",
    )


class CategoryRead(BaseModel):
    id: str
    title: str
    topics: list[TopicLink]


class FeedbackCreate(BaseModel):
    topic: str = Field(max_length=64)
    lang: str = Field(max_length=8)
    helpful: bool


class LanguageRead(BaseModel):
    code: str
    name: str = Field(description="the language's own name")
