"""Transfer Family controls: pure functions over TransferServer."""

from __future__ import annotations

from typing import Any

from assay.controls import transfer
from assay.models.findings import Status
from assay.models.resources.transfer import TransferServer


def server(**over: Any) -> TransferServer:
    base: dict[str, Any] = dict(arn="arn:aws:transfer:us-east-1:123456789012:server/s-1", id="s-1",
                                account_id="123456789012", region="us-east-1", state="ONLINE",
                                protocols=("SFTP", "FTPS"))
    return TransferServer(**{**base, **over})


def test_server_no_plain_ftp() -> None:
    assert transfer.server_no_plain_ftp(server()).status is Status.PASS
    out = transfer.server_no_plain_ftp(server(protocols=("SFTP", "FTP")))
    assert out.status is Status.FAIL and "SFTP, FTP" in out.message
    assert transfer.server_no_plain_ftp(server(protocols=None)).status is Status.ERROR
    # not applicable does not exist here: every server accepts at least one protocol
