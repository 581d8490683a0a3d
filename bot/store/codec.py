"""Core dataclasses <-> JSON-ready dicts, for the store's payload columns; `iso` for
its timestamp columns.

Generic over the frozen dataclasses of `bot.core.models`, driven by their type hints:
tuples, optionals, enums, literals and timezone-aware datetimes (ISO 8601). Decoding
ignores unknown keys and fills missing ones with defaults, so rows written by an older
version still load.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from bot.core import models

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A dataclass tree -> plain JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


def from_data(cls: type[T], data: Any) -> T:
    """Plain data -> an instance of dataclass `cls` (inverse of `to_data`)."""
    return typing.cast(T, _decode(cls, data))


def _decode(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        arms = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(arms[0], data)
    if origin is tuple:
        (item, *_rest) = typing.get_args(tp)
        return tuple(_decode(item, d) for d in data)
    if origin is typing.Literal:
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: _decode(hints[f.name], data[f.name])
            for f in dataclasses.fields(tp)
            if f.name in data
        }
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp is datetime:
        return datetime.fromisoformat(data) if isinstance(data, str) else data
    return data


def iso(moment: datetime) -> str:
    """A moment as the store's timestamp columns hold it: ISO 8601 in UTC, so that
    comparing the text compares the moments."""
    return moment.astimezone(UTC).isoformat()


def dumps(value: Any) -> str:
    return json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":"))


def loads(cls: type[T], text: str) -> T:
    return from_data(cls, json.loads(text))
