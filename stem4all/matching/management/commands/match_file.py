"""`stem4all match-file`: match mentees with mentors from two spreadsheets.

For programmes that keep their applications in spreadsheets: no database rows, no
accounts, just two files in and one (or two) out. ``stem4all.matching.spreadsheet``
reads and checks the files and writes the results; the engine does the matching. The
columns are documented in ``stem4all/matching/SPREADSHEETS.md``.

Bad input never half-runs: every problem in both files and the options is printed on
stderr, one line each, with file, line and column; the exit status is 2 and no file is
written.
"""

from __future__ import annotations

from collections import Counter
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError

from stem4all.matching.engine import describe_factor, describe_unmatched, match
from stem4all.matching.engine.model import LEVELS, MatchConfig, MatchResult
from stem4all.matching.spreadsheet import (
    Inputs,
    Problem,
    check_output_path,
    check_table_size,
    matches_table,
    parse_weights,
    read_inputs,
    scores_table,
    write_tables,
)

BAD_INPUT = 2
MODES = ("optimal", "stable")


class Command(BaseCommand):
    help = (
        "Match mentees with mentors from two spreadsheets (CSV or XLSX) and write the "
        "matches, with the score and the reasons of each pair, to a CSV or XLSX file. "
        "Needs no database. The columns are described in the README."
    )
    # Nothing here uses the database or the other apps: skip the system checks, so the
    # command also runs where the platform itself is not set up.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("mentees", metavar="MENTEES", help="the mentees file (.csv or .xlsx)")
        parser.add_argument("mentors", metavar="MENTORS", help="the mentors file (.csv or .xlsx)")
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="MATCHES",
            help="where to write the matches (.csv or .xlsx)",
        )
        parser.add_argument(
            "--scores-out",
            metavar="SCORES",
            help="also write every candidate pair the solver considered (.csv or .xlsx)",
        )
        parser.add_argument(
            "--mode",
            default="optimal",
            metavar="{optimal,stable}",
            help="optimal (default): most mentees matched, then the highest total score; "
            "stable: mentee-proposing deferred acceptance, no blocking pair",
        )
        parser.add_argument(
            "--min-level",
            default="B1",
            metavar="LEVEL",
            help="lowest level at which a shared language counts (default B1)",
        )
        parser.add_argument(
            "--top-k",
            default="50",
            metavar="K",
            help="candidate mentors kept per mentee, and mentees per mentor (default 50)",
        )
        parser.add_argument(
            "--regional-floor",
            metavar="SHARE",
            help="match at least this share (0 to 1) of the mentees from outside Bishkek",
        )
        parser.add_argument(
            "--max-international-share",
            metavar="SHARE",
            help="at most this share (0 to 1) of the matches with international mentors",
        )
        parser.add_argument(
            "--spread-load",
            action="store_true",
            help="fill every mentor's first place before anyone's second (optimal mode)",
        )
        parser.add_argument(
            "--weights",
            metavar="NAME=NUMBER,...",
            help="change factor weights, e.g. fields=3,text=2 (factors: fields, text, "
            "mentor_type, region, availability, mentee_choice, mentor_choice, language)",
        )

    def handle(self, *args, **options):
        mentees_path, mentors_path = options["mentees"], options["mentors"]
        output, scores_out = options["output"], options["scores_out"]

        config, problems = _read_config(options)
        problems += check_output_path(output, "-o", inputs=[mentees_path, mentors_path])
        if scores_out:
            problems += check_output_path(
                scores_out, "--scores-out", inputs=[mentees_path, mentors_path, output]
            )
        inputs = read_inputs(mentees_path, mentors_path)
        problems += inputs.problems
        if problems:
            self._refuse(problems)

        try:
            result = match(inputs.mentees, inputs.mentors, config)
        except ValueError as error:
            # The engine's own checks of its input: as much a problem with the input as
            # any of ours, so it is reported the same way.
            self._refuse([Problem("matching", str(error))])

        tables = [
            matches_table(
                output,
                result,
                inputs.mentees,
                describe_factor=describe_factor,
                describe_unmatched=describe_unmatched,
            )
        ]
        if scores_out:
            tables.append(scores_table(scores_out, result))
        size_problems = check_table_size(tables[0], "-o")
        if scores_out:
            size_problems += check_table_size(tables[1], "--scores-out")
        if size_problems:
            self._refuse(size_problems)
        try:
            write_tables(tables)
        except OSError as error:
            raise CommandError(
                f"could not write the output ({error}): no file was written"
            ) from error

        for line in _summary(result, inputs, config, tables):
            self.stdout.write(line)

    def _refuse(self, problems: list[Problem]) -> NoReturn:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(
            f"{_count(len(problems), 'problem')} found: no file was written.",
            returncode=BAD_INPUT,
        )


def _read_config(options: dict) -> tuple[MatchConfig, list[Problem]]:
    problems: list[Problem] = []

    mode = str(options["mode"]).strip().lower()
    if mode not in MODES:
        problems.append(Problem("--mode", f"unknown mode '{mode}' (use optimal or stable)"))

    levels = {level.lower(): level for level in LEVELS}
    min_level = levels.get(str(options["min_level"]).strip().lower())
    if min_level is None:
        problems.append(
            Problem(
                "--min-level",
                f"unknown level '{options['min_level']}' (use {', '.join(LEVELS)})",
            )
        )

    top_k = _whole_number(options["top_k"], "--top-k", problems)
    regional_floor = _share(options["regional_floor"], "--regional-floor", problems)
    international = _share(
        options["max_international_share"], "--max-international-share", problems
    )
    weights, weight_problems = parse_weights(options["weights"])
    problems += weight_problems
    if mode == "stable":
        # The engine ignores these in stable mode; asking for them there is a mistake
        # worth saying, not a request to drop silently.
        for option, given in (
            ("--regional-floor", regional_floor is not None),
            ("--max-international-share", international is not None),
            ("--spread-load", bool(options["spread_load"])),
        ):
            if given:
                problems.append(Problem(option, "applies to --mode optimal only, not stable"))

    if problems:
        return MatchConfig(), problems
    config = MatchConfig(
        weights=weights,
        mode=mode,
        min_language_level=min_level,
        top_k=top_k,
        regional_floor=regional_floor,
        max_international_share=international,
        spread_load=bool(options["spread_load"]),
    )
    return config, problems


def _whole_number(value: object, option: str, problems: list[Problem]) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        problems.append(Problem(option, f"'{text}' is not a whole number of 1 or more"))
        return 0
    return int(text)


def _share(value: object, option: str, problems: list[Problem]) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        share = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        problems.append(
            Problem(option, f"'{text}' is not a share between 0 and 1 (for example 0.4 or 40%)")
        )
        return None
    return share


def _summary(result: MatchResult, inputs: Inputs, config: MatchConfig, tables) -> list[str]:
    matched, total = len(result.assignments), len(inputs.mentees)
    score = sum(assignment.score for assignment in result.assignments)
    mentors_used = len({assignment.mentor_id for assignment in result.assignments})
    lines = [
        f"Matched {matched} of {total} mentees ({matched / total:.1%}) with {mentors_used} "
        f"of {len(inputs.mentors)} mentors; total score {score:.4f} ({config.mode} mode)."
    ]
    if result.blocking_pairs is not None:
        lines.append(f"Blocking pairs: {result.blocking_pairs}.")
    if result.unmatched:
        reasons = Counter(unmatched.reason for unmatched in result.unmatched)
        counted = ", ".join(f"{reason} {count}" for reason, count in reasons.most_common())
        lines.append(f"Unmatched: {len(result.unmatched)} ({counted}).")
    if inputs.undated_mentees:
        has = "mentee has" if inputs.undated_mentees == 1 else "mentees have"
        counts = "counts" if inputs.undated_mentees == 1 else "count"
        lines.append(
            f"Note: {inputs.undated_mentees} {has} no birth_date and {counts} as under 18, "
            "so only mentors cleared for minors were considered."
        )
    lines.append(f"Matches: {tables[0].path} ({_count(len(tables[0].rows), 'row')})")
    if len(tables) > 1:
        pairs = _count(len(tables[1].rows), "candidate pair")
        lines.append(f"Scores: {tables[1].path} ({pairs})")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
