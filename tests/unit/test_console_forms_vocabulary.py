"""The console's options come from the suite's one vocabulary (shared/vocabulary.py) and each
has a name in both languages; its texts, split by area, are one catalogue."""

from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import pytest
from flask import Flask, g
from wtforms import RadioField, SelectField, SelectMultipleField

import services.console.forms as forms_package
from services.console.i18n import Lazy
from services.console.texts import MESSAGES, merge
from services.console.texts.vocabulary import VOCABULARIES
from shared.vocabulary import Channel, FamilyChannel, Locale, values


def _form_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(forms_package.__path__):
        module = import_module(f"{forms_package.__name__}.{info.name}")
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__ and hasattr(cls, "_unbound_fields")
        ]
    return found


def _option_keys(form_class: type) -> dict[str, list[str]]:
    """Each choice field of ``form_class`` → the text keys its options are named by."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="unit", WTF_CSRF_ENABLED=False)
    with app.test_request_context():
        g.locale = "id"
        form = form_class(meta={"csrf": False})
        return {
            field.name: [c.label.key for c in field.choices if isinstance(c.label, Lazy)]
            for field in form
            if isinstance(field, SelectField | RadioField | SelectMultipleField)
        }


FORMS = _form_classes()


def test_the_forms_package_is_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"ClientIntakeForm", "NoteForm", "AssessmentForm", "StaffAccountForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: cls.__name__)
def test_every_option_of_a_form_has_a_name_in_both_languages(form_class):
    for field, keys in _option_keys(form_class).items():
        for key in keys:
            assert key in MESSAGES, f"{form_class.__name__}.{field}: no text {key!r}"
            indonesian, english = MESSAGES[key]
            assert indonesian.strip() and english.strip(), key


@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_every_value_of_a_vocabulary_has_a_name_in_both_languages(kind):
    missing = [v for v in VOCABULARIES[kind] if f"{kind}.{v}" not in MESSAGES]
    assert not missing, f"{kind}: no name for {missing} in services/console/texts/vocabulary.py"


def test_the_forms_offer_the_vocabulary_not_a_copy_of_it():
    from services.console.forms.clients import ClientIntakeForm
    from services.console.forms.family import FamilyContactEditForm
    from services.console.forms.sessions import NoteForm

    contact = _option_keys(FamilyContactEditForm)
    assert contact["channel"] == [f"channel.{v}" for v in values(FamilyChannel)]
    assert contact["locale"] == [f"locale.{v}" for v in values(Locale)]
    assert "channel.log" not in contact["channel"] and "log" in values(Channel)
    intake = _option_keys(ClientIntakeForm)
    assert intake["route_of_use"][0] == "route.oral"
    assert _option_keys(NoteForm)["obstacles"][-1] == "obstacle.other"


def test_a_text_key_in_two_areas_is_refused():
    with pytest.raises(ValueError, match="'nav.caseload' is in both navigation and clients"):
        merge(
            [
                ("navigation", {"nav.caseload": ("Dampingan", "Caseload")}),
                ("clients", {"nav.caseload": ("Klien", "Clients")}),
            ]
        )
    assert merge([("a", {"x": ("1", "one")}), ("b", {"y": ("2", "two")})]) == {
        "x": ("1", "one"),
        "y": ("2", "two"),
    }
