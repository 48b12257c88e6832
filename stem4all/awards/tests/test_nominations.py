"""Nominations at the service: who is eligible in each kind of category, who may
nominate and when (the half-open window at its exact edges), the nominee's consent,
and the staff's review (approve, reject, merge)."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress

from stem4all.accounts.permissions import can_be_matched_or_contacted
from stem4all.accounts.tests.factories import GuardianConsentFactory, UserFactory, years_ago
from stem4all.awards import queries, services
from stem4all.awards.errors import AwardError, NotEligible, PhaseClosed
from stem4all.awards.models import Category, Nomination, Phase
from stem4all.awards.permissions import may_nominate_in
from stem4all.community.models import PartnerOrganisation, Practice
from stem4all.community.tests.factories import PartnerOrganisationFactory, PracticeFactory
from stem4all.notifications.models import Notification
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import CategoryFactory, EditionFactory

MS = dt.timedelta(milliseconds=1)
Kind = Category.NomineeKind


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.NOMINATIONS)


@pytest.fixture
def mentors(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.MENTOR)


@pytest.fixture
def mentees(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.MENTEE, slug="best-mentee")


@pytest.fixture
def organisations(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.ORGANISATION, slug="partners")


@pytest.fixture
def practices(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.PRACTICE, slug="practices")


def nominate(category, by, statement="She changed our lives.", **nominee):
    return services.nominate(category=category, nominated_by=by, statement=statement, **nominee)


def minor_without_consent(cohort):
    user = UserFactory(full_name="Young Testova", date_of_birth=years_ago(15))
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.MENTEE)
    return user


# Eligibility ---------------------------------------------------------------------------


def test_a_mentor_category_takes_accepted_mentors_of_the_programme_only(
    mentors, mentor, mentee, staff, cohort, other_staff
):
    applied = UserFactory()
    ParticipationFactory(
        user=applied, cohort=cohort, role="mentor", status=Participation.Status.APPLIED
    )
    elsewhere = UserFactory()
    ParticipationFactory(user=elsewhere, cohort=CohortFactory(), role="mentor")
    assert list(queries.eligible_nominees(mentors)) == [mentor]


def test_a_mentee_category_takes_accepted_mentees(mentees, mentor, mentee, minor_mentee):
    assert set(queries.eligible_nominees(mentees)) == {mentee, minor_mentee}


def test_a_regional_category_takes_only_people_living_outside_bishkek(mentees, mentee, cohort):
    mentees.outside_bishkek_only = True
    mentees.save()
    in_bishkek = UserFactory(region="bishkek", district="")
    abroad = UserFactory(country="DE", region="", district="")
    for user in (in_bishkek, abroad):
        ParticipationFactory(user=user, cohort=cohort, role="mentee")
    assert mentee.lives_outside_bishkek
    assert not in_bishkek.lives_outside_bishkek and not abroad.lives_outside_bishkek
    assert list(queries.eligible_nominees(mentees)) == [mentee]


def test_an_organisation_category_takes_approved_partners_of_the_kind(organisations, programme):
    ngo = PartnerOrganisationFactory(programme=programme, kind="ngo")
    company = PartnerOrganisationFactory(programme=programme, kind="company")
    PartnerOrganisationFactory(programme=programme, status=PartnerOrganisation.Status.PENDING)
    PartnerOrganisationFactory()  # another programme's
    assert set(queries.eligible_nominees(organisations)) == {ngo, company}
    organisations.organisation_kind = "ngo"
    organisations.save()
    assert list(queries.eligible_nominees(organisations)) == [ngo]


def test_a_practice_category_takes_published_practices_of_the_programme(practices, programme):
    ngo = PartnerOrganisationFactory(programme=programme, kind="ngo")
    published = PracticeFactory(organisation=ngo)
    PracticeFactory(organisation=ngo, status=Practice.Status.SUBMITTED)
    pending_org = PartnerOrganisationFactory(
        programme=programme, status=PartnerOrganisation.Status.PENDING
    )
    PracticeFactory(organisation=pending_org)  # approved, but not public
    PracticeFactory()  # another programme's
    company = PracticeFactory(organisation=PartnerOrganisationFactory(programme=programme))
    assert set(queries.eligible_nominees(practices)) == {published, company}
    practices.organisation_kind = "ngo"
    practices.save()
    assert list(queries.eligible_nominees(practices)) == [published]


def test_the_select_offers_no_minor_without_a_guardians_consent_and_not_oneself(
    mentees, mentee, minor_mentee, cohort, mentor
):
    young = minor_without_consent(cohort)
    # Someone whose age is not on record is offered: she adds it before she agrees.
    unknown_age = UserFactory(date_of_birth=None)
    ParticipationFactory(user=unknown_age, cohort=cohort, role="mentee")
    offered = set(queries.offered_nominees(mentees, mentee))
    assert offered == {minor_mentee, unknown_age}
    assert set(queries.offered_nominees(mentees, mentor)) == {mentee, minor_mentee, unknown_age}
    # The filter is the safeguarding rule, row for row.
    for person in (mentee, minor_mentee, young, unknown_age):
        in_filter = queries.contactable_people(type(person).objects.filter(pk=person.pk)).exists()
        assert in_filter == can_be_matched_or_contacted(person)


def test_a_minor_without_consent_cannot_be_nominated(mentees, mentor, cohort):
    with pytest.raises(NotEligible):
        nominate(mentees, mentor, nominee_user=minor_without_consent(cohort))


def test_an_ineligible_or_mismatched_nominee_is_refused(mentors, organisations, mentee, staff):
    with pytest.raises(NotEligible):
        nominate(mentors, mentee, nominee_user=staff)
    with pytest.raises(NotEligible):
        nominate(organisations, mentee, nominee_user=staff)
    with pytest.raises(NotEligible):
        nominate(mentors, mentee)
    assert not Nomination.objects.exists()


# Who may nominate, and when -----------------------------------------------------------------


def test_nominations_open_at_the_opening_instant(mentors, mentee, mentor, edition):
    nomination = nominate(mentors, mentee, nominee_user=mentor, now=edition.nominations_open_at)
    assert nomination.status == Nomination.Status.PENDING
    assert nomination.created_at == edition.nominations_open_at


def test_a_millisecond_before_the_opening_is_refused(mentors, mentee, mentor, edition):
    with pytest.raises(PhaseClosed):
        nominate(mentors, mentee, nominee_user=mentor, now=edition.nominations_open_at - MS)


def test_a_millisecond_before_the_close_is_accepted(mentors, mentee, mentor, edition):
    nominate(mentors, mentee, nominee_user=mentor, now=edition.nominations_close_at - MS)
    assert Nomination.objects.count() == 1


@pytest.mark.parametrize("after", [dt.timedelta(0), MS])
def test_at_the_close_or_after_it_is_refused(mentors, mentee, mentor, edition, after):
    with pytest.raises(PhaseClosed):
        nominate(mentors, mentee, nominee_user=mentor, now=edition.nominations_close_at + after)
    assert not Nomination.objects.exists()


def test_any_participant_nominates_but_a_stranger_does_not(
    mentors, organisations, mentor, staff, partner, stranger, other_staff, voter
):
    for person in (staff, partner):
        assert may_nominate_in(person, mentors)
    for person in (stranger, other_staff, voter):
        assert not may_nominate_in(person, mentors)
        assert not may_nominate_in(person, organisations)
    with pytest.raises(AwardError):
        nominate(mentors, stranger, nominee_user=mentor)


def test_with_public_nominating_the_verified_public_nominates_organisations_only(
    edition, mentors, organisations, practices, stranger, voter, programme
):
    edition.public_may_nominate = True
    edition.save()
    assert may_nominate_in(stranger, organisations) and may_nominate_in(stranger, practices)
    assert not may_nominate_in(stranger, mentors)
    EmailAddress.objects.filter(user=voter).update(verified=False)
    assert not may_nominate_in(voter, organisations)
    organisation = PartnerOrganisationFactory(programme=programme)
    nomination = nominate(organisations, stranger, nominee_organisation=organisation)
    assert nomination.has_nominee_consent and not nomination.is_public


def test_one_cannot_nominate_oneself(mentors, mentor):
    with pytest.raises(NotEligible, match="yourself"):
        nominate(mentors, mentor, nominee_user=mentor)


def test_a_second_nomination_of_the_same_nominee_by_the_same_person_is_refused(
    mentors, mentee, mentor, minor_mentee
):
    nominate(mentors, mentee, nominee_user=mentor)
    with pytest.raises(services.AlreadyNominated):
        nominate(mentors, mentee, nominee_user=mentor, statement="Again.")
    nominate(mentors, minor_mentee, nominee_user=mentor)
    assert Nomination.objects.filter(nominee_user=mentor).count() == 2


def test_an_empty_or_too_long_statement_is_refused(mentors, mentee, mentor):
    with pytest.raises(AwardError):
        nominate(mentors, mentee, nominee_user=mentor, statement="   ")
    with pytest.raises(AwardError):
        nominate(mentors, mentee, nominee_user=mentor, statement="x" * 3001)


def test_a_nominated_person_is_told_after_commit(
    mentors, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(mentors, mentee, nominee_user=mentor)
    notification = Notification.objects.get(recipient=mentor)
    assert notification.kind == "award_nominated"
    assert notification.url == f"/awards/nominations/{nomination.pk}/respond/"
    assert notification.params == {"category": mentors.name, "edition": mentors.edition.name}
    assert not Notification.objects.filter(recipient=mentee).exists()


# The nominee's answer ----------------------------------------------------------------------


@pytest.fixture
def nomination(mentors, mentee, mentor):
    return nominate(mentors, mentee, nominee_user=mentor)


def test_she_agrees_and_chooses_what_is_shown(nomination, mentor, edition):
    services.consent_to_nomination(
        nomination=nomination, nominee=mentor, shows_meetings=True, now=edition.voting_open_at - MS
    )
    nomination.refresh_from_db()
    assert nomination.nominee_consented_at == edition.voting_open_at - MS
    assert nomination.shows_meetings
    assert not nomination.shows_roadmap_steps and not nomination.shows_trainings


def test_the_evidence_choices_are_off_by_default(nomination, mentor):
    services.consent_to_nomination(nomination=nomination, nominee=mentor)
    nomination.refresh_from_db()
    assert nomination.has_nominee_consent
    assert not (nomination.shows_meetings or nomination.shows_roadmap_steps)
    assert not nomination.shows_trainings


def test_only_the_nominee_answers(nomination, mentee):
    with pytest.raises(AwardError):
        services.consent_to_nomination(nomination=nomination, nominee=mentee)
    with pytest.raises(AwardError):
        services.decline_nomination(nomination=nomination, nominee=mentee)


def test_declining_rejects_the_nomination(nomination, mentor):
    services.decline_nomination(nomination=nomination, nominee=mentor)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.REJECTED
    assert nomination.rejection_reason == "declined by the nominee"
    with pytest.raises(AwardError):
        services.consent_to_nomination(nomination=nomination, nominee=mentor)


def test_a_minor_agrees_only_with_a_guardians_consent(mentees, mentor, minor_mentee, cohort):
    nomination = nominate(mentees, mentor, nominee_user=minor_mentee)
    services.consent_to_nomination(nomination=nomination, nominee=minor_mentee)
    # A minor who could be nominated while consent was on record, and then revoked.
    young = UserFactory(date_of_birth=years_ago(16))
    ParticipationFactory(user=young, cohort=cohort, role="mentee")
    consent = GuardianConsentFactory(mentee=young)
    other = nominate(mentees, mentor, nominee_user=young)
    consent.revoked_at = other.created_at
    consent.save()
    with pytest.raises(AwardError, match="guardian"):
        services.consent_to_nomination(nomination=other, nominee=young)
    other.refresh_from_db()
    assert other.nominee_consented_at is None


def test_she_withdraws_her_consent_before_voting_opens_but_not_after(nomination, mentor, edition):
    services.consent_to_nomination(nomination=nomination, nominee=mentor, shows_trainings=True)
    services.withdraw_nomination_consent(
        nomination=nomination, nominee=mentor, now=edition.voting_open_at - MS
    )
    nomination.refresh_from_db()
    assert nomination.nominee_consented_at is None and not nomination.shows_trainings
    services.consent_to_nomination(nomination=nomination, nominee=mentor)
    with pytest.raises(PhaseClosed):
        services.withdraw_nomination_consent(
            nomination=nomination, nominee=mentor, now=edition.voting_open_at
        )
    with pytest.raises(PhaseClosed):
        services.decline_nomination(
            nomination=nomination, nominee=mentor, now=edition.voting_open_at
        )
    nomination.refresh_from_db()
    assert nomination.has_nominee_consent


def test_agreeing_after_voting_opened_is_too_late(nomination, mentor, edition):
    with pytest.raises(PhaseClosed):
        services.consent_to_nomination(
            nomination=nomination, nominee=mentor, now=edition.voting_open_at
        )


# Staff review ------------------------------------------------------------------------------


def review(nomination, by, decision, **kwargs):
    return services.review_nomination(nomination=nomination, by=by, decision=decision, **kwargs)


def test_a_person_is_approved_only_once_she_agreed(nomination, mentor, staff):
    with pytest.raises(AwardError, match="agreed"):
        review(nomination, staff, "approve")
    services.consent_to_nomination(nomination=nomination, nominee=mentor)
    review(nomination, staff, "approve")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED and nomination.is_public
    assert nomination.reviewed_by == staff


def test_only_award_staff_review(nomination, other_staff, mentee, mentor):
    services.consent_to_nomination(nomination=nomination, nominee=mentor)
    for person in (other_staff, mentee, mentor):
        with pytest.raises(AwardError):
            review(nomination, person, "approve")


def test_a_rejection_needs_a_reason_and_the_nominator_is_told(
    nomination, staff, mentee, django_capture_on_commit_callbacks
):
    with pytest.raises(AwardError):
        review(nomination, staff, "reject", reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        review(nomination, staff, "reject", reason="Not a participant this year.")
    nomination.refresh_from_db()
    assert nomination.rejection_reason == "Not a participant this year."
    notification = Notification.objects.get(recipient=mentee)
    assert notification.kind == "nomination_reviewed"
    assert notification.params["status"] == "rejected"
    assert notification.url == f"/awards/nominations/{nomination.pk}/"


def test_a_reviewed_nomination_is_not_reviewed_again(nomination, staff):
    review(nomination, staff, "reject", reason="Duplicate.")
    with pytest.raises(services.AlreadyReviewed):
        review(nomination, staff, "reject", reason="Again.")


def test_a_second_approved_nomination_of_a_nominee_is_refused_with_merge_advice(
    nomination, mentors, mentor, partner, staff
):
    second = nominate(mentors, partner, nominee_user=mentor, statement="The best.")
    services.consent_to_nomination(nomination=nomination, nominee=mentor)
    services.consent_to_nomination(nomination=second, nominee=mentor)
    review(nomination, staff, "approve")
    with pytest.raises(AwardError, match="merge"):
        review(second, staff, "approve")
    second.refresh_from_db()
    assert second.status == Nomination.Status.PENDING
    review(second, staff, "merge", merge_into=nomination)
    second.refresh_from_db()
    assert second.status == Nomination.Status.MERGED and second.merged_into == nomination
    assert queries.statements_of(nomination) == ["She changed our lives.", "The best."]


def test_merging_carries_her_consent_and_the_merged_ones_follow(
    nomination, mentors, mentor, partner, staff, jury_member
):
    second = nominate(mentors, partner, nominee_user=mentor, statement="Second.")
    third = nominate(mentors, jury_member, nominee_user=mentor, statement="Third.")
    services.consent_to_nomination(nomination=second, nominee=mentor, shows_meetings=True)
    review(third, staff, "merge", merge_into=second)
    review(second, staff, "merge", merge_into=nomination)
    nomination.refresh_from_db()
    third.refresh_from_db()
    assert third.merged_into == nomination
    assert nomination.has_nominee_consent and nomination.shows_meetings
    assert queries.statements_of(nomination) == ["She changed our lives.", "Second.", "Third."]


def test_merging_only_into_the_same_nominee_and_category(
    nomination, mentors, mentees, mentor, mentee, partner, staff
):
    other_person = nominate(mentees, partner, nominee_user=mentee)
    with pytest.raises(AwardError):
        review(nomination, staff, "merge", merge_into=other_person)
    with pytest.raises(AwardError):
        review(nomination, staff, "merge", merge_into=nomination)
    with pytest.raises(AwardError):
        review(nomination, staff, "merge")


def test_merging_and_approving_are_refused_once_voting_opened(
    nomination, mentors, mentor, partner, staff, edition
):
    second = nominate(mentors, partner, nominee_user=mentor)
    services.consent_to_nomination(nomination=second, nominee=mentor)
    with pytest.raises(PhaseClosed):
        review(second, staff, "merge", merge_into=nomination, now=edition.voting_open_at)
    with pytest.raises(PhaseClosed):
        review(second, staff, "approve", now=edition.voting_open_at)
    review(second, staff, "merge", merge_into=nomination, now=edition.voting_open_at - MS)


def test_an_organisation_needs_no_consent_to_be_approved(organisations, mentee, staff, programme):
    organisation = PartnerOrganisationFactory(programme=programme)
    nomination = nominate(organisations, mentee, nominee_organisation=organisation)
    review(nomination, staff, "approve")
    nomination.refresh_from_db()
    assert nomination.is_public


def test_a_minor_whose_guardian_consent_was_revoked_is_not_approved(
    mentees, mentor, minor_mentee, staff
):
    nomination = nominate(mentees, mentor, nominee_user=minor_mentee)
    services.consent_to_nomination(nomination=nomination, nominee=minor_mentee)
    minor_mentee.guardian_consents.update(revoked_at=nomination.created_at)
    with pytest.raises(AwardError, match="guardian"):
        review(nomination, staff, "approve")


def test_a_nominee_whose_age_is_not_on_record_is_asked_for_it_before_she_agrees(
    mentees, mentor, cohort
):
    unknown_age = UserFactory(date_of_birth=None)
    ParticipationFactory(user=unknown_age, cohort=cohort, role="mentee")
    nomination = nominate(mentees, mentor, nominee_user=unknown_age)
    with pytest.raises(AwardError, match="date of birth"):
        services.consent_to_nomination(nomination=nomination, nominee=unknown_age)
    nomination.refresh_from_db()
    assert nomination.nominee_consented_at is None
