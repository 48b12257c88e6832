"""Every figure of a cohort's dashboard at once, kept for a few minutes.

A dashboard takes about twenty queries over the cohort's whole history (their time
at ten times the programme's size is in ``bench/pages_bench.py``); its readers
(staff, funders, the API) look at the same figures again and again while they change
slowly. So the figures are computed once per cohort and language and kept in the
cache for ``FIGURES_SECONDS``; the page says when they were computed, and staff can
have them recomputed at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from . import queries, surveys
from .models import Survey

FIGURES_SECONDS = 300


def _key(cohort_id: int, language: str) -> str:
    return f"reports:figures:{cohort_id}:{language}"


def compute(cohort) -> dict:
    """Every figure, fresh; the people and pairs are counted once for all of them."""
    counts = queries.cohort_counts(cohort)
    return {
        "indicators": queries.cohort_indicators(cohort, counts),
        "funnel": queries.funnel(cohort, counts),
        "months": queries.monthly(cohort),
        "breakdowns": queries.breakdowns(cohort, counts),
        "change": {
            audience: surveys.paired_change(cohort, audience=audience)
            for audience in Survey.Audience.values
        },
        "end_reasons": queries.end_reasons(cohort),
        "computed_at": timezone.now(),
    }


def cohort_figures(cohort) -> dict:
    """The figures of ``compute``, from the cache when they are fresh enough."""
    key = _key(cohort.pk, get_language())
    figures = cache.get(key)
    if figures is None:
        figures = compute(cohort)
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def forget(cohort) -> None:
    """Have the figures recomputed at the next view, in every language."""
    cache.delete_many([_key(cohort.pk, code) for code, _name in settings.LANGUAGES])
