"""What decides a referral's course: pure rules, no framework.

- **Ground.** A referral hands a client's data to someone outside the foundation, so it
  rests on the client's consent. Without it, only an admin may refer, and says why (an
  override, audited as such): :func:`ground_of`.
- **Transitions.** ``pending`` → ``accepted`` | ``rejected``; ``accepted`` → ``done``; the
  sender revokes while ``pending`` or ``accepted``; nothing leaves ``rejected``, ``done`` or
  ``revoked``. A partner that is a foundation of this deployment answers for itself (its
  admins accept or reject); for any other partner the sender records the partner's answer:
  :func:`may_change`.
- **What a receiving foundation sees first**: an age band, never the birth date
  (:func:`age_band`); **what crosses on acceptance**: :data:`COPIED_BY_INTAKE` by intake,
  :data:`SUMMARISED_BY_ASSESSMENT` as a summary written by assessment.
- **Reminder.** A referral still pending :data:`REMIND_AFTER` after it was made reminds the
  client's case worker: :func:`remind_at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from shared.vocabulary import AgeBand, ReferralShare, ReferralStatus, Role

REMIND_AFTER: Final = timedelta(days=7)
#: The roles that may refer a client (an override without consent: admins only).
REFERRING_ROLES: Final = frozenset({Role.ADMIN, Role.SOCIAL_WORKER, Role.COUNSELOR})
#: Who answers for a receiving foundation of this deployment.
RECEIVING_ROLES: Final = frozenset({Role.ADMIN})
#: The parts intake copies to the client it registers at a receiving foundation.
COPIED_BY_INTAKE: Final = frozenset({ReferralShare.IDENTITY, ReferralShare.SCREENING})
#: The parts assessment writes there as a summary document.
SUMMARISED_BY_ASSESSMENT: Final = frozenset({ReferralShare.ASSESSMENT, ReferralShare.PLAN})
#: While a referral is open, the same client is not referred to the same partner again.
OPEN: Final = frozenset({ReferralStatus.PENDING, ReferralStatus.ACCEPTED})


class Side(StrEnum):
    """Which end of a referral is acting."""

    SENDER = "sender"
    RECEIVER = "receiver"


#: status → {the status it may become: the sides that may make it so}
TRANSITIONS: Final[dict[ReferralStatus, dict[ReferralStatus, frozenset[Side]]]] = {
    ReferralStatus.PENDING: {
        ReferralStatus.ACCEPTED: frozenset({Side.RECEIVER}),
        ReferralStatus.REJECTED: frozenset({Side.RECEIVER}),
        ReferralStatus.REVOKED: frozenset({Side.SENDER}),
    },
    ReferralStatus.ACCEPTED: {
        ReferralStatus.DONE: frozenset({Side.SENDER, Side.RECEIVER}),
        ReferralStatus.REVOKED: frozenset({Side.SENDER}),
    },
}


@dataclass(frozen=True)
class Ground:
    """Why a referral may share the client's data: consent, or an admin's override."""

    consent: bool
    override_reason: str | None

    @property
    def overridden(self) -> bool:
        return not self.consent


def ground_of(consent: bool, role: str, override_reason: str | None) -> Ground | None:
    """The referral's ground, or ``None`` when it has none (``consent_required``): without
    the client's consent only an admin refers, and only with an ``override_reason``. A
    reason given beside consent is no override, and is not kept."""
    if consent:
        return Ground(consent=True, override_reason=None)
    reason = (override_reason or "").strip()
    if role == Role.ADMIN and reason:
        return Ground(consent=False, override_reason=reason)
    return None


def may_change(current: str, target: str, side: Side, *, partner_answers_itself: bool) -> bool:
    """Whether ``side`` may move a referral from ``current`` to ``target``. When the
    partner does not answer itself (it is not a foundation of this deployment), the sender
    records its answers too."""
    try:
        sides = TRANSITIONS.get(ReferralStatus(current), {}).get(ReferralStatus(target))
    except ValueError:
        return False
    if not sides:
        return False
    if side == Side.SENDER and not partner_answers_itself:
        return True
    return side in sides


def shares_in_order(shares: Iterable[str]) -> list[ReferralShare]:
    """The shared parts once each, in the vocabulary's order (unknown names dropped)."""
    given = set(shares)
    return [share for share in ReferralShare if share.value in given]


def age_on(birth: date, today: date) -> int:
    """Whole years from ``birth`` to ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_band(birth: date | None, today: date) -> AgeBand:
    """The band a receiving foundation sees instead of a birth date."""
    if birth is None:
        return AgeBand.UNKNOWN
    age = age_on(birth, today)
    if age < 18:
        return AgeBand.UNDER_18
    for upper, band in (
        (24, AgeBand.FROM_18_TO_24),
        (34, AgeBand.FROM_25_TO_34),
        (44, AgeBand.FROM_35_TO_44),
        (54, AgeBand.FROM_45_TO_54),
    ):
        if age <= upper:
            return band
    return AgeBand.FROM_55


def remind_at(status: str, created_at: datetime) -> datetime | None:
    """When the case worker is reminded of a referral nobody has answered: a week after it
    was made, while it is pending; never once it has left ``pending``."""
    return created_at + REMIND_AFTER if status == ReferralStatus.PENDING else None
