"""A file listing the accounts to scan: one role to assume per account, with an optional external id.

YAML (a list, or a mapping with an `accounts` list):

    accounts:
      - account_id: "111122223333"          # quoted: YAML would read 012345678901 as a number
        role_arn: arn:aws:iam::111122223333:role/AssayScan
        external_id: 3f1c0d...              # optional

CSV, with a header row (blank lines and lines starting with # are ignored):

    account_id,role_arn,external_id
    111122223333,arn:aws:iam::111122223333:role/AssayScan,3f1c0d...

`account_id` may be left out; when given, it must be the role ARN's account.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assay.errors import ConfigError

ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::(\d{12}):role/[\w+=,.@/-]+")
FIELDS = ("account_id", "role_arn", "external_id")


@dataclass(frozen=True)
class AccountEntry:
    account_id: str
    role_arn: str
    external_id: str | None = None


def load_accounts_file(path: Path) -> list[AccountEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"accounts file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"accounts file {path} cannot be read: {exc}") from None
    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _yaml_rows(path, text)
    entries: list[AccountEntry] = []
    seen: dict[str, str] = {}
    for where, row in rows:
        entry = _entry(path, where, row)
        if entry.account_id in seen:
            raise ConfigError(f"{path}: {where}: account {entry.account_id} is listed twice "
                              f"(first at {seen[entry.account_id]})")
        seen[entry.account_id] = where
        entries.append(entry)
    if not entries:
        raise ConfigError(f"accounts file {path} lists no accounts")
    return entries


def _yaml_rows(path: Path, text: str) -> list[tuple[str, Any]]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"accounts file {path} is not valid YAML{at}") from None
    if isinstance(doc, dict) and set(doc) == {"accounts"}:
        doc = doc["accounts"]
    if not isinstance(doc, list):
        raise ConfigError(f"accounts file {path} must be a list of accounts (or a mapping with an 'accounts' list)")
    return [(f"entry {n}", item) for n, item in enumerate(doc, start=1)]


def _csv_rows(path: Path, text: str) -> list[tuple[str, Any]]:
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), start=1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return []
    header = next(csv.reader([lines[0][1]]))
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in FIELDS]
    if unknown or "role_arn" not in header:
        raise ConfigError(f"{path}: line {lines[0][0]}: the header must name role_arn and may name account_id "
                          f"and external_id (got {', '.join(header)})")
    out: list[tuple[str, Any]] = []
    for n, line in lines[1:]:
        values = next(csv.reader(io.StringIO(line)))
        if len(values) > len(header):
            raise ConfigError(f"{path}: line {n}: {len(values)} fields, the header names {len(header)}")
        out.append((f"line {n}", {h: v.strip() for h, v in zip(header, values, strict=False) if v.strip()}))
    return out


def _entry(path: Path, where: str, row: Any) -> AccountEntry:
    if not isinstance(row, dict):
        raise ConfigError(f"{path}: {where}: expected a mapping with role_arn (and account_id, external_id)")
    unknown = sorted(str(k) for k in row if k not in FIELDS)
    if unknown:
        raise ConfigError(f"{path}: {where}: unknown field {', '.join(unknown)} (fields: {', '.join(FIELDS)})")
    arn = row.get("role_arn")
    if not isinstance(arn, str) or not (m := ROLE_ARN.fullmatch(arn.strip())):
        raise ConfigError(f"{path}: {where}: role_arn {arn!r} is not an IAM role ARN "
                          "(arn:aws:iam::<account>:role/<name>)")
    account = row.get("account_id", m.group(1))
    if not isinstance(account, str):
        raise ConfigError(f"{path}: {where}: account_id must be a quoted string of 12 digits, got {account!r}")
    if account != m.group(1):
        raise ConfigError(f"{path}: {where}: account_id {account} does not match the role ARN's account "
                          f"{m.group(1)}")
    external = row.get("external_id")
    if external is not None and (not isinstance(external, str) or not external):
        raise ConfigError(f"{path}: {where}: external_id must be a non-empty string")
    return AccountEntry(account_id=account, role_arn=arn.strip(), external_id=external)
