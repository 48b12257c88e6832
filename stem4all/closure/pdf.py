"""The certificate of completion as a PDF (fpdf2), one A4 landscape page.

The text is in the caller's active language (the view wraps this in
``translation.override`` with the mentee's language). Names are printed as she wrote
them, in Cyrillic or Latin script: the DejaVu fonts shipped with matplotlib cover
Kyrgyz letters (Ө Ү Ң). They are found without importing matplotlib.
"""

from __future__ import annotations

import importlib.util
import logging
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import Certificate

FONT = "DejaVu"
INK = (33, 37, 41)
ACCENT = (91, 44, 131)
MUTED = (85, 85, 85)

# fontTools logs every glyph of the font subset at INFO: one PDF would fill the log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@cache
def font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: it ships the certificate's fonts")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    if not (folder / "DejaVuSans.ttf").exists():
        raise RuntimeError(f"DejaVuSans.ttf not found in {folder}")
    return folder


def _centred(pdf: FPDF, text: str, *, size: float, style: str = "", color=INK, height=None):
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _fitting_size(pdf: FPDF, text: str, *, style: str, largest: float, width: float) -> float:
    size = largest
    pdf.set_font(FONT, style, size)
    while size > 14 and pdf.get_string_width(text) > width:
        size -= 1
        pdf.set_font(FONT, style, size)
    return size


def start_certificate(*, title: str, programme_name: str, person_name: str) -> FPDF:
    """A landscape A4 page with the frame, the programme, the title and "This certifies
    that <name>" (shrunk to fit); the caller writes what she did below it."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author(programme_name)
    pdf.set_creator("STEM4ALL Mentoring")
    pdf.add_font(FONT, "", str(font_dir() / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 22, 25)
    pdf.add_page()

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)

    usable = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_y(28)
    _centred(pdf, programme_name, size=14, color=MUTED)
    pdf.ln(4)
    _centred(pdf, title, size=30, style="B", color=ACCENT, height=14)
    pdf.ln(6)
    _centred(pdf, _("This certifies that"), size=14)
    pdf.ln(3)
    size = _fitting_size(pdf, person_name, style="B", largest=34, width=usable)
    _centred(pdf, person_name, size=size, style="B", height=16)
    return pdf


def render_certificate(certificate: Certificate, *, verify_url: str, partners: list[str]) -> bytes:
    pdf = start_certificate(
        title=_("Certificate of completion"),
        programme_name=certificate.programme_name,
        person_name=certificate.mentee_name,
    )
    pdf.ln(3)
    _centred(
        pdf,
        _("has completed the mentoring programme %(programme)s, cohort %(cohort)s")
        % {"programme": certificate.programme_name, "cohort": certificate.cohort_name},
        size=14,
        height=8,
    )
    _centred(
        pdf,
        _("with her mentor %(mentor)s") % {"mentor": certificate.mentor_name},
        size=14,
        height=8,
    )
    _centred(
        pdf,
        f"{date_format(certificate.started_on, 'DATE_FORMAT')} – "
        f"{date_format(certificate.completed_on, 'DATE_FORMAT')}",
        size=14,
        height=8,
    )
    if partners:
        pdf.ln(4)
        _centred(
            pdf,
            _("With our partners: %(partners)s") % {"partners": ", ".join(partners)},
            size=11,
            color=MUTED,
            height=6,
        )

    pdf.set_y(pdf.h - 52)
    _centred(
        pdf,
        _("Issued on %(date)s")
        % {"date": date_format(timezone.localdate(certificate.issued_at), "DATE_FORMAT")},
        size=11,
        height=6,
    )
    _centred(
        pdf,
        _("Check that this certificate is genuine at:"),
        size=10,
        color=MUTED,
        height=6,
    )
    _centred(pdf, verify_url, size=10, height=6)
    _centred(
        pdf,
        _("Code: %(code)s") % {"code": certificate.display_code},
        size=10,
        color=MUTED,
        height=6,
    )
    return bytes(pdf.output())
