"""Factories for the award. ``EditionFactory`` makes an edition whose phases are laid
out around now: pass ``phase="voting"`` (or any ``Phase``) to have that phase open."""

import datetime as dt

import factory
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards.models import (
    Category,
    Edition,
    JuryAssignment,
    JuryCriterion,
    Nomination,
    Phase,
)
from stem4all.programmes.tests.factories import ProgrammeFactory

DAY = dt.timedelta(days=1)

# Days from now at which nominations open, so that ``phase`` is the one open now.
_START = {
    Phase.UPCOMING: 1,
    Phase.NOMINATIONS: -1,
    Phase.VOTING: -3,
    Phase.JURY: -5,
    Phase.BEFORE_RESULTS: -7,
}


def phase_times(phase: str = Phase.NOMINATIONS, now: dt.datetime | None = None) -> dict:
    """Each phase two days long, each following the last at once, with ``phase`` open
    now (for ``before_results``: the jury closed a day ago, results may be published)."""
    now = (now or timezone.now()).replace(microsecond=0)
    start = now + _START[phase] * DAY
    return {
        "nominations_open_at": start,
        "nominations_close_at": start + 2 * DAY,
        "voting_open_at": start + 2 * DAY,
        "voting_close_at": start + 4 * DAY,
        "jury_open_at": start + 4 * DAY,
        "jury_close_at": start + 6 * DAY,
        "results_at": start + 6 * DAY,
    }


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Test Award {n}")
    slug = factory.Sequence(lambda n: f"test-award-{n}")
    year = 2026

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # ``phase`` is not a field: it lays out the times not given explicitly.
        times = phase_times(kwargs.pop("phase", Phase.NOMINATIONS))
        for field, value in times.items():
            kwargs.setdefault(field, value)
        return kwargs


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Best mentor {n}")
    slug = factory.Sequence(lambda n: f"best-mentor-{n}")
    nominee_kind = Category.NomineeKind.MENTOR


class JuryCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryCriterion

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class NominationFactory(factory.django.DjangoModelFactory):
    """An approved nomination of a person who agreed to appear (open for votes)."""

    class Meta:
        model = Nomination

    category = factory.SubFactory(CategoryFactory)
    nominee_user = factory.SubFactory(UserFactory)
    statement = "She helped three mentees into university."
    nominated_by = factory.SubFactory(UserFactory)
    status = Nomination.Status.APPROVED
    nominee_consented_at = factory.LazyFunction(timezone.now)


class JuryAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryAssignment

    category = factory.SubFactory(CategoryFactory)
    juror = factory.SubFactory(UserFactory)
