"""Snapshots are written a resource a line and read back a resource at a time; older layouts still load."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.errors import SnapshotError
from assay.models.inventory import AccountInfo, Inventory, ScanMeta
from assay.models.resources.kms import KmsKey
from assay.models.resources.logs import LogGroup

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def inventory(n: int) -> Inventory:
    keys = [KmsKey(arn=f"arn:aws:kms:us-east-1:123456789012:key/k{i}", id=f"k{i}", account_id="123456789012",
                   region="us-east-1", manager="CUSTOMER", state="Enabled", spec="SYMMETRIC_DEFAULT",
                   rotation_enabled=bool(i % 2)) for i in range(n)]
    groups = [LogGroup(arn=f"arn:aws:logs:eu-west-1:123456789012:log-group:/app/{i}", id=f"/app/{i}",
                       account_id="123456789012", region="eu-west-1", name=f"/app/{i}") for i in range(n)]
    meta = ScanMeta(scan_id="s", tool_version="t", started_at=NOW, finished_at=NOW, api_calls={"kms:ListKeys": 1})
    return Inventory(meta, [AccountInfo(account_id="123456789012")], [], [], [*keys, *groups], [])


def test_round_trip_a_resource_a_line(tmp_path: Path) -> None:
    inv = inventory(3)
    path = tmp_path / "snap.json.gz"
    inv.save(path)
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    assert lines[0].endswith('"resources":[') and lines[-1] == "]}" and len(lines) == 2 + 6
    back = Inventory.load(path)
    assert list(back.resources()) == list(inv.resources())
    assert back.meta == inv.meta and back.accounts == inv.accounts


def test_empty_and_one_line_snapshots_load(tmp_path: Path) -> None:
    path = tmp_path / "empty.json.gz"
    inventory(0).save(path)
    assert list(Inventory.load(path).resources()) == []
    # A snapshot in the earlier layout (the whole document on one line) is read as before.
    inventory(2).save(path)
    one_line = gzip.decompress(path.read_bytes()).decode().replace("\n", "")
    path.write_bytes(gzip.compress(one_line.encode()))
    assert len(list(Inventory.load(path).resources())) == 4


@pytest.mark.parametrize("cut", [1, 3])
def test_a_snapshot_cut_inside_its_resources_is_refused(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "snap.json.gz"
    inventory(3).save(path)
    lines = gzip.decompress(path.read_bytes()).decode().split("\n")
    path.write_bytes(gzip.compress("\n".join(lines[:-cut]).encode()))  # well-formed gzip, JSON cut short
    with pytest.raises(SnapshotError, match="corrupt or truncated"):
        Inventory.load(path)


def test_memo_builds_a_view_once() -> None:
    inv = inventory(2)
    built: list[int] = []

    def build() -> dict[str, KmsKey]:
        built.append(1)
        return {k.id: k for k in inv.of(KmsKey)}

    assert inv.memo("keys", build)["k1"].rotation_enabled is True
    assert inv.memo("keys", build) is inv.memo("keys", build) and built == [1]
