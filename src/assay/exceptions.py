"""Exceptions (risk acceptances): a reviewable exceptions.yaml that users keep in git.

    exceptions:
      - control: s3.bucket_versioning_enabled
        resource: "arn:aws:s3:::scratch-*"     # glob on the resource ARN (* any run, ? one character); "*": all
        account: "111122223333"                # optional; "*" (the default) for every account
        type: risk_accepted                    # or compensating_control, false_positive
        reason: Scratch buckets hold only build output that CI can recreate.
        owner: platform-team@example.com
        approver: security-lead@example.com
        expires: 2025-06-30                    # required; the exception holds through this day (UTC)
        id: EX-7                               # optional; by default derived from control, account, resource

An exception covers FAIL findings only (never ERROR: unknown is not something to accept). A covered
finding keeps status FAIL in the data and is reported as EXCEPTED, outside --fail-on; a criterion
whose only failures are excepted is `pass_with_exceptions`. An exception whose expiry date is before
the inventory's collection date no longer covers anything: the finding fails again and every report
says "exception expired on DATE". Evaluation reads no clock: "today" is the collection date.

Loading refuses, with one error naming the entry: an unknown control, a missing or empty reason,
owner or approver, a missing or impossible expiry date, an unknown type, an unknown key (a typo such
as `expiry:` would otherwise silently drop the expiry), malformed YAML, duplicate keys, and two
entries for the same control, account and resource (which one would apply is not obvious to a
reviewer). An expiry more than a year out is accepted with a warning: exceptions are meant to be
reviewed at least yearly, and the warning surfaces in every scan that uses the file.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from assay.errors import ConfigError
from assay.models.findings import ExceptionType, Finding, FindingException, Status

SOON_DAYS = 30  # `assay exceptions check` warns about exceptions expiring within this many days
MAX_TERM = timedelta(days=366)  # longer than this (from the reference date) draws a warning
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ACCOUNT = re.compile(r"\d{12}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TEXT_FIELDS = ("control", "resource", "reason", "owner", "approver")


def derived_id(control: str, account: str, resource: str) -> str:
    """Stable while reason, owner or expiry are edited, so a renewed exception keeps its history."""
    raw = "\x1f".join((control, account, resource))
    return "exc-" + hashlib.sha256(raw.encode()).hexdigest()[:10]


class ExceptionEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    control: str
    resource: str
    account: str = "*"
    type: ExceptionType
    reason: str
    owner: str
    approver: str
    expires: date

    @model_validator(mode="before")
    @classmethod
    def _default_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("id") in (None, ""):
            parts = [str(data.get(k, "*" if k == "account" else "")).strip() for k in ("control", "account",
                                                                                       "resource")]
            return {**data, "id": derived_id(*parts)}
        return data

    @field_validator(*TEXT_FIELDS, mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError("must not be empty")
        return value.strip() if isinstance(value, str) else value

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise ValueError(f"must be letters, digits, '.', '_' or '-' (at most 64), got {value!r}")
        return value

    @field_validator("resource")
    @classmethod
    def _resource(cls, value: str) -> str:
        if not (value.startswith("arn:") or value.startswith("*")):
            raise ValueError(f"must be an ARN pattern such as 'arn:aws:s3:::logs-*', or '*', got {value!r}")
        return value

    @field_validator("account", mode="before")
    @classmethod
    def _account(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):  # unquoted in YAML
            value = str(value)
        if not isinstance(value, str) or not (value.strip() == "*" or _ACCOUNT.fullmatch(value.strip())):
            raise ValueError(f"must be a 12-digit account id in quotes, or '*', got {value!r}")
        return value.strip()

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if value not in {t.value for t in ExceptionType}:
            raise ValueError(f"must be one of {', '.join(t.value for t in ExceptionType)}, got {value!r}")
        return value

    @field_validator("expires", mode="before")
    @classmethod
    def _expires(cls, value: Any) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a calendar date") from None
        raise ValueError(f"must be a date written YYYY-MM-DD, got {value!r}")

    def matches(self, f: Finding) -> bool:
        return (f.control_id == self.control and self.account in ("*", f.account_id)
                and fnmatchcase(f.resource_arn, self.resource))

    def expired_on(self, today: date) -> bool:
        """Valid through its expiry day; expired from the next day on."""
        return self.expires < today

    def label(self, index: int) -> str:
        return f"entry {index} (control {self.control})"


class ExceptionsFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    exceptions: tuple[ExceptionEntry, ...] = ()


# -- loading ----------------------------------------------------------------------------------

class _Mapping(dict[Any, Any]):
    line = 0


class _Loader(yaml.SafeLoader):
    """Safe YAML, with dates left as text (so a bad date is our error, not PyYAML's crash) and
    duplicate keys refused (the second `expires:` would otherwise win silently)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    out = _Mapping()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _problem(err: dict[str, Any]) -> str:
    field = ".".join(str(p) for p in err["loc"]) or "entry"
    kind = err["type"]
    if kind == "missing":
        return f"'{field}' is missing"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(field, list(ExceptionEntry.model_fields), n=1)
        return f"unknown key '{field}'" + (f" (did you mean '{close[0]}'?)" if close else "")
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"'{field}' {message}" if message.startswith("must") else f"'{field}': {message}"


def parse(doc: Any, known_controls: Iterable[str], *, source: str = "exceptions file") -> ExceptionsFile:
    """Validate an already-parsed document: the first problem raises ConfigError naming its entry."""
    if doc is None:
        return ExceptionsFile()
    if not isinstance(doc, dict) or set(doc) - {"exceptions"}:
        raise ConfigError(f"{source}: expected a mapping with the one key 'exceptions' (a list of entries)")
    items = doc.get("exceptions") or []
    if not isinstance(items, list):
        raise ConfigError(f"{source}: 'exceptions' must be a list of entries")
    known = set(known_controls)
    entries: list[ExceptionEntry] = []
    seen_scope: dict[tuple[str, str, str], int] = {}
    seen_id: dict[str, int] = {}
    for index, item in enumerate(items, start=1):
        line = f", line {item.line}" if isinstance(item, _Mapping) and item.line else ""
        control = item.get("control") if isinstance(item, dict) else None
        where = f"{source}: entry {index}{line}" + (f" (control {control})" if isinstance(control, str) else "")
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a mapping of control, resource, type, reason, owner, approver, "
                              "expires")
        try:
            entry = ExceptionEntry.model_validate(dict(item))
        except ValidationError as exc:
            problems = list(dict.fromkeys(_problem(e) for e in exc.errors()))  # type: ignore[arg-type]
            raise ConfigError(f"{where}: " + "; ".join(problems)) from None
        if entry.control not in known:
            close = difflib.get_close_matches(entry.control, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (`assay controls` lists them)"
            raise ConfigError(f"{where}: unknown control {entry.control!r}{hint}")
        scope = (entry.control, entry.account, entry.resource)
        if scope in seen_scope:
            raise ConfigError(f"{where}: same control, account and resource as entry {seen_scope[scope]}; "
                              "keep one entry per scope")
        if entry.id in seen_id:
            raise ConfigError(f"{where}: id {entry.id!r} is already used by entry {seen_id[entry.id]}")
        seen_scope[scope] = seen_id[entry.id] = index
        entries.append(entry)
    return ExceptionsFile(exceptions=tuple(entries))


def load(path: Path, known_controls: Iterable[str] | None = None) -> ExceptionsFile:
    """Read and validate exceptions.yaml; any problem is one ConfigError (exit 2)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"exceptions file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read exceptions file {path}: {exc}") from None
    try:
        doc = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        raise ConfigError(f"exceptions file {path} is not valid YAML{where}" + (f": {problem}" if problem else "")
                          ) from None
    if known_controls is None:
        from assay.controls.registry import load_controls

        known_controls = load_controls()
    return parse(doc, known_controls, source=f"exceptions file {path}")


# -- applying ---------------------------------------------------------------------------------

def reference_date(when: datetime) -> date:
    """The day (UTC) an inventory was collected: what expiry is judged against."""
    return (when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)).date()


def apply(findings: Sequence[Finding], entries: Sequence[ExceptionEntry], today: date) -> list[Finding]:
    """Attach to each FAIL finding the exception that covers it (or covered it, if expired).

    An active entry wins over an expired one; among several, the first in the file. PASS, SKIP and
    ERROR findings never carry an exception.
    """
    by_control: dict[str, list[ExceptionEntry]] = defaultdict(list)
    for e in entries:
        by_control[e.control].append(e)
    out = []
    for f in findings:
        chosen: ExceptionEntry | None = None
        if f.status is Status.FAIL:
            hits = [e for e in by_control.get(f.control_id, ()) if e.matches(f)]
            active = [e for e in hits if not e.expired_on(today)]
            if active:
                chosen = active[0]
            elif hits:
                chosen = max(hits, key=lambda e: e.expires)  # the most recent lapse is the one to report
        attached = None if chosen is None else FindingException(
            id=chosen.id, type=chosen.type, reason=chosen.reason, owner=chosen.owner, approver=chosen.approver,
            expires=chosen.expires, expired=chosen.expired_on(today))
        out.append(f if f.exception == attached else f.model_copy(update={"exception": attached}))
    return out


# -- describing -------------------------------------------------------------------------------

TYPE_LABELS = {
    ExceptionType.RISK_ACCEPTED: "risk accepted",
    ExceptionType.COMPENSATING_CONTROL: "compensating control",
    ExceptionType.FALSE_POSITIVE: "false positive",
}


def describe(x: FindingException) -> str:
    """One line every report uses, so that an expired exception reads the same everywhere."""
    kind = TYPE_LABELS[x.type]
    if x.expired:
        return f"exception expired on {x.expires.isoformat()} ({kind}, {x.id}, owner {x.owner}): {x.reason}"
    return (f"EXCEPTED: {kind} until {x.expires.isoformat()} ({x.id}, owner {x.owner}, approved by {x.approver}): "
            f"{x.reason}")


@dataclass(frozen=True)
class Usage:
    entry: ExceptionEntry
    excepted: int  # findings it covers
    expired: int  # findings it covered but no longer does
    expired_entry: bool  # past its expiry at the reference date

    @property
    def unused(self) -> bool:
        return not self.excepted and not self.expired


def usage(entries: Sequence[ExceptionEntry], findings: Iterable[Finding], today: date) -> list[Usage]:
    covered: Counter[str] = Counter()
    lapsed: Counter[str] = Counter()
    for f in findings:
        if f.exception is not None:
            (lapsed if f.exception.expired else covered)[f.exception.id] += 1
    return [Usage(e, covered[e.id], lapsed[e.id], e.expired_on(today)) for e in entries]


def review_warnings(entries: Sequence[ExceptionEntry], today: date, *, soon_days: int = SOON_DAYS) -> list[str]:
    """What a reviewer should look at: expired, expiring soon, too long a term, approved by its owner."""
    out = []
    for n, e in enumerate(entries, start=1):
        left = (e.expires - today).days
        if left < 0:
            out.append(f"{e.label(n)}: expired on {e.expires.isoformat()}; its findings fail again")
        elif left <= soon_days:
            when = "today" if left == 0 else f"in {left} day{'' if left == 1 else 's'}"
            out.append(f"{e.label(n)}: expires {when} ({e.expires.isoformat()})")
        if e.expires - today > MAX_TERM:
            out.append(f"{e.label(n)}: expires more than a year ahead ({e.expires.isoformat()}); "
                       "review exceptions at least yearly")
        if e.owner.casefold() == e.approver.casefold():
            out.append(f"{e.label(n)}: approved by its own owner ({e.owner})")
    return out
