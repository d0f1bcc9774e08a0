"""Fact types: frozen dataclasses with a type name and a schema version, plus upcasters.

Each domain app declares its fact types in its own `facts.py`:

    @fact_type("EventProposed", version=2)
    @dataclass(frozen=True)
    class EventProposed:
        event_id: str
        title: str
        capacity: int

    @upcaster("EventProposed", from_version=1)
    def _v1_to_v2(data: dict) -> dict:
        return {**data, "capacity": data.get("places", 0)}

`to_data` turns a fact into JSON for storage; `upcast` brings stored JSON (at any older schema
version) to the current one and `from_data` makes the dataclass. Unknown types and fields of the wrong
type are refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from config.errors import DomainError


class FactValidationError(DomainError):
    code = "invalid_fact"


_TYPES: dict[str, type] = {}
_UPCASTERS: dict[tuple[str, int], Callable[[dict], dict]] = {}


def fact_type(name: str, *, version: int = 1) -> Callable[[type], type]:
    """Register a frozen dataclass as the current schema of fact type `name`."""

    def register(cls: type) -> type:
        if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            raise TypeError(f"{cls.__name__} must be a frozen dataclass")
        if name in _TYPES and _TYPES[name] is not cls:
            raise TypeError(f"fact type {name!r} is declared twice")
        cls.fact_type = name  # type: ignore[attr-defined]
        cls.schema_version = version  # type: ignore[attr-defined]
        _TYPES[name] = cls
        return cls

    return register


def fact_types(*fact_classes: type) -> frozenset[str]:
    """The type names of fact classes declared with `fact_type`: how code names the facts it reads."""
    return frozenset(cls.fact_type for cls in fact_classes)  # type: ignore[attr-defined]


def upcaster(name: str, *, from_version: int) -> Callable[[Callable[[dict], dict]], Callable[[dict], dict]]:
    """Register a function that turns data of `name` at `from_version` into `from_version + 1`."""

    def register(fn: Callable[[dict], dict]) -> Callable[[dict], dict]:
        _UPCASTERS[(name, from_version)] = fn
        return fn

    return register


def registered_types() -> dict[str, type]:
    return dict(_TYPES)


def current_versions() -> dict[str, int]:
    """The current schema version of every registered type (readers skip upcasting when equal)."""
    return {name: cls.schema_version for name, cls in _TYPES.items()}  # type: ignore[attr-defined]


def type_of(name: str) -> type:
    try:
        return _TYPES[name]
    except KeyError:
        raise FactValidationError(f"Unknown fact type {name!r}.") from None


def upcast(name: str, schema_version: int, data: dict) -> dict:
    """Bring stored data up to the current schema version of its type."""
    current = type_of(name).schema_version  # type: ignore[attr-defined]
    if schema_version == current:
        return data
    while schema_version < current:
        step = _UPCASTERS.get((name, schema_version))
        if step is None:
            raise FactValidationError(f"No upcaster for {name} v{schema_version}.")
        data = step(dict(data))
        schema_version += 1
    return data


# --- (de)serialisation with validation -----------------------------------------------------------


Check = Callable[[Any, str], Any]  # (value, path) -> its JSON form, or FactValidationError


def _check(value: Any, hint: Any, path: str) -> Any:
    """Validate `value` against a type hint and return its JSON form."""
    return _checker(hint)(value, path)


@functools.cache
def _checker(hint: Any) -> Check:
    """The check of one type hint, worked out once: appends validate millions of fields, and
    asking typing what a hint is costs more than checking the value."""
    simple = _SIMPLE.get(hint)
    if simple is not None:
        return simple
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        optional = type(None) in args
        alternatives = [_checker(arg) for arg in args if arg is not type(None)]

        def check_union(value: Any, path: str) -> Any:
            if value is None and optional:
                return None
            errors = []
            for check in alternatives:
                try:
                    return check(value, path)
                except FactValidationError as exc:
                    errors.append(exc.message)
            raise FactValidationError(errors[0] if errors else f"{path}: not valid")

        return check_union
    if origin in (list, tuple):
        (item,) = typing.get_args(hint)[:1] or (Any,)
        check_item = _checker(item)

        def check_list(value: Any, path: str) -> list:
            if not isinstance(value, (list, tuple)):
                raise FactValidationError(f"{path}: expected a list")
            return [check_item(v, f"{path}[{i}]") for i, v in enumerate(value)]

        return check_list
    if origin is dict:
        key_hint, val_hint = typing.get_args(hint) or (str, Any)
        check_key, check_value = _checker(key_hint), _checker(val_hint)

        def check_dict(value: Any, path: str) -> dict:
            if not isinstance(value, dict):
                raise FactValidationError(f"{path}: expected an object")
            return {str(check_key(k, path)): check_value(v, f"{path}.{k}") for k, v in value.items()}

        return check_dict
    raise TypeError(f"unsupported type hint {hint!r} in a fact type")


def _check_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise FactValidationError(f"{path}: expected true or false")
    return value


def _check_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactValidationError(f"{path}: expected an integer")
    return value


def _check_float(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FactValidationError(f"{path}: expected a number")
    return float(value)


def _check_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise FactValidationError(f"{path}: expected a string")
    return value


def _check_any(value: Any, path: str) -> Any:
    return value


def _check_decimal(value: Any, path: str) -> str:
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise FactValidationError(f"{path}: expected a decimal number")
    return str(number)


# A UUID in its stored form (lower case, hyphens) is returned as it is: what str(UUID(value)) gives.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch


def _check_uuid(value: Any, path: str) -> str:
    if isinstance(value, str) and _CANONICAL_UUID(value):
        return value
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except ValueError:
        raise FactValidationError(f"{path}: expected a UUID") from None


def _check_datetime(value: Any, path: str) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise FactValidationError(f"{path}: expected an ISO 8601 date-time") from None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise FactValidationError(f"{path}: expected an aware date-time")
    return value.isoformat()


def _check_date(value: Any, path: str) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise FactValidationError(f"{path}: expected an ISO 8601 date") from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise FactValidationError(f"{path}: expected a date")
    return value.isoformat()


_SIMPLE: dict[Any, Check] = {
    bool: _check_bool,
    int: _check_int,
    float: _check_float,
    str: _check_str,
    Any: _check_any,
    Decimal: _check_decimal,
    uuid.UUID: _check_uuid,
    dt.datetime: _check_datetime,
    dt.date: _check_date,
}


def _parse(value: Any, hint: Any) -> Any:
    """Turn the JSON form back into Python values of the declared types."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _parse(value, args[0]) if len(args) == 1 else value
    if origin in (list, tuple):
        (item,) = typing.get_args(hint)[:1] or (Any,)
        return tuple(_parse(v, item) for v in value)
    if origin is dict:
        _, val_hint = typing.get_args(hint) or (str, Any)
        return {k: _parse(v, val_hint) for k, v in value.items()}
    if hint is Decimal:
        return Decimal(value)
    if hint is uuid.UUID:
        return uuid.UUID(value)
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    return value


@functools.cache
def _field_checks(cls: type) -> tuple[tuple[str, Check], ...]:
    """(field name, its check) of a fact type; resolving hints is slow and appends are hot."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _checker(hints[f.name])) for f in dataclasses.fields(cls))


def to_data(fact: Any) -> dict:
    """Validate a fact and return the JSON object to store."""
    cls = type(fact)
    if getattr(cls, "fact_type", None) not in _TYPES or _TYPES[cls.fact_type] is not cls:
        raise FactValidationError(f"{cls.__name__} is not a registered fact type.")
    return {name: check(getattr(fact, name), name) for name, check in _field_checks(cls)}


def from_data(name: str, data: dict) -> Any:
    """Validate a JSON object (current schema) and build the fact dataclass."""
    cls = type_of(name)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(fields)
    if unknown:
        raise FactValidationError(f"{name}: unknown fields {sorted(unknown)}.")
    values = {}
    for field_name, field in fields.items():
        if field_name not in data:
            if field.default is not dataclasses.MISSING:
                values[field_name] = field.default
                continue
            if field.default_factory is not dataclasses.MISSING:
                values[field_name] = field.default_factory()
                continue
            raise FactValidationError(f"{name}: missing field {field_name!r}.")
        _check(data[field_name], hints[field_name], field_name)
        values[field_name] = _parse(data[field_name], hints[field_name])
    return cls(**values)
