"""The `assay` command.

Data goes to stdout or -o FILE; progress and the summary go to stderr.
Exit codes: 0 success; 1 failing findings at or above --fail-on; 2 usage, configuration, snapshot
or credential error; 3 scan incomplete (only with --strict); 4 internal error (a bug: --debug shows it).
"""

from __future__ import annotations

import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assay import __version__
from assay.auditor.cli import report_app
from assay.collect.ratelimit import DEFAULT_MAX_RATE
from assay.distributed.cli import BrokerOpt, QueueOpt, Runner, WorkersOpt, shard_runner
from assay.distributed.cli import register as register_distributed_commands
from assay.errors import AssayError, UsageError, WriteAttempted
from assay.exceptions_cli import exceptions_app
from assay.export.cli import export_app
from assay.notify import NotifyFormat, NotifyFormatOpt, NotifyUrl, PreviousOpt
from assay.onboarding.cli import permissions as permissions_command
from assay.scope import OnlyControls, OnlyCriteria
from assay.store_cli import DbOpt, NoStoreOpt, store_evaluation
from assay.store_cli import register as register_store_commands
from assay.web.cli import register as register_web_commands

EXIT_FAILING = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERNAL = 4

err = Console(stderr=True, highlight=False, soft_wrap=True)
app = typer.Typer(
    name="assay", help="SOC 2 compliance scanner for AWS: read-only, evidence-grade.",
    pretty_exceptions_enable=False, no_args_is_help=True, add_completion=False,
)
controls_app = typer.Typer(help="Browse the control library.", invoke_without_command=True)
app.add_typer(controls_app, name="controls")
_debug = False


class Format(StrEnum):
    console = "console"
    json = "json"
    csv = "csv"
    html = "html"
    ocsf = "ocsf"
    asff = "asff"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


def _version(value: bool) -> None:
    if value:
        print(f"assay {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version.")] = False,
) -> None:
    global _debug
    _debug = debug


# -- shared options --------------------------------------------------------------------------

Profile = Annotated[list[str] | None, typer.Option("--profile", help="AWS CLI profile to use; repeat it to scan "
                    "one account per profile.", rich_help_panel="AWS access")]
RoleArn = Annotated[list[str] | None, typer.Option("--role-arn", help="Role to assume (refreshable credentials); "
                    "repeat it to scan several accounts in one inventory.", rich_help_panel="AWS access")]
ExternalId = Annotated[str | None, typer.Option("--external-id", help="External id for --role-arn (with "
                                                "--organization and no --role-arn: for --org-role).",
                                                rich_help_panel="AWS access")]
OrgScan = Annotated[bool, typer.Option("--organization", help="Scan every ACTIVE account of the AWS Organization, "
                                       "discovered from the management or a delegated administrator account.",
                                       rich_help_panel="Organization")]
OrgUnits = Annotated[list[str] | None, typer.Option("--ou", help="Only accounts under this organizational unit or "
                     "root, recursively (repeatable).", rich_help_panel="Organization")]
OrgAccounts = Annotated[list[str] | None, typer.Option("--account", help="Only this account id (repeatable).",
                                                       rich_help_panel="Organization")]
OrgExclude = Annotated[list[str] | None, typer.Option("--exclude-account", help="Skip this account id "
                       "(repeatable).", rich_help_panel="Organization")]
OrgRole = Annotated[str | None, typer.Option("--org-role", help="Role (name or path/name) to assume in each member "
                                             "account; default AssayScan.", rich_help_panel="Organization")]
AccountsFile = Annotated[Path | None, typer.Option("--accounts-file", help="YAML or CSV file of accounts: "
                         "account_id, role_arn, optional external_id.", rich_help_panel="AWS access")]
StatsOpt = Annotated[bool, typer.Option("--stats", help="Print API calls per operation, retries and time per "
                                        "service (to stderr).")]
Regions = Annotated[list[str] | None, typer.Option("--region", "-r", help="Region to scan (repeatable); "
                    "default: every region enabled for the account.", rich_help_panel="AWS access")]
Services = Annotated[list[str] | None, typer.Option("--service", help="Only collect this service (repeatable).",
                                                    rich_help_panel="AWS access")]
Workers = Annotated[int, typer.Option("--max-workers", min=1, max=64, help="Concurrent shards.",
                                      rich_help_panel="AWS access")]
MaxRate = Annotated[float, typer.Option("--max-rate", min=0.0, help="Requests per second per account, region "
                                         "and service (0: no limit); keeps the scan from throttling production.",
                                         rich_help_panel="AWS access")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here instead of stdout.")]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="Report format.")]
FailOn = Annotated[Severity | None, typer.Option("--fail-on", help="Exit 1 if a finding of this severity or "
                                                 "higher fails.")]
Strict = Annotated[bool, typer.Option("--strict", help="Exit 3 if the scan is incomplete.")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="YAML file with control parameters.")]
ExceptionsOpt = Annotated[Path | None, typer.Option("--exceptions", help="exceptions.yaml: accepted risks, shown "
                                                    "as EXCEPTED and left out of --fail-on until they expire.")]
FrameworkOpt = Annotated[str, typer.Option("--framework", help="Framework to map results to: soc2 (default) or "
                                           "another listed by `assay frameworks list`.")]


def _access(profile: list[str] | str | None, role_arns: list[str] | None, external_id: str | None,
            max_rate: float = DEFAULT_MAX_RATE, organization: bool = False, ous: list[str] | None = None,
            accounts: list[str] | None = None, exclude: list[str] | None = None, org_role: str | None = None,
            accounts_file: Path | None = None) -> Any:
    """The accounts to scan and how to reach each (assay.collect.targets.Targets)."""
    from assay.collect.targets import OrgOptions, build_targets

    org = None
    if organization:
        org = OrgOptions(ous=ous or (), accounts=accounts or (), exclude_accounts=exclude or ())
        if org_role:
            org.role = org_role
    elif ous or accounts or exclude or org_role:
        raise UsageError("--ou, --account, --exclude-account and --org-role need --organization")
    profiles = [profile] if isinstance(profile, str) else profile or []
    return build_targets(profiles=profiles, role_arns=role_arns or [], external_id=external_id,
                         endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None, max_rate=max_rate,
                         organization=org, accounts_file=accounts_file)


def _preflight(targets: Any, regions: list[str] | None, services: list[str] | None, workers: int,
               db: str | None) -> None:
    """Warn, before any shard runs, when credentials nobody renews will likely expire first (R-9)."""
    from assay.preflight import Plan, credential_warning

    line = credential_warning(targets, Plan(regions or (), services, workers), db)
    if line:
        err.print(line, markup=False)


def _collect(access: Any, regions: list[str] | None, services: list[str] | None, workers: int,
             runner: Any = None) -> Any:
    from assay.collect.runner import collect
    from assay.collect.targets import Targets
    from assay.stats import account_lines

    targets = access if isinstance(access, Targets) else Targets(access if isinstance(access, list) else [access])
    for note in targets.notes():
        err.print(note, markup=False)
    started = time.monotonic()
    show = err.is_terminal
    with Progress(TextColumn("[bold]collecting"), BarColumn(), MofNCompleteColumn(), TextColumn("shards"),
                  TextColumn("{task.fields[accounts]}"), TextColumn("{task.fields[resources]} resources"),
                  TimeElapsedColumn(), console=err, transient=True, disable=not show) as progress:
        n_accounts = len(targets.accesses)
        task = progress.add_task("collect", total=None, resources=0,
                                 accounts=f"{n_accounts} accounts" if n_accounts > 1 else "")

        def on_progress(done: int, total: int, resources: int) -> None:
            progress.update(task, completed=done, total=total, resources=resources)

        inv = (runner or collect)(targets.accesses, regions=regions, services=services, max_workers=workers,
                      on_progress=on_progress)
    targets.record(inv)
    calls = sum(inv.meta.api_calls.values())
    n_resources = sum(1 for _ in inv.resources())
    state = "complete" if inv.complete else "PARTIAL"
    retried = f", {inv.meta.retries} retried" if inv.meta.retries else ""
    requeued = f", {inv.meta.requeued_shards} shards requeued after throttling" if inv.meta.requeued_shards else ""
    err.print(f"Collected {n_resources} resources with {calls} API calls{retried} in "
              f"{time.monotonic() - started:.1f}s ({len(inv.coverage)} account/region/service shards{requeued}; "
              f"scan {state}).")
    if len(inv.accounts) > 1:
        err.print("\n".join(account_lines(inv)), markup=False)
    return inv


def _report(inv: Any, fmt: Format, output: Path | None, fail_on: Severity | None, strict: bool,
            config: Path | None, framework: str = "soc2", exceptions: Path | None = None,
            scope: Any = None, notifier: Any = None, store: tuple[str | None, bool] = (None, True)) -> None:
    from assay.config import load_params
    from assay.exceptions_cli import load_entries, notes
    from assay.frameworks import load
    from assay.models.findings import Severity as Sev
    from assay.reporters import get
    from assay.scope import select
    from assay.summary import gate, summary_lines

    scope = scope if scope is not None else select(load(framework))
    ev = scope.evaluate(inv, load_params(config), load_entries(exceptions))
    rep = get(fmt.value)
    if output:
        from assay.reporters.coverage import write_report

        for path in write_report(ev, rep, output):  # atomically, owner-only; CSV also writes its coverage file
            err.print(f"Wrote {fmt.value if path == output else 'coverage'} report to {path}")
    else:
        rep.write(ev, sys.stdout)
    verdict = gate(ev, Sev(fail_on.value) if fail_on is not None else None, strict)
    if notifier is not None:  # the previous state, read before this scan is stored
        notifier = notifier.with_stored_previous(ev, warn=lambda m: err.print(f"warning: {m}", markup=False))
    changes = notifier.changes(ev) if notifier is not None else None
    for line in [*summary_lines(ev, verdict, scope=scope.describe(), changes=changes), *notes(ev)]:
        err.print(line, markup=False)
    store_evaluation(ev, *store, restricted=scope.restricted, console=err)
    if notifier is not None:  # after the report is written; never changes the exit code
        notifier.deliver(ev, verdict, warn=lambda m: err.print(f"warning: {m}", markup=False),
                         info=lambda m: err.print(m, markup=False))
    if verdict.incomplete_exit:
        raise typer.Exit(EXIT_INCOMPLETE)
    if verdict.tripped:
        raise typer.Exit(EXIT_FAILING)


def _print_stats(inv: Any, enabled: bool) -> None:
    if enabled:
        from assay.stats import stats_lines

        err.print("\n".join(stats_lines(inv)), markup=False)


# -- commands --------------------------------------------------------------------------------

@app.command()
def scan(
    profile: Profile = None, role_arn: RoleArn = None, external_id: ExternalId = None, region: Regions = None,
    service: Services = None, max_workers: Workers = 8, max_rate: MaxRate = DEFAULT_MAX_RATE,
    fmt: Fmt = Format.console, output: Output = None,
    fail_on: FailOn = None, strict: Strict = False, config: ConfigOpt = None, framework: FrameworkOpt = "soc2",
    snapshot: Annotated[Path | None, typer.Option("--snapshot", help="Also save the inventory here.")] = None,
    organization: OrgScan = False, ou: OrgUnits = None, account: OrgAccounts = None,
    exclude_account: OrgExclude = None, org_role: OrgRole = None, accounts_file: AccountsFile = None,
    stats: StatsOpt = False, exceptions: ExceptionsOpt = None,
    only_criteria: OnlyCriteria = None, only_controls: OnlyControls = None,
    notify: NotifyUrl = None, notify_format: NotifyFormatOpt = NotifyFormat.auto, previous: PreviousOpt = None,
    db: DbOpt = None, no_store: NoStoreOpt = False,
    workers: WorkersOpt = Runner.local, broker: BrokerOpt = None, queue: QueueOpt = None,
) -> None:
    """Collect, evaluate and report in one go."""
    from assay.config import load_params
    from assay.exceptions_cli import load_entries
    from assay.frameworks import load
    from assay.notify import prepare
    from assay.scope import select

    # A broken config or exceptions file, an unknown framework, criterion or control fails before any AWS call.
    params = load_params(config)
    load_entries(exceptions)
    scope = select(load(framework), criteria=only_criteria, controls=only_controls)
    notifier = prepare(notify, notify_format, previous, framework=framework, params=params, db=db)
    runner = shard_runner(workers, broker, queue, db)  # an unreachable broker or database, too
    targets = _access(profile, role_arn, external_id, max_rate, organization, ou, account, exclude_account,
                      org_role, accounts_file)
    # A scoped scan reads only the services its controls need (unless --service says otherwise).
    services = service or (scope.services() if scope.restricted else None)
    _preflight(targets, region, services, max_workers, db)
    inv = _collect(targets, region, services, max_workers, runner)
    if snapshot:
        inv.save(snapshot)
        err.print(f"Saved snapshot to {snapshot}")
    _print_stats(inv, stats)
    _report(inv, fmt, output, fail_on, strict, config, framework, exceptions, scope, notifier, (db, no_store))


@app.command("collect")
def collect_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Snapshot file (.json.gz).")],
    profile: Profile = None, role_arn: RoleArn = None, external_id: ExternalId = None, region: Regions = None,
    service: Services = None, max_workers: Workers = 8, max_rate: MaxRate = DEFAULT_MAX_RATE,
    organization: OrgScan = False, ou: OrgUnits = None, account: OrgAccounts = None,
    exclude_account: OrgExclude = None, org_role: OrgRole = None, accounts_file: AccountsFile = None,
    stats: StatsOpt = False,
) -> None:
    """Collect the inventory into a snapshot, without evaluating it."""
    targets = _access(profile, role_arn, external_id, max_rate, organization, ou, account, exclude_account,
                      org_role, accounts_file)
    _preflight(targets, region, service, max_workers, None)
    inv = _collect(targets, region, service, max_workers)
    inv.save(output)
    err.print(f"Saved snapshot to {output}")
    _print_stats(inv, stats)


@app.command("evaluate")
def evaluate_cmd(
    snapshot: Annotated[Path, typer.Argument(help="A snapshot written by `assay collect`.")],
    fmt: Fmt = Format.console, output: Output = None, fail_on: FailOn = None, strict: Strict = False,
    config: ConfigOpt = None, framework: FrameworkOpt = "soc2", stats: StatsOpt = False,
    exceptions: ExceptionsOpt = None,
    only_criteria: OnlyCriteria = None, only_controls: OnlyControls = None,
    notify: NotifyUrl = None, notify_format: NotifyFormatOpt = NotifyFormat.auto, previous: PreviousOpt = None,
    db: DbOpt = None, no_store: NoStoreOpt = False,
) -> None:
    """Evaluate a saved snapshot offline: the same result `assay scan` gives."""
    from assay.config import load_params
    from assay.frameworks import load
    from assay.models.inventory import Inventory
    from assay.notify import prepare
    from assay.scope import select

    scope = select(load(framework), criteria=only_criteria, controls=only_controls)
    notifier = prepare(notify, notify_format, previous, framework=framework, params=load_params(config), db=db)
    inv = Inventory.load(snapshot)
    _print_stats(inv, stats)
    _report(inv, fmt, output, fail_on, strict, config, framework, exceptions, scope, notifier, (db, no_store))


@controls_app.callback()
def controls_list(
    ctx: typer.Context,
    criterion: Annotated[str | None, typer.Option(help="Only controls mapped to this criterion, e.g. CC6.1.")] = None,
    service: Annotated[str | None, typer.Option(help="Only this service's controls, e.g. iam.")] = None,
    severity: Annotated[Severity | None, typer.Option(help="Only this severity.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List controls (filter by criterion, service, severity)."""
    if ctx.invoked_subcommand:
        return
    from rich.table import Table

    from assay.controls.registry import load_controls
    from assay.frameworks import soc2

    fw = soc2()
    mapping = fw.control_map()
    if criterion and fw.criterion(criterion.upper()) is None:
        raise UsageError(f"unknown criterion {criterion!r}")
    if fmt not in ("table", "json"):
        raise UsageError("--format must be table or json")
    rows = [
        c for c in load_controls().values()
        if (not criterion or criterion.upper() in mapping.get(c.id, []))
        and (not service or c.service == service)
        and (not severity or c.severity.value == severity.value)
    ]
    if fmt == "json":
        print(json.dumps([_control_doc(c, mapping.get(c.id, [])) for c in rows], indent=2))
        return
    table = Table(title=f"{len(rows)} controls")
    for col in ("id", "severity", "criteria", "title"):
        table.add_column(col)
    for c in rows:
        table.add_row(c.id, c.severity.value, " ".join(mapping.get(c.id, [])), c.title)
    Console(highlight=False, width=max(120, Console().width)).print(table)


def _control_doc(c: Any, criteria: list[str]) -> dict[str, Any]:
    return {
        "id": c.id, "title": c.title, "severity": c.severity.value, "criteria": criteria,
        "resource_type": c.resource_type, "service": c.service, "needs": list(c.needs),
        "params": c.params, "rationale": c.rationale,
        "remediation": {"console": c.remediation.console, "cli": c.remediation.cli,
                        "terraform": c.remediation.terraform},
    }


@controls_app.command("show")
def controls_show(control_id: Annotated[str, typer.Argument(help="Control id, e.g. kms.key_rotation_enabled.")],
                  fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text") -> None:
    """Show one control: rationale, parameters, criteria, remediation."""
    from assay.controls.registry import load_controls
    from assay.frameworks import soc2

    controls = load_controls()
    if control_id not in controls:
        raise UsageError(f"unknown control {control_id!r}; `assay controls` lists them")
    doc = _control_doc(controls[control_id], soc2().control_map().get(control_id, []))
    if fmt == "json":
        print(json.dumps(doc, indent=2))
        return
    out = Console(highlight=False)
    out.print(f"[bold]{doc['id']}[/bold]  ({doc['severity']})  {doc['title']}", markup=True)
    out.print(f"Resource type: {doc['resource_type']}   SOC 2: {', '.join(doc['criteria']) or '-'}")
    out.print(f"Reads: {', '.join(doc['needs'])}")
    if doc["params"]:
        out.print("Parameters: " + ", ".join(f"{k}={v!r}" for k, v in doc["params"].items()))
    out.print(f"\n{doc['rationale']}\n")
    for label, key in (("Console", "console"), ("AWS CLI", "cli"), ("Terraform", "terraform")):
        out.print(f"[bold]{label}[/bold]", markup=True)
        out.print(doc["remediation"][key], markup=False)
        out.print()


frameworks_app = typer.Typer(help="Compliance frameworks: each one data file mapping criteria to controls.")
app.add_typer(frameworks_app, name="frameworks")
app.add_typer(exceptions_app, name="exceptions")


@frameworks_app.command("list")
def frameworks_list() -> None:
    """List the frameworks Assay can map results to."""
    from assay.frameworks import available, load

    for name in available():
        fw = load(name)
        automated = sum(1 for c in fw.criteria if c.kind.value == "automated")
        print(f"{name}\t{fw.name}\t{len(fw.criteria)} criteria, {automated} with automated controls")


@frameworks_app.command("show")
def frameworks_show(
    name: Annotated[str, typer.Argument(help="Framework name, e.g. soc2.")] = "soc2",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Print the framework's map: every criterion, its kind, rationale and controls."""
    from collections import Counter

    from rich.table import Table

    from assay.frameworks import load

    fw = load(name)
    if fmt == "json":
        print(json.dumps(fw.model_dump(mode="json"), indent=2))
        return
    if fmt != "table":
        raise UsageError("--format must be table or json")
    out = Console(highlight=False, width=max(140, Console().width))
    table = Table(title=fw.name, show_lines=True)
    for col in ("criterion", "kind", "controls", "rationale"):
        table.add_column(col, overflow="fold")
    for c in fw.criteria:
        table.add_row(f"{c.id}\n{c.title}", c.kind.value, "\n".join(c.controls) or "-", c.rationale)
    out.print(table)
    kinds = Counter(c.kind.value for c in fw.criteria)
    out.print(f"{len(fw.criteria)} criteria: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) +
              f"; {len({cid for c in fw.criteria for cid in c.controls})} distinct controls mapped.")


app.command("permissions")(permissions_command)
app.add_typer(export_app, name="export")
app.add_typer(report_app, name="report")  # report auditor
register_store_commands(app)  # history, diff, attest, attestations, type2, evidence
register_web_commands(app)  # serve, users, tokens
register_distributed_commands(app)  # worker, beat, schedule


@app.command()
def demo(
    output_dir: Annotated[Path, typer.Option("--output-dir", help="Where to write the reports.")] = Path("assay-demo"),
    drift: Annotated[bool, typer.Option("--drift", help="Change the estate before scanning (open a port, fix a "
                                        "finding, delete a resource), to see `assay diff` at work.")] = False,
    db: DbOpt = None, no_store: NoStoreOpt = False,
) -> None:
    """Scan a built-in demo estate on a local AWS-compatible server (no account, no network)."""
    from assay.demo.run import run_demo

    store_evaluation(run_demo(output_dir, err, drift=drift), db, no_store, console=err)


def main() -> None:
    try:
        app()
    except AssayError as exc:
        if _debug:
            raise
        err.print(f"assay: error: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except WriteAttempted as exc:
        err.print(f"assay: refused: {exc}", markup=False)
        sys.exit(EXIT_INTERNAL)
    except KeyboardInterrupt:
        err.print("assay: interrupted")
        sys.exit(130)
    except Exception as exc:
        if _debug:
            raise
        err.print(f"assay: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                  markup=False)
        sys.exit(EXIT_INTERNAL)
