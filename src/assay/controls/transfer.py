"""Transfer Family controls: protocols that encrypt the session."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.transfer import TransferServer


@control(
    id="transfer.server_no_plain_ftp",
    title="Transfer Family servers accept only encrypted protocols (no plain FTP)",
    severity="high",
    needs=["transfer:ListServers", "transfer:DescribeServer"],
    rationale="Plain FTP sends user names, passwords and file contents unencrypted, so anyone on the network "
    "path can read or alter them. Data exchanged with partners must travel over SFTP, FTPS or AS2 (CC6.7).",
    remediation=Remediation(
        console="Transfer Family console > Servers > the server > Protocols > Edit > clear 'FTP', keep SFTP "
        "and/or FTPS (FTPS needs an ACM certificate) > Save. Tell partners to switch clients first.",
        cli="aws transfer update-server --server-id <server-id> --protocols SFTP",
        terraform='resource "aws_transfer_server" "partners" {\n  protocols = ["SFTP"]\n}',
    ),
)
def server_no_plain_ftp(server: TransferServer) -> Outcome:
    if server.protocols is None:
        return Error("server protocols were not read")
    if "FTP" in server.protocols:
        return Fail(f"server accepts plain FTP (protocols: {', '.join(server.protocols)})")
    return Pass(f"server accepts only {', '.join(server.protocols)}")
