"""Races on PostgreSQL: two people changing one mentorship at the same instant apply
one after the other under the row lock, and the history agrees with the row."""

from stem4all.matching.tests.factories import make_mentee, make_mentor
from stem4all.mentorships import services
from stem4all.mentorships.models import Mentorship, MentorshipEvent
from stem4all.programmes.tests.factories import CohortFactory


def test_a_pause_and_an_early_end_at_once_leave_one_consistent_state(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    mentee, mentor = make_mentee(cohort), make_mentor(cohort)
    for _round in range(5):
        mentorship = services.start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)

        def act(i, mentorship=mentorship):
            if i == 0:
                return services.pause_mentorship(mentorship=mentorship, by=mentee, reason="Exams.")
            return services.end_mentorship_early(
                mentorship=mentorship, by=mentor, reason="No time."
            )

        results, errors = run_concurrently(act, n=2)
        assert all(isinstance(error, services.MentorshipError) for error in errors), errors
        mentorship.refresh_from_db()
        # Ending early is allowed from active and from paused, so it always applies; the
        # pause applies only if it came first.
        assert mentorship.status == Mentorship.Status.ENDED_EARLY
        events = list(MentorshipEvent.objects.filter(mentorship=mentorship))
        assert len(events) == 1 + len(results)
        chain = [(e.from_status, e.to_status) for e in events]
        assert chain in (
            [("", "active"), ("active", "ended_early")],
            [("", "active"), ("active", "paused"), ("paused", "ended_early")],
        )
