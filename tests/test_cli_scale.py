"""The command line at scale: accounts files, --organization, --stats, and one-line errors for bad input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from assay.collect.accounts_file import AccountEntry, load_accounts_file
from assay.errors import ConfigError
from tests.helpers import ACCOUNT
from tests.test_cli import one_line_error, run

A = "111122223333"
B = "444455556666"


def test_yaml_and_csv_accounts_files(tmp_path: Path) -> None:
    yml = tmp_path / "accounts.yaml"
    yml.write_text(f"""accounts:
  - account_id: "{A}"
    role_arn: arn:aws:iam::{A}:role/AssayScan
    external_id: ext-a
  - role_arn: arn:aws:iam::{B}:role/audit/AssayScan
""")
    want = [AccountEntry(A, f"arn:aws:iam::{A}:role/AssayScan", "ext-a"),
            AccountEntry(B, f"arn:aws:iam::{B}:role/audit/AssayScan", None)]
    assert load_accounts_file(yml) == want
    csv = tmp_path / "accounts.csv"
    csv.write_text(f"# accounts to scan\naccount_id,role_arn,external_id\n{A},arn:aws:iam::{A}:role/AssayScan,ext-a\n"
                   f"\n,arn:aws:iam::{B}:role/audit/AssayScan,\n")
    assert load_accounts_file(csv) == want


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.yaml", "accounts: [", "not valid YAML at line 1"),
    ("a.yaml", "- role_arn: arn:aws:iam::1234:role/X\n", "entry 1: role_arn 'arn:aws:iam::1234:role/X' is not"),
    ("a.yaml", f"- account_id: {A}\n  role_arn: arn:aws:iam::{A}:role/X\n", "account_id must be a quoted string"),
    ("a.yaml", f"- account_id: '{B}'\n  role_arn: arn:aws:iam::{A}:role/X\n", "does not match the role ARN"),
    ("a.yaml", f"- role_arn: arn:aws:iam::{A}:role/X\n  region: eu-west-1\n", "entry 1: unknown field region"),
    ("a.yaml", f"- role_arn: arn:aws:iam::{A}:role/X\n- role_arn: arn:aws:iam::{A}:role/Y\n",
     "entry 2: account 111122223333 is listed twice (first at entry 1)"),
    ("a.yaml", "{}", "must be a list of accounts"),
    ("a.yaml", "[]", "lists no accounts"),
    ("a.csv", "account,role\n", "line 1: the header must name role_arn"),
    ("a.csv", f"role_arn\narn:aws:iam::{A}:role/X,extra\n", "line 2: 2 fields, the header names 1"),
])
def test_bad_accounts_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_accounts_file(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_bad_accounts_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "accounts.yaml"
    path.write_text("- role_arn: not-an-arn\n")
    proc = run("scan", "--accounts-file", str(path), "-r", "us-east-1")
    assert proc.returncode == 2
    assert "entry 1: role_arn 'not-an-arn' is not an IAM role ARN" in one_line_error(proc)
    proc = run("collect", "-o", str(tmp_path / "s.json.gz"), "--accounts-file", str(tmp_path / "missing.csv"))
    assert proc.returncode == 2 and "does not exist" in one_line_error(proc)


@pytest.mark.parametrize(("args", "message"), [
    (["--ou", "ou-abcd-abcdefgh"], "need --organization"),
    (["--org-role", "X"], "need --organization"),
    (["--organization", "--profile", "a", "--profile", "b"], "at most one --profile"),
])
def test_organization_option_errors(args: list[str], message: str) -> None:
    proc = run("scan", *args)
    assert proc.returncode == 2 and message in one_line_error(proc)


def test_accounts_file_scan_with_stats(endpoint: str, seed: Any, tmp_path: Path) -> None:
    seed("kms").create_key()
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"role_arn,external_id\narn:aws:iam::{A}:role/AssayScan,x1\n"
                        f"arn:aws:iam::{ACCOUNT}:role/AssayScan,\n")
    snap = tmp_path / "snap.json.gz"
    proc = run("collect", "-o", str(snap), "--accounts-file", str(accounts), "-r", "us-east-1",
               "--service", "kms", "--stats", endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert f"  {A}  0 resources, 1 shards, complete" in err
    assert f"  {ACCOUNT}  1 resources, 1 shards, complete" in err
    calls = dict(re.findall(r"^  (kms:\w+) +(\d+)$", err, re.M))
    assert calls["kms:ListKeys"] == "2" and calls["kms:DescribeKey"] == "1"
    assert re.search(r"^API calls: \d+ in all, \d+ operations; 0 retried; 0 shard\(s\) requeued", err, re.M)
    assert re.search(r"^  total +\d+$", err, re.M) and re.search(r"^  kms +[\d.]+s +2 shards", err, re.M)
    # --stats reads the same figures back from the snapshot.
    again = run("evaluate", str(snap), "--stats")
    assert again.returncode == 0
    assert re.findall(r"^  kms:\w+ +\d+$", again.stderr, re.M) == re.findall(r"^  kms:\w+ +\d+$", err, re.M)


def test_stats_sorted_by_count(endpoint: str, seed: Any, tmp_path: Path) -> None:
    kms = seed("kms")
    for _ in range(3):
        kms.create_key()
    proc = run("scan", "-r", "us-east-1", "--service", "kms", "--stats", endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    rows = [(op, int(n)) for op, n in re.findall(r"^  ([a-z0-9-]+:\w+) +(\d+)$", proc.stderr, re.M)]
    assert rows == sorted(rows, key=lambda r: (-r[1], r[0]))
    assert dict(rows)["kms:DescribeKey"] == 3
    total = int(re.findall(r"^  total +(\d+)$", proc.stderr, re.M)[0])
    assert total == sum(n for _, n in rows)
    assert "API calls:" not in run("scan", "-r", "us-east-1", "--service", "kms", endpoint=endpoint).stderr


def test_organization_scan_from_the_command_line(endpoint: str, seed: Any, tmp_path: Path) -> None:
    org = seed("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="prod")["OrganizationalUnit"]["Id"]
    member = org.create_account(AccountName="shop", Email="shop@example.com")["CreateAccountStatus"]["AccountId"]
    org.create_account(AccountName="other", Email="other@example.com")
    org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)
    out = tmp_path / "report.json"
    proc = run("scan", "--organization", "--ou", ou, "--org-role", "AssayScan", "-r", "us-east-1",
               "--service", "kms", "-f", "json", "-o", str(out), "--stats", endpoint=endpoint)
    assert proc.returncode == 0, proc.stderr
    assert "Organization: 1 active account(s) selected" in proc.stderr
    assert re.search(r"^  organizations:ListAccountsForParent +1$", proc.stderr, re.M)
    import json

    doc = json.loads(out.read_text())
    assert [a["account_id"] for a in doc["scan"]["accounts"]] == [member]
    per_account = doc["scan"]["accounts"][0]["findings"]  # the per-account view
    assert sum(per_account.values()) == len(doc["findings"]) > 0
    assert doc["scan"]["accounts"][0]["caller_arn"].startswith(f"arn:aws:sts::{member}:assumed-role/AssayScan/")
