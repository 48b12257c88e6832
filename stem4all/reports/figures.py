"""Every figure of a cohort's dashboard at once, kept in the cache.

A dashboard takes about twenty queries over the cohort's whole history (their time
at ten times the programme's size is in ``bench/pages_bench.py``); its readers
(staff, funders, the API) look at the same figures again and again while they change
slowly. So the figures are computed once per cohort and language and kept: for
``FIGURES_SECONDS`` they are served as they are; older ones are still served (for up
to ``KEEP_SECONDS``) while a background task recomputes them, and ``run-periodic``
keeps those of current and recent cohorts computed (``warm_figures``), so a view
rarely waits for the queries. The page says when the figures were computed, and
staff can have them recomputed at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language

from . import queries, surveys
from .models import Survey

FIGURES_SECONDS = 300
KEEP_SECONDS = 24 * 60 * 60
# While one recomputation is queued or running, views do not queue another.
REFRESHING_SECONDS = 120


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
        "change_by_group": surveys.change_by_group(cohort),
        "end_reasons": queries.end_reasons(cohort),
        "computed_at": timezone.now(),
    }


def cohort_figures(cohort) -> dict:
    """The figures of ``compute``: from the cache, recomputed in the background once
    they are older than ``FIGURES_SECONDS``, computed here when there are none."""
    language = get_language()
    key = _key(cohort.pk, language)
    figures = cache.get(key)
    if figures is None:
        figures = compute(cohort)
        cache.set(key, figures, KEEP_SECONDS)
    elif _is_old(figures) and cache.add(f"{key}:refreshing", True, REFRESHING_SECONDS):
        from .tasks import refresh_figures

        transaction.on_commit(
            lambda: refresh_figures.enqueue(cohort_id=cohort.pk, language=language)
        )
    return figures


def _is_old(figures: dict, now: dt.datetime | None = None) -> bool:
    age = (now or timezone.now()) - figures["computed_at"]
    return age > dt.timedelta(seconds=FIGURES_SECONDS)


def recompute(cohort, language: str) -> None:
    """Compute the figures in ``language`` and keep them (the background task)."""
    key = _key(cohort.pk, language)
    with translation.override(language):
        cache.set(key, compute(cohort), KEEP_SECONDS)
    cache.delete(f"{key}:refreshing")


# Cohorts whose dashboards run-periodic keeps computed: mentoring now, or ended lately.
WARM_AFTER_END = dt.timedelta(days=180)


def warm_figures(now: dt.datetime | None = None) -> int:
    """Compute, in every language, the figures of the cohorts that are mentoring or
    ended in the last half year whenever theirs are missing or old, so that even the
    first view of a dashboard finds them (with a cache the web processes share, such
    as Redis). Returns how many were computed."""
    from stem4all.programmes.models import Cohort

    now = now or timezone.now()
    since = timezone.localdate(now) - WARM_AFTER_END
    cohorts = Cohort.objects.filter(starts_on__lte=timezone.localdate(now), ends_on__gte=since)
    computed = 0
    for cohort in cohorts.select_related("programme"):
        for language, _name in settings.LANGUAGES:
            figures = cache.get(_key(cohort.pk, language))
            if figures is None or _is_old(figures, now):
                recompute(cohort, language)
                computed += 1
    return computed


def forget(cohort) -> None:
    """Have the figures recomputed at the next view, in every language."""
    cache.delete_many([_key(cohort.pk, code) for code, _name in settings.LANGUAGES])
