"""ASFF reporter: the output is exactly what Security Hub's BatchImportFindings accepts.

Validated with botocore's own service model for securityhub: its ParamValidator (required members,
types, minimum lengths) on every batch, plus what the model states but ParamValidator leaves to the
service: enums, patterns, and the length and count limits written in the model's documentation.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from functools import cache
from typing import Any

import pytest
from botocore.loaders import Loader
from botocore.session import get_session
from botocore.validate import validate_parameters

import assay.models.resources  # noqa: F401 - registers every resource type
from assay.engine import Evaluation, evaluate
from assay.models.base import resource_types
from assay.models.findings import Status
from assay.reporters import asff, get
from assay.reporters.asff import BATCH_SIZE, asff_findings, batches
from tests.reporters.test_html import ACCOUNT, XSS, estate, inventory, key, run, xss_estate

HOSTILE = [*XSS, "line\nbreak\r\n", "tab\there", "   ", "", "nul\x00bell\x07", "\u202eevil\u200b",
           "emoji \U0001f600" * 200, "x" * 5000]
PRODUCT_ARN = re.compile(r"arn:aws(-cn|-us-gov)?:securityhub:[a-z0-9-]+:(\d{12}):product/(\d{12})/default")
TAGS = re.compile(r"<[^>]+>")


@cache
def model() -> Any:
    return get_session().get_service_model("securityhub")


@cache
def raw_shapes() -> dict[str, Any]:
    shapes: dict[str, Any] = Loader().load_service_model("securityhub", "service-2")["shapes"]
    return shapes


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def documented_limits(doc: str) -> dict[str, int]:
    doc = TAGS.sub(" ", doc)
    limits = {}
    for key_, pattern in (("length", r"Maximum (?:length )?of (\d+)(?: length)?"),
                          ("items", r"Maximum number of (\d+) items"),
                          ("pairs", r"up to (\d+) key-value pairs"),
                          ("map_key", r"key can contain up to (\d+) characters"),
                          ("map_value", r"value can contain up to (\d+) characters")):
        m = re.search(pattern, doc)
        if m:
            limits[key_] = int(m.group(1))
    return limits


def check(value: Any, shape_name: str, doc: str, path: str, problems: list[str]) -> None:
    """What ParamValidator does not check: enums, patterns, documented maxima."""
    shape = raw_shapes()[shape_name]
    limits = documented_limits(doc)
    kind = shape["type"]
    if kind == "structure":
        for name, item in value.items():
            member = shape["members"][name]
            check(item, member["shape"], member.get("documentation", ""), f"{path}.{name}", problems)
    elif kind == "list":
        if "items" in limits and len(value) > limits["items"]:
            problems.append(f"{path}: {len(value)} items > {limits['items']}")
        if "max" in shape and len(value) > shape["max"]:
            problems.append(f"{path}: {len(value)} items > {shape['max']}")
        for n, item in enumerate(value):
            check(item, shape["member"]["shape"], "", f"{path}[{n}]", problems)
    elif kind == "map":
        if "pairs" in limits and len(value) > limits["pairs"]:
            problems.append(f"{path}: {len(value)} pairs > {limits['pairs']}")
        for k, v in value.items():
            if "map_key" in limits and utf16(k) > limits["map_key"]:
                problems.append(f"{path}: key {k!r} too long")
            if "map_value" in limits and utf16(v) > limits["map_value"]:
                problems.append(f"{path}[{k}]: value too long")
            check(k, shape["key"]["shape"], "", f"{path}<key>", problems)
            check(v, shape["value"]["shape"], "", f"{path}[{k}]", problems)
    elif kind == "string":
        if "enum" in shape and value not in shape["enum"]:
            problems.append(f"{path}: {value!r} not in {shape['enum']}")
        if "pattern" in shape and not re.fullmatch(shape["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {shape['pattern']}")
        if "length" in limits and utf16(value) > limits["length"]:
            problems.append(f"{path}: {utf16(value)} > {limits['length']} characters")
        if "max" in shape and utf16(value) > shape["max"]:
            problems.append(f"{path}: longer than {shape['max']}")


def assert_accepted(findings: list[dict[str, Any]]) -> None:
    shape = model().operation_model("BatchImportFindings").input_shape
    assert findings, "nothing to validate"
    for batch in batches(findings):
        validate_parameters({"Findings": batch}, shape)  # raises ParamValidationError
        assert len(batch) <= BATCH_SIZE
        assert len({f["ProductArn"] for f in batch}) == 1
    problems: list[str] = []
    for n, f in enumerate(findings):
        check(f, "AwsSecurityFinding", "", f"Findings[{n}]", problems)
        m = PRODUCT_ARN.fullmatch(f["ProductArn"])
        if f["AwsAccountId"].isdigit():
            assert m and m.group(2) == m.group(3) == f["AwsAccountId"], f["ProductArn"]
        for t in f["Types"]:
            assert t.split("/")[0] in namespaces(), t
        for stamp in (f["CreatedAt"], f["UpdatedAt"]):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", stamp)
            datetime.fromisoformat(stamp)
    assert not problems, "\n".join(problems[:10])


@cache
def namespaces() -> set[str]:
    doc = TAGS.sub(" ", raw_shapes()["AwsSecurityFinding"]["members"]["Types"]["documentation"])
    listed = doc.split("Valid namespace values are:")[1].split("Array Members")[0]
    return {v.strip() for v in listed.split("|")}


def document_of(ev: Evaluation) -> list[dict[str, Any]]:
    out = io.StringIO()
    get("asff").write(ev, out)
    doc = json.loads(out.getvalue())
    assert isinstance(doc, list)
    return doc


# -- contract ------------------------------------------------------------------------------


def test_registered() -> None:
    rep = get("asff")
    assert rep.name == "asff" and rep.extension == "asff.json"


def test_the_checks_are_not_vacuous() -> None:
    good = asff_findings(run(inventory(estate())))[0]
    bad_values = [("Compliance", {"Status": "OK"}), ("Title", "x" * 257), ("Description", "two\nlines"),
                  ("Types", ["a"] * 51), ("RecordState", "DELETED")]
    for name, value in bad_values:
        with pytest.raises(AssertionError):
            assert_accepted([{**good, name: value}])
    from botocore.exceptions import ParamValidationError

    missing = {k: v for k, v in good.items() if k != "Resources"}
    with pytest.raises(ParamValidationError):
        validate_parameters({"Findings": [missing]}, model().operation_model("BatchImportFindings").input_shape)


@pytest.mark.parametrize("partial", [False, True])
def test_document_is_accepted_by_batch_import_findings(partial: bool) -> None:
    ev = run(inventory(estate(), partial=partial))
    findings = document_of(ev)
    assert findings == asff_findings(ev)
    assert [f["Id"] for f in findings] == [f.id for f in ev.findings]
    assert_accepted(findings)


def test_every_shipped_control_is_accepted() -> None:
    findings = asff_findings(evaluate(inventory(estate(), partial=True)))
    assert {f["Resources"][0]["Type"] for f in findings} >= {"AwsKmsKey", "AwsAccount"}
    assert_accepted(findings)


def test_fields_of_a_failing_finding() -> None:
    ev = run(inventory(estate()))
    f = next(f for f in ev.findings if f.status is Status.FAIL and f.control_id == "kms.key_rotation_enabled")
    a = next(a for a in asff_findings(ev) if a["Id"] == f.id)
    assert a["SchemaVersion"] == "2018-10-08"
    assert a["ProductArn"] == f"arn:aws:securityhub:us-east-1:{ACCOUNT}:product/{ACCOUNT}/default"
    assert a["GeneratorId"] == "kms.key_rotation_enabled" and a["AwsAccountId"] == ACCOUNT
    assert a["Types"] == ["Software and Configuration Checks/Industry and Regulatory Standards/SOC 2"]
    assert a["CreatedAt"] == a["UpdatedAt"] == "2024-05-01T12:03:27.000Z"
    assert a["Severity"] == {"Label": "MEDIUM", "Original": "medium"}
    assert a["FindingProviderFields"]["Severity"] == a["Severity"]
    assert a["Title"] == ev.controls[f.control_id].title
    assert f.message in a["Description"] and "fail-no-rotation" in a["Description"]
    text = a["Remediation"]["Recommendation"]["Text"]
    assert text.startswith("KMS console") and "aws kms enable-key-rotation --key-id <key-id>" in text
    assert a["Resources"] == [{"Type": "AwsKmsKey", "Id": f.resource_arn, "Partition": "aws", "Region": "us-east-1"}]
    assert a["Compliance"] == {"Status": "FAILED", "RelatedRequirements": ["SOC 2 CC6.1"]}
    assert a["RecordState"] == "ACTIVE" and a["Workflow"] == {"Status": "NEW"}
    assert a["ProductFields"]["Assay/Status"] == "fail" and a["ProductFields"]["Assay/ScanId"] == "scan-0001"


def test_status_mapping_never_passes_an_error() -> None:
    ev = run(inventory(estate(), partial=True))
    by_status = {f.status: a for f, a in zip(ev.findings, asff_findings(ev), strict=True)}
    assert set(by_status) == set(Status)
    assert by_status[Status.PASS]["Compliance"]["Status"] == "PASSED"
    assert by_status[Status.PASS]["Severity"]["Label"] == "INFORMATIONAL"
    assert by_status[Status.PASS]["Workflow"]["Status"] == "RESOLVED"
    assert by_status[Status.FAIL]["Compliance"]["Status"] == "FAILED"
    assert by_status[Status.ERROR]["Compliance"]["Status"] == "WARNING"
    assert by_status[Status.ERROR]["Severity"]["Label"] != "INFORMATIONAL"
    assert by_status[Status.ERROR]["RecordState"] == "ACTIVE"
    assert by_status[Status.SKIP]["Compliance"]["Status"] == "NOT_AVAILABLE"
    assert by_status[Status.SKIP]["RecordState"] == "ARCHIVED"
    assert "PASSED" not in {asff.COMPLIANCE_STATUS[s] for s in (Status.FAIL, Status.ERROR, Status.SKIP)}
    enum = raw_shapes()["ComplianceStatus"]["enum"]
    assert set(asff.COMPLIANCE_STATUS.values()) <= set(enum)


def test_regions_global_resources_go_to_the_home_region() -> None:
    ev = evaluate(inventory(estate(), partial=True))
    findings = asff_findings(ev)
    account_level = [a for a in findings if a["Resources"][0]["Type"] == "AwsAccount"]
    assert account_level
    for a in account_level:
        assert ":securityhub:us-east-1:" in a["ProductArn"]  # first requested region the scan read
        assert "Region" not in a["Resources"][0]
    errored = [a for a, f in zip(findings, ev.findings, strict=True) if f.region == "eu-west-1"]
    assert errored and all(":securityhub:eu-west-1:" in a["ProductArn"] for a in errored)
    everything = asff_findings(ev, region="eu-central-1")
    one = f"arn:aws:securityhub:eu-central-1:{ACCOUNT}:product/{ACCOUNT}/default"
    assert {a["ProductArn"] for a in everything} == {one}


def test_batches_hold_at_most_100_findings_of_one_product_arn() -> None:
    keys = [key(f"k{n:03}", name=f"fail-{n}", rotation_enabled=False) for n in range(130)]
    keys += [key(f"e{n:03}", name=f"eu-{n}", region="eu-west-1", rotation_enabled=False) for n in range(5)]
    findings = asff_findings(run(inventory(keys)))
    chunks = list(batches(findings))
    assert all(1 <= len(c) <= 100 for c in chunks)
    assert all(len({f["ProductArn"] for f in c}) == 1 for c in chunks)
    assert sorted(f["Id"] for c in chunks for f in c) == sorted(f["Id"] for f in findings)
    assert [len(c) for c in batches(findings, size=7)][:2] == [7, 7]
    with pytest.raises(ValueError):
        list(batches(findings, size=101))
    assert_accepted(findings)


def test_resource_types_are_asff_types() -> None:
    details = {name.lower(): name for name in raw_shapes()["ResourceDetails"]["members"]}
    assert set(asff.ASFF_RESOURCE_TYPES) <= set(details.values())
    # AwsAccount is the type Security Hub's own account-level control findings use; it has no details.
    assert set(asff.RESOURCE_TYPE_OVERRIDES.values()) <= {*asff.ASFF_RESOURCE_TYPES, "AwsAccount"}
    assert asff.resource_type("AWS::KMS::Key") == "AwsKmsKey"
    assert asff.resource_type("AWS::WAFv2::WebACL") == "AwsWafv2WebAcl"
    assert asff.resource_type("AWS::Logs::LogGroup") == "Other"
    assert asff.resource_type("<script>") == "Other"
    for cfn in resource_types():
        mapped = asff.resource_type(cfn)
        assert mapped in {*details.values(), "AwsAccount"}, cfn
        candidate = ("aws" + "".join(cfn.split("::")[1:])).lower()
        if candidate in details and cfn not in asff.RESOURCE_TYPE_OVERRIDES:  # ASFF has a type of that name
            assert mapped == details[candidate], cfn


# -- untrusted strings ------------------------------------------------------------------------


def test_hostile_strings_cannot_make_the_import_fail() -> None:
    keys = xss_estate() + [
        key(f"h{n}", name=p, arn=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{p}{n}", rotation_enabled=False)
        for n, p in enumerate(HOSTILE)
    ]
    ev = run(inventory(keys, partial=True, hostile=True))
    findings = document_of(ev)
    assert_accepted(findings)
    descriptions = " ".join(a["Description"] for a in findings)
    for payload in XSS:
        assert payload in descriptions  # kept as text, not dropped
    assert any(a["Description"].endswith("…") for a in findings)  # the 5000-character name was cut


def test_clip_counts_utf16_and_keeps_one_line() -> None:
    assert asff.clip("a\n b\t\tc", 10) == "a b c"
    assert asff.clip(" \n ", 10) == "-"
    clipped = asff.clip("\U0001f600" * 10, 7)
    assert utf16(clipped) <= 7 and clipped.endswith("…")


def test_output_is_deterministic() -> None:
    inv = inventory(estate(), partial=True)
    assert document_of(run(inv)) == document_of(run(inv))
