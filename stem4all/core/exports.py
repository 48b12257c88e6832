"""Tables for download as CSV or XLSX, safe to open in a spreadsheet program.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is
read as a formula by spreadsheet programs; names and statements are typed by users, so
CSV cells like that get a leading apostrophe and XLSX cells are stored as plain text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


def csv_safe(value) -> str:
    """A cell as CSV text, with an apostrophe before anything a spreadsheet would run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    # The byte order mark makes spreadsheet programs read Cyrillic names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(sheet, value):
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    elif isinstance(value, Decimal):
        value = float(value)
    elif hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        # Spreadsheets have no time zones: the local time, as staff read it.
        value = timezone.localtime(value).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    # A sheet's name has at most 31 characters and none of : \ / ? * [ ]
    name = re.sub(r"[:\\/?*\[\]]", " ", title).strip()[:31] or "Sheet"
    sheet = workbook.create_sheet(name)
    sheet.append([_xlsx_value(sheet, h) for h in header])
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(*, name: str, fmt: str, title: str, header, rows) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
