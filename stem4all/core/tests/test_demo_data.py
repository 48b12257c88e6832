import io
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.geography import DISTRICT_REGION, DISTRICTS, HOME_COUNTRY
from stem4all.accounts.models import (
    ADULT_AGE,
    GuardianConsent,
    LanguageSkill,
    MenteeProfile,
    MentorProfile,
    User,
    years_before,
)
from stem4all.accounts.permissions import can_be_matched_or_contacted
from stem4all.awards.demo import DEMO_VOTERS
from stem4all.core import demo_data
from stem4all.core.demo_data import (
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    PENDING_MENTEES,
    PENDING_MENTORS,
    plan_programme,
    seed_programme,
)
from stem4all.programmes.models import Cohort, Participation, Programme

pytestmark = pytest.mark.django_db

# People named in the public press release about the real programme: none may appear.
REAL_SURNAMES = [
    "Abdrakhmanova", "Alisherova", "Anarbayeva", "Goda", "Kayykova", "Kendirbaeva",
    "Mambetakunov", "Otunbayeva", "Solovieva", "Sulaimanova", "Turusbekova", "Zholdosheva",
]  # fmt: skip
REAL_ORGANISATIONS = ["UNDP", "United Nations", "Government of Japan", "Roza Otunbayeva"]


def _people():
    return list(
        User.objects.order_by("email").values_list(
            "email", "full_name", "date_of_birth", "country", "region", "district"
        )
    )


def _table_sizes():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            EmailAddress,
            LanguageSkill,
            MenteeProfile,
            MentorProfile,
            GuardianConsent,
            Programme,
            Cohort,
            Participation,
        )
    }


def _accepted(role):
    """Accepted participants of the main demo cohort (the pilot cohort reuses a few)."""
    return Participation.objects.filter(
        role=role, status=Participation.Status.ACCEPTED, cohort__slug=demo_data.COHORT_SLUG
    )


def test_the_same_seed_plans_the_same_people_and_another_seed_others():
    first = plan_programme(mentees=40, mentors=30, seed=7)
    again = plan_programme(mentees=40, mentors=30, seed=7)
    other = plan_programme(mentees=40, mentors=30, seed=8)

    assert first == again
    assert [p.full_name for p in first.people] != [p.full_name for p in other.people]


def test_seeding_is_deterministic_for_a_seed():
    runs = []
    for _run in range(2):
        with transaction.atomic():
            seed_programme(mentees=30, mentors=20, seed=3)
            runs.append(_people())
            transaction.set_rollback(True)

    assert User.objects.count() == 0
    named = 4  # staff, jury, partner, funder; the other named accounts are counted in
    alumnae = demo_data.alumnae_count(30)
    assert (
        len(runs[0]) == 30 + 20 + PENDING_MENTEES + PENDING_MENTORS + named + DEMO_VOTERS + alumnae
    )
    assert runs[0] == runs[1]


def test_a_second_run_changes_nothing():
    first = seed_programme(mentees=30, mentors=20, seed=1)
    sizes = _table_sizes()

    second = seed_programme(mentees=99, mentors=99, seed=2)

    assert first.created and not second.created
    assert _table_sizes() == sizes
    assert (second.mentees, second.mentors) == (30, 20)
    assert second.users == first.users
    assert second.participations == first.participations
    assert second.guardian_consents == first.guardian_consents
    assert second.international_mentors == first.international_mentors
    assert second.minors == first.minors


def test_counts_match_the_arguments():
    summary = seed_programme(mentees=40, mentors=30, seed=1)

    cohort = Cohort.objects.get(programme__slug="stem4all-demo", slug=demo_data.COHORT_SLUG)
    assert cohort.name == "Cohort 2027"
    assert cohort.phase == Cohort.Phase.APPLICATIONS
    assert cohort.is_accepting_applications
    assert cohort.mentoring_language == "en"
    assert (cohort.starts_on - cohort.applications_close_on).days == 15
    assert 181 <= (cohort.ends_on - cohort.starts_on).days <= 184
    assert _accepted(Participation.Role.MENTEE).count() == summary.mentees == 40
    assert _accepted(Participation.Role.MENTOR).count() == summary.mentors == 30
    applied = Participation.objects.filter(status=Participation.Status.APPLIED)
    assert applied.filter(role=Participation.Role.MENTEE).count() == PENDING_MENTEES
    assert applied.filter(role=Participation.Role.MENTOR).count() == PENDING_MENTORS
    assert not applied.filter(motivation="").exists()
    assert set(
        _accepted(Participation.Role.MENTEE).values_list("source", flat=True).distinct()
    ) == {Participation.Source.STAFF}
    roles = (Participation.Role.STAFF, Participation.Role.JURY, Participation.Role.PARTNER)
    for role in (*roles, Participation.Role.FUNDER):
        assert _accepted(role).count() == 1
    users = 40 + 30 + PENDING_MENTEES + PENDING_MENTORS + 4
    alumnae = demo_data.alumnae_count(40)
    # The award's voters are accounts that take part in no cohort; the alumnae took
    # part in the closed cohort 2025 only.
    assert User.objects.count() == summary.users == users + DEMO_VOTERS + alumnae
    assert Participation.objects.filter(cohort=cohort).count() == summary.participations == users
    assert MenteeProfile.objects.count() == 40 + PENDING_MENTEES + alumnae
    assert MentorProfile.objects.count() == 30 + PENDING_MENTORS
    assert LanguageSkill.objects.count() == summary.language_skills
    every = users + DEMO_VOTERS + alumnae
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == every
    assert not User.objects.filter(participations__isnull=False, languages__isnull=True).exists()


def test_about_a_third_of_mentors_are_international():
    seed_programme(mentees=60, mentors=90, seed=1)

    mentors = User.objects.filter(
        participations__in=_accepted(Participation.Role.MENTOR)
    ).prefetch_related("languages")
    abroad = [user for user in mentors if user.country != HOME_COUNTRY]
    assert len(abroad) == 30
    for user in abroad:
        assert (user.region, user.district) == ("", "")
        assert user.time_zone != "Asia/Bishkek"
        assert "en" in {skill.language for skill in user.languages.all()}
    for user in mentors:
        if user.country == HOME_COUNTRY:
            assert DISTRICT_REGION[user.district] == user.region
    profiles = MentorProfile.objects.filter(user__in=mentors)
    assert all(1 <= profile.capacity <= 4 for profile in profiles)
    assert all(
        profile.screening_status == MentorProfile.ScreeningStatus.CLEARED
        for profile in profiles
        if profile.is_cleared_for_minors
    )
    cleared = profiles.filter(screening_status=MentorProfile.ScreeningStatus.CLEARED).count()
    assert cleared >= 0.7 * len(profiles)


def test_every_under_18_mentee_has_a_guardian_consent():
    summary = seed_programme(mentees=80, mentors=20, seed=5)

    staff = User.objects.get(email=f"staff@{DEMO_DOMAIN}")
    mentees = User.objects.filter(mentee_profile__isnull=False).select_related("mentee_profile")
    minors = [user for user in mentees if user.is_minor]
    assert summary.minors == 8
    assert len(minors) >= 8
    for user in minors:
        consent = GuardianConsent.objects.get(mentee=user)
        assert consent.recorded_by == staff
        assert consent.is_current
        assert can_be_matched_or_contacted(user)
        assert user.mentee_profile.education_level == MenteeProfile.EducationLevel.SCHOOL
        assert 8 <= user.mentee_profile.school_grade <= 11
    assert GuardianConsent.objects.count() == len(minors)


def test_no_seeded_email_is_outside_the_demo_domain_and_no_real_person_is_named():
    seed_programme(mentees=40, mentors=30, seed=1)

    assert not User.objects.exclude(email__endswith=f"@{DEMO_DOMAIN}").exists()
    assert not EmailAddress.objects.exclude(email__endswith=f"@{DEMO_DOMAIN}").exists()
    programme = Programme.objects.get(slug="stem4all-demo")
    assert programme.contact_email.endswith("@example.org")
    public_text = " ".join(
        [programme.name, programme.description, programme.organisers, programme.funders]
    )
    for name in REAL_ORGANISATIONS:
        assert name not in public_text
    names = [
        *User.objects.values_list("full_name", flat=True),
        *GuardianConsent.objects.values_list("guardian_name", flat=True),
    ]
    for name in names:
        assert not any(surname in name for surname in REAL_SURNAMES), name
    organisations = MentorProfile.objects.values_list("organisation", flat=True)
    assert all(organisation.startswith("Demo ") for organisation in organisations)


def test_seeded_records_pass_model_validation():
    seed_programme(mentees=25, mentors=20, seed=11)

    for user in User.objects.all():
        user.full_clean()
    for model in (MenteeProfile, MentorProfile, LanguageSkill, GuardianConsent):
        for record in model.objects.all():
            record.full_clean()


def test_the_demo_accounts_can_sign_in(client):
    seed_programme(mentees=10, mentors=10, seed=1)

    for account in DEMO_ACCOUNTS:
        response = client.post(
            reverse("account_login"), {"login": account.email, "password": account.password}
        )
        assert response.status_code == 302, account.email
        assert response.url == reverse("core:dashboard")
        assert client.get(reverse("core:dashboard")).status_code == 200
        client.logout()
    staff = User.objects.get(email=f"staff@{DEMO_DOMAIN}")
    assert staff.is_staff and staff.is_superuser
    assert {p.role for p in Participation.objects.filter(user=staff)} == {Participation.Role.STAFF}


def test_the_crowd_cannot_sign_in_and_the_demo_password_is_one_hash():
    seed_programme(mentees=10, mentors=10, seed=1)

    demo_emails = [account.email for account in DEMO_ACCOUNTS]
    crowd = User.objects.exclude(email__in=demo_emails)
    assert not any(user.has_usable_password() for user in crowd)
    hashes = set(User.objects.filter(email__in=demo_emails).values_list("password", flat=True))
    assert len(hashes) == 1
    assert User.objects.get(email=demo_emails[0]).check_password(DEMO_PASSWORD)


def test_the_named_accounts_have_the_profiles_their_roles_need():
    seed_programme(mentees=10, mentors=10, seed=1)

    mentee = User.objects.get(email=f"mentee@{DEMO_DOMAIN}")
    assert (mentee.region, mentee.district) == ("naryn", "at_bashy")
    assert not mentee.is_minor and mentee.mentee_profile.career_goal
    minor = User.objects.get(email=f"minor@{DEMO_DOMAIN}")
    assert minor.age == 16 and can_be_matched_or_contacted(minor)
    mentor = MentorProfile.objects.get(user__email=f"mentor@{DEMO_DOMAIN}")
    assert mentor.is_cleared_for_minors and mentor.is_regional
    international = MentorProfile.objects.get(user__email=f"international@{DEMO_DOMAIN}")
    assert not international.is_regional
    assert international.screening_status == MentorProfile.ScreeningStatus.CLEARED
    roles = dict(
        Participation.objects.filter(
            user__email__in=[f"jury@{DEMO_DOMAIN}", f"partner@{DEMO_DOMAIN}"]
        ).values_list("user__email", "role")
    )
    assert roles == {
        f"jury@{DEMO_DOMAIN}": Participation.Role.JURY,
        f"partner@{DEMO_DOMAIN}": Participation.Role.PARTNER,
    }


def test_a_bigger_programme_seeds_with_realistic_mentees():
    summary = seed_programme(mentees=600, mentors=500, seed=2)

    assert (summary.mentees, summary.mentors) == (600, 500)
    assert summary.international_mentors == round(500 / 3)
    assert summary.minors == 60
    mentees = list(
        User.objects.filter(participations__in=_accepted(Participation.Role.MENTEE))
        .select_related("mentee_profile")
        .prefetch_related("languages")
    )
    assert {user.region for user in mentees} == {str(region) for region in DISTRICTS}
    assert any(user.district == "at_bashy" for user in mentees)
    assert all(15 <= user.age <= 30 for user in mentees)
    levels = Counter(user.mentee_profile.education_level for user in mentees)
    assert set(levels) == set(MenteeProfile.EducationLevel.values)
    for user in mentees:
        profile = user.mentee_profile
        assert 1 <= len(profile.stem_fields) <= 3
        assert profile.career_goal and profile.availability
        is_pupil = profile.education_level == MenteeProfile.EducationLevel.SCHOOL
        assert (profile.school_grade is not None) == is_pupil
        languages = {skill.language: skill.level for skill in user.languages.all()}
        assert "en" in languages and "native" in languages.values()
    english = Counter(
        LanguageSkill.objects.filter(user__in=mentees, language="en").values_list(
            "level", flat=True
        )
    )
    assert len(english) >= 5


def test_the_seed_command_prints_what_it_created_and_the_accounts():
    out = io.StringIO()
    call_command("seed", mentees=12, mentors=8, seed=4, stdout=out)

    text = out.getvalue()
    assert "Created the demo programme" in text
    assert "12 accepted mentees" in text and "8 accepted mentors" in text
    for account in DEMO_ACCOUNTS:
        assert account.email in text
    assert DEMO_PASSWORD in text
    assert _accepted(Participation.Role.MENTEE).count() == 12

    again = io.StringIO()
    call_command("seed", stdout=again)
    assert "already loaded; nothing was changed" in again.getvalue()


def test_the_demo_command_migrates_seeds_once_and_serves(monkeypatch, settings):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    calls = []
    monkeypatch.setattr(
        "stem4all.core.management.commands.demo.call_command",
        lambda *args, **kwargs: calls.append((args, kwargs)),
    )
    monkeypatch.setattr("stem4all.core.management.commands.demo.DEMO_MENTEES", 12)
    monkeypatch.setattr("stem4all.core.management.commands.demo.DEMO_MENTORS", 9)
    out = io.StringIO()

    call_command("demo", port="8123", stdout=out)
    call_command("demo", port="8123", stdout=io.StringIO())

    text = out.getvalue()
    assert calls[0] == (("migrate",), {"interactive": False, "verbosity": 0})
    assert calls[1] == (("runserver", "127.0.0.1:8123"), {"use_reloader": False})
    assert Programme.objects.filter(slug=demo_data.PROGRAMME_SLUG).count() == 1
    assert _accepted(Participation.Role.MENTEE).count() == 12
    assert "two-factor sign-in is OFF" in text
    assert "printed on this console" in text
    assert "http://127.0.0.1:8123/" in text
    for account in DEMO_ACCOUNTS:
        assert account.email in text


def test_the_demo_command_takes_its_port_from_the_environment(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "stem4all.core.management.commands.demo.call_command",
        lambda *args, **kwargs: calls.append(args),
    )
    monkeypatch.setattr("stem4all.core.management.commands.demo.DEMO_MENTEES", 4)
    monkeypatch.setattr("stem4all.core.management.commands.demo.DEMO_MENTORS", 4)
    monkeypatch.setenv("PORT", "8765")

    call_command("demo", stdout=io.StringIO())

    assert calls[-1] == ("runserver", "127.0.0.1:8765")


def test_the_seed_refuses_too_small_a_programme():
    with pytest.raises(ValueError, match="at least 2"):
        seed_programme(mentees=1, mentors=5, seed=1)


def test_the_pilot_cohort_shows_pairs_in_every_state_of_the_journey():
    from stem4all.checkins.models import PairFlag
    from stem4all.meetings.models import Meeting
    from stem4all.mentorships.models import Mentorship
    from stem4all.messaging.models import Message

    summary = seed_programme(mentees=40, mentors=30, seed=1)

    pilot = Cohort.objects.get(slug="pilot-2026")
    assert pilot.phase == Cohort.Phase.MENTORING
    pairs = Mentorship.objects.filter(cohort=pilot, status="active")
    assert pairs.count() == summary.pilot_mentorships == 6
    mentee = User.objects.get(email=f"mentee@{DEMO_DOMAIN}")
    minor = User.objects.get(email=f"minor@{DEMO_DOMAIN}")
    main = pairs.get(mentee=mentee)
    assert main.agreement.is_confirmed and main.roadmap.steps.filter(status="done").count() == 2
    assert Meeting.objects.filter(mentorship=main, outcome="happened").count() == 2
    assert Meeting.objects.filter(mentorship=main, starts_at__gt=timezone.now()).exists()
    # The pupil's message with a phone number waits for a safeguarding moderator.
    assert Message.objects.filter(sender=minor, status=Message.Status.HELD).count() == 1
    reasons = set(
        PairFlag.objects.filter(mentorship__cohort=pilot).values_list("reason", flat=True)
    )
    assert reasons == {PairFlag.Reason.LOW_PULSE, PairFlag.Reason.INACTIVE_35_DAYS}
    for pair in pairs:
        assert can_be_matched_or_contacted(pair.mentee)


def test_the_closed_cohort_2025_gives_the_impact_report_real_figures(client):
    from stem4all.core.demo_impact import PAST_COHORT_SLUG
    from stem4all.mentorships.models import Mentorship
    from stem4all.reports import queries

    seed_programme(mentees=40, mentors=30, seed=1)
    past = Cohort.objects.get(slug=PAST_COHORT_SLUG)
    assert past.phase == Cohort.Phase.CLOSURE and past.ends_on < timezone.localdate()
    pairs = Mentorship.objects.filter(cohort=past)
    assert not pairs.filter(status__in=Mentorship.OPEN_STATUSES).exists()
    assert not pairs.filter(status="ended_early", end_cause="").exists()
    cutoff = years_before(timezone.localdate(), ADULT_AGE)
    minors_mentors = pairs.filter(mentee__date_of_birth__gt=cutoff).values("mentor")
    assert not MentorProfile.objects.filter(
        user__in=minors_mentors, is_cleared_for_minors=False
    ).exists()
    figures = {i.key: i.value for i in queries.cohort_indicators(past)}
    assert figures["accepted"] == 40 and figures["matched"] >= 30
    assert figures["meetings"] > figures["matched"] and figures["certificates"] >= 20
    assert figures["completion"] is not None
    funder = User.objects.get(email=f"funder@{DEMO_DOMAIN}")
    client.force_login(funder, backend="allauth.account.auth_backends.AuthenticationBackend")
    for cohort in Cohort.objects.filter(programme=past.programme):
        assert client.get(reverse("reports:cohort", args=[cohort.pk])).status_code == 200
