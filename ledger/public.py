"""The public form of facts: what the world may see of each fact, declared per fact type.

The ledger keeps every fact whole; the feed (`selectors.fact_feed`) serves each one only in its
public form, and issue 16's log hashes that form. The domain apps declare the forms of their
own types in `public.py`, beside `facts.py`:

    @public_form("VolunteerCheckedIn", reads=("EventApproved",))
    def _checked_in(fact: PublicView) -> dict | None:
        if not any(e.type == "EventApproved" for e in fact.earlier):
            return None  # withheld: the event was not public when this happened
        return {"event_id": ..., "volunteer": pseudonym(...), ...}

A form returns the public data, or None: the fact is *withheld* and the feed skips it. A type
with no declared form is withheld too, so a new type cannot leak by default (and
tests/ledger/test_public_forms.py fails until it declares one).

Why a published form never changes, so the feed's order and content are fixed once served:

- A form is a pure function of the fact as stored (its data at its stored schema version, not
  upcast: an upcaster added later must not rewrite what was published) and of the facts of the
  same stream *before* it (`earlier`, the types named in `reads`). The ledger is append-only and
  a stream's version N+1 is only appended after version N committed (the appender read it), so
  `earlier` is complete and fixed by the time the fact itself can be read.
- Hence whether a fact is withheld is decided when it is appended and never revisited: nothing
  later in the ledger can make a withheld fact public (which would insert it into the past of the
  feed) or a published one withheld. Something that becomes public later (an event when it is
  approved) is published by the later fact's form (the approval carries the event as approved).

The pseudonym of a subject within a scope is an HMAC-SHA256 under `TAZA_PSEUDONYM_KEY` (by
default derived from SECRET_KEY), truncated to 128 bits: equal within one scope, unlinkable
across scopes without the key. The key is part of every published form: changing it changes
the public form of every fact already published, so it is set once and kept.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class Earlier:
    """A fact of the same stream before the one whose form is made."""

    version: int
    type: str
    data: dict


@dataclasses.dataclass(frozen=True)
class PublicView:
    """What a form is given: the fact as stored and the earlier facts of its stream it reads."""

    stream: str
    version: int
    type: str
    schema_version: int
    data: dict
    earlier: tuple[Earlier, ...]


Form = Callable[[PublicView], "dict | None"]


@dataclasses.dataclass(frozen=True)
class Declared:
    form: Form
    reads: frozenset[str]  # types of earlier facts of the same stream the form needs
    fields: tuple[str, ...]  # the keys of every form it publishes (none: always withheld)
    when: str | Promise  # when it is published, or why never, in a few words (the feed's description
    # and the open-data page say it)


_FORMS: dict[str, Declared] = {}
ALWAYS = _("always")


def public_form(
    *type_names: str, fields: Iterable[str], when: str | Promise = ALWAYS, reads: Iterable[str] = ()
) -> Callable[[Form], Form]:
    """Declare `form` as the public form of the fact types named, publishing exactly `fields`."""

    def register(form: Form) -> Form:
        for name in type_names:
            if name in _FORMS and _FORMS[name].form is not form:
                raise TypeError(f"the public form of {name!r} is declared twice")
            _FORMS[name] = Declared(form, frozenset(reads), tuple(fields), when)
        _published.clear()
        return form

    return register


def withheld(fact: PublicView) -> None:
    """The form of a type the public never sees."""
    return None


def withhold(*type_names: str, why: str | Promise) -> None:
    """Declare fact types the feed never shows (explicitly, so that it is a decision), and why."""
    public_form(*type_names, fields=(), when=why)(withheld)


def declared_forms() -> dict[str, Declared]:
    return dict(_FORMS)


_published: list[frozenset[str]] = []  # the published types, worked out once after each declaration


def published_types() -> frozenset[str]:
    """The fact types a public form may show (those always withheld declare no fields): what the
    transparency log's projections handle, asked on every append."""
    if not _published:
        _published.append(frozenset(name for name, declared in _FORMS.items() if declared.fields))
    return _published[0]


def form_of(type_name: str) -> Declared | None:
    return _FORMS.get(type_name)


@functools.cache
def _key(configured: str, secret: str) -> bytes:
    if configured:
        return configured.encode()
    return salted_hmac("taza.ledger.public.pseudonym", "pseudonym key", secret=secret, algorithm="sha256").digest()


def pseudonym(scope: str, subject: str) -> str:
    """A subject's name within one scope (a volunteer within one event): 32 hex characters."""
    key = _key(getattr(settings, "TAZA_PSEUDONYM_KEY", ""), settings.SECRET_KEY)
    return hmac.new(key, f"{scope}\x00{subject}".encode(), hashlib.sha256).hexdigest()[:32]
