"""The certificate of attendance as a one-page A4 landscape PDF, built with the same
blocks (fonts, centred lines, frame colours) as the certificate of completion."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from stem4all.closure.pdf import ACCENT, FONT, MUTED, _centred, _fitting_size, font_dir

from .models import AttendanceCertificate


def render_attendance_certificate(
    certificate: AttendanceCertificate, *, verify_url: str, trainings: list[str]
) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_("Certificate of attendance"))
    pdf.set_author(certificate.programme_name)
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
    _centred(pdf, certificate.programme_name, size=14, color=MUTED)
    pdf.ln(4)
    _centred(pdf, _("Certificate of attendance"), size=30, style="B", color=ACCENT, height=14)
    pdf.ln(6)
    _centred(pdf, _("This certifies that"), size=14)
    pdf.ln(3)
    size = _fitting_size(pdf, certificate.name, style="B", largest=34, width=usable)
    _centred(pdf, certificate.name, size=size, style="B", height=16)
    pdf.ln(3)
    _centred(
        pdf,
        _("attended %(count)d trainings of the programme %(programme)s")
        % {"count": certificate.trainings_count, "programme": certificate.programme_name},
        size=14,
        height=8,
    )
    if trainings:
        pdf.ln(2)
        shown = trainings[:6]
        more = len(trainings) - len(shown)
        text = ", ".join(shown) + (
            " " + _("and %(count)d more") % {"count": more} if more > 0 else ""
        )
        _centred(pdf, text, size=11, color=MUTED, height=6)

    pdf.set_y(pdf.h - 52)
    _centred(
        pdf,
        _("Issued on %(date)s")
        % {"date": date_format(timezone.localdate(certificate.issued_at), "DATE_FORMAT")},
        size=11,
        height=6,
    )
    _centred(pdf, _("Check that this certificate is genuine at:"), size=10, color=MUTED, height=6)
    _centred(pdf, verify_url, size=10, height=6)
    _centred(
        pdf,
        _("Code: %(code)s") % {"code": certificate.display_code},
        size=10,
        color=MUTED,
        height=6,
    )
    return bytes(pdf.output())
