"""The questions a regulation asks on top of the standard form, and the answers to them."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

QUESTION_KINDS = (
    "text",
    "long_text",
    "number",
    "money",
    "date",
    "choice",
    "file",
    "year_amounts",
)


class ApplicationQuestion(db.Model):
    """One question of a regulation's application form, in the order of `position`."""

    __tablename__ = "application_questions"
    __table_args__ = (UniqueConstraint("regulation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regulation_id: Mapped[int] = mapped_column(ForeignKey("regulations.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")
    hint: Mapped[str] = mapped_column(Text, default="")
    hint_en: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    # choice: [{"value": "...", "nl": "...", "en": "..."}]
    choices: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    min_value: Mapped[int | None] = mapped_column(BigInteger)
    max_value: Mapped[int | None] = mapped_column(BigInteger)

    def localized_label(self, locale: str) -> str:
        return self.label_en if locale == "en" and self.label_en else self.label

    def localized_hint(self, locale: str) -> str:
        return self.hint_en if locale == "en" and self.hint_en else self.hint

    def choice_label(self, value: str, locale: str) -> str:
        for choice in self.choices:
            if choice["value"] == value:
                return choice.get(locale) or choice["nl"]
        return value

    @property
    def field_name(self) -> str:
        return f"question_{self.key}"


class CaseAnswer(db.Model):
    """The applicant's answer to one question; files are Documents of kind `question_<key>`."""

    __tablename__ = "case_answers"
    __table_args__ = (UniqueConstraint("case_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("application_questions.id"))
    # text and choice: str; number and money (cents): int; date: ISO string;
    # year_amounts: {"2026": cents, ...}
    value: Mapped[object] = mapped_column(JSON)

    question: Mapped[ApplicationQuestion] = relationship()
