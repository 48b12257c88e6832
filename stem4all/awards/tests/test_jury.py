"""The jury: seats and criteria, conflicts of interest (declared and automatic),
scoring with drafts, submission and reopening, the phase's exact boundaries, the
notification when a category is done, and the secrecy of the scores."""

import datetime as dt

import pytest

from stem4all.awards import queries, services
from stem4all.awards.models import (
    JuryAssignment,
    JuryScore,
    Phase,
    ScoreSheet,
    ScoreSheetReopening,
    Vote,
)
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

from .factories import (
    CategoryFactory,
    EditionFactory,
    JuryAssignmentFactory,
    JuryCriterionFactory,
    NominationFactory,
)

US = dt.timedelta(microseconds=1)


def give_votes(nomination, count):
    from stem4all.accounts.tests.factories import UserFactory

    edition = nomination.category.edition
    for i in range(count):
        voter = UserFactory()
        cast_at = edition.voting_open_at + dt.timedelta(minutes=i + 1)
        Vote.objects.create(
            category=nomination.category,
            nomination=nomination,
            voter=voter,
            cast_at=cast_at,
            receipt=services.make_receipt(
                voter_id=voter.pk, category_id=nomination.category_id, sequence=1, cast_at=cast_at
            ),
        )


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.JURY, finalists_per_category=2)


@pytest.fixture
def category(edition):
    return CategoryFactory(edition=edition)


@pytest.fixture
def criteria(category):
    return [
        JuryCriterionFactory(category=category, name="Impact", weight=2, position=0),
        JuryCriterionFactory(category=category, name="Reach", weight=1, position=1),
    ]


@pytest.fixture
def finalists(category):
    first, second = NominationFactory(category=category), NominationFactory(category=category)
    give_votes(first, 3)
    give_votes(second, 2)
    return [first, second]


@pytest.fixture
def not_finalist(category, finalists):
    return NominationFactory(category=category)


@pytest.fixture
def seat(category, jury_member, criteria, finalists):
    return JuryAssignmentFactory(category=category, juror=jury_member, is_chair=True)


@pytest.fixture
def second_juror(cohort):
    from stem4all.accounts.tests.factories import UserFactory

    user = UserFactory(full_name="Second Juror")
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.JURY)
    return user


@pytest.fixture
def second_seat(category, second_juror, seat):
    return JuryAssignmentFactory(category=category, juror=second_juror)


def full(criteria, a=8, b=6):
    return {criteria[0].pk: a, criteria[1].pk: b}


# Seats and criteria --------------------------------------------------------------


def test_staff_seat_only_accepted_jury_members_of_the_programme(
    category, jury_member, mentor, staff, cohort
):
    from stem4all.accounts.tests.factories import UserFactory

    assignment = services.assign_juror(category=category, juror=jury_member, by=staff)
    assert assignment.assigned_by == staff
    with pytest.raises(services.JuryRefused):
        services.assign_juror(category=category, juror=mentor, by=staff)
    outsider = UserFactory()
    ParticipationFactory(user=outsider, role=Participation.Role.JURY)  # another programme
    with pytest.raises(services.JuryRefused):
        services.assign_juror(category=category, juror=outsider, by=staff)
    pending = UserFactory()
    ParticipationFactory(
        user=pending, cohort=cohort, role=Participation.Role.JURY, status="applied"
    )
    with pytest.raises(services.JuryRefused):
        services.assign_juror(category=category, juror=pending, by=staff)
    with pytest.raises(services.JuryRefused):
        services.assign_juror(category=category, juror=jury_member, by=staff)


def test_a_category_has_one_chair(category, jury_member, second_juror, staff):
    services.assign_juror(category=category, juror=jury_member, by=staff, is_chair=True)
    with pytest.raises(services.JuryRefused):
        services.assign_juror(category=category, juror=second_juror, by=staff, is_chair=True)
    services.assign_juror(category=category, juror=second_juror, by=staff)
    assert JuryAssignment.objects.filter(category=category, is_chair=True).count() == 1


def test_a_seat_is_removed_only_before_she_starts_scoring(
    seat, second_seat, criteria, finalists, staff
):
    services.remove_juror(assignment=second_seat, by=staff)
    assert not JuryAssignment.objects.filter(pk=second_seat.pk).exists()
    services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores={criteria[0].pk: 5}
    )
    with pytest.raises(services.JuryRefused):
        services.remove_juror(assignment=seat, by=staff)


def test_criteria_are_fixed_once_scoring_has_started(seat, criteria, finalists, category, staff):
    extra = services.add_jury_criterion(category=category, by=staff, name="Courage", weight=3)
    assert extra.position == 2
    services.remove_jury_criterion(criterion=extra, by=staff)
    services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores={criteria[0].pk: 5}
    )
    with pytest.raises(services.JuryRefused):
        services.add_jury_criterion(category=category, by=staff, name="Late", weight=1)
    with pytest.raises(services.JuryRefused):
        services.remove_jury_criterion(criterion=criteria[1], by=staff)


# Scoring -------------------------------------------------------------------------


def test_a_draft_is_saved_then_updated_never_duplicated(seat, criteria, finalists):
    nomination = finalists[0]
    sheet = services.submit_jury_score(
        nomination=nomination, juror=seat.juror, scores={criteria[0].pk: 4}, comment="First"
    )
    assert not sheet.is_submitted
    again = services.submit_jury_score(
        nomination=nomination, juror=seat.juror, scores=full(criteria, 7, 9), comment="Second"
    )
    assert again.pk == sheet.pk
    assert ScoreSheet.objects.count() == 1
    assert dict(JuryScore.objects.order_by().values_list("criterion_id", "score")) == full(
        criteria, 7, 9
    )
    assert ScoreSheet.objects.get().comment == "Second"


def test_a_submitted_sheet_is_final_until_the_chair_reopens_it(
    seat, second_seat, criteria, finalists, edition
):
    nomination = finalists[0]
    submitted_at = edition.jury_open_at + dt.timedelta(hours=1)
    sheet = services.submit_jury_score(
        nomination=nomination,
        juror=second_seat.juror,
        scores=full(criteria),
        submit=True,
        now=submitted_at,
    )
    assert sheet.submitted_at == submitted_at
    with pytest.raises(services.ScoreSheetFinal):
        services.submit_jury_score(
            nomination=nomination, juror=second_seat.juror, scores=full(criteria, 1, 1)
        )
    with pytest.raises(services.JuryRefused):  # a juror who is not the chair
        services.reopen_score_sheet(sheet=sheet, by=second_seat.juror, reason="Typo")
    with pytest.raises(services.JuryRefused):
        services.reopen_score_sheet(sheet=sheet, by=seat.juror, reason=" ")
    services.reopen_score_sheet(sheet=sheet, by=seat.juror, reason="She mistyped a score")
    reopening = ScoreSheetReopening.objects.get()
    assert reopening.previously_submitted_at == submitted_at
    assert reopening.reopened_by == seat.juror
    sheet.refresh_from_db()
    assert sheet.submitted_at is None
    services.submit_jury_score(
        nomination=nomination, juror=second_seat.juror, scores=full(criteria, 9, 9), submit=True
    )
    assert dict(JuryScore.objects.order_by().values_list("criterion_id", "score")) == full(
        criteria, 9, 9
    )
    with pytest.raises(services.JuryRefused):  # a draft is not reopened
        services.reopen_score_sheet(
            sheet=ScoreSheet.objects.create(assignment=seat, nomination=finalists[1]),
            by=seat.juror,
            reason="Nothing",
        )


def test_award_staff_may_reopen_a_sheet_and_other_staff_may_not(
    seat, criteria, finalists, staff, other_staff
):
    sheet = services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores=full(criteria), submit=True
    )
    with pytest.raises(services.JuryRefused):
        services.reopen_score_sheet(sheet=sheet, by=other_staff, reason="No")
    services.reopen_score_sheet(sheet=sheet, by=staff, reason="The chair asked")
    assert not ScoreSheet.objects.get().is_submitted


def test_submitting_needs_every_criterion_and_scores_from_1_to_10(seat, criteria, finalists):
    nomination = finalists[0]
    with pytest.raises(services.JuryRefused):
        services.submit_jury_score(
            nomination=nomination, juror=seat.juror, scores={criteria[0].pk: 5}, submit=True
        )
    for bad in (0, 11):
        with pytest.raises(services.JuryRefused):
            services.submit_jury_score(
                nomination=nomination, juror=seat.juror, scores=full(criteria, bad, 5)
            )
    other = JuryCriterionFactory()  # a criterion of another category
    with pytest.raises(services.JuryRefused):
        services.submit_jury_score(nomination=nomination, juror=seat.juror, scores={other.pk: 5})
    assert not JuryScore.objects.exists()


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (lambda e: e.jury_open_at - US, False),
        (lambda e: e.jury_open_at, True),
        (lambda e: e.jury_close_at - US, True),
        (lambda e: e.jury_close_at, False),
    ],
)
def test_scores_are_taken_from_the_opening_instant_until_just_before_the_close(
    seat, criteria, finalists, edition, moment, is_open
):
    def score():
        return services.submit_jury_score(
            nomination=finalists[0], juror=seat.juror, scores=full(criteria), now=moment(edition)
        )

    if is_open:
        assert score().pk
    else:
        with pytest.raises(services.PhaseClosed):
            score()


def test_only_finalists_are_scored(seat, criteria, not_finalist):
    with pytest.raises(services.JuryRefused):
        services.submit_jury_score(nomination=not_finalist, juror=seat.juror, scores=full(criteria))


def test_a_person_without_a_seat_cannot_score(criteria, finalists, mentor, staff, second_juror):
    for person in (mentor, staff, second_juror):
        with pytest.raises(services.JuryRefused):
            services.submit_jury_score(nomination=finalists[0], juror=person, scores=full(criteria))


def test_a_declared_conflict_blocks_scoring(seat, criteria, finalists):
    services.submit_jury_score(nomination=finalists[0], juror=seat.juror, scores=full(criteria))
    services.declare_conflict(assignment=seat, nomination=finalists[0], reason="My cousin")
    assert not ScoreSheet.objects.exists()  # her draft never counts
    with pytest.raises(services.ConflictOfInterestError):
        services.submit_jury_score(nomination=finalists[0], juror=seat.juror, scores=full(criteria))
    services.submit_jury_score(nomination=finalists[1], juror=seat.juror, scores=full(criteria))


def test_a_conflict_is_declared_with_a_reason_and_not_after_submitting(seat, criteria, finalists):
    with pytest.raises(services.JuryRefused):
        services.declare_conflict(assignment=seat, nomination=finalists[0], reason="")
    services.submit_jury_score(
        nomination=finalists[1], juror=seat.juror, scores=full(criteria), submit=True
    )
    with pytest.raises(services.ScoreSheetFinal):
        services.declare_conflict(assignment=seat, nomination=finalists[1], reason="Late")


@pytest.mark.parametrize("juror_is_mentor", [True, False])
@pytest.mark.parametrize("status", [Mentorship.Status.ACTIVE, Mentorship.Status.COMPLETED])
def test_a_juror_never_scores_her_own_mentee_or_mentor_even_undeclared(
    seat, criteria, finalists, juror_is_mentor, status
):
    nominee = finalists[0].nominee_user
    if juror_is_mentor:
        MentorshipFactory(mentor=seat.juror, mentee=nominee, status=status)
    else:
        MentorshipFactory(mentor=nominee, mentee=seat.juror, status=status)
    assert queries.conflicted_nomination_ids(seat) == {finalists[0].pk}
    with pytest.raises(services.ConflictOfInterestError):
        services.submit_jury_score(nomination=finalists[0], juror=seat.juror, scores=full(criteria))


def test_a_juror_never_scores_herself(category, jury_member, criteria, staff):
    herself = NominationFactory(category=category, nominee_user=jury_member)
    seat = services.assign_juror(category=category, juror=jury_member, by=staff)
    assert queries.conflicted_nomination_ids(seat) == {herself.pk}
    with pytest.raises(services.ConflictOfInterestError):
        services.submit_jury_score(nomination=herself, juror=jury_member, scores=full(criteria))


def test_staff_are_told_once_when_the_last_juror_submits_her_last_finalist(
    seat, second_seat, criteria, finalists, staff, django_capture_on_commit_callbacks
):
    # The second juror mentors the second finalist: she is not expected to score it.
    MentorshipFactory(mentor=second_seat.juror, mentee=finalists[1].nominee_user)

    def submit(assignment, nomination):
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_jury_score(
                nomination=nomination, juror=assignment.juror, scores=full(criteria), submit=True
            )

    submit(seat, finalists[0])
    submit(seat, finalists[1])
    assert not Notification.objects.filter(kind="jury_complete").exists()
    submit(second_seat, finalists[0])
    notice = Notification.objects.get(kind="jury_complete")
    assert notice.recipient == staff
    assert notice.key == f"jury-complete:{seat.category_id}"
    assert notice.params == {"category": seat.category.name, "edition": seat.category.edition.name}
    assert queries.is_category_scored(seat.category)


# Secrecy ---------------------------------------------------------------------------


def test_before_the_close_a_juror_sees_only_her_own_sheets(
    seat, second_seat, criteria, finalists, staff
):
    services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores=full(criteria), submit=True
    )
    services.submit_jury_score(
        nomination=finalists[0], juror=second_seat.juror, scores=full(criteria), submit=True
    )
    category = seat.category
    assert [s.assignment for s in queries.visible_sheets(seat.juror, category)] == [seat]
    assert [s.assignment for s in queries.visible_sheets(second_seat.juror, category)] == [
        second_seat
    ]
    assert list(queries.visible_sheets(staff, category)) == []


def test_after_the_close_the_category_jury_and_staff_see_every_sheet(
    seat, second_seat, criteria, finalists, staff, other_staff, mentor, edition
):
    services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores=full(criteria), submit=True
    )
    services.submit_jury_score(
        nomination=finalists[0], juror=second_seat.juror, scores=full(criteria), submit=True
    )
    after = edition.jury_close_at
    category = seat.category
    for person in (seat.juror, second_seat.juror, staff):
        assert queries.visible_sheets(person, category, now=after).count() == 2
    for person in (other_staff, mentor):
        assert queries.visible_sheets(person, category, now=after).count() == 0


def test_the_weighted_score_is_on_a_scale_of_100(seat, criteria, finalists):
    sheet = services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores=full(criteria, 8, 5)
    )
    # (2 * 8 + 1 * 5) / 3 = 7 points of 10
    assert str(queries.weighted_score(sheet, criteria)) == "70.00"
