"""A new staff member's console account (the admin's staff page)."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from services.console.forms.base import REQUIRED, ConsoleForm, choices, most
from services.console.i18n import Lazy
from shared.vocabulary import FOUNDATION_ROLES, Locale, Role, values


class StaffAccountForm(ConsoleForm):
    name = StringField(validators=[DataRequired(REQUIRED), most(120)])
    email = StringField(validators=[DataRequired(REQUIRED), most(254)])
    role = SelectField(
        choices=choices([role.value for role in FOUNDATION_ROLES], "role"),
        default=Role.SOCIAL_WORKER.value,
    )
    locale = SelectField(choices=choices(values(Locale), "locale"), default=Locale.ID.value)
    password = PasswordField(
        validators=[Optional(), Length(min=10, max=200, message=Lazy("error.password_short"))]
    )

    def validate_email(self, field):
        if "@" not in (field.data or ""):
            raise ValidationError(Lazy("error.email"))
