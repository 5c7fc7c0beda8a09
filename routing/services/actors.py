"""Who did something: every service takes one and writes it into the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from routing.models import ActorType


@dataclass(frozen=True)
class Actor:
    type: str
    user: Any = None  # a staff user, for ActorType.STAFF
    label: str = ""

    @classmethod
    def staff(cls, user: Any) -> Actor:
        return cls(ActorType.STAFF, user=user, label=user.get_username())

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(ActorType.SYSTEM, label=label)

    @classmethod
    def subject(cls) -> Actor:
        return cls(ActorType.SUBJECT, label="data subject")

    @classmethod
    def integration(cls, name: str) -> Actor:
        return cls(ActorType.INTEGRATION, label=name)
