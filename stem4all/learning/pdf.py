"""The certificate of attendance as a one-page A4 landscape PDF, built with the same
blocks (fonts, centred lines, frame colours) as the certificate of completion."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stem4all.closure.pdf import (
    MUTED,
    _centred,
    start_certificate,
)

from .models import AttendanceCertificate


def render_attendance_certificate(
    certificate: AttendanceCertificate, *, verify_url: str, trainings: list[str]
) -> bytes:
    pdf = start_certificate(
        title=_("Certificate of attendance"),
        programme_name=certificate.programme_name,
        person_name=certificate.name,
    )
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
