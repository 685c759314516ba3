"""SARIF reporter: output validates against the official SARIF 2.1.0 JSON schema (bundled, see schemas/README.md)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assay.engine import Evaluation, evaluate
from assay.models.findings import Status
from assay.reporters import get
from assay.reporters import sarif as sarif_module
from tests.reporters.test_html import ACCOUNT, KMS_CONTROLS, XSS, estate, inventory, key, run, xss_estate

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
HOSTILE = [*XSS, "[click](https://evil.example)", "{0} {1}", "back\\slash]", "line\nbreak", "\u202eevil"]


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def log_of(ev: Evaluation) -> dict[str, Any]:
    out = io.StringIO()
    get("sarif").write(ev, out)
    doc: dict[str, Any] = json.loads(out.getvalue())
    return doc


def assert_valid(doc: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    for r in doc["runs"][0]["results"]:  # §3.27.10: a result that is not a "fail" has level "none"
        assert r["kind"] == "fail" or r["level"] == "none"


def unescape(text: str) -> str:
    """What a SARIF viewer shows for a plain-text message without arguments."""
    return re.sub(r"\\([\\\[\]])|\{\{|\}\}", lambda m: m.group(1) or m.group()[0], text)


def test_registered() -> None:
    rep = get("sarif")
    assert rep.name == "sarif" and rep.extension == "sarif"


def test_bundled_schema_is_the_official_one() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == sarif_module.SCHEMA_URI


def test_the_schema_is_not_vacuous() -> None:
    good = log_of(run(inventory(estate())))
    for mutate in (
        lambda d: d["runs"][0]["results"][0].update(kind="bogus"),
        lambda d: d["runs"][0]["results"][0].pop("message"),
        lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
        lambda d: d.update(version="2.0.0"),
        lambda d: d["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0].update(extra=1),
    ):
        bad = json.loads(json.dumps(good))
        mutate(bad)
        assert list(validator().iter_errors(bad))


@pytest.mark.parametrize("partial", [False, True])
def test_log_validates(partial: bool) -> None:
    assert_valid(log_of(run(inventory(estate(), partial=partial))))


def test_every_shipped_control_validates() -> None:
    ev = evaluate(inventory(estate(), partial=True))
    doc = log_of(ev)
    assert_valid(doc)
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) == len(ev.controls)


def test_rules_describe_controls() -> None:
    ev = run(inventory(estate()))
    doc = log_of(ev)
    assert doc["$schema"] == sarif_module.SCHEMA_URI and doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "Assay" and driver["version"] == "0.1.0"
    rules = {r["id"]: r for r in driver["rules"]}
    assert sorted(rules) == sorted(KMS_CONTROLS)
    r = rules["kms.key_rotation_enabled"]
    control = ev.controls["kms.key_rotation_enabled"]
    assert r["shortDescription"]["text"] == control.title
    assert r["fullDescription"]["text"] == control.rationale
    assert "aws kms enable-key-rotation --key-id <key-id>" in r["help"]["text"]
    assert "```sh\naws kms enable-key-rotation --key-id <key-id>\n```" in r["help"]["markdown"]
    assert "enable_key_rotation = true" in r["help"]["markdown"]
    assert r["defaultConfiguration"]["level"] == "warning"  # medium
    assert r["properties"]["tags"] == ["security", "SOC 2", "CC6.1", "severity:medium"]
    assert r["properties"]["security-severity"] == "5.5"
    assert rules["kms.key_not_pending_deletion"]["properties"]["tags"][2:4] == ["CC6.1", "CC6.7"]
    # the criteria are a taxonomy, and every relationship points into it
    taxa = {t["id"] for t in doc["runs"][0]["taxonomies"][0]["taxa"]}
    assert taxa == {"CC6.1", "CC6.7"}
    for rule in driver["rules"]:
        assert {rel["target"]["id"] for rel in rule["relationships"]} <= taxa


def test_results_are_the_fail_and_error_findings() -> None:
    ev = run(inventory(estate(), partial=True))
    doc = log_of(ev)
    results = doc["runs"][0]["results"]
    wanted = [f for f in ev.findings if f.status in (Status.FAIL, Status.ERROR)]
    assert {s for f in wanted for s in [f.status]} == {Status.FAIL, Status.ERROR}
    assert [r["partialFingerprints"]["assayFindingId/v1"] for r in results] == [f.id for f in wanted]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    for r, f in zip(results, wanted, strict=True):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"] == f.control_id
        loc = r["locations"][0]["logicalLocations"][0]
        assert loc == {"name": f.resource_name, "fullyQualifiedName": f.resource_arn, "kind": "resource"}
        if f.status is Status.FAIL:
            assert r["kind"] == "fail" and r["level"] == rules[r["ruleIndex"]]["defaultConfiguration"]["level"]
        else:
            assert r["kind"] == "open" and r["level"] == "none"  # never a pass, never silently dropped
        assert unescape(r["message"]["text"]) == f"{f.resource_name}: {f.message}"
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert len(notes) == len(ev.inventory.errors)
    assert "User is not authorized to perform kms:ListKeys" in notes[0]["message"]["text"]
    assert doc["runs"][0]["properties"]["state"] == "partial"


def test_complete_scan_is_successful() -> None:
    doc = log_of(run(inventory(estate())))
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_hostile_strings_cannot_form_links_or_placeholders() -> None:
    keys = xss_estate() + [
        key(f"h{n}", name=p, arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/h{n}", rotation_enabled=False)
        for n, p in enumerate(HOSTILE)
    ]
    ev = run(inventory(keys, partial=True, hostile=True))
    doc = log_of(ev)
    assert_valid(doc)
    texts = [r["message"]["text"] for r in doc["runs"][0]["results"]]
    texts += [n["message"]["text"] for n in doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    for text in texts:
        assert not re.search(r"(?<!\\)(\\\\)*[\[\]]", text), text  # every bracket escaped
        assert not re.search(r"(?<!\{)\{(?!\{)|(?<!\})\}(?!\})", re.sub(r"\{\{|\}\}", "", text)), text
    shown = {unescape(t).split(": ", 1)[0] for t in texts}
    assert set(HOSTILE) <= shown
    names = {r["locations"][0]["logicalLocations"][0]["name"] for r in doc["runs"][0]["results"]}
    assert set(HOSTILE) <= names  # locations carry the data itself


def test_message_text_escaping() -> None:
    raw = "a [b](c) {0} \\ }"
    escaped = sarif_module.message_text(raw)
    assert escaped == "a \\[b\\](c) {{0}} \\\\ }}"
    assert unescape(escaped) == raw


def test_output_is_deterministic() -> None:
    inv = inventory(estate(), partial=True)
    assert log_of(run(inv)) == log_of(run(inv))
