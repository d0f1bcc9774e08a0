"""Time-ordered ids (UUID version 7, RFC 9562) for what Taza creates: facts, events, registrations,
campaigns, volunteers.

A random id (UUID version 4) lands anywhere in a unique index, so once an index outgrows the
database's buffers nearly every insert reads and dirties a page that was evicted: at the seed's
4 million facts the random-id indexes (facts, registrations, check-ins) were most of PostgreSQL's
reads and writes. A version 7 id begins with its time in milliseconds, so new ids go in at the
right edge of the index, where the pages are in memory. The other 74 bits are random, so ids made
in the same millisecond by different processes do not collide.

Ids derived from an Idempotency-Key stay uuid5 (config/idempotency.py): a retry must give the
same id, whenever it comes.
"""

from __future__ import annotations

import os
import time
import uuid

_MS = (1 << 48) - 1
_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_RAND_A = 0xFFF
_RAND_B = (1 << 62) - 1


def uuid7_int(ms: int, random_bits: int) -> int:
    """The integer value of the version 7 UUID of time `ms` (Unix milliseconds) and 74 random bits."""
    return (ms & _MS) << 80 | _VERSION_7 | ((random_bits >> 62) & _RAND_A) << 64 | _VARIANT | random_bits & _RAND_B


def uuid7() -> uuid.UUID:
    """A new time-ordered id (Python 3.14's uuid.uuid7 does the same)."""
    return uuid.UUID(int=uuid7_int(time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10))))


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The Unix time in milliseconds that a version 7 id carries."""
    return value.int >> 80
