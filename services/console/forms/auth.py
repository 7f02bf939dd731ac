"""Signing in."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from services.console.forms.base import REQUIRED, ConsoleForm, most


class SignInForm(ConsoleForm):
    email = StringField(validators=[DataRequired(REQUIRED), most(254)])
    password = PasswordField(validators=[DataRequired(REQUIRED), most(200)])
