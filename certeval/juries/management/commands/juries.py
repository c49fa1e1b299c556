"""``certeval juries <sub-command>``: jury composition from the command line.

Sub-commands are registered in :data:`SUBCOMMANDS`; each one declares its own arguments and
handler: ``solve`` works on a plain instance file, ``compose`` on a stored campaign.

Exit codes: 0 schedule found, 2 invalid input, 3 infeasible (explained), 4 no schedule found
within the time limit.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from certeval.domain.juries import INFEASIBLE, UNKNOWN, InstanceError, Solution, parse_instance, solve

EXIT_INVALID = 2
EXIT_INFEASIBLE = 3
EXIT_UNKNOWN = 4


@dataclass(frozen=True)
class Subcommand:
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    handle: Callable[[OutputWrapper, dict[str, Any]], None]


def _solve_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "instance", type=Path, help="instance JSON file (rule, halfday_slots, candidates, jurors)"
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _solve(stdout: OutputWrapper, options: dict[str, Any]) -> None:
    path: Path = options["instance"]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{path}: cannot read: {exc.strerror}", returncode=EXIT_INVALID) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: not valid JSON: {exc}", returncode=EXIT_INVALID) from exc
    try:
        instance = parse_instance(data)
    except InstanceError as exc:
        raise CommandError(f"{path}: {exc}", returncode=EXIT_INVALID) from exc
    if options["time_limit"] <= 0:
        raise CommandError("--time-limit must be positive", returncode=EXIT_INVALID)
    solution = solve(instance, time_limit=options["time_limit"])
    if options["json"]:
        stdout.write(json.dumps(solution.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_solution(stdout, solution)
    if solution.status == INFEASIBLE:
        raise CommandError("no schedule exists (see the explanation)", returncode=EXIT_INFEASIBLE)
    if solution.status == UNKNOWN:
        raise CommandError("no schedule found within the time limit", returncode=EXIT_UNKNOWN)


def _print_solution(stdout: OutputWrapper, solution: Solution) -> None:
    stdout.write(f"status: {solution.status} ({solution.method}, {solution.wall_seconds:.2f} s)")
    for line in solution.explanation:
        stdout.write(f"  [{line.constraint}] {line.message}")
    if solution.objective is None:
        return
    gap = "-" if solution.gap is None else f"{100 * solution.gap:.2f} %"
    stdout.write(
        f"objective {solution.objective} (max load {solution.max_load}, juries {solution.teams}), "
        f"bound {solution.bound}, gap {gap}"
    )
    for a in solution.assignments:
        stdout.write(f"{a.halfday}  slot {a.slot}  {a.candidate}  {', '.join(a.jurors)}")


def _compose_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--campaign", required=True, help="the campaign's slug (or its numeric id)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _compose(stdout: OutputWrapper, options: dict[str, Any]) -> None:
    from certeval.campaigns.models import Campaign
    from certeval.juries.errors import JuryError
    from certeval.juries.services.composition import composition_to_dict, jury_compose_campaign

    key = str(options["campaign"])
    campaign = Campaign.objects.filter(slug=key).first() or (
        Campaign.objects.filter(pk=int(key)).first() if key.isdigit() else None
    )
    if campaign is None:
        raise CommandError(f"unknown campaign '{key}' (give its slug or id)", returncode=EXIT_INVALID)
    if options["time_limit"] <= 0:
        raise CommandError("--time-limit must be positive", returncode=EXIT_INVALID)
    try:
        result = jury_compose_campaign(campaign=campaign, actor=None, time_limit=options["time_limit"])
    except JuryError as exc:
        raise CommandError(str(exc), returncode=EXIT_INVALID) from exc
    if options["json"]:
        stdout.write(json.dumps(composition_to_dict(result), ensure_ascii=False, indent=2))
    else:
        _print_solution(stdout, result.solution)
        for line in result.explanation:
            stdout.write(f"  {line['label']} : {line['detail']}")
        if result.warning:
            stdout.write(f"  {result.warning}")
    if result.solution.status == INFEASIBLE:
        raise CommandError("no schedule exists (see the explanation)", returncode=EXIT_INFEASIBLE)
    if result.solution.status == UNKNOWN:
        raise CommandError("no schedule found within the time limit", returncode=EXIT_UNKNOWN)


SUBCOMMANDS: dict[str, Subcommand] = {
    "solve": Subcommand(
        help="compose juries and schedule orals for a plain instance file",
        add_arguments=_solve_arguments,
        handle=_solve,
    ),
    "compose": Subcommand(
        help="compose the juries of a stored campaign and schedule its orals",
        add_arguments=_compose_arguments,
        handle=_compose,
    ),
}


class Command(BaseCommand):
    help = "Jury composition and oral scheduling."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name, subcommand in SUBCOMMANDS.items():
            subcommand.add_arguments(subparsers.add_parser(name, help=subcommand.help))

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["subcommand"]].handle(self.stdout, options)
