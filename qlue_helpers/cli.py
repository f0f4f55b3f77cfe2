"""The ``qlue`` command: a thin layer over the helpers.

Only this module configures logging and writes to the terminal.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from qlue_helpers.errors import ParameterError, QlueError
from qlue_helpers.project import OUTPUTS, SAMPLE, SOURCES, WEEKLY

logger = logging.getLogger("qlue_helpers")


def main(argv: list[str] | None = None) -> int:
    """Run the ``qlue`` command; return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    try:
        return args.func(args)
    except ParameterError as error:
        print(f"qlue: parameter error: {error}", file=sys.stderr)
        return 2
    except QlueError as error:
        print(f"qlue: error: {error}", file=sys.stderr)
        return 1


def _report(args: argparse.Namespace) -> int:
    from qlue_helpers import kernel

    # The kernel boots and imports what the notebook needs while pandas and
    # papermill import here.
    with kernel.booted(WEEKLY.parent, kernel.imports_of(WEEKLY)) as booted:
        from qlue_helpers import runner

        run = runner.run_report(
            args.params, args.parameter, outputs=args.outputs, booted=booted
        )
    print(run.html)
    return 0


def _parameters(args: argparse.Namespace) -> int:
    from qlue_helpers import params

    for name, spec in params.declared(args.notebook).items():
        print(f"{name}: {spec['type']} = {spec['default']}  # {spec['help']}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from qlue_helpers import intake

    source = intake.load_profile(args.source, search=[SOURCES])
    summary = intake.ingest(args.export, source, args.out, exported_at=args.exported_at)
    print(
        f"{summary['rows_in']} rows in, {summary['accepted']} accepted, "
        f"{summary['quarantined']} set aside"
    )
    for reason, count in summary["reasons"].items():
        print(f"  {count:>8}  {reason}: {intake.explain(reason)}")
    print(args.out)
    return 0


def _sample(args: argparse.Namespace) -> int:
    from qlue_helpers import synthetic

    synthetic.write_sample(args.out)
    print(args.out)
    return 0


def _generate(args: argparse.Namespace) -> int:
    from qlue_helpers import synthetic

    table = synthetic.generate(args.kota or None, args.start, args.end, seed=args.seed)
    if args.out.suffix == ".parquet":
        table.to_parquet(args.out, index=False)
    else:
        table.to_csv(args.out, index=False)
    logger.info("wrote %s reports", len(table))
    print(args.out)
    return 0


def _weekly(args: argparse.Namespace) -> int:
    from qlue_helpers import delivery

    recipients = delivery.load_recipients(args.recipients)
    runs = delivery.run_weekly(
        args.params, recipients, args.parameter, outputs=args.outputs, jobs=args.jobs
    )
    for run in runs:
        print(run.folder)
        if not run.ok:
            print(f"qlue: {run.scope.slug} failed: {run.error}", file=sys.stderr)
    return 0 if all(run.ok for run in runs) else 1


def _send(args: argparse.Namespace) -> int:
    from qlue_helpers import delivery

    recipients = delivery.load_recipients(args.recipients)
    deliveries = delivery.send_runs(
        args.run_dir, recipients, send=args.send, resend=args.resend
    )
    for item in deliveries:
        fields = [item.status, item.recipient, ", ".join(item.addresses)]
        print("\t".join([*fields, str(item.folder), item.detail]).rstrip())
    if not args.send:
        print("qlue: dry run, nothing was sent; add --send to send", file=sys.stderr)
    return 0 if all(item.ok for item in deliveries) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qlue", description="Weekly Qlue complaint reports for a kota office."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    report = commands.add_parser("report", help="run and render a report")
    _run_options(report, "set one parameter (repeatable)")
    report.set_defaults(func=_report)

    ingest = commands.add_parser("ingest", help="read an export into a checked folder")
    ingest.add_argument("export", type=Path, help=".csv, .xlsx, .json or .parquet")
    ingest.add_argument(
        "--source",
        default="qlue",
        help="profile (qlue, open311, nyc311, canonical) or a mapping .yaml file",
    )
    ingest.add_argument("--out", type=Path, required=True, help="folder to write")
    ingest.add_argument(
        "--exported-at",
        default=None,
        help="when the export was made (e.g. '2015-12-01 00:00', WIB); default now",
    )
    ingest.set_defaults(func=_ingest)

    listing = commands.add_parser("parameters", help="list a notebook's parameters")
    listing.add_argument("notebook", type=Path, nargs="?", default=WEEKLY)
    listing.set_defaults(func=_parameters)

    sample = commands.add_parser("sample", help="rewrite the bundled sample data")
    sample.add_argument("--out", type=Path, default=SAMPLE)
    sample.set_defaults(func=_sample)

    generate = commands.add_parser("generate", help="make synthetic reports")
    generate.add_argument("--kota", action="append", help="kota (repeatable)")
    generate.add_argument("--start", type=_date, required=True, help="YYYY-MM-DD")
    generate.add_argument("--end", type=_date, required=True, help="YYYY-MM-DD")
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--out", type=Path, required=True, help=".csv or .parquet")
    generate.set_defaults(func=_generate)

    _delivery_parsers(commands)
    return parser


def _delivery_parsers(commands: argparse._SubParsersAction) -> None:
    recipients = "recipients file (default: the project's params/recipients.yaml)"
    weekly = commands.add_parser(
        "weekly", help="run the report for every recipient's scope"
    )
    _run_options(weekly, "set one parameter for every scope (repeatable)")
    weekly.add_argument("--recipients", type=Path, help=recipients)
    weekly.add_argument(
        "--jobs", type=int, default=None, help="notebooks at once (default: CPUs)"
    )
    weekly.set_defaults(func=_weekly)

    send = commands.add_parser(
        "send", help="email run folders to their recipients (dry run unless --send)"
    )
    send.add_argument("run_dir", type=Path, help="a run folder or a period folder")
    send.add_argument("--send", action="store_true", help="really send (SMTP)")
    send.add_argument(
        "--resend", action="store_true", help="send again what the ledger lists"
    )
    send.add_argument("--recipients", type=Path, help=recipients)
    send.set_defaults(func=_send)


def _run_options(command: argparse.ArgumentParser, parameter_help: str) -> None:
    """Add what every command that runs the report notebook takes."""
    command.add_argument("params", type=Path, help="YAML file of parameters")
    command.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help=parameter_help,
    )
    command.add_argument(
        "--outputs",
        type=Path,
        default=OUTPUTS,
        help="root of the run folders (default: the project's outputs/)",
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def run() -> NoReturn:
    """Run the ``qlue`` command and end the process with its exit code."""
    code = main()

    # Every file is written and closed. Ending here skips tearing down the
    # thousand modules a report imports, a quarter of a second.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
