"""Input as the schema types it: a JSON body is taken at its word, and a blank filter is no filter.

DRF's fields are lenient by design (they also read HTML forms): a CharField takes `12345` and makes
it "12345", an IntegerField takes "10" and 10.0, a BooleanField takes "yes" and 1, a DateTimeField
takes "2026-12-05" (midnight) and "2026-12-05T10:00" (the server's time zone). A client generated
from the schema, which says `string`, `integer`, `boolean` and `date-time` (RFC 3339: with an
offset), would not expect any of that, and a bug in it would be recorded silently. So the API reads
JSON only, and its body serializers (`StrictInput`) refuse a value of the wrong JSON type with the
usual field message before DRF converts anything:

- text, choices, ids, dates: a JSON string (a date as YYYY-MM-DD); a date-time with its time and
  its UTC offset;
- whole numbers: a JSON integer (not 10.0, not "10", not true); other numbers: an integer or a
  fraction (a decimal may also be a string, which is how JSON keeps its digits exact);
- yes/no: true or false;
- lists and objects: a JSON array or object, their items checked the same way.

Query strings are text by nature; their serializers (`QueryInput`) refuse an empty value
(`?status=`): a parameter is given with a value, as the schema says, or left out.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# RFC 3339 date-time: a date, a time, and Z or an offset.
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

TEXTUAL = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.UUIDField,
    serializers.DateField,
    serializers.TimeField,
)


def wrong_type(field: serializers.Field, value: Any) -> str | None:
    """Why `value` is not of the JSON type `field` takes, or None when it is."""
    if value is None:
        return None  # the field says whether null is allowed
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else str(_("Give true or false."))
    if isinstance(field, serializers.IntegerField):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else str(_("Give a whole number."))
    if isinstance(field, serializers.FloatField):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else str(_("Give a number."))
    if isinstance(field, serializers.DecimalField):
        ok = isinstance(value, (int, float, str)) and not isinstance(value, bool)
        return None if ok else str(_("Give a number."))
    if isinstance(field, serializers.DateTimeField):
        if isinstance(value, str) and RFC_3339.match(value):
            return None
        return str(_("Give a date and time with its UTC offset, e.g. 2026-04-18T10:00:00+05:00."))
    if isinstance(field, TEXTUAL):
        return None if isinstance(value, str) else str(_("Give a text (a JSON string)."))
    if isinstance(field, (serializers.ListField, serializers.ListSerializer)):
        return None if isinstance(value, list) else str(_("Give a list."))
    if isinstance(field, (serializers.DictField, serializers.Serializer)):
        return None if isinstance(value, Mapping) else str(_("Give an object."))
    return None


def _errors(fields: Mapping[str, serializers.Field], data: Mapping) -> dict:
    errors: dict[str, Any] = {}
    for name, field in fields.items():
        if field.read_only or name not in data:
            continue
        value = data[name]
        message = wrong_type(field, value)
        if message:
            errors[name] = [message]
        elif isinstance(field, serializers.ListField) and isinstance(value, list):
            items = {str(i): [m] for i, item in enumerate(value) if (m := wrong_type(field.child, item))}
            if items:
                errors[name] = items
        elif isinstance(field, serializers.DictField) and isinstance(value, Mapping):
            items = {str(k): [m] for k, item in value.items() if (m := wrong_type(field.child, item))}
            if items:
                errors[name] = items
    return errors


# No docstrings on these mixins: drf-spectacular would show a base's docstring as the description of
# every serializer that has none of its own.
class StrictInput:
    # For serializers of JSON bodies (and their nested serializers): JSON types as the schema says.

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors = _errors(self.fields, data)
            if errors:
                # Every field's message at once: the other fields are still read as usual.
                try:
                    super().to_internal_value({key: value for key, value in data.items() if key not in errors})
                except serializers.ValidationError as exc:
                    if isinstance(exc.detail, Mapping):
                        for key, detail in exc.detail.items():
                            errors.setdefault(key, detail)
                raise serializers.ValidationError(errors) from None
        return super().to_internal_value(data)


class QueryInput:
    # For serializers of query strings: a parameter is given with a value or not at all. DRF reads an
    # empty optional parameter as absent (form semantics), which the schema (minLength 1, an enum, a
    # date) does not say; a client sending `?status=` most likely has a bug, and is told.

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "lists"):
            blank = {
                name: [str(_("Give a value, or leave the parameter out."))]
                for name, values in data.lists()
                if name in self.fields and any(value == "" for value in values)
            }
            if blank:
                raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


# An amount in a JSON body (kg, ha, a target): zero or more, as a number or a string of digits (how
# JSON keeps every digit exact).
DECIMAL_SCHEMA = {"oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"}]}
COUNT_SCHEMA = {"type": "integer", "minimum": 0, "maximum": 10**9 - 1}
# A text that must say something: no NUL (which PostgreSQL cannot store) and, once trimmed as DRF
# trims (Python's str.strip: its whitespace, not quite JSON Schema's \s), not blank.
_SPACE = r"\t\n\v\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SAYS_SOMETHING = rf"^[^\u0000]*[^{_SPACE}\u0000][^\u0000]*$"


def amount_schema(*, places: int, below: int) -> dict:
    """An amount below `below` with at most `places` decimals, as a number or a string of digits."""
    return {
        "oneOf": [
            # (no multipleOf: 2.25 is not a multiple of 0.0001 in binary floating point; a JSON
            # number with more decimals is refused in words, a string says the rule exactly)
            {"type": "number", "minimum": 0, "maximum": below, "exclusiveMaximum": True},
            {"type": "string", "pattern": rf"^[0-9]{{1,{len(str(below)) - 1}}}(\.[0-9]{{1,{places}}})?$"},
        ]
    }


@extend_schema_field(DECIMAL_SCHEMA)
class DecimalInputField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, **kwargs)


def described(field: serializers.Field, schema: dict) -> serializers.Field:
    """`field`, with the schema saying the rule its service enforces (a minimum length, a required
    language, a list that may not be empty) so a client knows before it sends.

    A subclass carries the schema: a serializer deep-copies its declared fields by building them
    again from their arguments, which would drop an annotation on the instance."""
    cls = type(field)
    annotated = extend_schema_field(schema)(type(cls.__name__, (cls,), {"__module__": cls.__module__}))
    kwargs = copy.deepcopy(field._kwargs)
    if schema.get("minLength", 0) >= 1:
        kwargs["allow_blank"] = False  # said and done: a blank text is refused here already
    return annotated(*copy.deepcopy(field._args), **kwargs)
