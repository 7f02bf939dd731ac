"""Screening, from the client page: DAST-10 (ten yes/no questions) and WHO ASSIST v3.1 (per
substance). The intake API scores both; the texts are ``dast.*`` and ``assist*.*``."""

from __future__ import annotations

from wtforms import Field, RadioField, SelectField
from wtforms.fields.choices import SelectChoice

from services.console.forms.base import ConsoleForm, choices
from services.console.i18n import Lazy
from shared import assist

# DAST-10, in questionnaire order; the texts are ``dast.q1`` .. ``dast.q10``
DAST_QUESTIONS = tuple(f"q{n}" for n in range(1, 11))


def _yes_no() -> RadioField:
    return RadioField(
        choices=[SelectChoice("yes", Lazy("yes")), SelectChoice("no", Lazy("no"))],  # type: ignore[arg-type]
        invalid_choice_message=Lazy("error.answer"),
    )


class Dast10Form(ConsoleForm):
    """The ten yes/no questions of DAST-10; every one must be answered (the API scores)."""

    q1 = _yes_no()
    q2 = _yes_no()
    q3 = _yes_no()
    q4 = _yes_no()
    q5 = _yes_no()
    q6 = _yes_no()
    q7 = _yes_no()
    q8 = _yes_no()
    q9 = _yes_no()
    q10 = _yes_no()

    def questions(self) -> list[tuple[str, Field]]:
        """``(text key of the question, its field)`` in questionnaire order."""
        return [(f"dast.{name}", self[name]) for name in DAST_QUESTIONS]

    def to_api(self) -> dict:
        return {
            "instrument": "DAST-10",
            "answers": [self[name].data == "yes" for name in DAST_QUESTIONS],
        }

    def field_for(self, api_path: str) -> Field | None:
        parts = api_path.split(".")
        if len(parts) == 2 and parts[0] == "answers" and parts[1].isdigit():
            index = int(parts[1])
            return self[DAST_QUESTIONS[index]] if index < len(DAST_QUESTIONS) else None
        return None


# WHO ASSIST v3.1 as the intake service scores it
ASSIST_SUBSTANCES = assist.SUBSTANCES
assist_questions = assist.questions_asked


class AssistForm(ConsoleForm):
    """WHO ASSIST v3.1: Q2–Q7 for each substance the client has ever used (Q1). A substance
    left blank was never used and is not sent; the intake API scores what is and checks
    WHO's rules (Q3–Q5 may stay blank when Q2 is "never"; Q6 and Q7 are always asked)."""

    def rows(self) -> list[tuple[str, list[tuple[str, Field]]]]:
        """``(substance, [(question, field), …])`` in questionnaire order."""
        return [
            (s, [(q, self[f"{s}_{q}"]) for q in assist_questions(s)]) for s in ASSIST_SUBSTANCES
        ]

    def answered(self) -> dict[str, dict[str, str]]:
        return {
            substance: given
            for substance, fields in self.rows()
            if (given := {q: f.data for q, f in fields if f.data})
        }

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.answered():
            self.api_errors = [str(Lazy("error.assist_nothing"))]
            return False
        return ok

    def to_api(self) -> dict:
        return {"instrument": "ASSIST", "answers": self.answered()}

    def field_for(self, api_path: str) -> Field | None:
        """``answers.<substance>.<question>`` is that question's field; ``answers.<substance>``
        the substance's first question."""
        parts = api_path.split(".")
        if len(parts) < 2 or parts[0] != "answers" or parts[1] not in ASSIST_SUBSTANCES:
            return None
        substance = parts[1]
        question = parts[2] if len(parts) == 3 else assist_questions(substance)[0]
        name = f"{substance}_{question}"
        return self[name] if name in self else None


for _substance in ASSIST_SUBSTANCES:
    for _question in assist_questions(_substance):
        _options = assist.options_of(_question)
        setattr(
            AssistForm,
            f"{_substance}_{_question}",
            SelectField(choices=choices(_options, "assist_option", blank=True), default=""),
        )
