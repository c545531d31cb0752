from pydantic import BaseModel, Field


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


class AnswerList(BaseModel):
    query: str
    lang: str
    topic: str | None = Field(description="the answering topic, or null when nothing fits")
    score: float
    ranking: list[TopicScore]
    answer: Answer | None


class TopicLink(BaseModel):
    slug: str
    title: str


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
