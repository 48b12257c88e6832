"""Mentees and mentors from spreadsheets, matches back to spreadsheets.

``stem4all match-file`` (``management/commands/match_file.py``) reads a file of mentees
and a file of mentors, checks every cell, turns the rows into the engine's dataclasses
(``engine.model.Mentee`` and ``Mentor``), and writes the engine's result as a matches
file and, if asked, a file of every candidate pair. Nothing here touches the database:
a programme that keeps its applications in spreadsheets needs no platform data at all.

Reading. A file is CSV (UTF-8, with or without a byte-order mark, separated by commas,
semicolons or tabs; Excel's ``sep=;`` first line is understood) or an Excel workbook
(.xlsx, its active sheet), told apart by the file name's extension. The first row holds
the column names in any case; spaces and hyphens count as underscores. Line numbers are
the row numbers seen in a spreadsheet program: the header is line 1, and empty rows are
skipped but keep their numbers. Every problem in both files is collected, each with its
file, line and column, so staff can fix them all in one pass; nothing is matched while
any remains. ``SPREADSHEETS.md`` documents every column.

Writing. Each output is written to a hidden temporary file in the output's own folder
and renamed into place only when every output is complete, so a failure never leaves a
partial or half-updated file behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from stem4all.accounts.choices import AvailabilityWindow
from stem4all.accounts.geography import DISTRICT_REGION, Region
from stem4all.matching.engine.model import (
    HOME_COUNTRY,
    LEVELS,
    MatchResult,
    Mentee,
    Mentor,
    Weights,
)

# ISO 639-1: every two-letter language code (184, including the withdrawn "bh", which
# older forms still use).
_ISO_639_1_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha
    he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn
    ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb
    nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
    se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw
    ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(_ISO_639_1_CODES.split())

# ISO 3166-1 alpha-2: every country code (249), plus the platform's XX for "another
# country" (stem4all.accounts.geography.Country.OTHER).
_COUNTRY_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL
    GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM
    JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
    NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
    SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XX
"""
COUNTRY_CODES = frozenset(_COUNTRY_CODES.split())

MENTEE_COLUMNS = (
    "id",
    "name",
    "birth_date",
    "languages",
    "fields",
    "country",
    "region",
    "district",
    "goal",
    "preferred_mentor_type",
    "availability",
    "hours_per_month",
    "ranked_mentors",
    "excluded_mentors",
)
MENTEE_REQUIRED = ("id", "languages")
MENTOR_COLUMNS = (
    "id",
    "name",
    "languages",
    "fields",
    "country",
    "region",
    "district",
    "expertise",
    "capacity",
    "cleared_for_minors",
    "availability",
    "hours_per_month",
    "ranked_mentees",
)
MENTOR_REQUIRED = ("id", "languages", "capacity")
MATCHES_HEADER = ("mentee_id", "mentor_id", "score", "reasons")
SCORES_HEADER = ("mentee_id", "mentor_id", "score")
OUTPUT_EXTENSIONS = (".csv", ".xlsx")
MENTOR_TYPES = ("regional", "international", "any")
# Looked up once: reading a choices class's values walks the whole enum each time.
REGIONS = tuple(Region.values)
AVAILABILITY_WINDOWS = tuple(AvailabilityWindow.values)
ADULT_AGE = 18
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
# Excel's sheet limit, header row included.
XLSX_MAX_ROWS = 1_048_576
# The matches file is for people (4 decimals, as the brief of the file format says); the
# scores file is for re-solving, so it keeps the engine's own resolution (1e-5) and more.
MATCH_SCORE_DECIMALS = 4
CANDIDATE_SCORE_DECIMALS = 6

_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0", ""})
_LIST_SEPARATORS = re.compile(r"[;,]")
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SHOWN_LENGTH = 60
_LEVEL_BY_SPELLING = {level.lower(): level for level in LEVELS}
_FLUENT_SPELLINGS = frozenset({"", "fluent"})


@dataclass(frozen=True)
class Problem:
    """One thing to fix, printed as ``source, line 7, column languages: message``.

    ``source`` is the file as the user named it, or an option such as ``--weights``;
    ``line`` and ``column`` are left out when the problem concerns the whole file."""

    source: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Inputs:
    """Both files, read and checked. The lists are complete only when there is no
    problem; ``undated_mentees`` counts the mentees treated as minors for want of a
    birth date (see ``_read_mentee``)."""

    mentees: list[Mentee] = field(default_factory=list)
    mentors: list[Mentor] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    undated_mentees: int = 0


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says what to do about it."""


# Reading both files ---------------------------------------------------------------------


def read_inputs(mentees_path: str, mentors_path: str, *, today: dt.date | None = None) -> Inputs:
    """Read and check both files, and the references between them. Never raises for bad
    input: every problem found is in ``Inputs.problems``."""
    today = today or dt.date.today()
    mentee_file = _read_sheet(mentees_path, "mentees", MENTEE_COLUMNS, MENTEE_REQUIRED)
    mentor_file = _read_sheet(mentors_path, "mentors", MENTOR_COLUMNS, MENTOR_REQUIRED)
    inputs = Inputs()
    mentee_refs: list[_Reference] = []
    mentor_refs: list[_Reference] = []
    undated = 0
    for row in mentee_file.rows:
        mentee, refs, is_undated = _read_mentee(row, today)
        mentee_refs.extend(refs)
        undated += is_undated
        if mentee is not None:
            inputs.mentees.append(mentee)
    for row in mentor_file.rows:
        mentor, refs = _read_mentor(row)
        mentor_refs.extend(refs)
        if mentor is not None:
            inputs.mentors.append(mentor)
    # A reference can only be checked against a file that could be read; ids on rows
    # with other problems still count as present, so one typo is reported once.
    if mentor_file.is_readable:
        _check_references(mentee_refs, mentee_file, mentor_file, "mentor")
    if mentee_file.is_readable:
        _check_references(mentor_refs, mentor_file, mentee_file, "mentee")
    for sheet in (mentee_file, mentor_file):
        inputs.problems.extend(sorted(sheet.problems, key=lambda p: p.line or 0))
    inputs.undated_mentees = undated
    return inputs


@dataclass
class _Sheet:
    path: str
    kind: str  # "mentees" or "mentors", for messages
    rows: list[_Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The header is right and rows follow: the ids the other file names can be checked.
    is_readable: bool = False
    ids: dict[str, int] = field(default_factory=dict)  # id -> first line it is on

    def fail(self, message: str, line: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(self.path, message, line, column))


@dataclass
class _Row:
    sheet: _Sheet
    line: int
    cells: dict[str, object]
    is_valid: bool = True

    def fail(self, column: str, message: str) -> None:
        self.is_valid = False
        self.sheet.fail(message, self.line, column)

    def text(self, column: str) -> str:
        return _text(self.cells.get(column))


@dataclass(frozen=True)
class _Reference:
    """An id on one file's row that must name a row of the other file."""

    line: int
    column: str
    value: str


def _read_sheet(path: str, kind: str, columns: Sequence[str], required: Sequence[str]) -> _Sheet:
    sheet = _Sheet(path=path, kind=kind)
    try:
        lines = _read_lines(Path(path), columns)
    except FileProblem as problem:
        sheet.fail(str(problem))
        return sheet
    if not lines:
        sheet.fail(f"the file is empty: its first row must hold the column names of the {kind}")
        return sheet
    first_line, header = lines[0]
    if first_line != 1:
        sheet.fail("line 1 is empty: the first row must hold the column names", 1)
        return sheet
    names = _read_header(sheet, header, columns, required)
    if names is None:
        return sheet
    if len(lines) == 1:
        sheet.fail(f"the file has no {kind} below its header row")
        return sheet
    sheet.is_readable = True
    for line, values in lines[1:]:
        cells: dict[str, object] = {}
        row = _Row(sheet, line, cells)
        for index, value in enumerate(values):
            if index in names:
                cells[names[index]] = value
            elif _text(value):
                row.fail(
                    get_column_letter(index + 1),
                    f"the value '{_shown(_text(value))}' is in a column with no name in "
                    "the header row",
                )
        sheet.rows.append(row)
    return sheet


def _read_header(
    sheet: _Sheet, header: list[object], columns: Sequence[str], required: Sequence[str]
) -> dict[int, str] | None:
    """Column index -> column name, or None (with the problems) if the header is bad."""
    names: dict[int, str] = {}
    ok = True
    for index, value in enumerate(header):
        name = _column_name(value)
        if not name:
            continue
        if name in names.values():
            sheet.fail("this column appears more than once in the header row", 1, name)
            ok = False
        elif name not in columns:
            sheet.fail(
                f"unknown column '{_shown(_text(value))}' (the {sheet.kind} columns are: "
                f"{', '.join(columns)})",
                1,
                get_column_letter(index + 1),
            )
            ok = False
        names[index] = name
    for name in required:
        if name not in names.values():
            sheet.fail("this required column is missing from the header row", 1, name)
            ok = False
    return names if ok else None


# Reading a file's lines -----------------------------------------------------------------


def _read_lines(path: Path, columns: Sequence[str]) -> list[tuple[int, list[object]]]:
    """The non-empty rows of the file with their line numbers, header included."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        if suffix == ".xls":
            raise FileProblem(
                "old Excel files (.xls) cannot be read: in Excel, save the file as an "
                "Excel workbook (.xlsx) or as CSV UTF-8"
            )
        raise FileProblem(
            f"cannot read a '{suffix or 'file without an extension'}' file: give a .csv "
            "or an .xlsx file"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("this is a folder, not a file") from None
    except OSError as error:
        raise FileProblem(f"the file cannot be read ({error.strerror or error})") from None
    if suffix == ".xlsx":
        return _xlsx_lines(data)
    return _csv_lines(data, columns)


def _collect(rows: Iterable[Sequence[object]]) -> list[tuple[int, list[object]]]:
    return [
        (line, list(values))
        for line, values in enumerate(rows, start=1)
        if any(_text(value) for value in values)
    ]


def _csv_lines(data: bytes, columns: Sequence[str]) -> list[tuple[int, list[object]]]:
    if data.startswith(_ZIP_MAGIC):
        raise FileProblem(
            "this file is an Excel workbook with a .csv name: rename it to end in .xlsx, "
            "or save it from Excel as CSV UTF-8"
        )
    if data.startswith(_UTF16_BOMS) or b"\x00" in data:
        raise FileProblem(
            "this .csv file does not hold plain UTF-8 text (it looks like UTF-16): in "
            "Excel, save the sheet as CSV UTF-8 (comma delimited)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            f"this .csv file is not in the UTF-8 encoding (byte {error.start + 1} cannot "
            "be read): in Excel, save it as CSV UTF-8; in LibreOffice, choose the "
            "character set Unicode (UTF-8)"
        ) from None
    first_line, _newline, rest = text.partition("\n")
    # Excel writes "sep=;" above the header when asked to, and hides that line when it
    # opens the file: the header is still what staff see as line 1.
    marker = first_line.strip()
    if marker.lower().startswith("sep=") and len(marker) == 5:
        delimiter = marker[4]
        text = rest
    else:
        delimiter = _guess_delimiter(marker, columns)
    try:
        return _collect(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblem(
            f"the file cannot be read as CSV ({error}): save it again as CSV UTF-8"
        ) from None


def _guess_delimiter(header_line: str, columns: Sequence[str]) -> str:
    """The separator under which the header names the most known columns."""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(_column_name(cell) in columns for cell in cells)

    # max() keeps the first of equals: a comma, unless another separator does better.
    return max([",", ";", "\t"], key=known)


def _xlsx_lines(data: bytes) -> list[tuple[int, list[object]]]:
    not_a_workbook = FileProblem(
        "this .xlsx file is not an Excel workbook, or it is damaged or protected by a "
        "password: open it in Excel and save it again as an Excel workbook (.xlsx)"
    )
    if not data:
        return []
    if not data.startswith(_ZIP_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_a_workbook
    # openpyxl reports a malformed workbook with many exception types (zip, XML, key,
    # value, type errors); each one means the same to the person who has to fix it.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise not_a_workbook from None
    try:
        sheets = [sheet for sheet in workbook.worksheets if hasattr(sheet, "iter_rows")]
        if not sheets:
            raise not_a_workbook
        sheet = workbook.active if workbook.active in sheets else sheets[0]
        try:
            return _collect(sheet.iter_rows(values_only=True))
        except Exception:
            raise not_a_workbook from None
    finally:
        workbook.close()


# Checking rows --------------------------------------------------------------------------


def _read_mentee(row: _Row, today: dt.date) -> tuple[Mentee | None, list[_Reference], bool]:
    """The mentee on a row (None if the row has a problem), the mentor ids it names,
    and whether she has no birth date."""
    mentee_id = _read_id(row)
    name = " ".join(row.text("name").split())
    languages = _read_languages(row)
    fields_ = _read_codes(row, "fields")

    birth_date = _read_date(row, "birth_date", today)
    # Safeguarding: an unknown age counts as not adult (CONTRIBUTING.md), so a mentee
    # without a birth date is only matched with mentors cleared for minors.
    is_undated = not row.text("birth_date")
    is_minor = birth_date is None or _age(birth_date, today) < ADULT_AGE

    country, region, district = _read_place(row)

    mentor_type = row.text("preferred_mentor_type").lower() or "any"
    if mentor_type not in MENTOR_TYPES:
        row.fail(
            "preferred_mentor_type",
            f"unknown preferred_mentor_type '{_shown(mentor_type)}' (use regional, "
            "international or any; empty means any)",
        )

    availability = _read_availability(row)
    hours = _read_whole_number(row, "hours_per_month", required=False)
    ranked = _read_ids(row, "ranked_mentors")
    excluded = _read_ids(row, "excluded_mentors")
    for both in sorted(set(ranked) & set(excluded)):
        row.fail(
            "excluded_mentors",
            f"mentor '{_shown(both)}' is both in ranked_mentors and in excluded_mentors",
        )
    refs = [
        _Reference(row.line, column, value)
        for column, values in (("ranked_mentors", ranked), ("excluded_mentors", excluded))
        for value in values
    ]
    if not row.is_valid:
        return None, refs, False
    mentee = Mentee(
        id=mentee_id,
        languages=languages,
        fields=fields_,
        goal=row.text("goal"),
        country=country,
        region=region,
        district=district,
        is_minor=is_minor,
        preferred_mentor_type=mentor_type,
        availability=availability,
        hours_per_month=hours,
        ranked_mentors=tuple(ranked),
        excluded_mentors=frozenset(excluded),
        name=name,
    )
    return mentee, refs, is_undated


def _read_mentor(row: _Row) -> tuple[Mentor | None, list[_Reference]]:
    mentor_id = _read_id(row)
    name = " ".join(row.text("name").split())
    languages = _read_languages(row)
    fields_ = _read_codes(row, "fields")
    country, region, district = _read_place(row)
    capacity = _read_whole_number(row, "capacity", required=True)
    cleared = _read_boolean(row, "cleared_for_minors")
    availability = _read_availability(row)
    hours = _read_whole_number(row, "hours_per_month", required=False)
    ranked = _read_ids(row, "ranked_mentees")
    refs = [_Reference(row.line, "ranked_mentees", value) for value in ranked]
    if not row.is_valid or capacity is None:
        return None, refs
    mentor = Mentor(
        id=mentor_id,
        languages=languages,
        capacity=capacity,
        fields=fields_,
        expertise=row.text("expertise"),
        country=country,
        region=region,
        district=district,
        is_cleared_for_minors=cleared,
        availability=availability,
        hours_per_month=hours,
        ranked_mentees=tuple(ranked),
        name=name,
    )
    return mentor, refs


def _read_id(row: _Row) -> str:
    value = row.text("id")
    if not value:
        row.fail("id", "id is empty: every row needs an id, unique in the file")
        return value
    first = row.sheet.ids.setdefault(value, row.line)
    if first != row.line:
        row.fail("id", f"id '{_shown(value)}' is already used on line {first}")
    return value


def _check_references(refs: list[_Reference], owner: _Sheet, other: _Sheet, kind: str) -> None:
    for ref in refs:
        if ref.value not in other.ids:
            owner.fail(f"{kind} '{_shown(ref.value)}' is not in {other.path}", ref.line, ref.column)


def _read_languages(row: _Row) -> dict[str, str | None]:
    """``ky:native; en:B2; ru`` -> {"ky": "native", "en": "B2", "ru": None}."""
    languages: dict[str, str | None] = {}
    items = [item.strip() for item in _LIST_SEPARATORS.split(row.text("languages"))]
    items = [item for item in items if item]
    if not items:
        row.fail(
            "languages",
            "languages is empty: give at least one language, for example 'ky:native; ru:B2'",
        )
        return languages
    for item in items:
        code, _colon, level_text = (part.strip() for part in item.partition(":"))
        code = code.lower()
        if code not in ISO_639_1:
            hint = (
                " (use two-letter ISO 639-1 codes, for example ky, ru, en)"
                if len(code) != 2
                else ""
            )
            row.fail("languages", f"unknown language code '{_shown(code)}'{hint}")
            continue
        spelled = level_text.lower()
        if spelled in _FLUENT_SPELLINGS:
            level = None
        elif spelled in _LEVEL_BY_SPELLING:
            level = _LEVEL_BY_SPELLING[spelled]
        else:
            row.fail(
                "languages",
                f"unknown level '{_shown(level_text)}' for language '{code}' (use "
                f"{', '.join(LEVELS)}, or no level for fluent)",
            )
            continue
        if code in languages:
            row.fail("languages", f"language '{code}' is given twice")
            continue
        languages[code] = level
    return languages


def _read_codes(row: _Row, column: str) -> frozenset[str]:
    return frozenset(
        item.strip().lower() for item in _LIST_SEPARATORS.split(row.text(column)) if item.strip()
    )


def _read_availability(row: _Row) -> frozenset[str]:
    windows = _read_codes(row, "availability")
    for window in sorted(windows.difference(AVAILABILITY_WINDOWS)):
        row.fail(
            "availability",
            f"unknown availability window '{_shown(window)}' (use "
            f"{', '.join(AVAILABILITY_WINDOWS)})",
        )
    return windows


def _read_ids(row: _Row, column: str) -> list[str]:
    ids: list[str] = []
    for item in _LIST_SEPARATORS.split(row.text(column)):
        value = item.strip()
        if not value:
            continue
        if value in ids:
            row.fail(column, f"'{_shown(value)}' is given twice")
            continue
        ids.append(value)
    return ids


def _read_place(row: _Row) -> tuple[str, str, str]:
    country = row.text("country").upper() or HOME_COUNTRY
    region = row.text("region").lower()
    district = row.text("district").lower()
    if country not in COUNTRY_CODES:
        row.fail(
            "country",
            f"unknown country code '{_shown(country)}' (use an ISO 3166 two-letter code, "
            "for example KG, KZ or DE; empty means KG)",
        )
        return country, region, district
    if country != HOME_COUNTRY:
        for column, value in (("region", region), ("district", district)):
            if value:
                row.fail(
                    column,
                    f"{column} '{_shown(value)}' is given for someone outside Kyrgyzstan "
                    f"(country {country}): leave it empty",
                )
        return country, region, district
    if region and region not in REGIONS:
        row.fail(
            "region",
            f"unknown region '{_shown(region)}' (use one of: {', '.join(REGIONS)})",
        )
    if district:
        if district not in DISTRICT_REGION:
            row.fail("district", f"unknown district '{_shown(district)}'")
        elif not region:
            row.fail(
                "district",
                f"district '{district}' needs its region, {DISTRICT_REGION[district]}",
            )
        elif region in REGIONS and DISTRICT_REGION[district] != region:
            row.fail(
                "district",
                f"district '{district}' is not in region '{region}' but in "
                f"'{DISTRICT_REGION[district]}'",
            )
    return country, region, district


def _read_whole_number(row: _Row, column: str, *, required: bool) -> int | None:
    value = row.cells.get(column)
    text = _text(value)
    if not text:
        if required:
            row.fail(column, f"{column} is empty: write a whole number, 0 or more")
        return None
    if isinstance(value, bool) or not _WHOLE_NUMBER.fullmatch(text):
        row.fail(
            column, f"{column} '{_shown(text)}' is not a whole number (write 0 or more, e.g. 2)"
        )
        return None
    return int(text)


def _read_boolean(row: _Row, column: str) -> bool:
    text = row.text(column).lower()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        row.fail(
            column,
            f"{column} '{_shown(row.text(column))}' is not yes or no (write yes, no, true, "
            "false, 1 or 0; empty means no)",
        )
    return False


def _read_date(row: _Row, column: str, today: dt.date) -> dt.date | None:
    value = row.cells.get(column)
    text = _text(value)
    if not text:
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            date = dt.date.fromisoformat(text)
        except ValueError:
            row.fail(column, f"{column} '{_shown(text)}' is not a date (write YYYY-MM-DD)")
            return None
    if date > today:
        row.fail(column, f"{column} '{date.isoformat()}' is in the future")
        return None
    if date < EARLIEST_BIRTH_DATE:
        row.fail(column, f"{column} '{date.isoformat()}' is before 1900")
        return None
    return date


def _age(birth_date: dt.date, today: dt.date) -> int:
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


# Options --------------------------------------------------------------------------------

WEIGHT_NAMES = tuple(f.name for f in fields(Weights))


def parse_weights(spec: str | None, *, option: str = "--weights") -> tuple[Weights, list[Problem]]:
    """``fields=3,text=2`` -> Weights with those two changed; the others keep their
    defaults. Every weight must be a number >= 0, and at least one must be above 0."""
    if not spec or not spec.strip():
        return Weights(), []
    problems: list[Problem] = []
    values: dict[str, float] = {}
    for item in re.split(r"[,;]", spec):
        item = item.strip()
        if not item:
            continue
        name, equals, number = (part.strip() for part in item.partition("="))
        name = name.lower()
        if not equals:
            problems.append(
                Problem(option, f"'{_shown(item)}' is not name=number (for example fields=3)")
            )
            continue
        if name not in WEIGHT_NAMES:
            problems.append(
                Problem(
                    option,
                    f"unknown factor '{_shown(name)}' (the factors are: {', '.join(WEIGHT_NAMES)})",
                )
            )
            continue
        try:
            weight = float(number)
        except ValueError:
            weight = math.nan
        if not math.isfinite(weight) or weight < 0:
            problems.append(
                Problem(option, f"the weight of {name}, '{_shown(number)}', is not a number >= 0")
            )
            continue
        if name in values:
            problems.append(Problem(option, f"{name} is given twice"))
            continue
        values[name] = weight
    weights = Weights(**values)
    if not problems and not any(getattr(weights, name) > 0 for name in WEIGHT_NAMES):
        problems.append(Problem(option, "every weight is 0: at least one must be above 0"))
    return weights, problems


def check_output_path(path: str, option: str, *, inputs: Sequence[str] = ()) -> list[Problem]:
    """Problems that would stop an output being written, found before any work is done."""
    target = Path(path)
    if target.suffix.lower() not in OUTPUT_EXTENSIONS:
        return [
            Problem(
                option,
                f"'{path}' must end in .csv or .xlsx (that is how its format is chosen)",
            )
        ]
    folder = target.parent
    if not folder.is_dir():
        return [Problem(option, f"the folder '{folder}' does not exist")]
    if not os.access(folder, os.W_OK | os.X_OK):
        return [Problem(option, f"the folder '{folder}' cannot be written to")]
    if target.is_dir():
        return [Problem(option, f"'{path}' is a folder")]
    resolved = target.resolve()
    for other in inputs:
        if Path(other).resolve() == resolved:
            return [Problem(option, f"'{path}' is also an input file: it would be overwritten")]
    return []


# Writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    path: str
    header: tuple[str, ...]
    rows: list[tuple[object, ...]]
    score_decimals: int
    sheet_title: str
    column_widths: tuple[int, ...] = ()


def matches_table(
    path: str,
    result: MatchResult,
    mentees: Sequence[Mentee],
    *,
    describe_factor: Callable,
    describe_unmatched: Callable,
) -> Table:
    """One row per assignment, in the mentees file's order, then one per unmatched
    mentee with an empty mentor and score and the reason in words."""
    order = {mentee.id: index for index, mentee in enumerate(mentees)}
    rows: list[tuple[object, ...]] = []
    for assignment in sorted(result.assignments, key=lambda a: order.get(a.mentee_id, -1)):
        sentences = (describe_factor(factor) for factor in assignment.factors)
        reasons = "; ".join(sentence for sentence in sentences if sentence)
        rows.append(
            (
                assignment.mentee_id,
                assignment.mentor_id,
                round(assignment.score, MATCH_SCORE_DECIMALS),
                reasons,
            )
        )
    for unmatched in sorted(result.unmatched, key=lambda u: order.get(u.mentee_id, -1)):
        rows.append((unmatched.mentee_id, None, None, describe_unmatched(unmatched)))
    return Table(path, MATCHES_HEADER, rows, MATCH_SCORE_DECIMALS, "matches", (14, 14, 8, 100))


def scores_table(path: str, result: MatchResult) -> Table:
    rows = [
        (mentee_id, mentor_id, round(float(score), CANDIDATE_SCORE_DECIMALS))
        for mentee_id, mentor_id, score in result.candidates
    ]
    return Table(path, SCORES_HEADER, rows, CANDIDATE_SCORE_DECIMALS, "scores", (14, 14, 10))


def check_table_size(table: Table, option: str) -> list[Problem]:
    if table.path.lower().endswith(".xlsx") and len(table.rows) + 1 > XLSX_MAX_ROWS:
        return [
            Problem(
                option,
                f"{len(table.rows):,} rows do not fit in an Excel sheet (at most "
                f"{XLSX_MAX_ROWS - 1:,}): write a .csv file instead",
            )
        ]
    return []


def write_tables(tables: Sequence[Table]) -> None:
    """Write every table, or none: each goes to a temporary file beside its target, and
    the temporary files are renamed into place only once all of them are complete."""
    written: list[tuple[str, str]] = []
    try:
        for table in tables:
            written.append((_write_temporary(table), table.path))
        for temporary, target in written:
            os.replace(temporary, target)
    finally:
        for temporary, _target in written:
            if os.path.exists(temporary):
                os.unlink(temporary)


def _write_temporary(table: Table) -> str:
    target = Path(table.path)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
    )
    os.close(handle)
    try:
        # mkstemp makes the file private (0600); an output file gets the permissions
        # any other new file of this user would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        if target.suffix.lower() == ".xlsx":
            _write_xlsx(temporary, table)
        else:
            _write_csv(temporary, table)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _write_csv(path: str, table: Table) -> None:
    with open(path, "w", encoding="utf-8", newline="") as output:
        writer = csv.writer(output)
        writer.writerow(table.header)
        writer.writerows(_csv_cells(table))


def _csv_cells(table: Table) -> Iterator[list[str]]:
    for row in table.rows:
        yield [
            f"{value:.{table.score_decimals}f}"
            if isinstance(value, float)
            else ("" if value is None else str(value))
            for value in row
        ]


def _write_xlsx(path: str, table: Table) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(table.sheet_title)
    for index, width in enumerate(table.column_widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(list(table.header))
    for row in table.rows:
        sheet.append(list(row))
    workbook.save(path)


# Small pieces ---------------------------------------------------------------------------


def _column_name(cell: object) -> str:
    return _HEADER_SEPARATORS.sub("_", _text(cell).lower())


def _text(value: object) -> str:
    """A cell as the text staff typed: numbers without '.0', dates as YYYY-MM-DD."""
    if type(value) is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _shown(value: str) -> str:
    """A value quoted back, cut short so that a stray paragraph stays readable."""
    if len(value) <= _SHOWN_LENGTH:
        return value
    return value[: _SHOWN_LENGTH - 1] + "…"
