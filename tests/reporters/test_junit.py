"""JUnit reporter: validates against the Jenkins/Ant junit-10.xsd (bundled, see schemas/README.md) and parses
with junitparser, the way CI tools read it."""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, Skipped

from assay.engine import Evaluation, evaluate
from assay.models.findings import Status
from assay.reporters import get
from assay.reporters import junit as junit_module
from tests.reporters.test_html import ACCOUNT, KMS_CONTROLS, XSS, estate, inventory, key, run, xss_estate

XSD = Path(__file__).parent / "schemas" / "junit-10.xsd"
XSD_SHA256 = "62ca5a7bd8a6b8268818a64192bd8f94dbf38b63eb85a19c159deba08244f1fd"
HOSTILE = [*XSS, "]]><evil/>", "a & b < c > d \" e ' f", "<!-- x -->", "<?pi x?>", "&amp;&lt;",
           "nul\x00bell\x07esc\x1b", "lone\ud800surrogate", "\ufffe\uffff", "\u202eevil\u200b", "line\nbreak\r\n"]


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


def xml_of(ev: Evaluation) -> str:
    out = io.StringIO()
    get("junit").write(ev, out)
    return out.getvalue()


def assert_valid(text: str) -> None:
    errors = list(schema().iter_errors(text))
    assert not errors, "\n".join(str(e.reason) + " at " + str(e.path) for e in errors[:5])


def test_registered() -> None:
    rep = get("junit")
    assert rep.name == "junit" and rep.extension == "junit.xml"


def test_bundled_schema_is_unchanged() -> None:
    assert hashlib.sha256(XSD.read_bytes()).hexdigest() == XSD_SHA256


def test_the_schema_is_not_vacuous() -> None:
    good = xml_of(run(inventory(estate())))
    assert schema().is_valid(good)
    for bad in (good.replace("<failure ", "<failed ", 1).replace("</failure>", "</failed>", 1),
                good.replace('<testsuite name="kms.key_policy_not_public"', '<testsuite', 1),
                good.replace("<testsuites ", '<testsuites skipped="1" ', 1)):
        assert not schema().is_valid(bad)


@pytest.mark.parametrize("partial", [False, True])
def test_validates_and_parses(partial: bool) -> None:
    ev = run(inventory(estate(), partial=partial))
    text = xml_of(ev)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert_valid(text)
    xml = JUnitXml.fromstring(text)
    suites = list(xml)
    assert [s.name for s in suites] == [junit_module.SCAN_SUITE, *sorted(KMS_CONTROLS)]
    results: Counter[str] = Counter()
    for suite in suites[1:]:
        for case in suite:
            assert case.classname == suite.name
            kinds = [type(r).__name__ for r in case.result]
            assert len(kinds) <= 1
            results[kinds[0] if kinds else "Pass"] += 1
    counts = ev.counts()
    assert results == Counter({k: v for k, v in {
        "Failure": counts["fail"], "Error": counts["error"], "Skipped": counts["skip"], "Pass": counts["pass"],
    }.items() if v})
    root = ET.fromstring(text)
    assert int(root.get("tests", "")) == len(ev.findings) + 1
    assert int(root.get("failures", "")) == counts["fail"]
    assert int(root.get("errors", "")) == counts["error"] + (1 if partial else 0)
    assert root.get("time") == "207.000"  # 12:00:00 -> 12:03:27


def test_every_shipped_control_validates() -> None:
    ev = evaluate(inventory(estate(), partial=True))
    text = xml_of(ev)
    assert_valid(text)
    assert len(list(JUnitXml.fromstring(text))) == len(ev.controls) + 1


def test_failure_error_and_skip_content() -> None:
    ev = run(inventory(estate(), partial=True))
    xml = JUnitXml.fromstring(xml_of(ev))
    cases = {(suite.name, case.name): case for suite in xml for case in suite}
    fail = next(f for f in ev.findings if f.status is Status.FAIL and f.control_id == "kms.key_rotation_enabled")
    case = cases[("kms.key_rotation_enabled", f"fail-no-rotation ({fail.resource_arn})")]
    (failure,) = case.result
    assert isinstance(failure, Failure) and failure.type == "FAIL" and failure.message == fail.message
    assert "aws kms enable-key-rotation --key-id <key-id>" in (failure.text or "")
    assert "SOC 2 criteria: CC6.1" in (failure.text or "")
    error = next(f for f in ev.findings if f.status is Status.ERROR)
    (err,) = cases[(error.control_id, error.resource_arn if error.resource_name == error.resource_arn
                    else f"{error.resource_name} ({error.resource_arn})")].result
    assert isinstance(err, Error) and err.type == "ERROR" and err.message == error.message
    skip = next(f for f in ev.findings if f.status is Status.SKIP)
    (skipped,) = cases[(skip.control_id, f"{skip.resource_name} ({skip.resource_arn})")].result
    assert isinstance(skipped, Skipped) and skipped.message == skip.message
    suite = next(s for s in xml if s.name == "kms.key_not_pending_deletion")
    props = {p.name: p.value for p in suite.properties()}
    control = ev.controls["kms.key_not_pending_deletion"]
    assert props == {"title": control.title, "severity": control.severity.value, "criteria": "CC6.1 CC6.7"}


def test_partial_scan_is_an_error_in_the_scan_suite() -> None:
    partial = JUnitXml.fromstring(xml_of(run(inventory(estate(), partial=True))))
    scan = next(iter(partial))
    (case,) = list(scan)
    (err,) = case.result
    assert isinstance(err, Error) and err.type == "PARTIAL" and "coverage 50.0%" in (err.message or "")
    assert "kms:ListKeys" in (err.text or "") and "eu-west-1" in (err.text or "")
    complete = JUnitXml.fromstring(xml_of(run(inventory(estate()))))
    (case,) = list(next(iter(complete)))
    assert case.is_passed


def test_hostile_strings_stay_text_and_well_formed() -> None:
    keys = xss_estate() + [
        key(f"h{n}", name=p, arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/h{n}", rotation_enabled=False)
        for n, p in enumerate(HOSTILE)
    ]
    text = xml_of(run(inventory(keys, partial=True, hostile=True)))
    assert_valid(text)
    root = ET.fromstring(text)
    assert all(el.tag in {"testsuites", "testsuite", "properties", "property", "testcase", "failure", "error",
                          "skipped"} for el in root.iter())  # no injected element
    names = {case.get("name", "") for case in root.iter("testcase")}
    for payload in [*XSS, "]]><evil/>", "a & b < c > d \" e ' f", "<!-- x -->", "<?pi x?>", "&amp;&lt;"]:
        assert any(name.startswith(payload + " (") for name in names), payload  # shown as text, not markup
    assert "nul[U+0000]bell[U+0007]esc[U+001B] (" in " ".join(names)
    assert "lone[U+D800]surrogate" in text and "[U+FFFE][U+FFFF]" in text
    assert "[U+202E]evil[U+200B]" in text and "\u202e" not in text
    messages = {el.get("message") for el in root.iter("failure")}
    assert messages  # messages are attributes: newlines in them survive as character references
    text.encode("utf-8")  # no lone surrogate left


def test_xml_text() -> None:
    assert junit_module.xml_text("ok\ttab\nline") == "ok\ttab\nline"
    assert junit_module.xml_text("\x00\x08\x0b\x7f\u2028") == "[U+0000][U+0008][U+000B][U+007F][U+2028]"
    assert junit_module.xml_text("emoji \U0001f600") == "emoji \U0001f600"


def test_output_is_deterministic() -> None:
    inv = inventory(estate(), partial=True)
    assert xml_of(run(inv)) == xml_of(run(inv))
