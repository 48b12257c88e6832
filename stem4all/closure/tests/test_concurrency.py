"""Races on PostgreSQL: a certificate issued by two workers at once stays one, and a
member sending her exit survey twice at the same instant records one answer."""

from stem4all.closure import services
from stem4all.closure.models import Certificate, ExitSurvey
from stem4all.closure.tests.factories import ended_pair
from stem4all.matching.tests.factories import make_mentee, make_mentor
from stem4all.programmes.tests.factories import CohortFactory


def test_issuing_a_certificate_at_once_from_many_workers_makes_one(postgres_only, run_concurrently):
    cohort = CohortFactory()
    mentorship = ended_pair(cohort, make_mentee(cohort), make_mentor(cohort))
    results, errors = run_concurrently(
        lambda i: services.issue_certificate(mentorship=mentorship).pk, n=6
    )
    assert errors == []
    assert Certificate.objects.count() == 1
    assert set(results) == {Certificate.objects.get().pk}


def test_a_double_submit_of_the_exit_survey_records_one_answer(postgres_only, run_concurrently):
    cohort = CohortFactory()
    mentee = make_mentee(cohort)
    mentorship = ended_pair(cohort, mentee, make_mentor(cohort))

    def submit(i):
        return services.submit_exit_survey(
            mentorship=mentorship,
            respondent=mentee,
            overall_rating=1 + i % 5,
            goals_met=3,
            would_recommend=True,
        )

    results, errors = run_concurrently(submit, n=4)
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, services.ClosureError) for e in errors), errors
    assert ExitSurvey.objects.count() == 1
