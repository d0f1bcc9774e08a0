"""Texts written in one or more of the interface languages (an event's title, an organisation's name).

A person writes such a text in the languages they can: Kazakh, Russian, English, or any of them.
What is written is kept as {language: text} holding only the languages written, in `LANGUAGES`'
order, so "written in Russian only" stays distinguishable from "the same words in every language".
A reader sees it in their language, else in the first language written, in the order kk, ru, en
(`in_language`): a text is never missing for someone whose language was not written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from rest_framework import serializers

from config.cleaning import MAX_TEXT, Errors, text
from config.strict import SAYS_SOMETHING

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": gettext_lazy("Kazakh"), "ru": gettext_lazy("Russian"), "en": gettext_lazy("English")}

Written = dict[str, str]


def current_language() -> str:
    """The request's language, one of LANGUAGES (Kazakh, the site's own, when none is active)."""
    language = (get_language() or "kk")[:2]
    return language if language in LANGUAGES else "kk"


def in_language(written: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in `language` (by default the request's), else the first written in LANGUAGES'
    order, else ""."""
    written = written or {}
    wanted = written.get(language or current_language())
    if wanted:
        return wanted
    return next((written[lang] for lang in LANGUAGES if written.get(lang)), "")


def shown_language(written: Mapping[str, str] | None, language: str | None = None) -> str:
    """The language `in_language` shows `written` in: the reader's when written, else the first
    written, so a page can mark a text in another language than its own (WCAG 3.1.2, `lang`)."""
    written = written or {}
    wanted = language or current_language()
    if written.get(wanted):
        return wanted
    return next((lang for lang in LANGUAGES if written.get(lang)), wanted)


def written_in(values: Mapping[str, Any]) -> Written:
    """{language: text} of the non-empty texts among `values` (keys outside LANGUAGES ignored)."""
    return {lang: values[lang] for lang in LANGUAGES if values.get(lang)}


def written_text(
    errors: Errors,
    name: str,
    value: Any,
    *,
    required: bool = False,
    max_length: int = MAX_TEXT,
    language: str | None = None,
) -> Written:
    """What a request writes for `name`, cleaned: an object {"kk": …, "ru": …, "en": …} with any of
    the keys (an empty or blank one is not written), or a plain text, taken as written in the
    request's language (`language`, by default the active one) so clients from before keep working.

    Problems go into `errors`: a value of another shape or unknown keys under `name`, a text too
    long or not a text under `name.<language>`, nothing written when `required` under `name`.
    """
    plain = isinstance(value, str)  # its problems are the field's, as before languages
    if value is None:
        value = {}
    elif plain:
        value = {language or current_language(): value}
    if not isinstance(value, Mapping):
        errors[name] = [_("Give a text, or an object with any of the keys kk, ru and en.")]
        return {}
    unknown = sorted(str(key) for key in value if key not in LANGUAGES)
    if unknown:
        errors[name] = [_("Unknown languages: %(keys)s. Use kk, ru and en.") % {"keys": ", ".join(unknown)}]
        return {}
    cleaned = {
        lang: text(errors, name if plain else f"{name}.{lang}", value[lang], max_length=max_length)
        for lang in LANGUAGES
        if lang in value
    }
    written = written_in(cleaned)
    if required and not written and not errors.keys() & {name, *(f"{name}.{lang}" for lang in LANGUAGES)}:
        errors[name] = [_("Write it in at least one language: Kazakh, Russian or English.")]
    return written


# --- in the API ---------------------------------------------------------------------------------------

NO_NUL = r"^[^\u0000]*$"


def written_schema(*, max_length: int, required: bool) -> dict:
    """A text written in one or more languages (config/languages.written_text): a plain text in the
    request's language, or an object with any of kk, ru and en (a blank one is not written); when
    `required`, something in one language at least."""
    one = {"type": "string", "maxLength": max_length, "pattern": SAYS_SOMETHING if required else NO_NUL}
    any_text = {"type": "string", "maxLength": max_length, "pattern": NO_NUL}
    languages = {
        "type": "object",
        "properties": dict.fromkeys(LANGUAGES, any_text),
        "additionalProperties": False,
        "description": "The text in Kazakh (kk), Russian (ru) and English (en): any of them.",
    }
    if required:
        one["minLength"] = 1
        languages["anyOf"] = [
            {"required": [lang], "properties": {lang: {"type": "string", "pattern": SAYS_SOMETHING}}}
            for lang in LANGUAGES
        ]
    return {"oneOf": [{**one, "description": "In the request's language."}, languages]}


class WrittenTextField(serializers.Field):
    """A text as written (config/languages.written_text): a string, or an object of texts under
    any of kk, ru and en. The shape is checked here, with the other fields' types; the rules
    (lengths, a language required) are the service's, in words, per field."""

    def __init__(self, *, one_at_least: bool = False, **kwargs):
        """`one_at_least`: nothing written (a blank text, an object of blank ones) is refused here
        too, so the answer names it with the other fields' problems."""
        self.one_at_least = one_at_least
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            texts = [data]
        elif isinstance(data, Mapping) and all(k in LANGUAGES and isinstance(v, str) for k, v in data.items()):
            data, texts = dict(data), list(data.values())
        else:
            raise serializers.ValidationError(
                _("Give a text (a JSON string), or an object with texts under any of the keys kk, ru and en.")
            )
        if any("\x00" in t for t in texts):
            # As DRF's CharField: PostgreSQL's text and JSON hold no NUL, and no one writes one.
            raise serializers.ValidationError(ProhibitNullCharactersValidator.message)
        if self.one_at_least and not any(t.strip() for t in texts):
            raise serializers.ValidationError(_("Write it in at least one language: Kazakh, Russian or English."))
        return data

    def to_representation(self, value):
        return value
