"""Races on PostgreSQL: the same score sheet submitted twice at once (two tabs, a
double click) is stored once; one submit wins, the other is told the sheet is final."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.models import JuryScore, Phase, ScoreSheet
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import (
    CategoryFactory,
    EditionFactory,
    JuryAssignmentFactory,
    JuryCriterionFactory,
    NominationFactory,
)


def _setup():
    cohort = CohortFactory()
    juror = UserFactory()
    ParticipationFactory(user=juror, cohort=cohort, role=Participation.Role.JURY)
    edition = EditionFactory(programme=cohort.programme, phase=Phase.JURY)
    category = CategoryFactory(edition=edition)
    criteria = [JuryCriterionFactory(category=category) for _i in range(3)]
    nomination = NominationFactory(category=category)
    JuryAssignmentFactory(category=category, juror=juror)
    return juror, nomination, criteria


def test_two_submits_of_the_same_sheet_at_once_store_it_once(postgres_only, run_concurrently):
    juror, nomination, criteria = _setup()

    def submit(i):
        return services.submit_jury_score(
            nomination=nomination,
            juror=juror,
            scores={c.pk: 3 + i for c in criteria},
            comment=f"tab {i}",
            submit=True,
        )

    results, errors = run_concurrently(submit, n=2)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.ScoreSheetFinal)
    sheet = ScoreSheet.objects.get()
    assert sheet.is_submitted and sheet.comment == results[0].comment
    assert JuryScore.objects.filter(sheet=sheet).count() == 3


def test_many_drafts_at_once_never_duplicate_a_sheet_or_a_score(postgres_only, run_concurrently):
    juror, nomination, criteria = _setup()

    def save(i):
        return services.submit_jury_score(
            nomination=nomination, juror=juror, scores={c.pk: 1 + i for c in criteria}
        )

    results, errors = run_concurrently(save, n=6)
    assert errors == []
    assert ScoreSheet.objects.count() == 1
    assert JuryScore.objects.count() == 3
    assert len(set(JuryScore.objects.order_by().values_list("score", flat=True))) == 1


def test_the_last_two_jurors_submitting_at_once_tell_the_staff(postgres_only, run_concurrently):
    from stem4all.notifications.models import Notification

    juror, nomination, criteria = _setup()
    category = nomination.category
    cohort = category.edition.programme.cohorts.first()
    staff = UserFactory()
    ParticipationFactory(user=staff, cohort=cohort, role=Participation.Role.STAFF)
    second = UserFactory()
    ParticipationFactory(user=second, cohort=cohort, role=Participation.Role.JURY)
    JuryAssignmentFactory(category=category, juror=second)
    jurors = [juror, second]

    def submit(i):
        return services.submit_jury_score(
            nomination=nomination,
            juror=jurors[i],
            scores={c.pk: 5 for c in criteria},
            submit=True,
        )

    results, errors = run_concurrently(submit, n=2)
    assert errors == []
    assert Notification.objects.filter(recipient=staff, kind="jury_complete").count() == 1
