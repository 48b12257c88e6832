"""The donor report: one cohort's impact figures as an A4 portrait PDF (fpdf2).

A cover, the key figures and the path from application to completion, activity month
by month and the change the surveys measured, a breakdown (chart and table) per
dimension of ``queries.DIMENSIONS`` with a map of the regions, and the method notes.
The charts are drawn with fpdf2's own primitives (rectangles, lines, polygons, text),
so the file needs no image library and stays small.

Aggregates only: the figures come from ``queries`` and ``surveys``, which suppress
small cells; a suppressed value is printed as "not shown". No name, date of birth,
contact or free-text answer is ever read here.

The text is in the caller's active language (the task wraps this in
``translation.override``); the DejaVu fonts of ``closure.pdf`` cover Kyrgyz letters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from stem4all.accounts.geography import Region
from stem4all.closure.pdf import ACCENT, FONT, INK, MUTED, font_dir

from . import figures, kyrgyzstan, queries
from .models import Survey

WHITE = (255, 255, 255)
TINT = (240, 235, 245)  # the accent at about 10 %: tiles, table stripes
SOFT = (196, 178, 214)  # the accent at about 40 %: the funnel's joins, light bars
LINE = (214, 214, 222)
EMPTY = (222, 222, 228)  # a region or stage that is not shown
NONE = (248, 246, 250)  # a region with no one
MARGIN = 18
TOP = 22  # below the running header


@dataclasses.dataclass(frozen=True)
class DonorFigures:
    """Everything the report prints, gathered before drawing: aggregates only."""

    programme: str
    cohort: str
    starts_on: dt.date
    ends_on: dt.date
    funders: list[str]
    made_at: dt.datetime
    indicators: list[queries.Indicator]
    funnel: list[queries.Indicator]
    months: list  # queries.MonthRow
    breakdowns: list[tuple[queries.Dimension, list[queries.BreakdownRow]]]
    end_reasons: list[tuple[str, int | None]]
    survey: list  # surveys.ChangeRow
    survey_groups: list = dataclasses.field(default_factory=list)  # (title, GroupChange)
    mentor_survey: list = dataclasses.field(default_factory=list)  # surveys.ChangeRow


def gather_figures(cohort, *, now: dt.datetime | None = None) -> DonorFigures:
    """The cohort's figures from ``queries`` and ``surveys`` (a bounded number of
    queries: each source is itself bounded)."""
    computed = figures.compute(cohort)  # fresh: a PDF is not made from cached figures
    return DonorFigures(
        programme=cohort.programme.name,
        cohort=cohort.name,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        funders=cohort.programme.funder_list(),
        made_at=now or timezone.now(),
        indicators=computed["indicators"],
        funnel=computed["funnel"],
        months=computed["months"],
        breakdowns=[
            (dimension, computed["breakdowns"][key])
            for key, dimension in queries.DIMENSIONS.items()
        ],
        end_reasons=computed["end_reasons"],
        survey=computed["change"][Survey.Audience.MENTEE],
        survey_groups=[
            (str(queries.DIMENSIONS[key].title), row)
            for key, rows in computed["change_by_group"].items()
            for row in rows
        ],
        mentor_survey=computed["change"][Survey.Audience.MENTOR],
    )


def build_donor_pdf(cohort) -> bytes:
    """The donor report of ``cohort`` in the active language."""
    return render_donor_pdf(gather_figures(cohort))


# ---------------------------------------------------------------- numbers


def not_shown() -> str:
    return _("not shown")


def number_text(value) -> str:
    """A count or a one-decimal figure in the active language's format."""
    if value is None:
        return not_shown()
    if isinstance(value, Decimal | float):
        return number_format(queries.one_decimal(value), decimal_pos=1, force_grouping=True)
    return number_format(value, force_grouping=True)


def indicator_text(indicator: queries.Indicator) -> str:
    if indicator.value is None:
        return not_shown()
    number = number_text(indicator.value)
    if indicator.unit == "%":
        return f"{number} %"
    if indicator.unit == "hours":
        return f"{number} {pgettext('hours', 'h')}"
    if indicator.unit == "days":
        return f"{number} {_('days')}"
    if indicator.unit == "1-5":
        return f"{number} / 5"
    return number


def _change_text(change) -> str:
    if change is None:
        return not_shown()
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return sign + number_format(abs(queries.one_decimal(change)), decimal_pos=1)


def _nice_step(largest: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) for about ``ticks`` gridlines."""
    if largest <= 0:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(factor * power, 1)
    return 10 * power


# ---------------------------------------------------------------- the document


class DonorPdf(FPDF):
    """A4 portrait with a running header and numbered footer after the cover."""

    def __init__(self, *, running_title: str, made_on: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title
        self.made_on = made_on
        self.add_font(FONT, "", str(font_dir() / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=20)
        self.alias_nb_pages()

    @property
    def usable(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        title = _("Impact report")
        title_width = self.get_string_width(title) + 2
        self.set_xy(self.l_margin, 9)
        self.cell(self.usable - title_width, 5, _fit(self, self.running_title, self.usable - 40))
        self.set_text_color(*ACCENT)
        self.cell(title_width, 5, title, align="R")
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_xy(self.l_margin, TOP)

    def footer(self):
        if self.page_no() == 1:
            return
        self.set_draw_color(*LINE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.h - 14, self.w - self.r_margin, self.h - 14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, self.h - 12.5)
        self.cell(self.usable / 2, 5, self.made_on)
        page = _("Page %(number)s of %(total)s") % {
            "number": self.page_no(),
            "total": "{nb}",  # replaced by the page count when the file is written
        }
        self.cell(self.usable / 2, 5, page, align="R")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit on one line of ``width``."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """How ``text`` wraps in ``width`` with the current font (4 mm lines)."""
    return pdf.multi_cell(width, 4, text, dry_run=True, output="LINES")


def _ensure_space(pdf: FPDF, height: float) -> None:
    """A new page unless ``height`` mm fit below, or the page is still empty."""
    if pdf.get_y() + height > pdf.page_break_trigger and pdf.get_y() > TOP + 1:
        pdf.add_page()


def _heading(pdf: DonorPdf, text: str, *, space_after: float = 60) -> None:
    """A section heading, kept on the page with at least ``space_after`` mm of what
    follows it."""
    _ensure_space(pdf, 12 + space_after)
    if pdf.get_y() > TOP + 1:
        pdf.ln(5)
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", 15)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(pdf.usable, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _subheading(pdf: DonorPdf, text: str, *, space_after: float = 40) -> None:
    _ensure_space(pdf, 9 + space_after)
    pdf.ln(2)
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*INK)
    pdf.multi_cell(pdf.usable, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _paragraph(pdf: DonorPdf, text: str, *, size: float = 9.5, color=INK) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(pdf.usable, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _column_widths(pdf: DonorPdf, rows: list[list[str]], weights, size: float) -> list[float]:
    """Widths that give each column at least its longest header word (bold) and its
    longest figure, or for a column of text (weight of 1 or more) its longest line up
    to a third of the page; then share what is left by ``weights``."""
    padding = 3.4
    least = []
    for index, weight in enumerate(weights):
        pdf.set_font(FONT, "B", size)
        words = [pdf.get_string_width(w) for w in str(rows[0][index]).split()]
        pdf.set_font(FONT, "", size)
        cells = [pdf.get_string_width(str(row[index])) for row in rows[1:]]
        if weight >= 1:  # text: it wraps beyond a third of the width
            words.append(min(max(cells, default=0), pdf.usable / 3 - padding - 0.5))
        else:  # figures do not wrap
            words += cells
        least.append(max(words, default=0) + padding + 0.5)
    spare = pdf.usable - sum(least)
    if spare < 0:
        return [pdf.usable * w / sum(least) for w in least]
    total = sum(weights)
    return [w + spare * weight / total for w, weight in zip(least, weights, strict=True)]


def _table(
    pdf: DonorPdf, header: list[str], rows: list[list[str]], weights, align, *, size=9.0
) -> None:
    """A table with the accent header repeated on each page and striped rows; column
    widths fitted to the words so that no word is split (the size shrinks if needed)."""
    table_rows = [header, *rows]
    while True:
        widths = _column_widths(pdf, table_rows, weights, size)
        if size <= 6 or not _splits_words(pdf, table_rows, widths, weights, size):
            break
        size -= 0.5
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*LINE)
    pdf.set_fill_color(*WHITE)
    pdf.set_line_width(0.2)
    with pdf.table(
        width=pdf.usable,
        col_widths=widths,
        text_align=align,
        line_height=size * 0.5,
        padding=(1.6, 1.7),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", color=WHITE, fill_color=ACCENT),
        cell_fill_color=TINT,
        cell_fill_mode="EVEN_ROWS",
        align="LEFT",
    ) as table:
        for cells in table_rows:
            row = table.row()
            for cell in cells:
                row.cell(str(cell))
    pdf.ln(2)


def _splits_words(pdf: DonorPdf, rows, widths, weights, size) -> bool:
    """Whether a header word, or a figure, is wider than its column."""
    for index, (width, weight) in enumerate(zip(widths, weights, strict=True)):
        pdf.set_font(FONT, "B", size)
        texts = str(rows[0][index]).split()
        if pdf.get_string_width(max(texts, key=pdf.get_string_width, default="")) > width - 3.4:
            return True
        if weight < 1:
            pdf.set_font(FONT, "", size)
            if any(pdf.get_string_width(str(row[index])) > width - 3.4 for row in rows[1:]):
                return True
    return False


def _legend(pdf: DonorPdf, items: list[tuple[tuple, str]]) -> None:
    """Coloured squares with their meaning, on one line under a chart."""
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*MUTED)
    x, y = pdf.l_margin, pdf.get_y()
    for color, label in items:
        pdf.set_fill_color(*color)
        pdf.rect(x, y + 1, 3, 3, style="F")
        width = pdf.get_string_width(label) + 2
        pdf.set_xy(x + 4, y)
        pdf.cell(width, 5, label)
        x += width + 8
    pdf.set_xy(pdf.l_margin, y + 6)


# ---------------------------------------------------------------- cover


def _cover(pdf: DonorPdf, figures: DonorFigures) -> None:
    pdf.add_page()
    pdf.set_auto_page_break(False)
    band = 128
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, band, style="F")
    pdf.set_fill_color(*SOFT)
    pdf.rect(0, band, pdf.w, 2.5, style="F")

    x, width = 24, pdf.w - 48
    pdf.set_text_color(*WHITE)
    pdf.set_xy(x, 30)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(width, 6, "STEM4ALL Mentoring", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(x, 44)
    pdf.set_font(FONT, "B", 32)
    pdf.multi_cell(width, 14, _("Impact report"), align="L", new_x="LEFT", new_y="NEXT")
    pdf.ln(3)
    pdf.set_x(x)
    pdf.set_font(FONT, "", 15)
    pdf.multi_cell(width, 7.5, figures.programme, align="L", new_x="LEFT", new_y="NEXT")
    pdf.ln(1)
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(width, 7.5, figures.cohort, align="L", new_x="LEFT", new_y="NEXT")

    pdf.set_xy(x, band + 16)
    facts = [
        (
            _("Mentoring period"),
            f"{date_format(figures.starts_on, 'DATE_FORMAT')} – "
            f"{date_format(figures.ends_on, 'DATE_FORMAT')}",
        ),
        (_("Report made on"), date_format(timezone.localdate(figures.made_at), "DATE_FORMAT")),
    ]
    for label, value in facts:
        pdf.set_x(x)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(width, 5, label, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "B", 12)
        pdf.set_text_color(*INK)
        pdf.multi_cell(width, 6, value, align="L", new_x="LEFT", new_y="NEXT")
        pdf.ln(4)

    if figures.funders:
        pdf.ln(4)
        pdf.set_x(x)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(width, 5, _("With the support of"), new_x="LEFT", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font(FONT, "B", 12)
        pdf.set_text_color(*ACCENT)
        for funder in figures.funders[:12]:
            pdf.set_x(x)
            pdf.multi_cell(width, 6.5, funder, align="L", new_x="LEFT", new_y="NEXT")

    _cover_figures(pdf, figures, x=x, width=width)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    pdf.line(x, pdf.h - 34, x + width, pdf.h - 34)
    pdf.set_xy(x, pdf.h - 31)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        width,
        4.3,
        _(
            "Aggregated figures only: this report names no one. A count of fewer than "
            "%(min)s people is not shown, nor any share built on it."
        )
        % {"min": queries.MIN_CELL},
        align="L",
        new_x="LEFT",
        new_y="NEXT",
    )
    pdf.set_auto_page_break(True, margin=20)


COVER_FIGURES = ("accepted", "mentors", "meetings")


def _cover_figures(pdf: DonorPdf, figures: DonorFigures, *, x: float, width: float) -> None:
    """Three headline figures above the cover's note, when the funders leave room."""
    top = pdf.h - 72
    by_key = {i.key: i for i in figures.indicators}
    shown = [by_key[key] for key in COVER_FIGURES if key in by_key]
    if not shown or pdf.get_y() > top - 6:
        return
    column = width / len(shown)
    for index, indicator in enumerate(shown):
        left = x + index * column
        pdf.set_fill_color(*ACCENT)
        pdf.rect(left, top, 1.2, 24, style="F")
        pdf.set_xy(left + 4, top)
        pdf.set_font(FONT, "B", 22 if not indicator.is_suppressed else 12)
        pdf.set_text_color(*(ACCENT if not indicator.is_suppressed else MUTED))
        pdf.cell(column - 8, 11, indicator_text(indicator))
        pdf.set_xy(left + 4, top + 12)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(column - 8, 4, indicator.label, align="L")


# ---------------------------------------------------------------- key figures

KEY_FIGURES = (
    "accepted",
    "mentors",
    "matched",
    "meetings",
    "meeting_hours",
    "certificates",
    "completion",
    "steps_done",
    "training_people",
)


def _tiles(pdf: DonorPdf, indicators: list[queries.Indicator]) -> None:
    columns, gap = 3, 4
    width = (pdf.usable - gap * (columns - 1)) / columns
    for start in range(0, len(indicators), columns):
        row = indicators[start : start + columns]
        pdf.set_font(FONT, "", 8.5)
        label_lines = max(len(_lines(pdf, i.label, width - 8)) for i in row)
        height = 19 + label_lines * 4
        _ensure_space(pdf, height + gap)
        y = pdf.get_y()
        for column, indicator in enumerate(row):
            x = pdf.l_margin + column * (width + gap)
            pdf.set_fill_color(*TINT)
            pdf.rect(x, y, width, height, style="F", round_corners=True, corner_radius=2)
            pdf.set_fill_color(*ACCENT)
            pdf.rect(x, y + 3, 1.2, height - 6, style="F")
            text = indicator_text(indicator)
            pdf.set_xy(x + 5, y + 4)
            if indicator.is_suppressed:
                pdf.set_font(FONT, "B", 13)
                pdf.set_text_color(*MUTED)
                pdf.cell(width - 8, 11, text)
            else:
                size = 22
                pdf.set_font(FONT, "B", size)
                while size > 12 and pdf.get_string_width(text) > width - 8:
                    size -= 1
                    pdf.set_font(FONT, "B", size)
                pdf.set_text_color(*ACCENT)
                pdf.cell(width - 8, 11, text)
            pdf.set_xy(x + 5, y + 16)
            pdf.set_font(FONT, "", 8.5)
            pdf.set_text_color(*INK)
            pdf.multi_cell(width - 8, 4, indicator.label, align="L")
        pdf.set_xy(pdf.l_margin, y + height + gap)


def _funnel(pdf: DonorPdf, stages: list[queries.Indicator]) -> None:
    """Centred bars narrowing from the applicants to the completed pairs, joined by
    light trapezoids; the share of the first stage beside each."""
    if not stages:
        return
    label_width, value_width, bar_height, gap = 52, 30, 8, 4
    area = pdf.usable - label_width - value_width - 6
    centre = pdf.l_margin + label_width + 3 + area / 2
    first = stages[0].value
    largest = max((s.value for s in stages if s.value), default=0)
    _ensure_space(pdf, len(stages) * (bar_height + gap) + 4)
    previous = None
    for stage in stages:
        y = pdf.get_y()
        pdf.set_font(FONT, "", 9)
        lines = _lines(pdf, stage.label, label_width)
        height = max(bar_height, len(lines) * 4)
        bar_y = y + (height - bar_height) / 2
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin, y + (height - len(lines) * 4) / 2)
        pdf.multi_cell(label_width, 4, stage.label, align="R")
        if stage.value is None or not largest:
            half = area / 2
            pdf.set_fill_color(*EMPTY)
            pdf.rect(centre - half, bar_y, 2 * half, bar_height, style="F")
            current = None
        else:
            half = max(area / 2 * stage.value / largest, 1.5)
            if previous is not None:
                top, top_y = previous
                pdf.set_fill_color(*SOFT)
                pdf.polygon(
                    [
                        (centre - top, top_y),
                        (centre + top, top_y),
                        (centre + half, bar_y),
                        (centre - half, bar_y),
                    ],
                    style="F",
                )
            pdf.set_fill_color(*ACCENT)
            pdf.rect(centre - half, bar_y, 2 * half, bar_height, style="F")
            current = (half, bar_y + bar_height)
        previous = current
        pdf.set_xy(pdf.l_margin + label_width + area + 6, bar_y)
        if stage.value is None:
            pdf.set_font(FONT, "", 9)
            pdf.set_text_color(*MUTED)
            pdf.cell(value_width, bar_height, not_shown())
        else:
            pdf.set_font(FONT, "B", 10)
            pdf.set_text_color(*INK)
            number = number_text(stage.value)
            pdf.cell(pdf.get_string_width(number) + 1.5, bar_height, number)
            share = queries.percent(stage.value, first) if stage is not stages[0] else None
            if share is not None:
                pdf.set_font(FONT, "", 8)
                pdf.set_text_color(*MUTED)
                pdf.cell(value_width, bar_height, f"({number_text(share)} %)")
        pdf.set_xy(pdf.l_margin, y + height + gap)


# ---------------------------------------------------------------- charts


def _bars(pdf: DonorPdf, rows: list[tuple[str, int | Decimal | None]]) -> None:
    """Horizontal bars, one per (label, value); a suppressed value says so."""
    label_width, value_width, bar_height = 60, 26, 4.6
    area = pdf.usable - label_width - value_width - 4
    x0 = pdf.l_margin + label_width + 3
    largest = max((v for _label, v in rows if v), default=0)
    for label, value in rows:
        pdf.set_font(FONT, "", 8.5)
        lines = _lines(pdf, label, label_width)
        height = max(6.5, len(lines) * 4 + 2)
        _ensure_space(pdf, height)
        y = pdf.get_y()
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin, y + (height - len(lines) * 4) / 2)
        pdf.multi_cell(label_width, 4, label, align="R")
        bar_y = y + (height - bar_height) / 2
        pdf.set_fill_color(*TINT)
        pdf.rect(x0, bar_y, area, bar_height, style="F")
        length = area * float(value) / float(largest) if value and largest else 0
        if length:
            pdf.set_fill_color(*ACCENT)
            pdf.rect(x0, bar_y, max(length, 0.8), bar_height, style="F")
        pdf.set_xy(x0 + area + 1.5, y)
        if value is None:
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*MUTED)
            pdf.cell(value_width, height, not_shown())
        else:
            pdf.set_font(FONT, "B", 8.5)
            pdf.set_text_color(*INK)
            pdf.cell(value_width, height, number_text(value))
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(2)


def _monthly_chart(pdf: DonorPdf, months: list) -> None:
    """Meetings held per month as columns, with gridlines and the value on top."""
    axis_width, plot_height = 12, 48
    _ensure_space(pdf, plot_height + 20)
    x0 = pdf.l_margin + axis_width
    width = pdf.usable - axis_width
    top = pdf.get_y() + 4
    bottom = top + plot_height
    largest = max((m.meetings for m in months), default=0)
    step = _nice_step(largest)
    ceiling = max(step * math.ceil(largest / step), step)
    pdf.set_line_width(0.2)
    pdf.set_font(FONT, "", 7)
    tick = 0.0
    while tick <= ceiling + 1e-9:
        y = bottom - plot_height * tick / ceiling
        pdf.set_draw_color(*LINE)
        pdf.line(x0, y, x0 + width, y)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(pdf.l_margin, y - 2)
        pdf.cell(axis_width - 2, 4, number_text(int(tick)), align="R")
        tick += step
    band = width / max(len(months), 1)
    bar = min(band * 0.62, 14)
    # Every k-th month is labelled when the labels would not fit side by side.
    widest = max((pdf.get_string_width(m.label) for m in months), default=0)
    every = max(1, math.ceil((widest + 2) / band))
    for index, month in enumerate(months):
        centre = x0 + band * (index + 0.5)
        height = plot_height * month.meetings / ceiling if ceiling else 0
        if height:
            pdf.set_fill_color(*ACCENT)
            pdf.rect(centre - bar / 2, bottom - height, bar, height, style="F")
        if band >= 7:
            pdf.set_font(FONT, "B" if month.meetings else "", 7)
            pdf.set_text_color(*INK)
            pdf.set_xy(centre - band / 2, bottom - height - 4.5)
            pdf.cell(band, 4, number_text(month.meetings), align="C")
        if index % every == 0:
            pdf.set_font(FONT, "", 7)
            pdf.set_text_color(*MUTED)
            pdf.set_xy(centre - band * every / 2, bottom + 1)
            pdf.cell(band * every, 4, month.label, align="C")
    pdf.set_draw_color(*MUTED)
    pdf.line(x0, bottom, x0 + width, bottom)
    pdf.set_xy(pdf.l_margin, bottom + 7)


def _dumbbell(pdf: DonorPdf, rows: list) -> None:
    """For each survey question: the baseline average (grey dot) and the endline
    average (accent dot) of the same respondents, joined by a line."""
    label_width, value_width = 62, 30
    x0 = pdf.l_margin + label_width + 6
    width = pdf.usable - label_width - value_width - 12
    means = [float(v) for r in rows for v in (r.baseline_mean, r.endline_mean) if v is not None]
    low = min([1.0, *[math.floor(v) for v in means]])
    high = max([5.0, *[math.ceil(v) for v in means]])

    def at(value) -> float:
        return x0 + width * (float(value) - low) / (high - low)

    _ensure_space(pdf, 24)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*MUTED)
    scale_y = pdf.get_y()
    for tick in range(int(low), int(high) + 1):
        pdf.set_xy(at(tick) - 5, scale_y)
        pdf.cell(10, 4, number_text(tick), align="C")
    pdf.set_xy(x0 + width + 4, scale_y)
    pdf.cell(value_width, 4, pgettext("survey result", "Change"))
    pdf.set_y(scale_y + 5)
    for row in rows:
        pdf.set_font(FONT, "", 8.5)
        lines = _lines(pdf, row.label, label_width)
        height = max(8, len(lines) * 4 + 2)
        _ensure_space(pdf, height)
        y = pdf.get_y()
        middle = y + height / 2
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.2)
        for tick in range(int(low), int(high) + 1):
            pdf.line(at(tick), y, at(tick), y + height)
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin, y + (height - len(lines) * 4) / 2)
        pdf.multi_cell(label_width, 4, row.label, align="R")
        shown = row.baseline_mean is not None and row.endline_mean is not None
        if shown:
            pdf.set_draw_color(*SOFT)
            pdf.set_line_width(1.6)
            pdf.line(at(row.baseline_mean), middle, at(row.endline_mean), middle)
            for value, color in ((row.baseline_mean, MUTED), (row.endline_mean, ACCENT)):
                pdf.set_fill_color(*color)
                pdf.ellipse(at(value) - 1.8, middle - 1.8, 3.6, 3.6, style="F")
        pdf.set_xy(x0 + width + 4, y)
        if shown and row.change is not None:
            pdf.set_font(FONT, "B", 9)
            pdf.set_text_color(*INK)
            text = _change_text(row.change)
            pdf.cell(pdf.get_string_width(text) + 2, height, text)
            if row.respondents is not None:
                pdf.set_font(FONT, "", 7.5)
                pdf.set_text_color(*MUTED)
                pdf.cell(value_width, height, f"n = {number_text(row.respondents)}")
        else:
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*MUTED)
            pdf.cell(value_width, height, not_shown())
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.set_line_width(0.2)
    pdf.ln(2)
    _legend(pdf, [(MUTED, _("Baseline (average)")), (ACCENT, _("Endline (average)"))])


# ---------------------------------------------------------------- sections


def _key_figures(pdf: DonorPdf, figures: DonorFigures) -> None:
    pdf.add_page()
    by_key = {i.key: i for i in figures.indicators}
    _heading(pdf, _("Key figures"))
    _tiles(pdf, [by_key[key] for key in KEY_FIGURES if key in by_key])
    if figures.funnel:
        _heading(pdf, _("From application to completion"), space_after=50)
        _paragraph(
            pdf,
            _("How many mentees reached each stage; in brackets, the share of those who applied."),
            size=8.5,
            color=MUTED,
        )
        _funnel(pdf, figures.funnel)
    if figures.end_reasons:
        _heading(pdf, _("Why pairs ended early"), space_after=len(figures.end_reasons) * 7)
        _bars(pdf, figures.end_reasons)


def _activity(pdf: DonorPdf, figures: DonorFigures) -> None:
    if figures.months:
        pdf.add_page()
        _heading(pdf, _("Activity month by month"), space_after=70)
        _subheading(pdf, _("Mentoring meetings held"), space_after=60)
        _monthly_chart(pdf, figures.months)
        _table(
            pdf,
            [
                _("Month"),
                _("New pairs"),
                _("Meetings held"),
                _("Hours of meetings"),
                _("Roadmap steps done"),
            ],
            [
                [
                    m.label,
                    number_text(m.new_pairs),
                    number_text(m.meetings),
                    number_text(Decimal(m.hours)),
                    number_text(m.steps_done),
                ]
                for m in figures.months
            ],
            (1, 0.5, 0.5, 0.5, 0.5),
            ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        )
    if figures.survey:
        _heading(pdf, _("What changed for the mentees"), space_after=50)
        _paragraph(
            pdf,
            _(
                "Average answers of the same mentees at the start (baseline) and at the "
                "end (endline) of the mentoring, on the survey's scale."
            ),
            size=8.5,
            color=MUTED,
        )
        _dumbbell(pdf, figures.survey)
    if figures.survey_groups:
        _subheading(pdf, _("Mentees' change by group, across every question"))
        _change_table(pdf, _("Group"), figures.survey_groups)
    if figures.mentor_survey:
        _subheading(pdf, _("What changed for the mentors"))
        _change_table(pdf, _("Question"), [("", row) for row in figures.mentor_survey])


def _change_table(pdf: DonorPdf, first_column: str, rows: list[tuple[str, object]]) -> None:
    """Rows of paired change (``surveys.ChangeRow`` or ``GroupChange``), each after the
    name of its breakdown when it has one."""
    header = [first_column, _("Answered both"), _("Baseline"), _("Endline")]
    header.append(pgettext("survey result", "Change"))
    _table(
        pdf,
        header,
        [
            [
                f"{group}: {row.label}" if group else row.label,
                number_text(row.respondents),
                number_text(row.baseline_mean),
                number_text(row.endline_mean),
                _change_text(row.change),
            ]
            for group, row in rows
        ],
        (1.6, 0.5, 0.5, 0.5, 0.5),
        ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )


# The first cells of a breakdown row count people (accepted, matched, matched share);
# the others what their pairs did.
PEOPLE_COLUMNS = 3


def _breakdown_height(dimension, rows) -> float:
    """About how tall the start of a dimension's block is, to begin it on a new page
    rather than leave its title alone: the whole block when it is short, otherwise the
    map or the bars."""
    if not rows:
        return 10
    if dimension.key == "regions":
        return _region_map_height() + 30
    return min(12 + len(rows) * 7 + 2 * (16 + len(rows) * 6.5), 150)


def _breakdowns(pdf: DonorPdf, figures: DonorFigures) -> None:
    first = figures.breakdowns[0] if figures.breakdowns else None
    _heading(pdf, _("Who took part"), space_after=_breakdown_height(*first) + 20 if first else 30)
    _paragraph(
        pdf,
        _(
            "The figures of each group; a group's activity is shown only when at least "
            "%(min)s of its people were matched."
        )
        % {"min": queries.MIN_CELL},
        size=8.5,
        color=MUTED,
    )
    for dimension, rows in figures.breakdowns:
        header = queries.breakdown_columns(dimension)
        _subheading(pdf, str(dimension.title), space_after=_breakdown_height(dimension, rows))
        if not rows:
            _paragraph(pdf, _("No one accepted yet."), color=MUTED)
            continue
        if dimension.key == "regions":
            _region_map(pdf, rows)
        _legend(pdf, [(ACCENT, header[1])])
        _bars(pdf, [(row.label, row.people) for row in rows])
        # Two tables, who and what they did, so that each fits the page's width
        # in a readable size whatever the language.
        cells = [list(map(number_text, row.cells)) for row in rows]
        for start, end in ((0, PEOPLE_COLUMNS), (PEOPLE_COLUMNS, len(header) - 1)):
            columns = end - start
            if columns <= 0:
                continue
            _table(
                pdf,
                [header[0], *header[1 + start : 1 + end]],
                [
                    [row.label, *row_cells[start:end]]
                    for row, row_cells in zip(rows, cells, strict=True)
                ],
                (1, *[0.5] * columns),
                ("LEFT", *["RIGHT"] * columns),
                size=8,
            )


def _shade(value, largest) -> tuple[int, int, int]:
    """From the light tint (few mentees) to the accent (the most)."""
    share = float(value) / float(largest) if largest else 0
    share = 0.15 + 0.85 * share
    return tuple(round(t + (a - t) * share) for t, a in zip(TINT, ACCENT, strict=True))


def _is_dark(color) -> bool:
    red, green, blue = color
    return 0.299 * red + 0.587 * green + 0.114 * blue < 150


def _region_fill(has_row: bool, value, largest) -> tuple[int, int, int]:
    if not has_row or value == 0:
        return NONE
    if value is None:
        return EMPTY
    return _shade(value, largest)


MAP_WIDTH_MM = 160.0
MAP_TOP_PAD = 12.0  # names set above the country (Bishkek, Chui, Issyk-Kul)


def _region_map_height() -> float:
    return kyrgyzstan.MAP_HEIGHT * MAP_WIDTH_MM / kyrgyzstan.MAP_WIDTH + MAP_TOP_PAD + 20


def _region_map(pdf: DonorPdf, rows: list[queries.BreakdownRow]) -> None:
    """Kyrgyzstan's regions shaded by the people accepted in each, the two cities as
    dots; the outlines are those of the web charts (``kyrgyzstan``)."""
    width = MAP_WIDTH_MM
    scale = width / kyrgyzstan.MAP_WIDTH
    height = kyrgyzstan.MAP_HEIGHT * scale
    top_pad = MAP_TOP_PAD
    _ensure_space(pdf, _region_map_height())
    x0 = pdf.l_margin + (pdf.usable - width) / 2
    y0 = pdf.get_y() + top_pad

    def at(point) -> tuple[float, float]:
        return (x0 + point[0] * scale, y0 + point[1] * scale)

    values = {row.key: row.people for row in rows}
    labels = {str(value): str(label) for value, label in Region.choices}
    labels |= {row.key: row.label for row in rows}
    largest = max((v for v in values.values() if v), default=0)
    pdf.set_draw_color(*WHITE)
    pdf.set_line_width(0.5)
    fills = {}
    for key, ring in kyrgyzstan.REGION_SHAPES.items():
        value = values.get(key)
        fills[key] = _region_fill(key in values, value, largest)
        pdf.set_fill_color(*fills[key])
        pdf.polygon([at(p) for p in ring], style="DF")
    pdf.set_fill_color(*WHITE)
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.2)
    pdf.polygon([at(p) for p in kyrgyzstan.LAKE], style="DF")
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.3)
    pdf.polygon([at(p) for p in kyrgyzstan.OUTLINE], style="D")
    for key, (x, y) in kyrgyzstan.CITY_POINTS.items():
        value = values.get(key)
        color = _region_fill(key in values, value, largest)
        fills[key] = WHITE
        cx, cy = at((x, y))
        pdf.set_fill_color(*color)
        pdf.set_draw_color(*WHITE)
        pdf.set_line_width(0.6)
        pdf.ellipse(cx - 2.4, cy - 2.4, 4.8, 4.8, style="DF")
    line_height = 3.2
    for key, spec in kyrgyzstan.LABELS.items():
        if spec.leader is not None:
            pdf.set_draw_color(*MUTED)
            pdf.set_line_width(0.15)
            (ax, ay), (bx, by) = spec.leader
            pdf.line(*at((ax, ay)), *at((bx, by)))
        pdf.set_font(FONT, "", 6.5)
        lines = [(line, "", 6.5) for line in _lines(pdf, labels.get(key, key), 30)]
        value = values.get(key, 0)
        lines.append((number_text(value), "B" if value is not None else "", 8))
        x, y = at((spec.x, spec.y))
        if spec.grows_up:
            y -= line_height * (len(lines) - 1)
        inside = spec.leader is None and _is_dark(fills.get(key, WHITE))
        pdf.set_text_color(*(WHITE if inside else INK))
        for index, (text, style, size) in enumerate(lines):
            pdf.set_font(FONT, style, size)
            width = pdf.get_string_width(text)
            left = {"start": x, "middle": x - width / 2, "end": x - width}[spec.anchor]
            pdf.text(left, y + index * line_height, text)
    pdf.set_xy(pdf.l_margin, y0 + height + 9)
    abroad = values.get(queries.ABROAD)
    legend = [
        (_shade(0, 1), _("Fewest")),
        (_shade(1, 1), _("Most")),
        (EMPTY, not_shown()),
    ]
    if queries.ABROAD in values:
        legend.append((WHITE, f"{labels.get(queries.ABROAD, _('Abroad'))}: {number_text(abroad)}"))
    _legend(pdf, legend)


def _all_indicators(pdf: DonorPdf, figures: DonorFigures) -> None:
    pdf.add_page()
    _heading(pdf, _("All indicators"), space_after=40)
    notes = indicator_notes()
    _table(
        pdf,
        [_("Indicator"), _("Value"), _("What it counts")],
        [[i.label, indicator_text(i), notes.get(i.key, "")] for i in figures.indicators],
        (1.2, 0.1, 1.6),
        ("LEFT", "RIGHT", "LEFT"),
        size=8.5,
    )


def _method(pdf: DonorPdf, figures: DonorFigures) -> None:
    _heading(pdf, _("How the figures are made"), space_after=40)
    made = date_format(timezone.localtime(figures.made_at), "DATETIME_FORMAT")
    _subheading(pdf, _("Data as of"), space_after=10)
    _paragraph(
        pdf,
        _(
            "The figures are those recorded on the platform on %(moment)s, when this "
            "report was made. A report made later may differ: pairs go on meeting and "
            "records are completed or corrected."
        )
        % {"moment": made},
    )
    _subheading(pdf, _("Small numbers are not shown"), space_after=10)
    _paragraph(
        pdf,
        _(
            "A count of fewer than %(min)s people (but at least one) is printed as "
            "“not shown”, and so is any share built on such a count, because a "
            "small number could point to a person. Counts of events (meetings, hours, "
            "roadmap steps, training attendances, votes) are shown in full. The report "
            "holds no name, date of birth, contact or free-text answer."
        )
        % {"min": queries.MIN_CELL},
    )
    _subheading(pdf, _("Survey change"), space_after=10)
    _paragraph(
        pdf,
        _(
            "Only mentees who answered both the baseline and the endline survey are "
            "counted, so that the same people are compared. For each question the "
            "change is their endline average minus their baseline average; a question "
            "answered by fewer than %(min)s such mentees is not shown."
        )
        % {"min": queries.MIN_CELL},
    )
    _subheading(pdf, _("Groups"), space_after=10)
    _paragraph(
        pdf,
        _(
            "A mentee's region is where she lives; those living outside Kyrgyzstan are "
            "counted as abroad. Her age band is her age on the day the report was made. "
            "“Not given” counts mentees who did not say."
        ),
    )


def indicator_notes() -> dict[str, str]:
    """What each indicator of ``queries.cohort_indicators`` counts, for the notes."""
    return {
        "applicants": _("People who applied to the cohort as mentees, whatever the decision."),
        "accepted": _("Mentees whose application was accepted."),
        "mentors": _("Mentors accepted into the cohort."),
        "matched": _("Mentees with at least one mentorship in the cohort, each counted once."),
        "matched_share": _("Mentees matched, as a share of the mentees accepted."),
        "days_to_match": _(
            "Average number of days from a mentee's application to the start of her mentorship."
        ),
        "active_pairs": _("Mentorships active when the report was made."),
        "meetings": _("Mentoring meetings recorded as held; missed or cancelled ones are not."),
        "meeting_hours": _("The recorded length of the meetings held, in hours."),
        "steps_done": _("Steps of the mentees' learning roadmaps marked as done."),
        "attendances": _(
            "Attendances of accepted mentees at the programme's trainings; one mentee at "
            "two trainings counts twice."
        ),
        "training_people": _("Accepted mentees who attended at least one training."),
        "certificates": _("Certificates of completion issued and not revoked."),
        "pulse": _("Average answer to the regular check-in question, from 1 to 5."),
        "completion": _("Pairs completed as planned, as a share of the pairs that ended."),
        "ended_early": _("Pairs that ended before their planned end, of the pairs that ended."),
        "voters": _("People who cast at least one award vote that counts."),
        "votes": _("Award votes that count; changed or voided votes are not."),
    }


def render_donor_pdf(figures: DonorFigures) -> bytes:
    made_on = _("Made on %(date)s") % {
        "date": date_format(timezone.localdate(figures.made_at), "DATE_FORMAT")
    }
    pdf = DonorPdf(running_title=f"{figures.programme} · {figures.cohort}", made_on=made_on)
    pdf.set_title(f"{_('Impact report')}: {figures.programme}, {figures.cohort}")
    pdf.set_author(figures.programme)
    pdf.set_creator("STEM4ALL Mentoring")
    pdf.set_lang(translation.get_language() or "en")
    _cover(pdf, figures)
    _key_figures(pdf, figures)
    _activity(pdf, figures)
    _breakdowns(pdf, figures)
    _all_indicators(pdf, figures)
    _method(pdf, figures)
    return bytes(pdf.output())
