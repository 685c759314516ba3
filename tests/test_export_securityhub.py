"""`assay export securityhub`: findings imported through BatchImportFindings on moto's server.

Round trip (GetFindings returns what was imported), batches of at most 100, failed items resent and
reported with their reasons, and the write guard: scanning clients still refuse the import, and the
export client refuses every other write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assay.collect.session import AwsAccess
from assay.demo.server import seed_client
from assay.engine import Evaluation
from assay.errors import UsageError, WriteAttempted
from assay.export import securityhub
from assay.export.securityhub import IMPORT_ACTION, export, import_client, import_policy_document
from assay.frameworks import soc2
from assay.models.findings import Status
from assay.permissions import policy_document
from assay.reporters.asff import asff_findings
from assay.scope import select
from tests.reporters.test_html import ACCOUNT, estate, inventory, key
from tests.test_cli import one_line_error, run

ROTATION = "kms.key_rotation_enabled"


def many_keys(n: int) -> Evaluation:
    keys = [key(f"k{i:03d}", rotation_enabled=bool(i % 2)) for i in range(n)]
    return select(soc2(), controls=[ROTATION]).evaluate(inventory(keys))


def all_findings(endpoint: str, region: str) -> list[dict[str, Any]]:
    client = seed_client(endpoint, "securityhub", region)
    out: list[dict[str, Any]] = []
    for page in client.get_paginator("get_findings").paginate():
        out += page["Findings"]
    return out


class Corrupt:
    """A botocore hook that empties Resources of some findings, so moto rejects exactly those items.

    `times` bounds how many calls it corrupts: a transient failure is one that stops.
    """

    def __init__(self, ids: set[str], times: int = 10**6) -> None:
        self.ids = ids
        self.times = times
        self.calls = 0

    def __call__(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name != "BatchImportFindings" or self.times <= 0:
            return
        # New dicts: the caller's findings stay intact, as they would after a real failed call.
        params["Findings"] = [{**f, "Resources": []} if f["Id"] in self.ids else f for f in params["Findings"]]
        if any(f["Id"] in self.ids for f in params["Findings"]):
            self.times -= 1
            self.calls += 1


def test_round_trip_in_batches_of_at_most_100(endpoint: str) -> None:
    ev = many_keys(250)
    findings = asff_findings(ev)
    assert len(findings) == 250
    sent: list[int] = []

    def count(params: dict[str, Any], **_: Any) -> None:
        sent.append(len(params["Findings"]))

    access = AwsAccess(endpoint_url=endpoint, hooks=[("provide-client-params.securityhub.BatchImportFindings",
                                                      count)])
    result = export(findings, {ACCOUNT: access}, sleep=lambda _: None)
    assert result.imported == 250 and result.failed_count == 0 and result.calls == 3
    assert sent == [100, 100, 50]
    stored = {f["Id"]: f for f in all_findings(endpoint, "us-east-1")}
    assert set(stored) == {f["Id"] for f in findings}
    one = next(f for f in findings if f["Compliance"]["Status"] == "FAILED")
    assert stored[one["Id"]]["Compliance"]["Status"] == "FAILED"
    assert stored[one["Id"]]["Title"] == one["Title"] and stored[one["Id"]]["Resources"] == one["Resources"]
    assert all_findings(endpoint, "eu-west-1") == []  # each finding went to its own region only


def test_import_is_idempotent_by_finding_id(endpoint: str) -> None:
    findings = asff_findings(many_keys(3))
    access = AwsAccess(endpoint_url=endpoint)
    export(findings, {ACCOUNT: access})
    export(findings, {ACCOUNT: access})
    assert len(all_findings(endpoint, "us-east-1")) == 3


def test_failed_items_are_resent_and_reported_with_reasons(endpoint: str) -> None:
    findings = asff_findings(many_keys(120))
    bad = {findings[5]["Id"], findings[110]["Id"]}
    corrupt = Corrupt(bad)
    access = AwsAccess(endpoint_url=endpoint, hooks=[("before-parameter-build.securityhub.BatchImportFindings",
                                                      corrupt)])
    sleeps: list[float] = []
    result = export(findings, {ACCOUNT: access}, retries=2, backoff=0.5, sleep=sleeps.append)
    assert result.imported == 118 and result.failed_count == 2
    assert {f.id for f in result.failed} == bad
    assert result.resent == 4 and sleeps == [0.5, 1.0] * 2  # each failed item sent twice more, alone
    (code, message, count, example), = result.reasons()
    assert code == "InvalidInput" and "at least one resource" in message and count == 2 and example in bad
    assert len(all_findings(endpoint, "us-east-1")) == 118


def test_a_transient_item_failure_succeeds_when_resent(endpoint: str) -> None:
    findings = asff_findings(many_keys(10))
    corrupt = Corrupt({findings[3]["Id"]}, times=1)
    access = AwsAccess(endpoint_url=endpoint, hooks=[("before-parameter-build.securityhub.BatchImportFindings",
                                                      corrupt)])
    result = export(findings, {ACCOUNT: access}, sleep=lambda _: None)
    assert result.imported == 10 and result.failed_count == 0 and result.resent == 1 and corrupt.calls == 1
    assert len(all_findings(endpoint, "us-east-1")) == 10


def test_scanning_clients_still_refuse_the_import(endpoint: str) -> None:
    scanning = AwsAccess(endpoint_url=endpoint).client("securityhub", "us-east-1")
    with pytest.raises(WriteAttempted):
        scanning.batch_import_findings(Findings=asff_findings(many_keys(1)))
    assert all_findings(endpoint, "us-east-1") == []


def test_the_export_client_refuses_every_other_write(endpoint: str) -> None:
    client = import_client(AwsAccess(endpoint_url=endpoint), "us-east-1")
    for call, kwargs in (("batch_update_findings", {"FindingIdentifiers": [], "Note": {"Text": "x", "UpdatedBy": "y"}}),
                         ("disable_security_hub", {}), ("enable_security_hub", {})):
        with pytest.raises(WriteAttempted):
            getattr(client, call)(**kwargs)
    client.get_findings()  # reads go through


def test_the_scanning_policy_does_not_grant_the_import() -> None:
    actions = {a for st in policy_document()["Statement"] for a in st["Action"]}
    assert IMPORT_ACTION not in actions
    assert import_policy_document()["Statement"][0]["Action"] == [IMPORT_ACTION]


# -- the command ------------------------------------------------------------------------------------

@pytest.fixture()
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "snap.json.gz"
    inventory(estate()).save(path)
    return path


def test_cli_imports_a_snapshot(endpoint: str, snapshot: Path) -> None:
    proc = run("export", "securityhub", str(snapshot), "--only-controls", ROTATION, endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    assert "Imported 4 of 4 findings in 1 BatchImportFindings calls. FailedCount: 0" in proc.stderr
    stored = all_findings(endpoint, "us-east-1")
    assert {f["ProductFields"]["Assay/ControlId"] for f in stored} == {ROTATION}
    statuses = {f["ProductFields"]["Assay/Status"] for f in stored}
    assert statuses == {s.value for s in (Status.PASS, Status.FAIL, Status.SKIP)}


def test_cli_region_override_and_bad_input(endpoint: str, snapshot: Path) -> None:
    proc = run("export", "securityhub", str(snapshot), "--only-controls", ROTATION, "--region", "eu-west-1",
               endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    assert len(all_findings(endpoint, "eu-west-1")) == 4 and all_findings(endpoint, "us-east-1") == []
    from assay.cli import app

    for args, message in ((["--account", "999999999999"], "not in the snapshot"), (["--region", "mars-1"], "region")):
        result = CliRunner().invoke(app, ["export", "securityhub", str(snapshot), *args])
        assert isinstance(result.exception, UsageError) and message in str(result.exception)  # main(): exit 2


def test_cli_refuses_findings_of_an_account_it_has_no_credentials_for(endpoint: str, tmp_path: Path) -> None:
    other = tmp_path / "other.json.gz"
    inv = inventory(estate())
    doc_path = tmp_path / "x.json.gz"
    inv.save(doc_path)
    import gzip

    text = gzip.decompress(doc_path.read_bytes()).decode().replace(ACCOUNT, "210987654321")
    other.write_bytes(gzip.compress(text.encode()))
    proc = run("export", "securityhub", str(other), endpoint=endpoint)
    assert proc.returncode == 2
    assert "no credentials" in one_line_error(proc) and all_findings(endpoint, "us-east-1") == []


def test_cli_exits_1_and_lists_reasons_when_an_item_fails(endpoint: str, snapshot: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    findings = asff_findings(select(soc2(), controls=[ROTATION]).evaluate(inventory(estate())))
    failing = findings[0]["Id"]
    real = securityhub.import_client

    def corrupted(access: AwsAccess, region: str) -> Any:
        client = real(access, region)
        client.meta.events.register("before-parameter-build.securityhub.BatchImportFindings", Corrupt({failing}))
        return client

    monkeypatch.setattr(securityhub, "import_client", corrupted)
    monkeypatch.setattr(securityhub, "BACKOFF", 0.0)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    from assay.cli import app

    result = CliRunner().invoke(app, ["export", "securityhub", str(snapshot), "--only-controls", ROTATION])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "Imported 3 of 4 findings" in out and "FailedCount: 1" in out
    assert "1 x InvalidInput: " in out and failing in out
