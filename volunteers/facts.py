"""Fact types of volunteers: the powers an admin gives and takes. Stream: `volunteer-<volunteer_id>`.

The account itself (name, email, phone, birth date, organisation) is personal data and stays out of
the ledger; what is recorded is who was given which power over events and results, and who gave it
(the admin, in the fact's meta), because a check-in, a result or a verification is only worth as
much as the right of the person who entered it. The volunteer role is not among them: every
account has it from creation to erasure, and nobody gives or takes it.
"""

import uuid
from dataclasses import dataclass

from ledger.facts import fact_type

# The roles given as facts, in volunteers.roles.Role's values.
POWERS = ("organiser", "coordinator", "admin")


@fact_type("RoleGranted")
@dataclass(frozen=True)
class RoleGranted:
    """A volunteer was given `role`. The coordinator role names its one region; given again, it moves."""

    volunteer_id: uuid.UUID
    role: str  # POWERS
    region: str | None = None  # ISO 3166-2 code: the region coordinated, for the coordinator role only


@fact_type("RoleRevoked")
@dataclass(frozen=True)
class RoleRevoked:
    volunteer_id: uuid.UUID
    role: str  # POWERS


def volunteer_stream(volunteer_id: uuid.UUID | str) -> str:
    return f"volunteer-{volunteer_id}"


__all__ = ["POWERS", "RoleGranted", "RoleRevoked", "volunteer_stream"]
