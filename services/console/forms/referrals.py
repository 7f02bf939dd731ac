"""Partners (admins), referring a client (the client page's "Rujuk"), and a referral's
answers: the partner's, recorded by the sender, or the receiving foundation's own."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional

from services.console.forms.base import (
    REQUIRED,
    CheckboxesField,
    ConsoleForm,
    choices,
    most,
    stripped,
)
from services.console.i18n import Lazy
from shared.vocabulary import PartnerKind, ReferralShare, ReferralStatus, values

#: the statuses a referral's answer may ask for (it starts ``pending``)
ANSWERS = tuple(s for s in values(ReferralStatus) if s != ReferralStatus.PENDING)


class PartnerForm(ConsoleForm):
    """``POST /partners``: an organisation, and for another foundation of this Pendamping
    its slug."""

    name = StringField(validators=[DataRequired(REQUIRED), most(200)])
    kind = SelectField(
        choices=choices(values(PartnerKind), "partner_kind"),
        default=PartnerKind.VOCATIONAL.value,
    )
    email = StringField(validators=[Optional(), most(254)])
    phone = StringField(validators=[Optional(), most(32)])
    foundation_slug = StringField(validators=[Optional(), most(40)])

    def to_api(self) -> dict[str, Any]:
        return {
            "name": stripped(self.name),
            "kind": self.kind.data,
            "email": stripped(self.email),
            "phone": stripped(self.phone),
            "foundation_slug": stripped(self.foundation_slug),
        }


class PartnerEditForm(PartnerForm):
    """``PATCH /partners/{id}``: every field as it should be now, and whether it is active."""

    active = BooleanField(default=True)

    def to_api(self) -> dict[str, Any]:
        return {**super().to_api(), "active": bool(self.active.data)}


class ReferralForm(ConsoleForm):
    """``POST /clients/{id}/referrals``: the partner, why, what is shared, and the consent
    question (an admin may refer without consent, saying why)."""

    partner_id = SelectField(choices=[], validate_choice=False, validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(validators=[DataRequired(REQUIRED), most(2000)])
    share = CheckboxesField(
        choices=choices(values(ReferralShare), "referral_share"),
        default=[ReferralShare.IDENTITY.value],
        validate_choice=True,
    )
    consent = RadioField(
        choices=[
            SelectChoice("yes", Lazy("referral_consent.yes")),  # type: ignore[arg-type]
            SelectChoice("no", Lazy("referral_consent.no")),  # type: ignore[arg-type]
        ],
        validators=[InputRequired(Lazy("error.answer"))],
        invalid_choice_message=Lazy("error.answer"),
    )
    override_reason = TextAreaField(validators=[Optional(), most(1000)])

    def offer(self, partners: list[dict[str, Any]]) -> None:
        """The active partners to choose from, by name."""
        options = [SelectChoice("", "–")]
        for partner in partners:
            options.append(SelectChoice(partner["id"], partner["name"]))
        self.partner_id.choices = options

    def to_api(self) -> dict[str, Any]:
        consented = self.consent.data == "yes"
        return {
            "partner_id": self.partner_id.data,
            "reason": stripped(self.reason),
            "share": list(self.share.data or []),
            "consent": consented,
            "override_reason": None if consented else stripped(self.override_reason),
        }


class ReferralAnswerForm(ConsoleForm):
    """``PATCH /referrals/{id}``: the status its button names, and a note."""

    status = StringField(
        validators=[DataRequired(REQUIRED), AnyOf(ANSWERS, message=Lazy("error.choice"))]
    )
    note = TextAreaField(validators=[Optional(), most(1000)])

    def to_api(self) -> dict[str, Any]:
        return {"status": self.status.data, "note": stripped(self.note)}
