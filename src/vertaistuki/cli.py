"""The ``vertaistuki`` command: a thin shell over the public API.

Exit codes (``validate``): 0 no errors (warnings may be printed), 1 some records (or a
catalogue.toml's outputs) have errors, 2 an input could not be used at all (missing,
unreadable, not a catalogue; a catalogue.toml that cannot be read, or one of its sources).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn

from . import __version__, plugins
from .build import PROBLEMS_TEXT, build, check_outputs, read_catalogue
from .config import BuildConfig, ConfigError, read_config
from .loading import is_unusable, load
from .model import Catalogue
from .problems import Problem, os_reason

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


def _validated(path: str, enable: Sequence[str]) -> tuple[Catalogue | None, tuple[Problem, ...]]:
    """A catalogue file's records and problems; for a catalogue.toml, those of every
    source it reads (with its plugins), and what its outputs' renderers say of their
    options without rendering (see build.check_outputs). Nothing is written."""
    if Path(path).suffix.lower() != ".toml":
        with plugins.enabled(enable):
            result = load(path)
        return result.catalogue, result.problems
    try:
        config = read_config(path)
    except ConfigError as error:
        return None, (error.problem,)
    with plugins.enabled([*config.enabled_plugins, *enable]), plugins.disabled(config.disabled_plugins):
        catalogue, problems = read_catalogue(config)
        problems += check_outputs(config)
    return catalogue, tuple(problems)


def _validate(args: argparse.Namespace, out: Console) -> int:
    unknown = sorted(set(args.enable_plugin) - plugins.known_names())
    if unknown:  # a misspelt opt-in plugin would check nothing, and the files would pass
        out.print(f"[red]no installed plugin is named {escape(unknown[0])!r}[/red] (see: vertaistuki plugins)")
        return EXIT_UNUSABLE
    reports = []
    worst = EXIT_OK
    for path in args.paths:
        catalogue, problems = _validated(path, args.enable_plugin)
        errors = [p for p in problems if p.is_error]
        warnings = [p for p in problems if not p.is_error]
        if any(is_unusable(p) for p in problems):
            worst = max(worst, EXIT_UNUSABLE)
        elif errors:
            worst = max(worst, EXIT_PROBLEMS)
        counts = {name: len(getattr(catalogue, name)) if catalogue is not None else 0
                  for name in ("organisations", "groups", "services", "events", "volunteers", "coordinators")}
        reports.append({"path": str(path), "records": counts, "problems": [p.as_dict() for p in problems]})
        if args.format == "text":
            summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
            status = "[green]OK[/green]" if not errors else f"[red]{len(errors)} error(s)[/red]"
            if warnings:
                status += f", [yellow]{len(warnings)} warning(s)[/yellow]"
            out.print(f"[bold]{escape(str(path))}[/bold]: {status}" + (f" — {escape(summary)}" if summary else ""))
            for problem in problems:
                colour = "red" if problem.is_error else "yellow"
                # A catalogue.toml's problems come from its sources' files (and rows): say which.
                elsewhere = problem.source != str(path) or problem.where
                where = escape(problem.describe(args.lang)) if elsewhere else (
                    # escaped whole: "[id]" alone is markup to rich, and the id vanished
                    (escape(f"[{problem.record_id}] ") if problem.record_id else "")
                    + f"{escape(problem.path)}: {escape(problem.message.get(args.lang))}")
                out.print(f"  [{colour}]{problem.severity.value}[/{colour}] {where}", highlight=False)
    if args.format == "json":
        print(json.dumps({"files": reports, "exit_code": worst}, ensure_ascii=False, indent=2))
    return worst


# A build prints at most this many problems when the rest are in its problems.txt.
_LISTED_PROBLEMS = 50


def _print_problems(out: Console, problems, language: str, report: Path | None = None) -> None:
    """Every problem, errors first; when they are many and ``report`` (problems.txt)
    holds them all, the first ones and where the rest are."""
    problems = sorted(problems, key=lambda problem: not problem.is_error)
    shown = problems[:_LISTED_PROBLEMS] if report is not None else problems
    for problem in shown:
        colour = "red" if problem.is_error else "yellow"
        out.print(f"  [{colour}]{problem.severity.value}[/{colour}] {escape(problem.describe(language))}", highlight=False)
    if len(shown) < len(problems):
        out.print(f"  … {len(problems) - len(shown)} more in {escape(str(report))}", highlight=False)


def _build(args: argparse.Namespace, out: Console) -> int:
    worst = EXIT_OK
    for target in args.configs:
        path = Path(target)
        try:
            config = BuildConfig.for_file(path) if path.suffix.lower() in (".yaml", ".yml", ".json") else read_config(path)
        except ConfigError as error:
            out.print(f"[bold]{escape(str(path))}[/bold]: [red]cannot build[/red]")
            _print_problems(out, [error.problem], args.lang)
            worst = EXIT_UNUSABLE
            continue
        out_dir = Path(args.out) / (config.base_dir.name if len(args.configs) > 1 else "") if args.out else None
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), console=out,
                      transient=True, disable=not out.is_terminal) as progress:
            task = progress.add_task(str(path), total=None)

            def advance(what: str, done: int, total: int, task: TaskID = task, path: Path = path) -> None:  # this build's
                progress.update(task, description=f"{path}: {what}", completed=done, total=total)

            result = build(config, out_dir, strict=args.strict, progress=advance, keep_files=False, jobs=args.jobs)
        counts = ", ".join(f"{len(getattr(result.catalogue, name))} {name}"
                           for name in ("groups", "services", "events", "volunteers") if getattr(result.catalogue, name))
        status = "[green]built[/green]" if not result.errors else f"[yellow]built with {len(result.errors)} error(s)[/yellow]"
        if args.strict and result.errors:
            status = f"[red]not built: {len(result.errors)} error(s) (--strict)[/red]"
        elif not result.written:  # even a build with nothing to show writes its problem report
            status = f"[red]not published: {len(result.errors)} error(s)[/red]"
        read = f" — {escape(counts)}" if counts else ""  # nothing read: no dash pointing at nothing
        out.print(f"[bold]{escape(str(path))}[/bold]: {status}{read}")
        _print_published(out, result.written, result.changed)
        _print_problems(out, result.problems, args.lang, _report_in(result.written))
        if result.errors:
            worst = max(worst, EXIT_PROBLEMS)
    return worst


# A build of more files than this is summed up, not listed file by file: a national
# catalogue's is tens of thousands of files, and printing them took seconds.
_LISTED_FILES = 30


def _print_published(out: Console, files: Sequence[Path], changed: Sequence[Path]) -> None:
    if not files:
        return
    written = set(changed)
    if len(files) <= _LISTED_FILES:
        for path in files:
            out.print(f"  {'wrote' if path in written else 'unchanged'} {escape(str(path))}", highlight=False)
        return
    folder = os.path.commonpath([str(path.parent) for path in files])
    out.print(f"  {len(files)} files in {escape(folder)}: {len(written)} written, {len(files) - len(written)} unchanged",
              highlight=False)


def _report_in(published: Sequence[Path]) -> Path | None:
    """The build's problems.txt among its published files (in its folder, not below)."""
    return min((path for path in published if path.name == PROBLEMS_TEXT), key=lambda path: len(path.parts), default=None)


def _aggregate(args: argparse.Namespace, out: Console) -> int:
    from .aggregate import aggregate, read_aggregate_config, run_summary

    path = Path(args.config)
    try:
        config = read_aggregate_config(path, base_url=args.base_url)
    except ConfigError as error:
        out.print(f"[bold]{escape(str(path))}[/bold]: [red]cannot aggregate[/red]")
        _print_problems(out, [error.problem], args.lang)
        return EXIT_UNUSABLE
    today = args.today
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} feeds"), console=out, transient=True,
                  disable=not out.is_terminal) as progress:
        task = progress.add_task("fetching member feeds", total=len(config.members))

        def advance(what: str, done: int, total: int) -> None:
            progress.update(task, description=what, completed=done, total=total)

        result = aggregate(config, today=today, out_dir=Path(args.out) if args.out else None, progress=advance,
                           keep_files=False, jobs=args.jobs)
    out.print(f"[bold]{escape(str(path))}[/bold]: aggregated {len(result.catalogue.groups)} groups, "
              f"{len(result.catalogue.services)} services, {len(result.catalogue.events)} events "
              f"from {len(result.feeds)} member feeds")
    out.print(escape(run_summary(result.feeds, result.changes).rstrip()), highlight=False)
    _print_published(out, result.written, result.changed)
    if args.verbose or not result.written:  # nothing written: no problems.txt to point to
        _print_problems(out, result.problems, args.lang)
    elif result.problems:
        out.print(f"  {len(result.errors)} error(s), {len(result.problems) - len(result.errors)} warning(s): "
                  "see problems.txt beside the outputs (or --verbose)")
    return EXIT_PROBLEMS if result.errors else EXIT_OK


def _plugins(args: argparse.Namespace, out: Console) -> int:
    infos = [info for info in plugins.list_plugins() if args.all or not info.is_default]
    if args.format == "json":
        print(json.dumps([attrs.asdict(info) for info in infos], ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    for problem in plugins.load_problems():  # a plugin that could not be loaded, a misspelt VERTAISTUKI_LOAD_PLUGINS
        out.print(f"[yellow]{problem.severity.value}[/yellow] {escape(problem.message.get('en'))}")
    if not infos:
        out.print("No plugins installed (use --all to include the built-in ones).")
    for info in infos:
        dist = f" ({info.distribution} {info.version})" if info.distribution else " (built in)"
        opt_in = " [opt-in]" if info.opt_in else ""
        provides = "".join(f"; {kind} {', '.join(names)}" for kind, names in
                           (("sources", info.sources), ("renderers", info.renderers)) if names)
        out.print(f"[bold]{escape(info.name)}[/bold]{escape(dist + opt_in)}: hooks {escape(', '.join(info.hooks) + provides)}")
    return EXIT_OK


def _serve(args: argparse.Namespace, out: Console) -> int:
    from .serve import serve

    path = Path(args.config)
    if not path.exists():
        out.print(f"[bold]{escape(str(path))}[/bold]: [red]not found[/red]")
        return EXIT_UNUSABLE
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        out.print("[yellow]The preview is meant for this computer only; it is not a production server.[/yellow]")
    try:
        serve(path, args.host, args.port)
    except OSError as error:  # most often the port is taken, or the address is not this computer's
        hint = " (--port 0 picks a free port)" if error.errno == errno.EADDRINUSE else ""
        out.print(f"[red]cannot start the preview on {escape(args.host)} port {args.port}[/red]: "
                  f"{escape(os_reason(error))}{hint}")
        return EXIT_UNUSABLE
    return EXIT_OK


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError("a port is from 0 to 65535 (0 picks a free one)")
    return port


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day such as 2026-12-05 (YYYY-MM-DD)") from None


def _jobs(value: str) -> int:
    from .parallel import available_cpus

    if value == "auto":
        return available_cpus()
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes or 'auto'") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return jobs


def _jobs_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                         help="render in N processes, the build's and N-1 workers ('auto': one per core); same "
                              "outputs, more memory (default 1)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vertaistuki", description="Publish peer-support catalogues everywhere.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate", help="check catalogue files (YAML or JSON), or a catalogue.toml with all its sources, and list the problems")
    validate.add_argument("paths", nargs="+", help="catalogue files, or catalogue.toml files: every source read, no output written")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--lang", choices=("fi", "en"), default="fi", help="language of the messages")
    validate.add_argument("--enable-plugin", action="append", default=[], metavar="NAME",
                          help="use an opt-in plugin (e.g. a federation's house rules); may be repeated")
    validate.set_defaults(run=_validate)

    build_command = commands.add_parser("build", help="read sources, validate, render every output into a folder")
    build_command.add_argument("configs", nargs="*", default=["catalogue.toml"],
                               help="catalogue.toml files (or single catalogue files); default ./catalogue.toml")
    build_command.add_argument("--out", help="output folder (default: [build] out in the config, else dist/ beside it)")
    build_command.add_argument("--strict", action="store_true", help="publish nothing if any record has an error")
    build_command.add_argument("--lang", choices=("fi", "en"), default="fi", help="language of the messages")
    _jobs_argument(build_command)
    build_command.set_defaults(run=_build)

    serve_command = commands.add_parser("serve", help="live preview of the listing on 127.0.0.1, rebuilt on change")
    serve_command.add_argument("config", nargs="?", default="catalogue.toml", help="catalogue.toml (or a catalogue file)")
    serve_command.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)")
    serve_command.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_command.set_defaults(run=_serve)

    aggregate_command = commands.add_parser(
        "aggregate", help="a federation's national catalogue from its members' feeds (federation.toml)")
    aggregate_command.add_argument("config", nargs="?", default="federation.toml", help="federation.toml")
    aggregate_command.add_argument("--base-url", help="address the members' relative urls are joined to")
    aggregate_command.add_argument("--out", help="output folder (default: [build] out in the config, else dist/ beside it)")
    aggregate_command.add_argument("--today", type=_day, help="the day consent and schedules are judged on (YYYY-MM-DD)")
    aggregate_command.add_argument("--verbose", action="store_true", help="print every problem")
    aggregate_command.add_argument("--lang", choices=("fi", "en"), default="fi", help="language of the messages")
    _jobs_argument(aggregate_command)
    aggregate_command.set_defaults(run=_aggregate)

    plugins_command = commands.add_parser("plugins", help="list installed plugins, their hooks and distributions")
    plugins_command.add_argument("--all", action="store_true", help="include the built-in default plugins")
    plugins_command.add_argument("--format", choices=("text", "json"), default="text")
    plugins_command.set_defaults(run=_plugins)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False, highlight=False, soft_wrap=True)
    try:
        return args.run(args, console)
    except KeyboardInterrupt:
        return 130
    except plugins.PluginError as error:  # an installed plugin that cannot be trusted: say which, not a traceback
        console.print(f"[bold red]{escape(str(error))}[/]", markup=True)
        console.print("Fix or uninstall that plugin, or leave it out with VERTAISTUKI_LOAD_PLUGINS "
                      "(docs/writing-a-plugin.md).", markup=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
