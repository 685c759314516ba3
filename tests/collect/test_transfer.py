"""Transfer Family collector against moto's server, and ERROR when a read is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.faults import deny
from assay.models.resources.transfer import TransferServer
from tests.helpers import by_name, evaluate, findings_of, scan

CONTROL = "transfer.server_no_plain_ftp"


def _estate(seed: Any) -> None:
    transfer = seed("transfer")
    transfer.create_server(Protocols=["SFTP"], Tags=[{"Key": "Name", "Value": "good"}])
    transfer.create_server(Protocols=["FTP"], EndpointType="VPC", Tags=[{"Key": "Name", "Value": "bad"}])


def test_collects_servers_and_evaluates(access: Any, seed: Any) -> None:
    _estate(seed)
    inv = scan(access, ["transfer"])
    assert inv.complete
    servers = {s.name: s for s in inv.of(TransferServer)}
    assert servers["good"].protocols == ("SFTP",) and servers["bad"].protocols == ("FTP",)
    assert servers["bad"].arn.startswith("arn:aws:transfer:us-east-1:123456789012:server/")
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"good": "pass", "bad": "fail"}
    assert next(f.message for f in findings_of(ev, CONTROL) if f.resource_name == "bad") == \
        "server accepts plain FTP (protocols: FTP)"


@pytest.mark.parametrize("action", ["transfer:ListServers", "transfer:DescribeServer"])
def test_denied_read_is_error(access: Any, seed: Any, action: str) -> None:
    _estate(seed)
    access.hooks.append(("before-call", deny({action}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["transfer"])), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
