"""Applying to a cohort and screening applications."""

import pytest
from django.core import mail

from stem4all.accounts.tests.factories import (
    LanguageSkillFactory,
    MenteeProfileFactory,
    UserFactory,
)
from stem4all.programmes import services
from stem4all.programmes.models import Cohort, Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

MOTIVATION = "I want to become a data engineer and learn from a mentor."


@pytest.fixture
def applicant(db):
    user = UserFactory(full_name="Begimai Applicant", email="applicant@example.org")
    LanguageSkillFactory(user=user, language="ky", level="native")
    MenteeProfileFactory(user=user)
    return user


def apply_page(cohort, role="mentee"):
    return f"/programmes/cohorts/{cohort.pk}/apply/{role}/"


def test_a_mentee_applies_to_an_open_cohort(login, applicant, cohort):
    response = login(applicant).post(
        apply_page(cohort), {"motivation": MOTIVATION, "agrees_to_privacy": "on"}
    )
    assert response.status_code == 302
    participation = Participation.objects.get(user=applicant, cohort=cohort)
    assert (participation.role, participation.status) == ("mentee", "applied")


def test_applying_needs_the_privacy_agreement_and_a_real_motivation(login, applicant, cohort):
    response = login(applicant).post(apply_page(cohort), {"motivation": "hi"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"motivation", "agrees_to_privacy"}
    assert not Participation.objects.filter(user=applicant).exists()


def test_an_incomplete_profile_is_told_what_is_missing(login, cohort):
    user = UserFactory(date_of_birth=None)
    response = login(user).get(apply_page(cohort))
    missing = [str(item) for item in response.context["missing"]]
    assert "your date of birth" in missing
    assert "your mentee profile" in missing
    response = login(user).post(
        apply_page(cohort), {"motivation": MOTIVATION, "agrees_to_privacy": "on"}
    )
    assert not Participation.objects.filter(user=user).exists()


def test_applying_twice_gives_a_clear_message(login, applicant, cohort):
    client = login(applicant)
    client.post(apply_page(cohort), {"motivation": MOTIVATION, "agrees_to_privacy": "on"})
    response = client.post(
        apply_page(cohort), {"motivation": MOTIVATION, "agrees_to_privacy": "on"}, follow=True
    )
    assert "already applied" in response.content.decode()
    assert Participation.objects.filter(user=applicant).count() == 1


def test_a_closed_cohort_refuses_applications(login, applicant, db):
    cohort = CohortFactory(phase=Cohort.Phase.MENTORING)
    with pytest.raises(services.ProgrammeError):
        services.apply_to_cohort(
            user=applicant, cohort=cohort, role="mentee", motivation=MOTIVATION
        )
    response = login(applicant).post(
        apply_page(cohort), {"motivation": MOTIVATION, "agrees_to_privacy": "on"}
    )
    assert response.status_code == 302
    assert not Participation.objects.filter(user=applicant).exists()


def test_one_cannot_apply_as_staff(login, applicant, cohort):
    response = login(applicant).post(
        apply_page(cohort, "staff"), {"motivation": MOTIVATION, "agrees_to_privacy": "on"}
    )
    assert response.status_code == 302
    assert not Participation.objects.filter(user=applicant).exists()


def test_a_private_programme_cohort_is_404(login, applicant, db):
    cohort = CohortFactory(programme__is_public=False)
    assert login(applicant).get(apply_page(cohort)).status_code == 404


def test_she_withdraws_her_application(login, applicant, cohort):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    login(applicant).post(f"/programmes/applications/{participation.pk}/withdraw/")
    participation.refresh_from_db()
    assert participation.status == "withdrawn"


def test_nobody_withdraws_someone_elses_application(login, applicant, stranger, cohort):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    assert (
        login(stranger).post(f"/programmes/applications/{participation.pk}/withdraw/").status_code
        == 404
    )


def decide_url(participation):
    return f"/programmes/staff/applications/{participation.pk}/"


def test_staff_accept_an_application_and_she_gets_an_email(
    login, staff, applicant, cohort, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(
            decide_url(participation), {"decision": "accepted", "reason": ""}
        )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.status, participation.decided_by) == ("accepted", staff)
    assert mail.outbox[-1].to == [applicant.email]
    assert "accepted" in mail.outbox[-1].body


def test_the_decision_mail_is_in_her_language(
    login, staff, applicant, cohort, django_capture_on_commit_callbacks
):
    applicant.preferred_language = "ru"
    applicant.save()
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(decide_url(participation), {"decision": "waitlisted", "reason": ""})
    assert "Begimai" in mail.outbox[-1].body
    assert "waitlist" not in mail.outbox[-1].body


def test_rejecting_needs_a_reason(login, staff, applicant, cohort):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    response = login(staff).post(decide_url(participation), {"decision": "rejected", "reason": " "})
    assert response.status_code == 200
    participation.refresh_from_db()
    assert participation.status == "applied"


def test_a_decided_application_cannot_be_decided_again(staff, applicant, cohort):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="rejected")
    with pytest.raises(services.ProgrammeError):
        services.decide_application(
            participation=participation, decision="accepted", reason="", staff=staff
        )


def test_htmx_decision_returns_only_the_panel(login, staff, applicant, cohort):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    response = login(staff).post(
        decide_url(participation), {"decision": "waitlisted", "reason": ""}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="decision-panel"')
    assert "<html" not in body


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_staff", "stranger", "jury_member"])
def test_only_staff_of_the_programme_screen(request, login, applicant, cohort, who):
    participation = ParticipationFactory(user=applicant, cohort=cohort, status="applied")
    client = login(request.getfixturevalue(who))
    assert client.get(decide_url(participation)).status_code == 403
    assert client.post(decide_url(participation), {"decision": "accepted"}).status_code == 403
    assert client.get(f"/programmes/staff/cohorts/{cohort.pk}/").status_code == 403
    participation.refresh_from_db()
    assert participation.status == "applied"


def test_staff_cohort_page_lists_people_with_bounded_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    for _ in range(60):
        ParticipationFactory(cohort=cohort, status="applied")
    client = login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(f"/programmes/staff/cohorts/{cohort.pk}/?status=applied")
    assert response.status_code == 200
    assert len(response.context["page"]) == 50


def test_staff_cohort_page_filters_and_ignores_bad_filters(login, staff, mentee, mentor, cohort):
    client = login(staff)
    page = client.get(f"/programmes/staff/cohorts/{cohort.pk}/?role=mentor").context["page"]
    assert [p.user for p in page] == [mentor]
    response = client.get(f"/programmes/staff/cohorts/{cohort.pk}/?role=wizard&page=abc")
    assert response.status_code == 200


def test_staff_move_a_cohort_to_the_next_phase_once(login, staff, cohort):
    client = login(staff)
    client.post(f"/programmes/staff/cohorts/{cohort.pk}/phase/", {"expected_phase": "applications"})
    client.post(f"/programmes/staff/cohorts/{cohort.pk}/phase/", {"expected_phase": "applications"})
    cohort.refresh_from_db()
    assert cohort.phase == "screening"


def test_the_last_phase_has_no_next(staff, db):
    cohort = CohortFactory(phase=Cohort.Phase.CLOSURE)
    with pytest.raises(services.ProgrammeError):
        services.advance_cohort_phase(cohort=cohort, expected_phase="closure")


def test_concurrent_double_applications_store_one(postgres_only, run_concurrently):
    cohort = CohortFactory()
    user = UserFactory()
    LanguageSkillFactory(user=user)
    MenteeProfileFactory(user=user)

    def submit(_):
        return services.apply_to_cohort(
            user=user, cohort=cohort, role="mentee", motivation=MOTIVATION
        )

    results, errors = run_concurrently(submit, n=8)
    assert len(results) == 1
    assert len(errors) == 7
    assert all(isinstance(e, services.ProgrammeError) for e in errors), errors
    assert Participation.objects.filter(user=user, cohort=cohort).count() == 1


def test_concurrent_decisions_by_two_staff_let_only_one_win(postgres_only, run_concurrently):
    cohort = CohortFactory()
    staff_members = UserFactory.create_batch(8)
    participation = ParticipationFactory(cohort=cohort, status="applied")
    decisions = ["accepted", "rejected"] * 4

    def decide(i):
        return services.decide_application(
            participation=participation,
            decision=decisions[i],
            reason="full",
            staff=staff_members[i],
        )

    results, errors = run_concurrently(decide, n=8)
    assert len(results) == 1, [r.status for r in results]
    assert all(isinstance(e, services.ProgrammeError) for e in errors), errors
    participation.refresh_from_db()
    assert participation.status == results[0].status
