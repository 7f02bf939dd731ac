"""What a family's reply means: its first word, read against the question still open.

Each row: the reply as a family types it, the kind of question open for them (none, a
family-session invitation or reminder, a post-discharge check-in), and the intent.
"""

from __future__ import annotations

import pytest

from services.notifications.reply_intent import QuestionKind, first_word, reply_intent
from shared.vocabulary import ReplyIntent

NONE, SESSION, CHECKIN = QuestionKind.NONE, QuestionKind.SESSION, QuestionKind.CHECKIN
STOP, START, TEXT = ReplyIntent.STOP, ReplyIntent.START, ReplyIntent.TEXT
YES, NO, LATER = ReplyIntent.RSVP_YES, ReplyIntent.RSVP_NO, ReplyIntent.RSVP_LATER
OK, HELP = ReplyIntent.CHECKIN_OK, ReplyIntent.CHECKIN_HELP

ROWS = [
    # --- STOP / BERHENTI: whatever was asked -------------------------------------------------
    ("STOP", NONE, STOP),
    ("stop", SESSION, STOP),
    ("Stop.", CHECKIN, STOP),
    ("  berhenti ", NONE, STOP),
    ("BERHENTI!", SESSION, STOP),
    ("Berhenti kirim pesan ya", CHECKIN, STOP),
    ("stop sending me messages", NONE, STOP),
    ("*STOP*", NONE, STOP),
    ("\u201cstop\u201d", NONE, STOP),  # typographic quotes
    ("\n\tSTOP\n", NONE, STOP),
    # --- START / MULAI: whatever was asked ---------------------------------------------------
    ("START", NONE, START),
    ("start", SESSION, START),
    ("Mulai", CHECKIN, START),
    ("mulai lagi, terima kasih", NONE, START),
    ("MULAI!!!", SESSION, START),
    # --- an open session invitation or reminder ----------------------------------------------
    ("YA", SESSION, YES),
    ("ya", SESSION, YES),
    ("Ya, kami datang", SESSION, YES),
    ("Ya.", SESSION, YES),
    ("yA!", SESSION, YES),
    ("HADIR", SESSION, YES),
    ("Hadir insya Allah", SESSION, YES),
    ("Yes", SESSION, YES),
    ("YES we will be there", SESSION, YES),
    ("1", SESSION, YES),
    ("1.", SESSION, YES),
    (" 1 ", SESSION, YES),
    ("1 (ya)", SESSION, YES),
    ("01", SESSION, YES),
    ("\uff11", SESSION, YES),  # a full-width 1, as some phone keyboards type it
    ("1\ufe0f\u20e3", SESSION, YES),  # the keycap emoji 1️⃣
    ("\U0001f44d ya", SESSION, YES),  # 👍 ya
    ("\U0001f64f Ya, terima kasih \U0001f64f", SESSION, YES),  # 🙏
    ("TIDAK", SESSION, NO),
    ("tidak bisa, maaf", SESSION, NO),
    ("Tidak.", SESSION, NO),
    ("No", SESSION, NO),
    ("no, sorry", SESSION, NO),
    ("2", SESSION, NO),
    ("2!", SESSION, NO),
    ("TUNDA", SESSION, LATER),
    ("Tunda dulu", SESSION, LATER),
    ("later", SESSION, LATER),
    ("LATER please", SESSION, LATER),
    ("3", SESSION, LATER),
    # session words that are no answer to it
    ("BAIK", SESSION, TEXT),
    ("ok", SESSION, TEXT),
    ("4", SESSION, TEXT),
    ("12", SESSION, TEXT),
    ("Yaa", SESSION, TEXT),
    ("yakin", SESSION, TEXT),
    ("nanti saja", SESSION, TEXT),
    ("Apakah saya perlu membawa sesuatu?", SESSION, TEXT),
    ("kami datang, ya", SESSION, TEXT),  # the first word decides
    # --- an open post-discharge check-in -----------------------------------------------------
    ("BAIK", CHECKIN, OK),
    ("baik-baik saja", CHECKIN, OK),
    ("Baik, terima kasih", CHECKIN, OK),
    ("OK", CHECKIN, OK),
    ("ok!", CHECKIN, OK),
    ("1", CHECKIN, OK),
    ("1\ufe0f\u20e3", CHECKIN, OK),
    ("BANTU", CHECKIN, HELP),
    ("Bantu kami", CHECKIN, HELP),
    ("bantuan", CHECKIN, HELP),
    ("BANTUAN!!", CHECKIN, HELP),
    ("help", CHECKIN, HELP),
    ("HELP me please", CHECKIN, HELP),
    ("2", CHECKIN, HELP),
    ("2.", CHECKIN, HELP),
    # check-in words that are no answer to it
    ("ya", CHECKIN, TEXT),
    ("tidak", CHECKIN, TEXT),
    ("3", CHECKIN, TEXT),
    ("okay", CHECKIN, TEXT),
    ("membantu", CHECKIN, TEXT),
    ("Dia kambuh lagi", CHECKIN, TEXT),
    # --- no open question: only STOP and START mean anything ---------------------------------
    ("YA", NONE, TEXT),
    ("1", NONE, TEXT),
    ("2", NONE, TEXT),
    ("tidak", NONE, TEXT),
    ("ok", NONE, TEXT),
    ("help", NONE, TEXT),
    ("Terima kasih", NONE, TEXT),
    # --- nothing that reads as a word ----------------------------------------------------------
    ("", NONE, TEXT),
    ("   ", SESSION, TEXT),
    ("...", SESSION, TEXT),
    ("\U0001f44d", SESSION, TEXT),  # 👍 alone
    ("\U0001f64f\U0001f64f", CHECKIN, TEXT),
    ("?", CHECKIN, TEXT),
    ("_1_", SESSION, YES),  # underscores are punctuation
    ("x" * 5000, SESSION, TEXT),
    ("1" * 5000, SESSION, TEXT),
]


@pytest.mark.parametrize(("text", "question", "intent"), ROWS)
def test_the_first_word_decides_against_the_open_question(text, question, intent):
    assert reply_intent(text, question) == intent


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Ya, kami datang", "ya"),
        ("  STOP.", "stop"),
        ("\U0001f44d HADIR", "hadir"),
        ("\u0661", "1"),  # an Arabic-Indic 1
        ("007", "7"),
        ("0", "0"),
        ("", ""),
        ("!!", ""),
        ("Übermorgen", "übermorgen"),
    ],
)
def test_first_word(text, word):
    assert first_word(text) == word


def test_every_question_kind_has_its_answers_and_stop_start_always_win():
    for question in QuestionKind:
        assert reply_intent("stop", question) == STOP
        assert reply_intent("mulai", question) == START
