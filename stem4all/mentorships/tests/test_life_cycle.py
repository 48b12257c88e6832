"""The mentorship life cycle (pause, resume, complete, end early) with its history,
the mentoring agreement, the pair's page, and who may do what."""

import datetime as dt

import pytest
from django.utils import timezone

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships import services
from stem4all.mentorships.models import MentoringAgreement, Mentorship, MentorshipEvent


@pytest.fixture
def mentorship(mentee, mentor, cohort):
    return services.start_mentorship(cohort=cohort, mentee=mentee, mentor=mentor)


def statuses(mentorship):
    return list(
        MentorshipEvent.objects.filter(mentorship=mentorship).values_list(
            "from_status", "to_status", "actor__email"
        )
    )


def agreement_data(**overrides):
    end = (timezone.now() + dt.timedelta(days=180)).date()
    data = {
        "goals": "Apply to a master's programme abroad.",
        "meeting_frequency": "fortnightly",
        "meeting_mode": "online",
        "working_language": "en",
        "expected_end_on": end.isoformat(),
    }
    return {**data, **overrides}


def test_starting_a_mentorship_records_the_first_event_by_the_mentor(mentorship, mentor):
    assert statuses(mentorship) == [("", "active", mentor.email)]


def test_a_pair_pauses_resumes_and_completes_with_a_history_of_who_did_what(
    mentorship, mentee, mentor, staff
):
    services.pause_mentorship(mentorship=mentorship, by=mentee, reason="Exams in June.")
    services.resume_mentorship(mentorship=mentorship, by=mentor)
    services.pause_mentorship(mentorship=mentorship, by=staff, reason="Mentor travelling.")
    done = services.complete_mentorship(mentorship=mentorship, by=staff)
    assert (done.status, done.ended_by, done.end_reason) == ("completed", staff, "")
    assert done.ended_at is not None
    assert statuses(mentorship) == [
        ("", "active", mentor.email),
        ("active", "paused", mentee.email),
        ("paused", "active", mentor.email),
        ("active", "paused", staff.email),
        ("paused", "completed", staff.email),
    ]
    assert (
        MentorshipEvent.objects.filter(mentorship=mentorship, to_status="paused")
        .values_list("reason", flat=True)
        .first()
        == "Exams in June."
    )


def test_ending_early_records_an_event_with_the_reason(mentorship, mentee):
    services.end_mentorship_early(mentorship=mentorship, by=mentee, reason="Moving abroad.")
    event = MentorshipEvent.objects.filter(mentorship=mentorship).last()
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        "active",
        "ended_early",
        mentee,
        "Moving abroad.",
    )


def test_a_completed_mentorship_can_be_completed_from_active(mentorship, mentee):
    assert services.complete_mentorship(mentorship=mentorship, by=mentee).status == "completed"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("active", "resume"),
        ("paused", "pause"),
        ("completed", "pause"),
        ("completed", "resume"),
        ("completed", "complete"),
        ("completed", "end"),
        ("ended_early", "pause"),
        ("ended_early", "resume"),
        ("ended_early", "complete"),
        ("ended_early", "end"),
    ],
)
def test_transitions_from_the_wrong_state_are_refused_and_leave_no_event(
    mentorship, mentee, status, action
):
    Mentorship.objects.filter(pk=mentorship.pk).update(status=status)
    calls = {
        "pause": lambda: services.pause_mentorship(mentorship=mentorship, by=mentee, reason="x"),
        "resume": lambda: services.resume_mentorship(mentorship=mentorship, by=mentee),
        "complete": lambda: services.complete_mentorship(mentorship=mentorship, by=mentee),
        "end": lambda: services.end_mentorship_early(mentorship=mentorship, by=mentee, reason="x"),
    }
    with pytest.raises(services.MentorshipError):
        calls[action]()
    mentorship.refresh_from_db()
    assert mentorship.status == status
    assert MentorshipEvent.objects.filter(mentorship=mentorship).count() == 1


def test_a_pause_needs_a_reason(mentorship, mentee):
    with pytest.raises(services.MentorshipError):
        services.pause_mentorship(mentorship=mentorship, by=mentee, reason="  ")
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


def test_a_stale_copy_is_re_read_inside_the_transaction(mentorship, mentee, mentor):
    stale = Mentorship.objects.get(pk=mentorship.pk)
    services.end_mentorship_early(mentorship=mentorship, by=mentor, reason="No contact.")
    with pytest.raises(services.MentorshipError):
        services.pause_mentorship(mentorship=stale, by=mentee, reason="Exams.")


@pytest.mark.parametrize("who", ["stranger", "other_staff", "other_mentor"])
def test_outsiders_cannot_change_a_mentorship_through_the_services(
    request, mentorship, cohort, who
):
    person = make_mentor(cohort) if who == "other_mentor" else request.getfixturevalue(who)
    if who == "other_mentor":
        MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=person)
    with pytest.raises(services.MentorshipError):
        services.pause_mentorship(mentorship=mentorship, by=person, reason="Mischief.")
    with pytest.raises(services.MentorshipError):
        services.complete_mentorship(mentorship=mentorship, by=person)
    with pytest.raises(services.MentorshipError):
        services.save_agreement(mentorship=mentorship, by=person, goals="Mischief.")
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


def test_an_edit_after_a_confirmation_clears_both_and_both_confirm_again(
    mentorship, mentee, mentor
):
    end = timezone.now().date() + dt.timedelta(days=180)
    fields = {"goals": "Learn SQL.", "working_language": "ru", "expected_end_on": end}
    services.save_agreement(mentorship=mentorship, by=mentee, **fields)
    services.confirm_agreement(mentorship=mentorship, by=mentee)
    agreement = services.confirm_agreement(mentorship=mentorship, by=mentor)
    assert agreement.is_confirmed
    # Saving the same text again changes nothing, so nobody has to confirm again.
    assert services.save_agreement(mentorship=mentorship, by=mentor, **fields).is_confirmed
    agreement = services.save_agreement(mentorship=mentorship, by=mentor, meeting_mode="both")
    assert (agreement.mentee_confirmed_at, agreement.mentor_confirmed_at) == (None, None)
    services.confirm_agreement(mentorship=mentorship, by=mentor)
    assert not MentoringAgreement.objects.get().is_confirmed
    assert services.confirm_agreement(mentorship=mentorship, by=mentee).is_confirmed


def test_staff_cannot_write_the_pairs_agreement_and_an_empty_one_cannot_be_confirmed(
    mentorship, mentee, staff
):
    with pytest.raises(services.MentorshipError):
        services.save_agreement(mentorship=mentorship, by=staff, goals="Staff goals.")
    with pytest.raises(services.MentorshipError):
        services.confirm_agreement(mentorship=mentorship, by=mentee)


def test_an_ended_mentorships_agreement_is_frozen(mentorship, mentee):
    services.complete_mentorship(mentorship=mentorship, by=mentee)
    with pytest.raises(services.MentorshipError):
        services.save_agreement(mentorship=mentorship, by=mentee, goals="Late goals.")


@pytest.mark.parametrize("who", ["mentee", "mentor", "staff"])
def test_the_pair_and_staff_see_the_mentorship_page(request, login, mentorship, who):
    client = login(request.getfixturevalue(who))
    response = client.get(f"/mentorships/{mentorship.pk}/")
    assert response.status_code == 200
    assert response.context["mentorship"] == mentorship
    assert len(response.context["events"]) == 1
    assert (response.context["agreement_form"] is not None) == (who != "staff")


@pytest.mark.parametrize("who", ["stranger", "other_staff", "other_mentor", "minor_mentee"])
def test_outsiders_get_404_on_every_mentorship_page(request, login, mentorship, cohort, who):
    if who == "other_mentor":
        person = make_mentor(cohort)
        MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=person)
    else:
        person = request.getfixturevalue(who)
    client = login(person)
    base = f"/mentorships/{mentorship.pk}"
    assert client.get(f"{base}/").status_code == 404
    for action in ("pause", "resume", "complete", "agreement", "agreement/confirm"):
        assert client.post(f"{base}/{action}/", {"reason": "x"}).status_code == 404
    mentorship.refresh_from_db()
    assert mentorship.status == "active"
    assert not MentoringAgreement.objects.exists()


def test_staff_of_the_programme_get_403_on_the_pairs_agreement(login, mentorship, staff):
    client = login(staff)
    response = client.post(f"/mentorships/{mentorship.pk}/agreement/", agreement_data())
    assert response.status_code == 403
    assert client.post(f"/mentorships/{mentorship.pk}/agreement/confirm/").status_code == 403
    assert not MentoringAgreement.objects.exists()


def test_the_pair_pauses_resumes_and_completes_from_the_page(login, mentorship, mentee, mentor):
    base = f"/mentorships/{mentorship.pk}"
    client = login(mentee)
    response = client.post(f"{base}/pause/", {"reason": ""})
    assert response.status_code == 200 and response.context["pause_form"].errors
    assert client.post(f"{base}/pause/", {"reason": "Exams."}).status_code == 302
    # Pausing twice is refused with a message, not an error page.
    response = client.post(f"{base}/pause/", {"reason": "Again."}, follow=True)
    assert response.status_code == 200
    assert "Only an active mentorship can be paused" in response.content.decode()
    client = login(mentor)
    assert client.post(f"{base}/resume/").status_code == 302
    assert client.post(f"{base}/complete/").status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == "completed"
    assert client.get(f"{base}/pause/").status_code == 405
    assert [e[1] for e in statuses(mentorship)] == ["active", "paused", "active", "completed"]


def test_the_pair_writes_and_confirms_the_agreement_from_the_page(
    login, mentorship, mentee, mentor
):
    base = f"/mentorships/{mentorship.pk}"
    client = login(mentee)
    assert client.post(f"{base}/agreement/", agreement_data()).status_code == 302
    assert client.post(f"{base}/agreement/confirm/").status_code == 302
    client = login(mentor)
    assert client.post(f"{base}/agreement/confirm/").status_code == 302
    page = client.get(f"{base}/")
    assert page.context["agreement"].is_confirmed
    assert "You have both confirmed this agreement." in page.content.decode()
    client.post(f"{base}/agreement/", agreement_data(meeting_frequency="weekly"))
    assert not MentoringAgreement.objects.get().is_confirmed


@pytest.mark.parametrize(
    "bad",
    [
        {"goals": "   "},
        {"meeting_frequency": "daily"},
        {"meeting_mode": "telepathy"},
        {"working_language": "xx"},
        {"expected_end_on": "not a date"},
        {"expected_end_on": "2001-01-01"},
        {"expected_end_on": ""},
    ],
)
def test_bad_agreement_input_gets_form_errors_not_a_crash(login, mentorship, mentee, bad):
    client = login(mentee)
    response = client.post(f"/mentorships/{mentorship.pk}/agreement/", agreement_data(**bad))
    assert response.status_code == 200
    assert set(response.context["agreement_form"].errors) == set(bad)
    assert not MentoringAgreement.objects.exists()
