"""Who sees whose data, and the one safeguarding predicate."""

import pytest
from django.http import Http404

from stem4all.accounts.models import StaffAccessLog
from stem4all.accounts.permissions import (
    ProfileAccess,
    can_be_matched_or_contacted,
    get_person_for_viewer,
    is_programme_staff,
)
from stem4all.accounts.services import revoke_guardian_consent
from stem4all.accounts.tests.factories import UserFactory, years_ago


def test_an_adult_mentee_can_be_matched_or_contacted(mentee):
    assert can_be_matched_or_contacted(mentee)


def test_a_minor_with_consent_can_be_matched_or_contacted(minor_mentee):
    assert can_be_matched_or_contacted(minor_mentee)


def test_a_minor_without_consent_cannot_be_matched_or_contacted(db):
    assert not can_be_matched_or_contacted(UserFactory(date_of_birth=years_ago(16)))


def test_a_revoked_consent_no_longer_counts(minor_mentee):
    revoke_guardian_consent(consent=minor_mentee.guardian_consents.get())
    assert not can_be_matched_or_contacted(minor_mentee)


def test_an_unknown_age_is_not_treated_as_adult(db):
    assert not can_be_matched_or_contacted(UserFactory(date_of_birth=None))


def test_the_day_she_turns_eighteen_she_is_an_adult(db):
    assert can_be_matched_or_contacted(UserFactory(date_of_birth=years_ago(18)))
    assert not can_be_matched_or_contacted(UserFactory(date_of_birth=years_ago(18, days=-1)))


def test_a_deactivated_account_cannot_be_contacted(db):
    assert not can_be_matched_or_contacted(UserFactory(is_active=False))


def test_staff_are_staff_only_of_their_own_programme(staff, other_staff, programme):
    assert is_programme_staff(staff, programme.pk)
    assert not is_programme_staff(other_staff, programme.pk)


@pytest.mark.parametrize("viewer", ["mentor", "stranger", "other_staff", "minor_mentee"])
def test_nobody_else_sees_a_mentees_profile(request, mentee, viewer):
    with pytest.raises(Http404):
        get_person_for_viewer(request.getfixturevalue(viewer), mentee.pk)


def test_she_sees_her_own_profile_in_full(mentee):
    assert get_person_for_viewer(mentee, mentee.pk)[1] == ProfileAccess.FULL


def test_staff_of_her_programme_see_her_profile_in_full(staff, mentee):
    assert get_person_for_viewer(staff, mentee.pk)[1] == ProfileAccess.FULL


def test_a_participant_sees_only_the_card_of_a_mentor_in_her_cohort(mentee, mentor):
    assert get_person_for_viewer(mentee, mentor.pk)[1] == ProfileAccess.CARD


def test_a_stranger_does_not_see_a_mentor_card(stranger, mentor):
    with pytest.raises(Http404):
        get_person_for_viewer(stranger, mentor.pk)


def test_profile_page_of_a_mentee_is_404_for_others(login, mentor, mentee):
    assert login(mentor).get(f"/profile/people/{mentee.pk}/").status_code == 404


def test_mentor_card_hides_private_fields(login, mentee, mentor):
    page = login(mentee).get(f"/profile/people/{mentor.pk}/").content.decode()
    assert mentor.mentor_profile.organisation in page
    assert mentor.email not in page
    assert "Screening" not in page


def test_staff_opening_a_profile_is_audited(login, staff, mentee):
    response = login(staff).get(f"/profile/people/{mentee.pk}/")
    assert response.status_code == 200
    assert mentee.email in response.content.decode()
    log = StaffAccessLog.objects.get()
    assert (log.staff, log.subject, log.action) == (staff, mentee, "view profile")


def test_looking_at_ones_own_profile_is_not_audited(login, staff):
    login(staff).get(f"/profile/people/{staff.pk}/")
    assert not StaffAccessLog.objects.exists()


def test_staff_of_another_programme_get_404_for_her_profile(login, other_staff, mentee):
    assert login(other_staff).get(f"/profile/people/{mentee.pk}/").status_code == 404
    assert not StaffAccessLog.objects.exists()
