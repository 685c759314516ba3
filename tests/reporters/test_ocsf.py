"""OCSF reporter: every event validates against the OCSF 1.8.0 Compliance Finding JSON Schema.

The schema comes from the `ocsf-json-schema` package, which generates JSON Schema (draft 2020-12)
from the official schema.ocsf.io export it ships for each OCSF version. Enum captions are checked
against that same export, so the mapping cannot drift from the published vocabulary.
"""

from __future__ import annotations

import io
import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema

from assay.engine import Evaluation, evaluate
from assay.models.findings import Status
from assay.reporters import get
from assay.reporters import ocsf as ocsf_module
from tests.reporters.test_html import ACCOUNT, XSS, estate, inventory, key, run, xss_estate

HOSTILE = [*XSS, "line\nbreak\r\n", "nul\x00bell\x07", "\u202eevil\u200b", "quote\"back\\slash", "emoji \U0001f600"]


@cache
def export() -> dict[str, Any]:
    schema: dict[str, Any] = get_ocsf_schema(version=ocsf_module.OCSF_VERSION)
    return schema


@cache
def validator() -> jsonschema.protocols.Validator:
    schema = OcsfJsonSchemaEmbedded(export()).get_class_schema("compliance_finding", profiles=ocsf_module.PROFILES)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return v


def events_of(ev: Evaluation) -> list[dict[str, Any]]:
    out = io.StringIO()
    get("ocsf").write(ev, out)
    doc = json.loads(out.getvalue())
    assert isinstance(doc, list)
    return doc


def assert_valid(events: list[dict[str, Any]]) -> None:
    for e in events:
        errors = sorted(validator().iter_errors(e), key=lambda err: list(err.absolute_path))
        assert not errors, "\n".join(f"{list(err.absolute_path)}: {err.message}" for err in errors[:5])


def caption(enum_owner: dict[str, Any], attribute: str, value: int) -> str:
    enum: dict[str, dict[str, str]] = enum_owner["attributes"][attribute]["enum"]
    return enum[str(value)]["caption"]


# -- contract -------------------------------------------------------------------------------


def test_registered() -> None:
    rep = get("ocsf")
    assert rep.name == "ocsf" and rep.extension == "ocsf.json"


def test_schema_version_is_what_the_package_ships() -> None:
    assert export()["version"] == ocsf_module.OCSF_VERSION
    cls = export()["classes"]["compliance_finding"]
    assert cls["uid"] == ocsf_module.CLASS_UID == 2003
    assert cls["category_uid"] == ocsf_module.CATEGORY_UID and cls["category_name"] == ocsf_module.CATEGORY_NAME
    assert cls["caption"] == ocsf_module.CLASS_NAME


@pytest.mark.parametrize("partial", [False, True])
def test_one_valid_event_per_finding(partial: bool) -> None:
    ev = run(inventory(estate(), partial=partial))
    events = events_of(ev)
    assert len(events) == len(ev.findings)
    assert [e["finding_info"]["uid"] for e in events] == [f.id for f in ev.findings]
    assert_valid(events)


def test_every_control_and_account_level_finding_validates() -> None:
    ev = evaluate(inventory(estate(), partial=True))  # all shipped controls: account-level ERRORs included
    events = events_of(ev)
    assert {e["resources"][0]["type"] for e in events} >= {"AWS::KMS::Key", "AWS::::Account"}
    assert_valid(events)
    account_level = [e for e in events if e["resources"][0]["type"] == "AWS::::Account"]
    assert account_level and all("region" not in e["cloud"] for e in account_level)  # "global" is not a region


def test_the_schema_is_not_vacuous() -> None:
    good = events_of(run(inventory(estate())))[0]
    broken: list[dict[str, Any]] = []
    for mutate in (
        lambda e: e["compliance"].update(status_id=7),
        lambda e: e.pop("cloud"),
        lambda e: e.update(unexpected=True),
        lambda e: e.update(class_uid=2004),
        lambda e: e["resources"][0].pop("uid") and e["resources"][0].pop("name"),
    ):
        e = json.loads(json.dumps(good))
        mutate(e)
        broken.append(e)
    for e in broken:
        assert list(validator().iter_errors(e)), e


def test_fields_of_a_failing_finding() -> None:
    ev = run(inventory(estate()))
    f = next(f for f in ev.findings if f.status is Status.FAIL and f.control_id == "kms.key_rotation_enabled")
    e = next(e for e in events_of(ev) if e["finding_info"]["uid"] == f.id)
    assert e["class_uid"] == 2003 and e["category_uid"] == 2 and e["activity_id"] == 1 and e["type_uid"] == 200301
    assert e["time"] == int(ev.inventory.meta.finished_at.timestamp() * 1000)
    assert e["metadata"]["version"] == "1.8.0" and e["metadata"]["profiles"] == ["cloud"]
    assert e["metadata"]["product"]["name"] == "Assay"
    assert e["metadata"]["correlation_uid"] == ev.inventory.meta.scan_id
    assert e["cloud"] == {"provider": "AWS", "cloud_partition": "aws", "region": "us-east-1",
                          "account": {"uid": ACCOUNT, "type_id": 10, "type": "AWS Account"}}
    assert e["resources"] == [{
        "uid": f.resource_arn, "uid_alt": "k-fail", "name": "fail-no-rotation", "type": "AWS::KMS::Key",
        "cloud_partition": "aws", "provider": "AWS", "region": "us-east-1", "role_id": 1, "role": "Target",
    }]
    c = e["compliance"]
    assert c["control"] == "kms.key_rotation_enabled"
    assert c["standards"] == ["SOC 2"] and c["requirements"] == ["CC6.1"]
    assert (c["status_id"], c["status"], c["status_code"]) == (3, "Fail", "FAIL")
    assert c["status_details"] == [f.message]
    assert e["severity_id"] == 3 and e["severity"] == "Medium"
    assert e["finding_info"]["title"] == ev.controls[f.control_id].title
    assert e["finding_info"]["desc"] == ev.controls[f.control_id].rationale
    remediation = e["remediation"]["desc"]
    assert "aws kms enable-key-rotation --key-id <key-id>" in remediation
    assert "enable_key_rotation = true" in remediation


def test_status_mapping_uses_the_schema_captions_and_never_passes_an_error() -> None:
    compliance = export()["objects"]["compliance"]
    for status, (status_id, label) in ocsf_module.COMPLIANCE_STATUS.items():
        if status_id == 99:  # "Other": the source names it
            assert status is Status.SKIP and label == "Not Applicable"
        else:
            assert caption(compliance, "status_id", status_id) == label
    assert ocsf_module.COMPLIANCE_STATUS[Status.ERROR][0] not in (1, 99)
    cls = export()["classes"]["compliance_finding"]
    for severity_id, label in ocsf_module.SEVERITY_ID.values():
        assert caption(cls, "severity_id", severity_id) == label

    ev = run(inventory(estate(), partial=True))
    seen = {(e["compliance"]["status_code"], e["compliance"]["status_id"]) for e in events_of(ev)}
    assert seen == {("PASS", 1), ("FAIL", 3), ("ERROR", 0), ("SKIP", 99)}


# -- untrusted strings ---------------------------------------------------------------------


def test_hostile_strings_round_trip_as_data() -> None:
    keys = xss_estate() + [key(f"h{n}", name=p, arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{p}", rotation_enabled=False)
                           for n, p in enumerate(HOSTILE)]
    ev = run(inventory(keys, partial=True, hostile=True))
    text = io.StringIO()
    get("ocsf").write(ev, text)
    events = json.loads(text.getvalue())
    assert_valid(events)
    names = {e["resources"][0]["name"] for e in events}
    assert set(HOSTILE) <= names  # exactly as read: the consumer decides how to display them
    uids = {e["resources"][0]["uid"] for e in events}
    assert {f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{p}" for p in HOSTILE} <= uids


def test_output_is_deterministic() -> None:
    inv = inventory(estate(), partial=True)
    a, b = io.StringIO(), io.StringIO()
    get("ocsf").write(run(inv), a)
    get("ocsf").write(run(inv), b)
    assert a.getvalue() == b.getvalue()
