"""Races on PostgreSQL: a participant sending her survey several times at the same
instant stores one response; the same race against a naive check-then-insert without
the unique constraint stores several (so the constraint is what decides)."""

from django.db import connection

from stem4all.reports import surveys
from stem4all.reports.models import Answer, Response

from .factories import QuestionFactory, SurveyFactory, member

POOL = 20
ROUNDS = 5


def test_a_double_submit_stores_one_response(postgres_only, run_concurrently):
    survey = SurveyFactory()
    QuestionFactory(survey=survey, key="conf")
    mentee = member(survey.cohort)

    def submit(i):
        return surveys.submit_response(
            survey=survey, respondent=mentee, answers={"conf": 1 + i % 5}
        ).pk

    results, errors = run_concurrently(submit, n=6)
    assert len(results) == 1, (results, errors)
    assert len(errors) == 5 and all(isinstance(e, surveys.SurveyError) for e in errors), errors
    assert Response.objects.count() == 1 and Answer.objects.count() == 1


def _naive_submit(*, survey, respondent):
    """What the constraint protects against: check, then insert."""
    if Response.objects.filter(survey=survey, respondent=respondent).exists():
        return None
    return Response.objects.create(survey=survey, respondent=respondent, language="en")


def test_a_naive_check_then_insert_without_the_constraint_stores_duplicates(
    postgres_only, run_concurrently
):
    survey = SurveyFactory()
    table = connection.ops.quote_name(Response._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT one_response_per_survey_and_person")
    try:
        stored_per_round = []
        for _round in range(ROUNDS):
            person = member(survey.cohort)
            _results, errors = run_concurrently(
                lambda _i, person=person: _naive_submit(survey=survey, respondent=person),
                n=POOL,
            )
            assert errors == []
            stored_per_round.append(Response.objects.filter(respondent=person).count())
            if stored_per_round[-1] > 1:
                break
        assert max(stored_per_round) > 1, stored_per_round
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE survey_id = %s", [survey.pk])  # noqa: S608
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT one_response_per_survey_and_person "
                "UNIQUE (survey_id, respondent_id)"
            )
