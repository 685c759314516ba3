"""AWS Transfer Family resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class TransferServer(Resource):
    type: ClassVar[str] = "AWS::Transfer::Server"
    state: str = ""  # ONLINE, OFFLINE, STARTING, STOPPING, ...
    endpoint_type: str = ""
    protocols: tuple[str, ...] | None = None  # SFTP, FTPS, FTP, AS2; None: not read
