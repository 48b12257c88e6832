"""Editing one's own details, languages and profiles; staff recording consent."""

import pytest

from stem4all.accounts.models import GuardianConsent, LanguageSkill, MenteeProfile, StaffAccessLog
from stem4all.accounts.tests.factories import UserFactory, years_ago
from stem4all.programmes.tests.factories import ParticipationFactory


def test_she_edits_her_personal_details(login, mentee):
    response = login(mentee).post(
        "/profile/details/",
        {
            "full_name": "Aizada New",
            "preferred_language": "ky",
            "date_of_birth": "2001-05-04",
            "country": "KG",
            "region": "naryn",
            "district": "at_bashy",
            "time_zone": "Asia/Bishkek",
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert (mentee.full_name, mentee.district) == ("Aizada New", "at_bashy")


@pytest.mark.parametrize(
    "change,field",
    [
        ({"district": "leninsky"}, "district"),  # Bishkek district in Naryn region
        ({"country": "DE"}, "region"),  # abroad with a Kyrgyz region
        ({"date_of_birth": "3000-01-01"}, "date_of_birth"),
        ({"date_of_birth": "not a date"}, "date_of_birth"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_bad_personal_details_get_a_clear_message_and_change_nothing(login, mentee, change, field):
    data = {
        "full_name": "Aizada",
        "preferred_language": "en",
        "date_of_birth": "2001-05-04",
        "country": "KG",
        "region": "naryn",
        "district": "at_bashy",
        "time_zone": "Asia/Bishkek",
    } | change
    response = login(mentee).post("/profile/details/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    mentee.refresh_from_db()
    assert mentee.full_name == "Aizada Testova"


def test_she_sets_her_languages_with_levels(login, mentee):
    login(mentee).post("/profile/languages/", {"lang_ky": "native", "lang_ru": "B1", "lang_en": ""})
    assert dict(mentee.languages.values_list("language", "level")) == {"ky": "native", "ru": "B1"}


def test_at_least_one_language_is_needed(login, mentee):
    response = login(mentee).post("/profile/languages/", {})
    assert response.status_code == 200
    assert LanguageSkill.objects.filter(user=mentee).count() == 2


def test_a_new_mentee_fills_her_profile(login, db):
    user = UserFactory()
    response = login(user).post(
        "/profile/mentee/",
        {
            "education_level": "school",
            "school_grade": "10",
            "institution": "School No. 1, At-Bashy",
            "stem_fields": ["biology", "medicine"],
            "career_goal": "Become a doctor.",
            "preferred_mentor_type": "regional",
            "hours_per_month": "4",
            "availability": ["weekend_morning"],
        },
    )
    assert response.status_code == 302
    profile = MenteeProfile.objects.get(user=user)
    assert profile.stem_fields == ["biology", "medicine"]
    assert profile.school_grade == 10


def test_a_school_pupil_needs_a_grade(login, db):
    user = UserFactory()
    response = login(user).post(
        "/profile/mentee/",
        {
            "education_level": "school",
            "stem_fields": ["biology"],
            "preferred_mentor_type": "any",
            "hours_per_month": "4",
        },
    )
    assert response.status_code == 200
    assert not MenteeProfile.objects.filter(user=user).exists()


def test_an_unknown_stem_field_is_refused(login, db):
    user = UserFactory()
    response = login(user).post(
        "/profile/mentee/",
        {
            "education_level": "university",
            "stem_fields": ["astrology"],
            "preferred_mentor_type": "any",
            "hours_per_month": "4",
        },
    )
    assert "stem_fields" in response.context["form"].errors


def test_a_mentor_cannot_clear_herself(login, mentor):
    profile = mentor.mentor_profile
    profile.screening_status = "applied"
    profile.save()
    login(mentor).post(
        "/profile/mentor/",
        {
            "organisation": "X",
            "job_title": "Y",
            "stem_fields": ["software"],
            "years_of_experience": "3",
            "capacity": "2",
            "screening_status": "cleared",
            "is_cleared_for_minors": "on",
        },
    )
    profile.refresh_from_db()
    assert profile.screening_status == "applied"
    assert not profile.is_cleared_for_minors


def test_a_mentor_capacity_out_of_range_is_refused(login, mentor):
    response = login(mentor).post(
        "/profile/mentor/",
        {
            "organisation": "X",
            "job_title": "Y",
            "stem_fields": ["software"],
            "years_of_experience": "3",
            "capacity": "50",
        },
    )
    assert "capacity" in response.context["form"].errors


def test_staff_record_a_guardians_consent(login, staff, cohort):
    minor = UserFactory(date_of_birth=years_ago(14))
    participation = ParticipationFactory(user=minor, cohort=cohort, status="applied")
    response = login(staff).post(
        f"/profile/staff/participations/{participation.pk}/consent/",
        {
            "guardian_name": "Mother Testova",
            "relation": "mother",
            "consent_date": "2026-11-30",
            "method": "signed_form",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    consent = GuardianConsent.objects.get(mentee=minor)
    assert consent.recorded_by == staff
    assert StaffAccessLog.objects.filter(subject=minor, action="record guardian consent").exists()


def test_consent_in_the_future_is_refused(login, staff, cohort):
    participation = ParticipationFactory(
        user=UserFactory(date_of_birth=years_ago(14)), cohort=cohort
    )
    response = login(staff).post(
        f"/profile/staff/participations/{participation.pk}/consent/",
        {
            "guardian_name": "M",
            "relation": "mother",
            "consent_date": "2999-01-01",
            "method": "email",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert not GuardianConsent.objects.exists()


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_staff", "stranger"])
def test_only_staff_of_the_cohort_record_consent(request, login, cohort, who):
    participation = ParticipationFactory(
        user=UserFactory(date_of_birth=years_ago(14)), cohort=cohort
    )
    response = login(request.getfixturevalue(who)).post(
        f"/profile/staff/participations/{participation.pk}/consent/",
        {
            "guardian_name": "M",
            "relation": "mother",
            "consent_date": "2026-01-01",
            "method": "email",
            "confirm": "on",
        },
    )
    assert response.status_code == 403
    assert not GuardianConsent.objects.exists()


def test_staff_clear_a_mentor_for_minors(login, staff, cohort, mentor):
    participation = mentor.participations.get()
    response = login(staff).post(
        f"/profile/staff/participations/{participation.pk}/screening/",
        {"screening_status": "cleared", "is_cleared_for_minors": "on"},
    )
    assert response.status_code == 302
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.is_cleared_for_minors


def test_a_mentor_not_yet_cleared_cannot_be_cleared_for_minors(login, staff, mentor):
    participation = mentor.participations.get()
    response = login(staff).post(
        f"/profile/staff/participations/{participation.pk}/screening/",
        {"screening_status": "trained", "is_cleared_for_minors": "on"},
    )
    assert response.status_code == 200
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.screening_status == "cleared"
