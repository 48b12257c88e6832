"""Races on PostgreSQL: concurrent step adds, moves and template copies of one pair
apply one after the other under the mentorship row lock; positions stay unique and
contiguous and nothing but a RoadmapError reaches the caller."""

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.programmes.tests.factories import CohortFactory
from stem4all.roadmaps import services
from stem4all.roadmaps.models import Roadmap, RoadmapStep

from .factories import make_template


def _pair():
    cohort = CohortFactory()
    pair = MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=make_mentor(cohort))
    return pair, Roadmap.objects.create(mentorship=pair)


def _positions(roadmap):
    return list(
        RoadmapStep.objects.filter(roadmap=roadmap)
        .order_by("position")
        .values_list("position", flat=True)
    )


def test_concurrent_step_adds_get_contiguous_positions(postgres_only, run_concurrently):
    pair, roadmap = _pair()

    def add(i):
        return services.add_step(roadmap=roadmap, by=pair.mentee, title=f"Step {i}")

    results, errors = run_concurrently(add, n=6)
    assert errors == []
    assert len(results) == 6
    assert _positions(roadmap) == list(range(6))


def test_concurrent_step_moves_keep_positions_unique_and_contiguous(
    postgres_only, run_concurrently
):
    pair, roadmap = _pair()
    steps = [services.add_step(roadmap=roadmap, by=pair.mentee, title=f"S{n}") for n in range(5)]
    for _round in range(4):

        def move(i):
            step = steps[i % len(steps)]
            if i % 2:
                return services.move_step(step=step, by=pair.mentee, direction="down")
            return services.move_step_to(step=step, by=pair.mentee, position=0)

        _results, errors = run_concurrently(move, n=4)
        assert all(isinstance(error, services.RoadmapError) for error in errors), errors
        assert errors == []
        assert _positions(roadmap) == list(range(5))


def test_a_double_template_copy_copies_once(postgres_only, run_concurrently):
    pair, roadmap = _pair()
    template = make_template(pair.cohort.programme)

    def copy(i):
        return services.copy_template(mentorship=pair, by=pair.mentee, template=template)

    results, errors = run_concurrently(copy, n=4)
    assert len(results) == 1, errors
    assert len(errors) == 3
    assert all(isinstance(error, services.RoadmapError) for error in errors), errors
    assert all("already copied" in str(error) for error in errors)
    assert RoadmapStep.objects.filter(roadmap=roadmap).count() == 2
    assert _positions(roadmap) == [0, 1]
