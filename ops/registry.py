"""Every database of the suite by name, with the tables its service declares.

What works through all of them (key rotation) takes each service's metadata from here,
so a new table or a new service is seen without a list of module names to keep in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy import MetaData

from services.assessment import models as assessment
from services.console import models as console
from services.intake import models as intake
from services.notifications import models as notifications
from shared.settings import CONSOLE

METADATA: Mapping[str, MetaData] = MappingProxyType(
    {
        "intake": intake.metadata,
        "assessment": assessment.metadata,
        "notifications": notifications.metadata,
        CONSOLE: console.metadata,
    }
)
