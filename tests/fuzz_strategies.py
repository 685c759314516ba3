"""Hypothesis strategies for the fuzz tests: policy documents, CIDRs, resources built from their
pydantic models, and AWS responses built from botocore's output shapes.

Strings lean towards what breaks parsers: empty, very long, Unicode with right-to-left marks and
zero-width characters, numbers and JSON in strings, CIDR- and ARN-like text.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from assay.models.base import Resource

ACCOUNT = "123456789012"

# -- strings ----------------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from([
    "", " ", "*", "?", "-1", "0", "null", "None", "true", "{}", "[]", "{\"a\": 1}", "\u202eevil\u202c", "\u200b",
    "ünïcødé", "名前", "arn:aws:iam::*:root", "arn:aws:s3:::*", "0.0.0.0/0", "::/0", "10.0.0.0/8", "1.2.3.4/33",
    "abc/xyz", "🙂", "a" * 300, "\x00", "line\nbreak", "=cmd|' /C calc'!A0",
])
# A long string now and then (1 MB is what RELIABILITY asks parsers to survive).
LONG_TEXT = st.sampled_from(["x" * 1_000_000, "\u202e" * 10_000])
SHORT_TEXT = st.one_of(ODD_TEXT, st.text(max_size=40), st.text(alphabet=st.characters(codec="ascii"), max_size=20))


@st.composite
def _text(draw: Any) -> str:
    return str(draw(LONG_TEXT if draw(st.integers(0, 199)) == 0 else SHORT_TEXT))


TEXT = _text()


# -- CIDRs and ports --------------------------------------------------------------------------------

def _v4(draw: Any) -> str:
    octets = draw(st.lists(st.integers(0, 255), min_size=4, max_size=4))
    return ".".join(map(str, octets)) + f"/{draw(st.integers(0, 32))}"


def _v6(draw: Any) -> str:
    groups = draw(st.lists(st.integers(0, 0xFFFF), min_size=8, max_size=8))
    return ":".join(f"{g:x}" for g in groups) + f"/{draw(st.integers(0, 128))}"


@st.composite
def cidrs(draw: Any) -> str:
    kind = draw(st.sampled_from(["v4", "v6", "special", "junk"]))
    if kind == "v4":
        return _v4(draw)
    if kind == "v6":
        return _v6(draw)
    if kind == "special":
        return draw(st.sampled_from(["0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "1.1.1.1/32",
                                     "0.0.0.0/0 ", " ::/0", "0:0:0:0:0:0:0:0/0", "::ffff:0.0.0.0/96"]))
    return draw(TEXT)


PORTS = st.one_of(st.none(), st.integers(-1, 65535), st.integers(-(2**31), 2**31), st.sampled_from([22, 3389, 0, -1]))
PROTOCOLS = st.one_of(st.sampled_from(["-1", "tcp", "udp", "icmp", "icmpv6", "6", "17", "1", "58", "all", "TCP"]),
                      TEXT)

# -- policy documents -------------------------------------------------------------------------------

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
JSON = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)
PRINCIPALS = st.one_of(
    st.sampled_from(["*", {"AWS": "*"}, {"AWS": ["*"]}, {"AWS": [f"arn:aws:iam::{ACCOUNT}:root", "*"]},
                     {"Service": "s3.amazonaws.com"}, {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                     {"CanonicalUser": "abc"}, {"Federated": "cognito-identity.amazonaws.com"}, {"AWS": []}]),
    JSON)
ACTIONS = st.one_of(st.sampled_from(["*", "s3:*", "kms:*", "iam:*", "s3:GetObject", "*:*", ["*"], ["s3:*", "*"]]),
                    JSON)
RESOURCES = st.one_of(st.sampled_from(["*", "arn:aws:s3:::b/*", ["*"], "arn:aws:kms:*:*:key/*"]), JSON)
CONDITIONS = st.one_of(st.none(), st.just({}), st.sampled_from([
    {"Bool": {"aws:SecureTransport": "false"}}, {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
    {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}]), JSON)


@st.composite
def statements(draw: Any) -> Any:
    keys = {
        "Effect": st.one_of(st.sampled_from(["Allow", "Deny", "allow", ""]), JSON),
        "Principal": PRINCIPALS, "NotPrincipal": PRINCIPALS, "Action": ACTIONS, "NotAction": ACTIONS,
        "Resource": RESOURCES, "NotResource": RESOURCES, "Condition": CONDITIONS, "Sid": JSON,
    }
    chosen = draw(st.lists(st.sampled_from(sorted(keys)), unique=True, max_size=len(keys)))
    statement = {k: draw(keys[k]) for k in chosen}
    return statement if draw(st.integers(0, 9)) else draw(JSON)  # now and then not a statement at all


@st.composite
def policies(draw: Any) -> Any:
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return draw(JSON)  # anything at all
    body = draw(st.one_of(st.lists(statements(), max_size=4), statements()))
    doc: dict[str, Any] = {"Statement": body}
    if draw(st.booleans()):
        doc["Version"] = draw(st.sampled_from(["2012-10-17", "2008-10-17", ""]))
    return doc


# -- resources from their models -------------------------------------------------------------------

# str fields that hold ISO 8601 timestamps or dates (what collectors write there).
TIMESTAMP_FIELDS = {"created", "creation_date", "deletion_date", "drift_checked_at", "execution_time", "last_accessed",
                    "last_modified", "last_rotated", "not_after", "subscribed_at", "ended", "expires"}
TIMESTAMPS = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1),
                          timezones=st.just(UTC)).map(lambda d: d.isoformat())

def _field_strategy(name: str, annotation: Any, depth: int, long: bool = True) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_field_strategy(name, a, depth, long) for a in args))
    if annotation is type(None):
        return st.none()
    if origin is typing.Literal:
        return st.sampled_from(args)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return st.sampled_from(list(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return models(annotation, depth + 1, long) if depth < 3 else st.nothing()
    if origin is tuple:
        item = _field_strategy(name, args[0], depth, long)
        return st.lists(item, max_size=3).map(tuple)
    if origin is list:
        return st.lists(_field_strategy(name, args[0], depth, long), max_size=3)
    if origin is dict:
        key, value = args
        if value is Any or "policy" in name.lower() or "document" in name.lower():
            return policies().map(lambda d: d if isinstance(d, dict) else {"Statement": d})
        return st.dictionaries(_field_strategy(name, key, depth, long), _field_strategy(name, value, depth, long),
                               max_size=3)
    if annotation is Any:
        return JSON
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return PORTS.map(lambda p: 0 if p is None else p) if "port" in name else st.integers(-1, 10**12)
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if annotation is datetime:
        return st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
    if annotation is str:
        if name in TIMESTAMP_FIELDS:  # models keep these as ISO 8601 text: mostly valid, sometimes not
            return st.one_of(TIMESTAMPS, TIMESTAMPS.map(lambda t: t[:10]), TEXT if long else SHORT_TEXT)
        if "cidr" in name or "range" in name:
            return cidrs()
        if name == "protocol":
            return PROTOCOLS
        return TEXT if long else SHORT_TEXT
    raise NotImplementedError(f"no strategy for {name}: {annotation!r}")


@cache
def models(cls: type[BaseModel], depth: int = 0, long: bool = True) -> st.SearchStrategy[Any]:
    """Instances of a model from its fields' types; `long=False` leaves out the 1 MB strings."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in cls.model_fields.items():
        annotation = hints.get(name, info.annotation)
        if typing.get_origin(annotation) is tuple and ("cidr" in name or name.endswith("ranges")):
            fields[name] = st.lists(cidrs(), max_size=3).map(tuple)
        else:
            fields[name] = _field_strategy(name, annotation, depth, long)
    if issubclass(cls, Resource):
        fields["account_id"] = st.sampled_from([ACCOUNT, "111111111111"])
        fields["region"] = st.sampled_from(["us-east-1", "eu-west-1", "global"])
        fields["id"] = st.one_of(st.sampled_from(["a", "b", "c", "default"]), TEXT if long else SHORT_TEXT)
        fields["arn"] = st.builds(lambda t, n: f"arn:aws:{t}:us-east-1:{ACCOUNT}:{n}",
                                  st.just(cls.type.split("::")[1].lower() if "::" in cls.type else "x"),
                                  st.sampled_from(["r1", "r2", "r3", "r/4", "default"]))
    return st.builds(cls, **fields)


# -- AWS responses from botocore shapes ------------------------------------------------------------

POLICY_MEMBERS = ("Policy", "PolicyDocument", "AssumeRolePolicyDocument", "policy", "KeyPolicy", "ResourcePolicy",
                  "AccessPolicies", "Document")


def _string(shape: Any, name: str) -> st.SearchStrategy[Any]:
    if shape.enum:
        return st.one_of(st.sampled_from(shape.enum), TEXT)
    if name in POLICY_MEMBERS or "Policy" in shape.name:
        return st.one_of(policies().map(lambda d: json.dumps(d)), TEXT)
    if "Cidr" in name or "Cidr" in shape.name:
        return cidrs()
    return TEXT


def shape_strategy(shape: Any, name: str = "", depth: int = 0) -> st.SearchStrategy[Any]:
    """A value botocore could hand back for `shape`: required members always, optional ones at random."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 5:
            return st.just({})
        required = set(getattr(shape, "required_members", []) or [])
        members = {k: shape_strategy(v, k, depth + 1) for k, v in shape.members.items()}
        return st.fixed_dictionaries({k: s for k, s in members.items() if k in required},
                                     optional={k: s for k, s in members.items() if k not in required})
    if kind == "list":
        return st.just([]) if depth > 5 else st.lists(shape_strategy(shape.member, name, depth + 1), max_size=3)
    if kind == "map":
        if depth > 5:
            return st.just({})
        return st.dictionaries(shape_strategy(shape.key, name, depth + 1),
                               shape_strategy(shape.value, name, depth + 1), max_size=3)
    if kind == "string":
        return _string(shape, name)
    if kind in ("integer", "long"):
        return st.integers(-(2**31), 2**40)
    if kind == "boolean":
        return st.booleans()
    if kind in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "timestamp":
        return st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
    if kind == "blob":
        return st.binary(max_size=16)
    return st.none()


@cache
def output_strategy(service_model: Any, operation: str) -> st.SearchStrategy[Any]:
    shape = service_model.operation_model(operation).output_shape
    return st.just({}) if shape is None else shape_strategy(shape)
