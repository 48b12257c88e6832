"""The winner's certificate of the award as a one-page A4 landscape PDF, built with the
same blocks (fonts, frame, centred lines) as the certificate of completion."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stem4all.closure.pdf import MUTED, _centred, start_certificate

from .models import Result


def winner_name(result: Result) -> str:
    """The person, the organisation, or the practice with its organisation."""
    nomination = result.nomination
    if nomination.nominee_practice_id:
        practice = nomination.nominee_practice
        return f"{practice.title} ({practice.organisation.name})"
    return nomination.nominee_name


def render_award_certificate(result: Result, *, verify_url: str) -> bytes:
    category = result.category
    edition = category.edition
    pdf = start_certificate(
        title=_("Award certificate"),
        programme_name=edition.programme.name,
        person_name=winner_name(result),
    )
    pdf.ln(3)
    _centred(
        pdf,
        _("is the winner of the category “%(category)s”") % {"category": category.name},
        size=16,
        height=9,
    )
    _centred(
        pdf,
        _("of %(edition)s, %(year)s") % {"edition": edition.name, "year": edition.year},
        size=14,
        height=8,
    )

    pdf.set_y(pdf.h - 52)
    published = timezone.localdate(edition.results_published_at or timezone.now())
    _centred(
        pdf,
        _("Results published on %(date)s") % {"date": date_format(published, "DATE_FORMAT")},
        size=11,
        height=6,
    )
    _centred(pdf, _("Check that this certificate is genuine at:"), size=10, color=MUTED, height=6)
    _centred(pdf, verify_url, size=10, height=6)
    _centred(
        pdf, _("Code: %(code)s") % {"code": result.certificate_code}, size=10, color=MUTED, height=6
    )
    return bytes(pdf.output())
