"""Reading a file of participants for one cohort, and checking every row of it.

Staff upload a CSV file (UTF-8, with or without a byte-order mark, separated by commas,
semicolons or tabs) or an Excel workbook (.xlsx, first sheet). The first row holds the
column names, written in any case; spaces and hyphens count as underscores, so
``Full name`` is ``full_name``. The columns are:

================== ======== ==========================================================
column             required what to write
================== ======== ==========================================================
email              yes      her e-mail address; the account is found by it, any case
full_name          yes      her name as it should appear on the platform
role               yes      mentee, mentor, staff, jury or partner
date_of_birth      mentees  YYYY-MM-DD (in a workbook a date cell works too)
country            no       ISO code from ``geography.Country``; empty means KG
region             no       a ``geography.Region`` code; only for people in KG
district           no       a district code of that region; only for people in KG
preferred_language no       en, ru or ky; empty means en
languages          no       ``language:level`` items separated by ``;`` or ``,``,
                            for example ``ky:native; en:B2`` (codes from
                            ``choices.Language`` and ``choices.LanguageLevel``)
================== ======== ==========================================================

Line numbers in messages are the row numbers the staff member sees in her spreadsheet:
the header is line 1. Empty rows are skipped but keep their numbers. A file is imported
only when every row is valid, so every problem is reported at once: the file-level ones
(wrong type, too big, bad header) stop reading, the row-level ones are collected.

This module reads and checks; it never writes. ``services.import_participants`` asks it
for a plan and performs the writes in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from stem4all.accounts.choices import Language, LanguageLevel
from stem4all.accounts.geography import DISTRICT_REGION, DISTRICTS, HOME_COUNTRY, Country, Region
from stem4all.accounts.models import User

from .models import Cohort, Participation

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# A 5 MB workbook can unpack to gigabytes (a "zip bomb"); a real one with 5,000 rows
# unpacks to a few megabytes.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Empty rows do not count towards MAX_ROWS, but reading stops here all the same, so a
# sheet formatted down to row 1,048,576 cannot keep the server busy.
MAX_LINES = 10 * MAX_ROWS
# Keeps every IN (...) list well under SQLite's limit on query parameters.
QUERY_CHUNK = 500

COLUMNS = (
    "email",
    "full_name",
    "role",
    "date_of_birth",
    "country",
    "region",
    "district",
    "preferred_language",
    "languages",
)
REQUIRED_COLUMNS = ("email", "full_name", "role")
FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
DEFAULT_LANGUAGE = "en"

EXAMPLE_CSV = (
    "email,full_name,role,date_of_birth,country,region,district,preferred_language,languages\n"
    "aigerim.sadykova@example.org,Aigerim Sadykova,mentee,2008-04-15,KG,naryn,at_bashy,ky,"
    "ky:native; ru:B1; en:A2\n"
    "elena.novak@example.org,Elena Novak,mentor,,DE,,,en,en:C2; ru:native\n"
)

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")
_LANGUAGE_ITEM_SEPARATORS = re.compile(r"[;,]")
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SHOWN_VALUE_LENGTH = 60


class RowError(NamedTuple):
    """One problem, ready to show. ``line`` is 0 for a problem with the whole file."""

    line: int
    message: str


@dataclass
class ParticipantRow:
    line: int
    email: str
    full_name: str
    role: str
    date_of_birth: dt.date | None
    country: str
    region: str
    district: str
    preferred_language: str
    languages: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedFile:
    rows_read: int = 0
    rows: list[ParticipantRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # True when the file itself could not be read: rows were not (all) looked at.
    is_unreadable: bool = False


@dataclass
class ImportPlan:
    """What importing the valid rows would do, and why some rows cannot be imported."""

    rows: list[ParticipantRow] = field(default_factory=list)
    new_rows: list[ParticipantRow] = field(default_factory=list)
    existing_user_ids: dict[str, int] = field(default_factory=dict)  # e-mail -> user id
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of an import or a dry run, as shown to staff.

    ``rows_read`` counts the non-empty rows under the header; every valid row becomes
    one participation. ``to_create`` is how many new accounts those rows need, and
    ``existing_users_reused`` how many rows go to accounts that already exist.
    """

    rows_read: int = 0
    to_create: int = 0
    existing_users_reused: int = 0
    errors: list[str] = field(default_factory=list)
    imported: bool = False
    dry_run: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors


class FileProblem(Exception):
    """The file as a whole cannot be read; the message tells staff what to do."""


# Reading ---------------------------------------------------------------------------------


def read_participants(uploaded_file) -> ParsedFile:
    """Read and check every row of an uploaded file. Never raises for a bad file."""
    try:
        lines = _read_lines(uploaded_file)
    except FileProblem as problem:
        return ParsedFile(errors=[RowError(0, str(problem))], is_unreadable=True)
    if not lines:
        return ParsedFile(
            errors=[RowError(0, _("The file is empty: its first row must hold the column names."))],
            is_unreadable=True,
        )
    if lines[0][0] != 1:
        return ParsedFile(
            errors=[RowError(1, _("Line 1 is empty: the first row must hold the column names."))],
            is_unreadable=True,
        )
    (_header_line, header_values), *data = lines
    columns, header_errors = _read_header(header_values)
    if header_errors:
        return ParsedFile(rows_read=len(data), errors=header_errors, is_unreadable=True)
    if not data:
        return ParsedFile(
            errors=[RowError(0, _("The file has no participants below its header row."))]
        )
    parsed = ParsedFile(rows_read=len(data))
    first_line_of: dict[str, int] = {}
    for line, values in data:
        row, errors = _read_row(line, values, columns)
        if row is not None:
            first = first_line_of.setdefault(row.email, line)
            if first != line:
                errors.append(
                    RowError(
                        line,
                        _("Line %(line)s: email '%(value)s' already appears on line %(first)s")
                        % {"line": line, "value": _shown(row.email), "first": first},
                    )
                )
        if errors:
            parsed.errors.extend(errors)
        elif row is not None:
            parsed.rows.append(row)
    return parsed


def _read_lines(uploaded_file) -> list[tuple[int, list[object]]]:
    """The non-empty rows of the file with their line numbers, header included."""
    name = (getattr(uploaded_file, "name", "") or "").lower()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise FileProblem(_too_big_message())
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(_too_big_message())
    if name.endswith(".xlsx"):
        return _xlsx_lines(data)
    if name.endswith(".csv"):
        return _csv_lines(data)
    if name.endswith(".xls"):
        raise FileProblem(
            _(
                "Old Excel files (.xls) cannot be read. In Excel, save the file as an Excel "
                "workbook (.xlsx) or as CSV UTF-8, then upload it again."
            )
        )
    raise FileProblem(_("Upload a .csv or an .xlsx file; this file is neither."))


def _too_big_message() -> str:
    return _(
        "The file is larger than %(size)s MB. Split it into smaller files and import them "
        "one after the other."
    ) % {"size": MAX_FILE_BYTES // (1024 * 1024)}


def _too_many_rows_message() -> str:
    return _(
        "The file has more than %(max)s rows of participants. Split it into files of at "
        "most %(max)s rows and import them one after the other."
    ) % {"max": MAX_ROWS}


def _collect(rows: Iterable[Sequence[object]]) -> list[tuple[int, list[object]]]:
    lines = []
    for line, values in enumerate(rows, start=1):
        if line > MAX_LINES:
            raise FileProblem(_too_many_rows_message())
        if all(_text(value) == "" for value in values):
            continue
        lines.append((line, list(values)))
        if len(lines) > MAX_ROWS + 1:  # the header, then at most MAX_ROWS rows
            raise FileProblem(_too_many_rows_message())
    return lines


def _csv_lines(data: bytes) -> list[tuple[int, list[object]]]:
    if data.startswith(_ZIP_MAGIC):
        raise FileProblem(
            _(
                "This file is an Excel workbook with a .csv name. Rename it to end in .xlsx, "
                "or save it from Excel as CSV UTF-8."
            )
        )
    if data.startswith(_UTF16_BOMS) or b"\x00" in data:
        raise FileProblem(
            _(
                "This .csv file does not contain plain text. In Excel, save the sheet as "
                "CSV UTF-8 (comma delimited), or upload the .xlsx workbook itself."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            _(
                "This .csv file is not in the UTF-8 encoding. In Excel, save it as CSV UTF-8 "
                "(comma delimited); in LibreOffice, choose the character set Unicode (UTF-8)."
            )
        ) from None
    first_line, _newline, rest = text.partition("\n")
    # Excel writes "sep=;" above the header when asked to; it hides that line when
    # opening the file, so the header is still the line staff see as line 1.
    marker = first_line.strip().lower()
    if marker.startswith("sep=") and len(marker) == 5:
        delimiter = first_line.strip()[4]
        text = rest
    else:
        delimiter = _guess_delimiter(first_line)
    try:
        return _collect(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise FileProblem(
            _("The file could not be read as CSV (%(reason)s). Save it again as CSV UTF-8.")
            % {"reason": error}
        ) from None


def _guess_delimiter(header_line: str) -> str:
    """The separator under which the header names the most known columns."""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(_column_name(cell) in COLUMNS for cell in cells)

    # max() keeps the first of equals: a comma, unless another separator does better.
    return max([",", ";", "\t"], key=known)


def _xlsx_lines(data: bytes) -> list[tuple[int, list[object]]]:
    not_a_workbook = _(
        "This .xlsx file is not an Excel workbook, or it is damaged or protected by a "
        "password. Open it in Excel and save it again as an Excel workbook (.xlsx)."
    )
    if not data.startswith(_ZIP_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(not_a_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(not_a_workbook) from None
    if "xl/workbook.xml" not in {member.filename for member in members}:
        raise FileProblem(not_a_workbook)
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise FileProblem(_too_big_message())
    # openpyxl signals a malformed workbook with many exception types (zip, XML, key,
    # value and type errors); each one means the same to staff.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileProblem(not_a_workbook) from None
    try:
        sheets = [sheet for sheet in workbook.worksheets if hasattr(sheet, "iter_rows")]
        if not sheets:
            raise FileProblem(not_a_workbook)
        sheet = workbook.active if workbook.active in sheets else sheets[0]
        try:
            return _collect(sheet.iter_rows(values_only=True))
        except FileProblem:
            raise
        except Exception:
            raise FileProblem(not_a_workbook) from None
    finally:
        workbook.close()


# Checking --------------------------------------------------------------------------------


def _column_name(cell: object) -> str:
    return _HEADER_SEPARATORS.sub("_", _text(cell).lower())


def _read_header(values: list[object]) -> tuple[dict[int, str], list[RowError]]:
    """Column index -> column name, or the problems that stop reading the file."""
    columns: dict[int, str] = {}
    errors: list[RowError] = []
    unknown: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        name = _column_name(value)
        if not name:
            continue
        if name in seen:
            errors.append(
                RowError(
                    1,
                    _("Line 1: the column %(column)s appears more than once.")
                    % {"column": _shown(name)},
                )
            )
        elif name not in COLUMNS:
            unknown.append(_shown(_text(value)))
        seen.add(name)
        columns[index] = name
    if unknown:
        errors.append(
            RowError(
                1,
                _("Line 1: unknown columns: %(columns)s. The known columns are: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)},
            )
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        errors.append(
            RowError(
                1,
                _("Line 1: required columns are missing: %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        )
    return columns, errors


def _read_row(
    line: int, values: list[object], columns: dict[int, str]
) -> tuple[ParticipantRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(message: str, **params: object) -> None:
        errors.append(RowError(line, message % {"line": line, **params}))

    cells: dict[str, object] = {}
    for index, value in enumerate(values):
        if index in columns:
            cells[columns[index]] = value
        elif _text(value):
            fail(
                _("Line %(line)s: column %(column)s has a value but no name in the header row"),
                column=get_column_letter(index + 1),
            )

    def text(name: str) -> str:
        return _text(cells.get(name))

    email = text("email").lower()
    if not email:
        fail(_("Line %(line)s: email is empty"))
    elif len(email) > EMAIL_MAX_LENGTH or not _is_email(email):
        fail(
            _("Line %(line)s: email '%(value)s' is not a valid e-mail address"), value=_shown(email)
        )

    full_name = " ".join(text("full_name").split())
    if not full_name:
        fail(_("Line %(line)s: full_name is empty"))
    elif len(full_name) > FULL_NAME_MAX_LENGTH:
        fail(
            _("Line %(line)s: full_name is longer than %(max)s characters"),
            max=FULL_NAME_MAX_LENGTH,
        )

    roles = ", ".join(Participation.Role.values)
    role = text("role").lower()
    if not role:
        fail(_("Line %(line)s: role is empty (use one of: %(choices)s)"), choices=roles)
    elif role not in Participation.Role.values:
        fail(
            _("Line %(line)s: role '%(value)s' is not one of: %(choices)s"),
            value=_shown(role),
            choices=roles,
        )

    date_of_birth = None
    raw_birth = cells.get("date_of_birth")
    if _text(raw_birth):
        try:
            date_of_birth = _date(raw_birth)
        except ValueError:
            fail(
                _("Line %(line)s: date_of_birth '%(value)s' is not a date (use YYYY-MM-DD)"),
                value=_shown(_text(raw_birth)),
            )
        else:
            if date_of_birth > timezone.localdate():
                fail(
                    _("Line %(line)s: date_of_birth '%(value)s' is in the future"),
                    value=date_of_birth.isoformat(),
                )
            elif date_of_birth < EARLIEST_BIRTH_DATE:
                fail(
                    _("Line %(line)s: date_of_birth '%(value)s' is before 1900"),
                    value=date_of_birth.isoformat(),
                )
    elif role == Participation.Role.MENTEE:
        fail(_("Line %(line)s: date_of_birth is required for a mentee (use YYYY-MM-DD)"))

    country = text("country").upper() or HOME_COUNTRY
    if country not in Country.values:
        fail(
            _(
                "Line %(line)s: country '%(value)s' is not a known country code "
                "(for example KG, KZ or DE; XX for any other country)"
            ),
            value=_shown(country),
        )
    region = text("region").lower()
    district = text("district").lower()
    if country != HOME_COUNTRY and (region or district):
        fail(
            _(
                "Line %(line)s: region and district must be empty for someone living outside "
                "Kyrgyzstan (country %(country)s)"
            ),
            country=_shown(country),
        )
    elif country == HOME_COUNTRY:
        if region and region not in Region.values:
            fail(
                _("Line %(line)s: region '%(value)s' is not a known region code"),
                value=_shown(region),
            )
        if district and district not in DISTRICT_REGION:
            fail(
                _("Line %(line)s: district '%(value)s' is not a known district code"),
                value=_shown(district),
            )
        elif district and not region:
            fail(
                _("Line %(line)s: district '%(value)s' needs its region, %(region)s"),
                value=district,
                region=DISTRICT_REGION[district],
            )
        elif district and region in Region.values and DISTRICT_REGION[district] != region:
            fail(
                _("Line %(line)s: district '%(value)s' is not in region '%(region)s'"),
                value=district,
                region=region,
            )

    site_languages = [code for code, _name in settings.LANGUAGES]
    preferred_language = text("preferred_language").lower() or DEFAULT_LANGUAGE
    if preferred_language not in site_languages:
        fail(
            _("Line %(line)s: preferred_language '%(value)s' is not one of: %(choices)s"),
            value=_shown(preferred_language),
            choices=", ".join(site_languages),
        )

    languages = _read_languages(text("languages"), fail)

    if errors:
        return None, errors
    row = ParticipantRow(
        line=line,
        email=email,
        full_name=full_name,
        role=role,
        date_of_birth=date_of_birth,
        country=country,
        region=region,
        district=district,
        preferred_language=preferred_language,
        languages=languages,
    )
    return row, errors


def _read_languages(value: str, fail) -> list[tuple[str, str]]:
    languages: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in _LANGUAGE_ITEM_SEPARATORS.split(value):
        item = item.strip()
        if not item:
            continue
        code, colon, level = (part.strip() for part in item.partition(":"))
        if not colon or not code or not level:
            fail(
                _(
                    "Line %(line)s: languages item '%(value)s' is not language:level "
                    "(for example ky:native)"
                ),
                value=_shown(item),
            )
            continue
        code = code.lower()
        level = "native" if level.lower() == "native" else level.upper()
        if code not in Language.values:
            fail(
                _("Line %(line)s: language '%(value)s' in languages is not one of: %(choices)s"),
                value=_shown(code),
                choices=", ".join(Language.values),
            )
        elif level not in LanguageLevel.values:
            fail(
                _("Line %(line)s: level '%(value)s' in languages is not one of: %(choices)s"),
                value=_shown(level),
                choices=", ".join(LanguageLevel.values),
            )
        elif code in seen:
            fail(
                _("Line %(line)s: language '%(value)s' appears twice in languages"),
                value=code,
            )
        else:
            seen.add(code)
            languages.append((code, level))
    return languages


def plan_import(rows: list[ParticipantRow], *, cohort: Cohort) -> ImportPlan:
    """Match valid rows to existing accounts and refuse places already taken.

    An account with the same e-mail (in any case) is reused as it is. A person who
    already takes part in the cohort in the row's role is refused; the unique
    constraint on participations closes the race with anyone adding her meanwhile.
    """
    plan = ImportPlan()
    accounts = find_accounts([row.email for row in rows])
    taken = taken_places(cohort, [user_id for user_id, _active in accounts.values()])
    for row in rows:
        account = accounts.get(row.email)
        if account is None:
            plan.rows.append(row)
            plan.new_rows.append(row)
            continue
        user_id, is_active = account
        if not is_active:
            plan.errors.append(
                RowError(
                    row.line,
                    _(
                        "Line %(line)s: the account of %(email)s is deactivated; reactivate "
                        "it before importing her"
                    )
                    % {"line": row.line, "email": row.email},
                )
            )
        elif (user_id, row.role) in taken:
            plan.errors.append(
                RowError(
                    row.line,
                    _("Line %(line)s: %(email)s already takes part in this cohort as %(role)s")
                    % {"line": row.line, "email": row.email, "role": row.role},
                )
            )
        else:
            plan.rows.append(row)
            plan.existing_user_ids[row.email] = user_id
    return plan


def find_accounts(emails: list[str]) -> dict[str, tuple[int, bool]]:
    """Lower-case e-mail -> (user id, is active) for the accounts that exist."""
    found: dict[str, tuple[int, bool]] = {}
    for chunk in _chunks(emails):
        accounts = (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .order_by("pk")
            .values_list("email_lower", "pk", "is_active")
        )
        for email, pk, is_active in accounts:
            found.setdefault(email, (pk, is_active))
    return found


def taken_places(cohort: Cohort, user_ids: list[int]) -> set[tuple[int, str]]:
    """(user id, role) pairs that already have a participation in the cohort."""
    taken: set[tuple[int, str]] = set()
    for chunk in _chunks(user_ids):
        taken.update(
            Participation.objects.filter(cohort=cohort, user_id__in=chunk).values_list(
                "user_id", "role"
            )
        )
    return taken


# Small pieces ----------------------------------------------------------------------------


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _text(value: object) -> str:
    """A cell as the text staff typed: numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not _DATE.fullmatch(text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _shown(value: str) -> str:
    """A value quoted back to staff, cut short so a stray paragraph stays readable."""
    if len(value) <= _SHOWN_VALUE_LENGTH:
        return value
    return value[: _SHOWN_VALUE_LENGTH - 1] + "…"


def format_reference() -> dict[str, object]:
    """The codes each column accepts, with their labels, for the page that explains them."""
    return {
        "columns": COLUMNS,
        "example_csv": EXAMPLE_CSV,
        "roles": Participation.Role.choices,
        "countries": Country.choices,
        "regions": [(region.value, region.label, DISTRICTS.get(region, [])) for region in Region],
        "site_languages": settings.LANGUAGES,
        "languages": Language.choices,
        "levels": LanguageLevel.choices,
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
    }
