"""T15: determinism and finding identity.

The same snapshot evaluated twice, in another process (with another hash seed) or with its resources,
errors and coverage in another order renders byte-identical reports in every format; two scans of an
unchanged estate give the same finding ids, statuses and messages. Same-name resources (security
groups named "default" in three VPCs, one log group name in two regions and two accounts, one user
name in two accounts) get distinct finding ids, and an id does not change when a display name does.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.demo.server import DEMO_CREDENTIALS, reset, seed_client
from assay.engine import Evaluation, evaluate
from assay.faults import deny
from assay.models.inventory import Inventory
from assay.reporters import BUILTIN, get

ROLE = "arn:aws:iam::111111111111:role/AssayScan"
REGIONS = ["us-east-1", "eu-west-1"]
SERVICES = ["ec2", "iam", "kms", "logs"]


def render(ev: Evaluation, fmt: str) -> str:
    out = io.StringIO()
    get(fmt).write(ev, out)
    return out.getvalue()


def build_estate(endpoint: str) -> list[AwsAccess]:
    """Two accounts, two regions, and resources that share names across VPCs, regions and accounts."""
    sts = seed_client(endpoint, "sts", "us-east-1")
    creds = sts.assume_role(RoleArn=ROLE, RoleSessionName="setup")["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}
    for account_keys in (None, keys):
        seed_client(endpoint, "iam", "us-east-1", account_keys).create_user(UserName="deploy")
        for region in REGIONS:
            seed_client(endpoint, "logs", region, account_keys).create_log_group(logGroupName="app")
            kms = seed_client(endpoint, "kms", region, account_keys)
            kms.create_alias(AliasName="alias/app", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
    ec2 = seed_client(endpoint, "ec2", "us-east-1")
    for cidr in ("10.1.0.0/16", "10.2.0.0/16"):  # each VPC brings a security group named "default"
        vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
        ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)
    return [AwsAccess(endpoint_url=endpoint, home_region="us-east-1"),
            AwsAccess(endpoint_url=endpoint, home_region="us-east-1", role_arn=ROLE)]


@pytest.fixture()
def accesses(endpoint: str) -> list[AwsAccess]:
    return build_estate(endpoint)


def scan(accesses: list[AwsAccess]) -> Inventory:
    return collect(accesses, regions=REGIONS, services=SERVICES, max_workers=4)


def test_same_name_resources_have_distinct_finding_ids(snapshot: Path) -> None:
    ev = evaluate(Inventory.load(snapshot))
    ids = [f.id for f in ev.findings]
    assert len(ids) == len(set(ids)), [fid for fid, n in Counter(ids).items() if n > 1][:5]
    by_name: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
    for f in ev.findings:
        by_name.setdefault((f.control_id, f.resource_name), set()).add((f.account_id, f.region, f.id))
    defaults = {(a, r, fid) for a, r, fid in by_name[("ec2.default_sg_blocks_all", "default")]
                if (a, r) == ("123456789012", "us-east-1")}
    assert len({fid for *_, fid in defaults}) == 3  # the default VPC's and two more
    web_ids = {f.id for f in ev.findings if f.resource_name == "web" and f.control_id.startswith("ec2.")}
    web_groups = {f.resource_arn for f in ev.findings if f.resource_name == "web" and f.control_id.startswith("ec2.")}
    assert len(web_groups) == 2 and len(web_ids) >= 2
    groups = next(v for (cid, name), v in by_name.items() if name == "app" and cid.startswith("logs."))
    assert {(a, r) for a, r, _ in groups} == {(a, r) for a in ("123456789012", "111111111111") for r in REGIONS}
    assert len({fid for *_, fid in groups}) == 4
    users = next(v for (cid, name), v in by_name.items() if name == "deploy" and cid.startswith("iam."))
    assert len({a for a, _, _ in users}) == len({fid for *_, fid in users}) == 2


def test_a_finding_id_survives_a_new_display_name(accesses: list[AwsAccess], seed: Any) -> None:
    def scan_kms() -> Inventory:
        return collect(accesses[0], regions=["us-east-1"], services=["kms"])

    before = {(f.control_id, f.resource_arn): f for f in evaluate(scan_kms()).findings
              if f.control_id.startswith("kms.") and f.region == "us-east-1" and f.account_id == "123456789012"}
    kms = seed("kms", "us-east-1")
    key = kms.list_aliases()["Aliases"]
    target = next(a["TargetKeyId"] for a in key if a["AliasName"] == "alias/app")
    kms.delete_alias(AliasName="alias/app")
    kms.create_alias(AliasName="alias/renamed", TargetKeyId=target)
    after = {(f.control_id, f.resource_arn): f for f in evaluate(scan_kms()).findings
             if f.control_id.startswith("kms.") and f.region == "us-east-1" and f.account_id == "123456789012"}
    renamed = [k for k, f in after.items() if f.resource_name == "alias/renamed"]
    assert renamed and all(after[k].id == before[k].id and before[k].resource_name == "alias/app" for k in renamed)


def test_two_scans_of_an_unchanged_estate_agree(accesses: list[AwsAccess]) -> None:
    first = {f.id: (f.status.value, f.message) for f in evaluate(scan(accesses)).findings}
    second = {f.id: (f.status.value, f.message) for f in evaluate(scan(accesses)).findings}
    assert first and first == second


@pytest.fixture(scope="module")
def snapshot(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One recorded scan for the replay tests, with errors in it too (one denied read)."""
    with pytest.MonkeyPatch.context() as mp:
        reset(moto_endpoint)
        for name, value in (("AWS_ACCESS_KEY_ID", DEMO_CREDENTIALS["aws_access_key_id"]),
                            ("AWS_SECRET_ACCESS_KEY", DEMO_CREDENTIALS["aws_secret_access_key"]),
                            ("AWS_CONFIG_FILE", "/nonexistent"), ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")):
            mp.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            mp.delenv(name, raising=False)
        accesses = build_estate(moto_endpoint)
        accesses[0].hooks.append(("before-call", deny({"kms:GetKeyRotationStatus"}, code="AccessDeniedException")))
        path = tmp_path_factory.mktemp("replay") / "snap.json.gz"
        scan(accesses).save(path)
    return path


def test_the_same_snapshot_renders_byte_identical_reports(snapshot: Path) -> None:
    inv = Inventory.load(snapshot)
    assert inv.errors
    for fmt in BUILTIN:
        assert render(evaluate(inv), fmt) == render(evaluate(Inventory.load(snapshot)), fmt), fmt


RENDER_ALL = """
import hashlib, io, sys
from assay.engine import evaluate
from assay.models.inventory import Inventory
from assay.reporters import BUILTIN, get
ev = evaluate(Inventory.load(sys.argv[1]))
for fmt in BUILTIN:
    out = io.StringIO()
    get(fmt).write(ev, out)
    print(fmt, hashlib.sha256(out.getvalue().encode()).hexdigest())
"""


def test_another_process_and_hash_seed_render_the_same_bytes(snapshot: Path) -> None:
    ev = evaluate(Inventory.load(snapshot))
    here = {fmt: hashlib.sha256(render(ev, fmt).encode()).hexdigest() for fmt in BUILTIN}
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", RENDER_ALL, str(snapshot)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert proc.returncode == 0, proc.stderr
        there = dict(line.split() for line in proc.stdout.splitlines())
        assert there == here, f"formats that differ with PYTHONHASHSEED={seed}: " + \
            ", ".join(f for f in here if there.get(f) != here[f])


def test_the_cli_writes_what_the_library_renders(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "assay", "evaluate", str(snapshot), "-f", "json", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == render(evaluate(Inventory.load(snapshot)), "json")


def test_resource_and_error_order_does_not_matter(snapshot: Path) -> None:
    inv = Inventory.load(snapshot)
    expected = {fmt: render(evaluate(inv), fmt) for fmt in BUILTIN}
    rng = random.Random(4)
    for _ in range(3):
        def shuffled(items: list[Any]) -> list[Any]:
            items = list(items)
            rng.shuffle(items)
            return items

        again = Inventory(inv.meta, shuffled(inv.accounts), shuffled(inv.regions), shuffled(inv.coverage),
                          shuffled(list(inv.resources())), shuffled(inv.errors))
        for fmt in BUILTIN:
            assert render(evaluate(again), fmt) == expected[fmt], fmt


def test_a_snapshot_round_trip_is_exact(snapshot: Path, tmp_path: Path) -> None:
    import gzip

    again = tmp_path / "again.json.gz"
    Inventory.load(snapshot).save(again)
    assert gzip.decompress(again.read_bytes()) == gzip.decompress(snapshot.read_bytes())
