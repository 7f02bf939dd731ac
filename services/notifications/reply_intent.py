"""What a family's reply means: its intent, decided from its first word and from the
question the family was last asked.

Pure: a string and the kind of open question in, a :class:`ReplyIntent` out.

The first word is the first run of letters or digits, so case, punctuation, emoji and
whitespace around it do not count ("Ya, kami datang 🙏" starts with ``ya``; "1️⃣" with
``1``). ``STOP``/``BERHENTI`` and ``START``/``MULAI`` mean the same whatever was asked; the
answer words of an RSVP or a check-in count only while that question is open (a family may
well write "ya" or "ok" in a message about something else); everything else is ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Final

from shared.vocabulary import ReplyIntent


class QuestionKind(StrEnum):
    """What the contact's latest open question asks (``open_questions.py`` finds it)."""

    NONE = "none"
    SESSION = "session"  # a family-session invitation or reminder: will you come?
    CHECKIN = "checkin"  # a post-discharge check-in (family.followup): how are things?


ALWAYS: Final[dict[str, ReplyIntent]] = {
    "stop": ReplyIntent.STOP,
    "berhenti": ReplyIntent.STOP,
    "start": ReplyIntent.START,
    "mulai": ReplyIntent.START,
}
ANSWERS: Final[dict[QuestionKind, dict[str, ReplyIntent]]] = {
    QuestionKind.NONE: {},
    QuestionKind.SESSION: {
        "ya": ReplyIntent.RSVP_YES,
        "hadir": ReplyIntent.RSVP_YES,
        "yes": ReplyIntent.RSVP_YES,
        "1": ReplyIntent.RSVP_YES,
        "tidak": ReplyIntent.RSVP_NO,
        "no": ReplyIntent.RSVP_NO,
        "2": ReplyIntent.RSVP_NO,
        "tunda": ReplyIntent.RSVP_LATER,
        "later": ReplyIntent.RSVP_LATER,
        "3": ReplyIntent.RSVP_LATER,
    },
    QuestionKind.CHECKIN: {
        "baik": ReplyIntent.CHECKIN_OK,
        "ok": ReplyIntent.CHECKIN_OK,
        "1": ReplyIntent.CHECKIN_OK,
        "bantu": ReplyIntent.CHECKIN_HELP,
        "bantuan": ReplyIntent.CHECKIN_HELP,
        "help": ReplyIntent.CHECKIN_HELP,
        "2": ReplyIntent.CHECKIN_HELP,
    },
}

# letters and digits of any script; "_" is a word character for re but no letter
_WORD: Final = re.compile(r"[^\W_]+")


def first_word(text: str) -> str:
    """The reply's first word, case-folded, in compatibility form (full-width ``１`` is
    ``1``; digits of any script are ASCII digits); empty when it has none."""
    found = _WORD.search(unicodedata.normalize("NFKC", text))
    if found is None:
        return ""
    word = found.group().casefold()
    if word.isdecimal():  # "01" and "١" are 1 too (digit by digit: no length limit)
        word = "".join(str(unicodedata.decimal(digit)) for digit in word).lstrip("0") or "0"
    return word


def reply_intent(text: str, question: QuestionKind) -> ReplyIntent:
    """The intent of ``text`` when the contact's latest open question is ``question``."""
    word = first_word(text)
    return ALWAYS.get(word) or ANSWERS[question].get(word, ReplyIntent.TEXT)
