"""The engine's reasons in the reader's language.

The engine explains a pair as factors (``{"code", "value", "contribution", "params"}``,
see ``engine.model.Factor``) and an unmatched mentee as a reason code; this module turns
both into translated sentences, naming fields, languages, regions and time windows by
the platform's translated labels. The spreadsheet command has its own English wording
(``engine.describe_factor``); pages and e-mails use this one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stem4all.accounts.choices import AvailabilityWindow, Language, StemField
from stem4all.accounts.geography import DISTRICT_CHOICES, Region

from .models import UnmatchedMentee

DISTRICT_LABELS = dict(DISTRICT_CHOICES)


def _label(vocabulary, code) -> str:
    try:
        return str(vocabulary(code).label)
    except ValueError:
        return str(code)


def _labels(vocabulary, codes: Iterable) -> str:
    return ", ".join(_label(vocabulary, code) for code in codes or ())


def _ordinal_choice(rank: int) -> str:
    if rank == 1:
        return _("Her 1st choice")
    if rank == 2:
        return _("Her 2nd choice")
    if rank == 3:
        return _("Her 3rd choice")
    return _("Her choice number %(rank)s") % {"rank": rank}


def _mentor_type(params: dict) -> str | None:
    asked = params.get("asked", "any")
    mentor = params.get("mentor", "")
    if asked == "international":
        if mentor == "international":
            return _("She asked for an international mentor")
        return _("She asked for an international mentor; this mentor lives in Kyrgyzstan")
    if asked == "regional":
        if mentor == "regional":
            return _("She asked for a regional mentor")
        return _("She asked for a regional mentor; this mentor lives abroad")
    return None  # "either" is no reason for this mentor rather than another


def _region(params: dict) -> str | None:
    if params.get("same") == "district" and params.get("district"):
        district = params["district"]
        return _("Both live in %(place)s") % {"place": DISTRICT_LABELS.get(district, district)}
    if params.get("region"):
        return _("Both live in %(place)s") % {"place": _label(Region, params["region"])}
    return None


def _text(params: dict) -> str:
    words = [str(word) for word in params.get("words") or ()]
    if words:
        return _("Her goal and the mentor's experience share the words %(words)s") % {
            "words": ", ".join(f"“{word}”" for word in words)
        }
    return _("Her goal is close to the mentor's experience")


def describe_factor(factor: dict) -> str | None:
    """One sentence for a factor that says something about the pair, or None.

    The shared language is always said (it is why the pair may exist at all), a
    mentor-type wish also when it is not met; other factors only when they counted."""
    code = factor.get("code")
    params = factor.get("params") or {}
    if code == "language":
        if not params.get("languages"):
            return None
        return _("Both speak %(languages)s") % {"languages": _labels(Language, params["languages"])}
    if code == "mentor_type":
        return _mentor_type(params)
    if not factor.get("value"):
        return None
    if code == "fields" and params.get("fields"):
        return _("Shares %(fields)s") % {"fields": _labels(StemField, params["fields"])}
    if code == "text":
        return _text(params)
    if code == "region":
        return _region(params)
    if code == "availability" and params.get("windows"):
        return _("Both are usually free: %(windows)s") % {
            "windows": _labels(AvailabilityWindow, params["windows"])
        }
    if code == "mentee_choice" and params.get("rank"):
        return _ordinal_choice(int(params["rank"]))
    if code == "mentor_choice" and params.get("rank"):
        return _("The mentor asked for her")
    return None


def describe_factors(factors: Iterable[dict]) -> list[str]:
    """The sentences of a pair, its strongest factors first."""
    ordered = sorted(factors or (), key=lambda factor: -float(factor.get("contribution") or 0))
    sentences = (describe_factor(factor) for factor in ordered)
    return [sentence for sentence in sentences if sentence]


def describe_unmatched(reason: str, eligible_mentors: int = 0) -> str:
    """Why a mentee got no mentor, as a sentence for staff."""
    Reason = UnmatchedMentee.Reason
    if reason == Reason.NO_SHARED_LANGUAGE:
        return _("No mentor shares a working language with her at the required level.")
    if reason == Reason.NEEDS_MINOR_CLEARED_MENTOR:
        return _("She is under 18, and no mentor cleared for under-18s fits her.")
    if reason == Reason.ALL_EXCLUDED:
        return _("Every mentor who fits her is excluded, forbidden, or declined her before.")
    if reason == Reason.NO_MENTOR_WITH_CAPACITY:
        return _("The mentors who fit her have no free place.")
    if reason == Reason.CAPACITY_TAKEN:
        return ngettext(
            "%(count)s mentor fits her, but the place went to another mentee.",
            "%(count)s mentors fit her, but their places went to other mentees.",
            eligible_mentors,
        ) % {"count": eligible_mentors}
    if reason == Reason.INTERNATIONAL_LIMIT:
        return _("Only international mentors fit her, and the limit on them is reached.")
    if reason == Reason.NO_CLEARED_MENTOR:
        return _("The cohort has no accepted mentor cleared to mentor yet.")
    if reason == Reason.CANNOT_BE_MATCHED:
        return _(
            "She cannot be matched yet: she is under 18 without a guardian's consent on "
            "record, or her date of birth is missing."
        )
    if reason == Reason.NO_MENTEE_PROFILE:
        return _("She has not filled in her mentee profile yet.")
    if reason == Reason.NO_LANGUAGES:
        return _("She has not given the languages she speaks yet.")
    if reason == Reason.PAIR_FORBIDDEN:
        return _("Staff forbade her proposed pair; re-run to find her another mentor.")
    return str(reason)
