"""`assay export`: send a scan's findings to other tools. Today: `assay export securityhub`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assay.errors import UsageError
from assay.scope import OnlyControls, OnlyCriteria

EXIT_NOT_IMPORTED = 1
MAX_REASONS = 10

err = Console(stderr=True, highlight=False, soft_wrap=True)
export_app = typer.Typer(help="Send a scan's findings to other tools (the only commands that write to AWS).",
                         no_args_is_help=True)


@export_app.command("securityhub")
def securityhub(
    snapshot: Annotated[Path, typer.Argument(help="A snapshot written by `assay collect` or `assay scan --snapshot`.")],
    region: Annotated[str | None, typer.Option(
        "--region", "-r", help="Send every finding to this region (e.g. a cross-region aggregator); default: "
        "each finding to its resource's region, account-wide ones to the scan's first region.")] = None,
    account: Annotated[list[str] | None, typer.Option(
        "--account", help="Only import this account's findings (repeatable).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="YAML file with control parameters.")] = None,
    exceptions: Annotated[Path | None, typer.Option("--exceptions", help="exceptions.yaml: excepted failures carry "
                                                    "the exception (Workflow SUPPRESSED when Security Hub first "
                                                    "records the finding).")] = None,
    framework: Annotated[str, typer.Option("--framework", help="Framework to map results to.")] = "soc2",
    only_criteria: OnlyCriteria = None, only_controls: OnlyControls = None,
    profile: Annotated[list[str] | None, typer.Option(
        "--profile", help="AWS CLI profile that imports the findings; repeat it for several accounts.",
        rich_help_panel="AWS access")] = None,
    role_arn: Annotated[list[str] | None, typer.Option(
        "--role-arn", help="Role that imports the findings; one per account the snapshot covers (Security Hub "
        "takes findings only from their own account).", rich_help_panel="AWS access")] = None,
    external_id: Annotated[str | None, typer.Option("--external-id", help="External id for --role-arn.",
                                                    rich_help_panel="AWS access")] = None,
) -> None:
    """Import the snapshot's findings into AWS Security Hub (BatchImportFindings, 100 per call).

    Evaluates the snapshot offline, exactly as `assay evaluate` does, and imports every finding in
    the AWS Security Finding Format. This is the one command that writes to AWS: it needs
    securityhub:BatchImportFindings, which the scanning role does not have. Exits 1 if any finding
    was not imported (the reasons are listed), 2 on bad input.
    """
    from assay.collect.regions import validate_regions
    from assay.collect.session import AwsAccess
    from assay.collect.targets import build_targets
    from assay.config import load_params
    from assay.exceptions_cli import load_entries
    from assay.export.securityhub import destination, export
    from assay.frameworks import load
    from assay.models.inventory import Inventory
    from assay.reporters.asff import asff_findings
    from assay.scope import select

    params = load_params(config)
    scope = select(load(framework), criteria=only_criteria, controls=only_controls)
    if region:
        validate_regions([region])
    accounts_wanted = {a.strip() for a in account or []}
    ev = scope.evaluate(Inventory.load(snapshot), params, load_entries(exceptions))
    findings = [f for f in asff_findings(ev, region=region)
                if not accounts_wanted or f["AwsAccountId"] in accounts_wanted]
    if accounts_wanted - set(ev.inventory.account_ids()):
        raise UsageError(f"--account {', '.join(sorted(accounts_wanted - set(ev.inventory.account_ids())))} "
                         f"is not in the snapshot (accounts: {', '.join(ev.inventory.account_ids()) or 'none'})")
    if not findings:
        err.print("No findings to import.")
        return

    accesses: dict[str, AwsAccess] = {}
    targets = build_targets(profiles=profile or [], role_arns=role_arn or [], external_id=external_id,
                            endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None)
    for access in targets.accesses:
        accesses.setdefault(access.identity()["account_id"], access)
    needed = sorted({f["AwsAccountId"] for f in findings})
    missing = [a for a in needed if a not in accesses]
    if missing:
        raise UsageError(
            f"the snapshot has findings for account {', '.join(missing)} but no credentials for "
            f"{'it' if len(missing) == 1 else 'them'} (have: {', '.join(sorted(accesses))}): Security Hub takes "
            "findings only from their own account; pass --role-arn for a role there, or --account to choose")

    n = len(findings)
    regions = sorted({destination(f)[1] for f in findings})
    err.print(f"Importing {n} finding{'s' if n != 1 else ''} into Security Hub "
              f"({', '.join(needed)}; {', '.join(regions)}) ...")
    result = export(findings, accesses)
    resent = f", {result.resent} resent after a failed attempt" if result.resent else ""
    err.print(f"Imported {result.imported} of {n} findings in {result.calls} BatchImportFindings calls{resent}. "
              f"FailedCount: {result.failed_count}")
    for code, message, count, example in result.reasons()[:MAX_REASONS]:
        err.print(f"  {count} x {code}: {message} (e.g. finding {example})", markup=False)
    if len(result.reasons()) > MAX_REASONS:
        err.print(f"  ... {len(result.reasons()) - MAX_REASONS} more reasons")
    if result.failed:
        raise typer.Exit(EXIT_NOT_IMPORTED)

