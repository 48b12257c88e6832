"""`stem4all match-file`: spreadsheets in, matches out, and one clear message per problem.

No test here asks for the ``db`` fixture: pytest-django refuses any database access
without it, so every test that passes also proves the command needs no database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from stem4all.matching import spreadsheet
from stem4all.matching.engine import describe_factor, describe_unmatched, match
from stem4all.matching.engine.model import MatchConfig, UnmatchedReason, Weights
from stem4all.matching.management.commands import match_file
from stem4all.matching.spreadsheet import read_inputs

PROJECT_DIR = Path(__file__).resolve().parents[3]

# E1 can only have M2 once M1 is full; E2 excluded M2; E3 is 16 and only M1 is cleared
# for minors; E4 speaks only German, which no mentor does. So the most mentees matched is
# exactly E1-M2, E2-M1, E3-M1, and E4 is left without a mentor.
MENTEES = [
    {
        "id": "E1",
        "name": "Aizada Testova",
        "birth_date": "2000-03-01",
        "languages": "ky:native; en:B2",
        "fields": "data_science",
        "region": "naryn",
        "goal": "become a data scientist working on climate data",
        "preferred_mentor_type": "international",
        "hours_per_month": "4",
        "ranked_mentors": "M2",
        "excluded_mentors": "",
    },
    {
        "id": "E2",
        "name": "Bermet Testova",
        "birth_date": "2001-05-02",
        "languages": "ru:C1; en:B1",
        "fields": "software; physics",
        "region": "bishkek",
        "goal": "software engineering career in a start-up",
        "preferred_mentor_type": "regional",
        "hours_per_month": "",
        "ranked_mentors": "",
        "excluded_mentors": "M2",
    },
    {
        "id": "E3",
        "name": "Cholpon Testova",
        "birth_date": "",  # filled in by mentee_rows(): 16 years ago
        "languages": "ky",
        "fields": "Biology",
        "region": "osh",
        "goal": "study biotechnology",
        "preferred_mentor_type": "",
        "hours_per_month": "2",
        "ranked_mentors": "",
        "excluded_mentors": "",
    },
    {
        "id": "E4",
        "name": "Dinara Testova",
        "birth_date": "1999-01-01",
        "languages": "de:C2",
        "fields": "mechanical",
        "region": "",
        "goal": "robotics",
        "preferred_mentor_type": "any",
        "hours_per_month": "",
        "ranked_mentors": "",
        "excluded_mentors": "",
    },
]
MENTORS = [
    {
        "id": "M1",
        "name": "Gulnara Testova",
        "languages": "ky:native; ru:native",
        "fields": "data_science; biology; software",
        "country": "KG",
        "region": "bishkek",
        "expertise": "data scientist and biotechnology researcher",
        "capacity": "2",
        "cleared_for_minors": "yes",
        "hours_per_month": "6",
    },
    {
        "id": "M2",
        "name": "Elena Testmann",
        "languages": "en:C2; ru:B2",
        "fields": "software; data_science",
        "country": "DE",
        "region": "",
        "expertise": "software engineer, climate data platform",
        "capacity": "1",
        "cleared_for_minors": "no",
        "hours_per_month": "4",
    },
]
EXPECTED_PAIRS = {("E1", "M2"), ("E2", "M1"), ("E3", "M1")}


def years_ago(years: int) -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def mentee_rows() -> list[dict]:
    rows = [dict(row) for row in MENTEES]
    rows[2]["birth_date"] = years_ago(16).isoformat()
    return rows


def mentor_rows() -> list[dict]:
    return [dict(row) for row in MENTORS]


def write_csv(path: Path, rows: list[dict], *, delimiter: str = ",", bom: bool = False) -> Path:
    header: list[str] = []
    for row in rows:
        header += [name for name in row if name not in header]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([[row.get(name, "") for name in header] for row in rows])
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[dict]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    workbook.save(path)
    return path


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def read_xlsx(path: Path) -> list[dict]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    header, *rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    return [dict(zip(header, row, strict=True)) for row in rows]


def run(*args: object) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("match_file", *map(str, args), stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def refuse(*args: object) -> list[str]:
    """Run the command expecting bad input; the problems it printed, one per line."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("match_file", *map(str, args), stdout=out, stderr=err)
    assert raised.value.returncode == 2
    assert "no file was written" in str(raised.value)
    assert out.getvalue() == ""
    return err.getvalue().splitlines()


def run_cli(*args: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = [sys.executable, "-m", "stem4all.cli", "match_file", *map(str, args)]
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def files(tmp_path):
    mentees = write_csv(tmp_path / "mentees.csv", mentee_rows())
    mentors = write_csv(tmp_path / "mentors.csv", mentor_rows())
    return mentees, mentors


# Happy paths ----------------------------------------------------------------------------


def test_a_valid_csv_pair_gives_one_row_per_match_with_reasons_then_the_unmatched(files, tmp_path):
    mentees, mentors = files
    matches = tmp_path / "matches.csv"

    summary = run(mentees, mentors, "-o", matches)

    rows = read_csv(matches)
    assert list(rows[0]) == ["mentee_id", "mentor_id", "score", "reasons"]
    assert [row["mentee_id"] for row in rows] == ["E1", "E2", "E3", "E4"]
    assert {(row["mentee_id"], row["mentor_id"]) for row in rows[:3]} == EXPECTED_PAIRS
    inputs = read_inputs(str(mentees), str(mentors))
    result = match(inputs.mentees, inputs.mentors, MatchConfig())
    by_mentee = {assignment.mentee_id: assignment for assignment in result.assignments}
    for row in rows[:3]:
        assignment = by_mentee[row["mentee_id"]]
        assert row["score"] == f"{assignment.score:.4f}"
        sentences = [describe_factor(factor) for factor in assignment.factors]
        assert row["reasons"] == "; ".join(sentence for sentence in sentences if sentence)
        assert row["reasons"]
    (unmatched,) = result.unmatched
    assert unmatched.reason == UnmatchedReason.NO_SHARED_LANGUAGE
    assert rows[3] == {
        "mentee_id": "E4",
        "mentor_id": "",
        "score": "",
        "reasons": describe_unmatched(unmatched),
    }
    assert rows[3]["reasons"]
    assert "Matched 3 of 4 mentees" in summary
    assert f"Matches: {matches} (4 rows)" in summary
    assert sorted(os.listdir(tmp_path)) == ["matches.csv", "mentees.csv", "mentors.csv"]


def test_xlsx_files_are_read_with_typed_cells_and_xlsx_is_written(tmp_path):
    mentees_rows = mentee_rows()
    for row in mentees_rows:
        if row["birth_date"]:
            row["birth_date"] = dt.datetime.fromisoformat(row["birth_date"])
        row["hours_per_month"] = int(row["hours_per_month"]) if row["hours_per_month"] else None
    mentors_rows = mentor_rows()
    for row in mentors_rows:
        row["capacity"] = float(row["capacity"])  # Excel keeps every number as a float
        row["cleared_for_minors"] = row["cleared_for_minors"] == "yes"
        row["hours_per_month"] = int(row["hours_per_month"])
    mentees = write_xlsx(tmp_path / "mentees.xlsx", mentees_rows)
    mentors = write_xlsx(tmp_path / "mentors.xlsx", mentors_rows)
    matches = tmp_path / "matches.xlsx"

    run(mentees, mentors, "-o", matches)

    rows = read_xlsx(matches)
    assert {(row["mentee_id"], row["mentor_id"]) for row in rows[:3]} == EXPECTED_PAIRS
    assert all(isinstance(row["score"], float) and 0 <= row["score"] <= 1 for row in rows[:3])
    assert all(row["reasons"] for row in rows)
    assert (rows[3]["mentee_id"], rows[3]["mentor_id"], rows[3]["score"]) == ("E4", None, None)
    minor = next(m for m in read_inputs(str(mentees), str(mentors)).mentees if m.id == "E3")
    assert minor.is_minor


def test_scores_out_lists_every_candidate_pair_the_solver_considered(files, tmp_path):
    mentees, mentors = files
    matches, scores = tmp_path / "matches.csv", tmp_path / "scores.xlsx"

    summary = run(mentees, mentors, "-o", matches, "--scores-out", scores)

    rows = read_xlsx(scores)
    inputs = read_inputs(str(mentees), str(mentors))
    result = match(inputs.mentees, inputs.mentors, MatchConfig())
    assert [(row["mentee_id"], row["mentor_id"]) for row in rows] == [
        (mentee_id, mentor_id) for mentee_id, mentor_id, _score in result.candidates
    ]
    assert all(
        row["score"] == pytest.approx(score, abs=1e-6)
        for row, (*_ids, score) in zip(rows, result.candidates, strict=True)
    )
    pairs = {(row["mentee_id"], row["mentor_id"]) for row in rows}
    assert pairs >= EXPECTED_PAIRS
    # The hard rules hold on the candidate graph too: exclusions, minors, languages.
    assert ("E2", "M2") not in pairs
    assert ("E3", "M2") not in pairs
    assert not any(mentee_id == "E4" for mentee_id, _mentor in pairs)
    assert f"Scores: {scores} ({len(rows)} candidate pairs)" in summary


def test_stable_mode_matches_with_no_blocking_pair(files, tmp_path):
    mentees, mentors = files
    matches = tmp_path / "matches.csv"

    summary = run(mentees, mentors, "-o", matches, "--mode", "stable")

    rows = read_csv(matches)
    assert {row["mentee_id"] for row in rows} == {"E1", "E2", "E3", "E4"}
    matched = {(row["mentee_id"], row["mentor_id"]) for row in rows if row["mentor_id"]}
    assert ("E2", "M2") not in matched and ("E3", "M2") not in matched
    assert "(stable mode)" in summary
    assert "Blocking pairs: 0." in summary


def test_options_reach_the_engine_as_its_config(files, tmp_path, monkeypatch):
    mentees, mentors = files
    configs = []

    def recording_match(mentees, mentors, config):
        configs.append(config)
        return match(mentees, mentors, config)

    monkeypatch.setattr(match_file, "match", recording_match)
    run(
        mentees,
        mentors,
        "-o",
        tmp_path / "matches.csv",
        "--min-level",
        "c1",
        "--top-k",
        "10",
        "--regional-floor",
        "0.5",
        "--max-international-share",
        "40%",
        "--spread-load",
        "--weights",
        "fields=4, text=0.5",
    )

    (config,) = configs
    assert config == MatchConfig(
        weights=Weights(fields=4.0, text=0.5),
        mode="optimal",
        min_language_level="C1",
        top_k=10,
        regional_floor=0.5,
        max_international_share=0.4,
        spread_load=True,
    )


def test_a_semicolon_csv_with_a_byte_order_mark_is_read(tmp_path):
    mentees = write_csv(tmp_path / "mentees.csv", mentee_rows(), delimiter=";", bom=True)
    mentors = write_csv(tmp_path / "mentors.csv", mentor_rows(), delimiter=";", bom=True)

    inputs = read_inputs(str(mentees), str(mentors))

    assert inputs.problems == []
    first = inputs.mentees[0]
    assert first.languages == {"ky": "native", "en": "B2"}
    assert first.fields == frozenset({"data_science"})
    assert first.ranked_mentors == ("M2",)
    assert inputs.mentees[1].excluded_mentors == frozenset({"M2"})
    assert inputs.mentees[2].languages == {"ky": None}
    assert inputs.mentees[2].fields == frozenset({"biology"})
    assert inputs.mentees[2].preferred_mentor_type == "any"
    assert inputs.mentors[0].is_cleared_for_minors and not inputs.mentors[1].is_cleared_for_minors
    assert inputs.mentors[1].is_international and inputs.mentors[1].capacity == 1


def test_a_mentee_is_a_minor_until_her_eighteenth_birthday(tmp_path):
    today = dt.date(2025, 6, 15)
    rows = mentee_rows()
    rows[0]["birth_date"] = "2007-06-15"  # 18 today
    rows[1]["birth_date"] = "2007-06-16"  # 18 tomorrow
    mentees = write_csv(tmp_path / "mentees.csv", rows)
    mentors = write_csv(tmp_path / "mentors.csv", mentor_rows())

    inputs = read_inputs(str(mentees), str(mentors), today=today)

    assert [mentee.is_minor for mentee in inputs.mentees[:2]] == [False, True]


def test_a_mentee_without_birth_date_counts_as_a_minor(tmp_path):
    rows = mentee_rows()
    rows[0]["birth_date"] = ""
    mentees = write_csv(tmp_path / "mentees.csv", rows)
    mentors = write_csv(tmp_path / "mentors.csv", mentor_rows())
    matches = tmp_path / "matches.csv"

    summary = run(mentees, mentors, "-o", matches)

    assert read_inputs(str(mentees), str(mentors)).mentees[0].is_minor
    rows_out = {row["mentee_id"]: row for row in read_csv(matches)}
    assert rows_out["E1"]["mentor_id"] in {"", "M1"}  # never M2, who is not cleared
    assert "1 mentee has no birth_date and counts as under 18" in summary


def test_the_command_runs_from_the_stem4all_cli(files, tmp_path):
    mentees, mentors = files
    matches = tmp_path / "matches.csv"

    completed = run_cli(mentees, mentors, "-o", matches)

    assert completed.returncode == 0, completed.stderr
    assert "Matched 3 of 4 mentees" in completed.stdout
    assert len(read_csv(matches)) == 4


# Bad input ------------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    expected: list[str]  # {mentees}, {mentors}, {matches} stand for the paths
    mentees: dict[int, dict] = field(default_factory=dict)  # line -> cells to change
    mentors: dict[int, dict] = field(default_factory=dict)
    drop_mentee_columns: tuple[str, ...] = ()
    drop_mentor_columns: tuple[str, ...] = ()
    mentees_name: str = "mentees.csv"
    mentees_bytes: bytes | None = None
    mentors_bytes: bytes | None = None
    matches_name: str = "matches.csv"
    args: tuple[str, ...] = ()


CASES = [
    Case(
        "missing required column",
        [
            "{mentees}, line 1, column languages: this required column is missing from the header "
            "row"
        ],
        drop_mentee_columns=("languages",),
    ),
    Case(
        "missing capacity column",
        ["{mentors}, line 1, column capacity: this required column is missing from the header row"],
        drop_mentor_columns=("capacity",),
    ),
    Case(
        "unknown column",
        [
            "{mentors}, line 1, column K: unknown column 'colour' (the mentors columns are: id, "
            "name, languages, fields, country, region, district, expertise, capacity, "
            "cleared_for_minors, availability, hours_per_month, ranked_mentees)"
        ],
        mentors={2: {"colour": "red"}},
    ),
    Case(
        "duplicate id",
        ["{mentees}, line 4, column id: id 'E2' is already used on line 3"],
        mentees={4: {"id": "E2"}},
    ),
    Case(
        "empty id",
        ["{mentors}, line 2, column id: id is empty: every row needs an id, unique in the file"],
        mentors={2: {"id": ""}},
    ),
    Case(
        "unknown language code",
        ["{mentees}, line 3, column languages: unknown language code 'xx'"],
        mentees={3: {"languages": "ru:C1; xx:B2"}},
    ),
    Case(
        "three-letter language code",
        [
            "{mentors}, line 2, column languages: unknown language code 'kir' (use two-letter "
            "ISO 639-1 codes, for example ky, ru, en)"
        ],
        mentors={2: {"languages": "kir:native"}},
    ),
    Case(
        "unknown level",
        [
            "{mentees}, line 2, column languages: unknown level 'B3' for language 'en' (use A1, "
            "A2, B1, B2, C1, C2, native, or no level for fluent)"
        ],
        mentees={2: {"languages": "ky:native; en:B3"}},
    ),
    Case(
        "empty languages",
        [
            "{mentees}, line 5, column languages: languages is empty: give at least one language, "
            "for example 'ky:native; ru:B2'"
        ],
        mentees={5: {"languages": " ; "}},
    ),
    Case(
        "capacity not a whole number",
        [
            "{mentors}, line 2, column capacity: capacity '2.5' is not a whole number (write 0 or "
            "more, e.g. 2)"
        ],
        mentors={2: {"capacity": "2.5"}},
    ),
    Case(
        "negative capacity",
        [
            "{mentors}, line 3, column capacity: capacity '-1' is not a whole number (write 0 or "
            "more, e.g. 2)"
        ],
        mentors={3: {"capacity": "-1"}},
    ),
    Case(
        "empty capacity",
        ["{mentors}, line 3, column capacity: capacity is empty: write a whole number, 0 or more"],
        mentors={3: {"capacity": ""}},
    ),
    Case(
        "hours not a whole number",
        [
            "{mentees}, line 2, column hours_per_month: hours_per_month 'four' is not a whole "
            "number (write 0 or more, e.g. 2)"
        ],
        mentees={2: {"hours_per_month": "four"}},
    ),
    Case(
        "bad date",
        [
            "{mentees}, line 3, column birth_date: birth_date '2001-02-30' is not a date (write "
            "YYYY-MM-DD)"
        ],
        mentees={3: {"birth_date": "2001-02-30"}},
    ),
    Case(
        "date in another format",
        [
            "{mentees}, line 2, column birth_date: birth_date '01.03.2000' is not a date (write "
            "YYYY-MM-DD)"
        ],
        mentees={2: {"birth_date": "01.03.2000"}},
    ),
    Case(
        "date in the future",
        ["{mentees}, line 2, column birth_date: birth_date '2999-01-01' is in the future"],
        mentees={2: {"birth_date": "2999-01-01"}},
    ),
    Case(
        "bad boolean",
        [
            "{mentors}, line 2, column cleared_for_minors: cleared_for_minors 'maybe' is not yes "
            "or no (write yes, no, true, false, 1 or 0; empty means no)"
        ],
        mentors={2: {"cleared_for_minors": "maybe"}},
    ),
    Case(
        "unknown region",
        [
            "{mentees}, line 2, column region: unknown region 'karakol' (use one of: bishkek, "
            "osh_city, chui, issyk_kul, naryn, talas, jalal_abad, osh, batken)"
        ],
        mentees={2: {"region": "Karakol"}},
    ),
    Case(
        "region outside Kyrgyzstan",
        [
            "{mentors}, line 3, column region: region 'naryn' is given for someone outside "
            "Kyrgyzstan (country DE): leave it empty"
        ],
        mentors={3: {"region": "naryn"}},
    ),
    Case(
        "unknown country",
        [
            "{mentors}, line 3, column country: unknown country code 'GERMANY' (use an ISO 3166 "
            "two-letter code, for example KG, KZ or DE; empty means KG)"
        ],
        mentors={3: {"country": "Germany"}},
    ),
    Case(
        "unknown preferred mentor type",
        [
            "{mentees}, line 2, column preferred_mentor_type: unknown preferred_mentor_type "
            "'local' (use regional, international or any; empty means any)"
        ],
        mentees={2: {"preferred_mentor_type": "local"}},
    ),
    Case(
        "ranked mentor not in the mentors file",
        ["{mentees}, line 2, column ranked_mentors: mentor 'M9' is not in {mentors}"],
        mentees={2: {"ranked_mentors": "M2; M9"}},
    ),
    Case(
        "excluded mentor not in the mentors file",
        ["{mentees}, line 3, column excluded_mentors: mentor 'm2' is not in {mentors}"],
        mentees={3: {"excluded_mentors": "m2"}},
    ),
    Case(
        "ranked and excluded at once",
        [
            "{mentees}, line 2, column excluded_mentors: mentor 'M2' is both in ranked_mentors "
            "and in excluded_mentors"
        ],
        mentees={2: {"excluded_mentors": "M2"}},
    ),
    Case(
        "empty file",
        ["{mentees}: the file is empty: its first row must hold the column names of the mentees"],
        mentees_bytes=b"",
    ),
    Case(
        "header without rows",
        ["{mentors}: the file has no mentors below its header row"],
        mentors_bytes=b"id,languages,capacity\n",
    ),
    Case(
        "wrong file type",
        ["{mentees}: cannot read a '.txt' file: give a .csv or an .xlsx file"],
        mentees_name="mentees.txt",
    ),
    Case(
        "old excel file",
        [
            "{mentees}: old Excel files (.xls) cannot be read: in Excel, save the file as an "
            "Excel workbook (.xlsx) or as CSV UTF-8"
        ],
        mentees_name="mentees.xls",
    ),
    Case(
        "damaged workbook",
        [
            "{mentees}: this .xlsx file is not an Excel workbook, or it is damaged or protected "
            "by a password: open it in Excel and save it again as an Excel workbook (.xlsx)"
        ],
        mentees_name="mentees.xlsx",
        mentees_bytes=b"PK\x03\x04 this is not really a zip archive",
    ),
    Case(
        "csv not in utf-8",
        [
            "{mentors}: this .csv file is not in the UTF-8 encoding (byte 31 cannot be read): in "
            "Excel, save it as CSV UTF-8; in LibreOffice, choose the character set Unicode "
            "(UTF-8)"
        ],
        mentors_bytes="id,languages,capacity\nM1,ky,2,Гульнара\n".encode("cp1251"),
    ),
    Case(
        "output extension",
        ["-o: '{matches}' must end in .csv or .xlsx (that is how its format is chosen)"],
        matches_name="matches.json",
    ),
    Case(
        "scores extension",
        [
            "--scores-out: '{folder}/scores.txt' must end in .csv or .xlsx (that is how its "
            "format is chosen)"
        ],
        args=("--scores-out", "{folder}/scores.txt"),
    ),
    Case(
        "output over an input",
        ["-o: '{mentees}' is also an input file: it would be overwritten"],
        matches_name="mentees.csv",
    ),
    Case(
        "unknown weight",
        [
            "--weights: unknown factor 'colour' (the factors are: fields, text, mentor_type, "
            "region, availability, mentee_choice, mentor_choice, language)"
        ],
        args=("--weights", "fields=2,colour=1"),
    ),
    Case(
        "negative weight",
        ["--weights: the weight of text, '-1', is not a number >= 0"],
        args=("--weights", "text=-1"),
    ),
    Case(
        "weight without a number",
        ["--weights: 'fields' is not name=number (for example fields=3)"],
        args=("--weights", "fields"),
    ),
    Case(
        "every weight zero",
        ["--weights: every weight is 0: at least one must be above 0"],
        args=(
            "--weights",
            "fields=0,text=0,mentor_type=0,region=0,availability=0,mentee_choice=0,"
            "mentor_choice=0,language=0",
        ),
    ),
    Case(
        "unknown mode",
        ["--mode: unknown mode 'greedy' (use optimal or stable)"],
        args=("--mode", "greedy"),
    ),
    Case(
        "unknown minimum level",
        ["--min-level: unknown level 'B5' (use A1, A2, B1, B2, C1, C2, native)"],
        args=("--min-level", "B5"),
    ),
    Case(
        "bad top-k",
        ["--top-k: '0' is not a whole number of 1 or more"],
        args=("--top-k", "0"),
    ),
    Case(
        "optimal-only option in stable mode",
        ["--spread-load: applies to --mode optimal only, not stable"],
        args=("--mode", "stable", "--spread-load"),
    ),
    Case(
        "share above one",
        ["--regional-floor: '1.5' is not a share between 0 and 1 (for example 0.4 or 40%)"],
        args=("--regional-floor", "1.5"),
    ),
]


@dataclass
class Built:
    args: list[str]
    expected: list[str]
    matches: Path


def build(case: Case, folder: Path) -> Built:
    """Write the case's files into the folder; the command's arguments and messages."""
    mentees_rows, mentors_rows = mentee_rows(), mentor_rows()
    for rows, edits, dropped in (
        (mentees_rows, case.mentees, case.drop_mentee_columns),
        (mentors_rows, case.mentors, case.drop_mentor_columns),
    ):
        for line, cells in edits.items():
            rows[line - 2].update(cells)
        for row in rows:
            for column in dropped:
                del row[column]
    mentees = folder / case.mentees_name
    mentors = folder / "mentors.csv"
    if case.mentees_bytes is not None:
        mentees.write_bytes(case.mentees_bytes)
    elif mentees.suffix != ".csv":
        mentees.write_bytes(b"id,languages\nE1,ky\n")
    else:
        write_csv(mentees, mentees_rows)
    if case.mentors_bytes is not None:
        mentors.write_bytes(case.mentors_bytes)
    else:
        write_csv(mentors, mentors_rows)
    matches = folder / case.matches_name
    paths = {"mentees": mentees, "mentors": mentors, "matches": matches, "folder": folder}
    args = [str(mentees), str(mentors), "-o", str(matches)]
    args += [arg.format(**paths) for arg in case.args]
    return Built(args, [line.format(**paths) for line in case.expected], matches)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_one_message_with_file_line_and_column_and_no_output(case, tmp_path):
    built = build(case, tmp_path)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}

    problems = refuse(*built.args)

    assert problems == built.expected
    after = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert after == before  # nothing written, not even a temporary file


def test_problems_in_both_files_and_the_options_are_all_reported_at_once(tmp_path):
    rows = mentee_rows()
    rows[0]["languages"] = "xx"
    rows[1]["birth_date"] = "yesterday"
    mentees = write_csv(tmp_path / "mentees.csv", rows)
    mentor_list = mentor_rows()
    mentor_list[1]["capacity"] = "lots"
    mentors = write_csv(tmp_path / "mentors.csv", mentor_list)
    matches = tmp_path / "matches.csv"

    problems = refuse(mentees, mentors, "-o", matches, "--weights", "colour=1")

    assert [problem.split(":")[0] for problem in problems] == [
        "--weights",
        f"{mentees}, line 2, column languages",
        f"{mentees}, line 3, column birth_date",
        f"{mentors}, line 3, column capacity",
    ]
    assert not matches.exists()


def test_a_missing_file_is_reported_without_guessing_at_references(tmp_path):
    mentees = write_csv(tmp_path / "mentees.csv", mentee_rows())
    missing = tmp_path / "mentors.csv"

    problems = refuse(mentees, missing, "-o", tmp_path / "matches.csv")

    # The mentees' ranked and excluded mentors cannot be checked against a missing file.
    assert problems == [f"{missing}: no such file"]


def test_a_bad_header_stops_reading_that_file_only(tmp_path):
    mentees = write_csv(tmp_path / "mentees.csv", [{"id": "E1", "langs": "ky"}])
    mentors_rows = mentor_rows()
    mentors_rows[0]["capacity"] = "x"
    mentors = write_csv(tmp_path / "mentors.csv", mentors_rows)

    problems = refuse(mentees, mentors, "-o", tmp_path / "matches.csv")

    assert [problem.split(":")[0] for problem in problems] == [
        f"{mentees}, line 1, column B",
        f"{mentees}, line 1, column languages",
        f"{mentors}, line 2, column capacity",
    ]


def test_an_earlier_matches_file_is_left_as_it_was_on_bad_input(files, tmp_path):
    mentees, mentors = files
    matches = tmp_path / "matches.csv"
    matches.write_text("an earlier run\n", encoding="utf-8")

    refuse(mentees, mentors, "-o", matches, "--mode", "best")

    assert matches.read_text(encoding="utf-8") == "an earlier run\n"


def test_no_output_is_left_behind_when_writing_fails(files, tmp_path, monkeypatch):
    mentees, mentors = files
    matches, scores = tmp_path / "matches.csv", tmp_path / "scores.xlsx"

    def full_disk(path, table):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spreadsheet, "_write_xlsx", full_disk)
    with pytest.raises(CommandError, match="no file was written"):
        call_command(
            "match_file",
            str(mentees),
            str(mentors),
            "-o",
            str(matches),
            "--scores-out",
            str(scores),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    assert sorted(os.listdir(tmp_path)) == ["mentees.csv", "mentors.csv"]


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.id in {"unknown language code", "empty file", "unknown mode"}],
    ids=lambda case: case.id,
)
def test_the_cli_exits_with_status_2_and_no_traceback_on_bad_input(case, tmp_path):
    built = build(case, tmp_path)

    completed = run_cli(*built.args)

    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        *built.expected,
        "CommandError: 1 problem found: no file was written.",
    ]
    assert completed.stdout == ""
    assert not built.matches.exists()
    assert sorted(os.listdir(tmp_path)) == ["mentees.csv", "mentors.csv"]
