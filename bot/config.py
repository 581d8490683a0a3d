"""The config file -> validated `Settings`. Unknown keys are errors; secrets come from env.

Every problem in the file is reported at once as `FILE:LINE:COL: message`
(`ConfigError.problems`), never as a traceback. Relative paths in the file are relative
to the file's own folder, so `wirewatch run --config /etc/wirewatch/config.yaml` works
from anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from bot.core.errors import ConfigError, Problem
from bot.yaml_marks import Marks, YamlSyntaxError, did_you_mean, load_marked

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> float:
    """`90`, `30s`, `5m`, `1.5h`, `1d` -> seconds. Raises ValueError with the accepted forms."""
    if isinstance(value, bool):
        raise ValueError("not a duration")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a duration (use e.g. 30s, 5m, 1h)")
        seconds = float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration)]
CHANNEL = re.compile(r"^(console|slack:(C[A-Z0-9]+|#[a-z0-9][a-z0-9._-]*)|matrix:([!#@].+))$")


def _check_channel(value: object) -> str:
    text = str(value)
    if not CHANNEL.match(text):
        raise ValueError(
            f"unknown channel {text!r}: use console, slack:C0123ABCD, slack:#name, "
            "matrix:!roomid or matrix:#alias:server"
        )
    return text


Channel = Annotated[str, BeforeValidator(_check_channel)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class FeedConfig(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["rss", "atom", "jsonfeed", "ninjs", "newsml", "folder"]
    url: str | None = None
    path: str | None = None
    interval: Duration = 300.0
    timeout: Duration = 10.0
    max_bytes: int = Field(default=5_000_000, gt=0)
    alert_backlog: bool | None = None
    headers_from_env: dict[str, str] = Field(default_factory=dict)


class DeliveryConfig(_Strict):
    drain_interval: Duration = 1.0
    max_attempts: int = Field(default=8, ge=1)
    backoff_base: Duration = 2.0
    backoff_max: Duration = 600.0


class MatrixConfig(_Strict):
    msgtype: Literal["m.text", "m.notice"] = "m.notice"
    token_file: str = "var/matrix-token.json"


class SlackConfig(_Strict):
    base_url: str | None = None


class ConfigFile(_Strict):
    store: str = "var/wirewatch.db"
    rules: str = "rules.yaml"
    channels: list[Channel] = Field(default_factory=lambda: ["console"])
    admin_channel: Channel | None = None
    feeds: list[FeedConfig] = Field(min_length=1)
    max_parallel_polls: int = Field(default=4, ge=1, le=64)
    delivery: DeliveryConfig = Field(default_factory=DeliveryConfig)
    matrix: MatrixConfig = Field(default_factory=MatrixConfig)
    slack: SlackConfig = Field(default_factory=SlackConfig)


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated config, paths resolved against the config file's folder."""

    path: Path
    store_path: Path
    rules_path: Path
    channel_names: tuple[str, ...]
    admin_channel: str | None
    feeds: tuple[FeedConfig, ...]
    max_parallel_polls: int
    delivery: DeliveryConfig
    matrix: MatrixConfig
    slack: SlackConfig

    def resolve(self, relative: str) -> Path:
        return (self.path.parent / relative).resolve()


def _model_fields(path: tuple[str | int, ...]) -> list[str]:
    """Field names of the model at `path` (for 'did you mean')."""
    model: type[BaseModel] = ConfigFile
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        candidates = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
        if not candidates:
            return []
        model = candidates[0]
    return list(model.model_fields)


def _problems_from(exc: ValidationError, marks: Marks) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
        kind = error["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            hint = did_you_mean(key, _model_fields(loc[:-1]))
            problems.append(marks.problem(loc, f"unknown key {key!r}{hint}", at_key=True))
        elif kind == "missing":
            problems.append(marks.problem(loc[:-1], f"missing key {loc[-1]!r}"))
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            name = ".".join(str(p) for p in loc)
            problems.append(marks.problem(loc, f"{name}: {message}"))
    return problems


def _check_feeds(cfg: ConfigFile, marks: Marks, base: Path) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, feed in enumerate(cfg.feeds):
        if feed.name in seen:
            problems.append(marks.problem(("feeds", i, "name"), f"two feeds named {feed.name!r}"))
        seen[feed.name] = i
        if feed.kind == "folder":
            if not feed.path:
                problems.append(marks.problem(("feeds", i), "a folder feed needs 'path'"))
            elif not (base / feed.path).is_dir():
                problems.append(
                    marks.problem(("feeds", i, "path"), f"folder not found: {feed.path}")
                )
            if feed.url:
                problems.append(
                    marks.problem(("feeds", i, "url"), "a folder feed takes 'path', not 'url'")
                )
        else:
            if not feed.url:
                problems.append(marks.problem(("feeds", i), f"a {feed.kind} feed needs 'url'"))
            else:
                parts = urlsplit(feed.url)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    problems.append(
                        marks.problem(
                            ("feeds", i, "url"), f"bad URL {feed.url!r}: use http:// or https://"
                        )
                    )
            if feed.path:
                problems.append(
                    marks.problem(
                        ("feeds", i, "path"), f"a {feed.kind} feed takes 'url', not 'path'"
                    )
                )
    return problems


def parse_config(data: Any, marks: Marks, path: Path) -> Settings:
    """Validate parsed YAML data; raises ConfigError with every problem."""
    if not isinstance(data, dict):
        raise ConfigError([marks.problem((), "the config must be a mapping of keys")])
    try:
        cfg = ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_problems_from(exc, marks)) from None
    base = path.parent
    problems = _check_feeds(cfg, marks, base)
    if not (base / cfg.rules).is_file():
        problems.append(marks.problem(("rules",), f"rules file not found: {cfg.rules}"))
    if cfg.admin_channel and cfg.admin_channel not in cfg.channels:
        problems.append(
            marks.problem(("admin_channel",), f"{cfg.admin_channel!r} is not in 'channels'")
        )
    if problems:
        raise ConfigError(problems)
    return Settings(
        path=path.resolve(),
        store_path=(base / cfg.store).resolve(),
        rules_path=(base / cfg.rules).resolve(),
        channel_names=tuple(dict.fromkeys(cfg.channels)),
        admin_channel=cfg.admin_channel,
        feeds=tuple(cfg.feeds),
        max_parallel_polls=cfg.max_parallel_polls,
        delivery=cfg.delivery,
        matrix=cfg.matrix,
        slack=cfg.slack,
    )


def load_config(path: Path) -> Settings:
    """Read and validate a config file; raises ConfigError with every problem found."""
    try:
        data, marks = load_marked(path)
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), None, None, "config file not found")]) from None
    except OSError as exc:
        raise ConfigError(
            [Problem(str(path), None, None, f"cannot read: {exc.strerror}")]
        ) from None
    except YamlSyntaxError as exc:
        raise ConfigError([exc.problem]) from None
    return parse_config(data, marks, path)
