"""Safeguarding in conversations: contact details to or from a minor are held for
a moderator, concern reports reach safeguarding staff and nobody else, and the alumni
group follows the same rules."""

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse

from stem4all.accounts.models import StaffAccessLog
from stem4all.matching.tests.factories import make_mentee, make_mentor
from stem4all.messaging import services
from stem4all.messaging.models import ConcernReport, Conversation, Message
from stem4all.notifications.models import Notification

from .factories import grant_safeguarding_role, open_pair_conversation

PHONE = "Call me on +996 555 123 456 after school"
Kind = Notification.Kind


@pytest.fixture
def moderator(staff):
    return grant_safeguarding_role(staff)


@pytest.fixture
def minor_pair(cohort, minor_mentee, mentor):
    return open_pair_conversation(cohort, mentee=minor_mentee, mentor=mentor)


def page(client, conversation):
    response = client.get(reverse("messaging:conversation", args=[conversation.pk]))
    return html.unescape(response.content.decode())


def moderate(client, message, decision, note=""):
    return client.post(
        reverse("messaging:moderate", args=[message.pk]), {"decision": decision, "note": note}
    )


def test_contact_details_to_a_minor_are_held_and_she_never_sees_them(
    login, minor_pair, minor_mentee, mentor, moderator
):
    _mentorship, conversation = minor_pair
    url = reverse("messaging:conversation", args=[conversation.pk])
    response = login(mentor).post(url, {"text": PHONE}, follow=True)
    body = html.unescape(response.content.decode())
    assert "waiting for review" in body
    assert "Waiting for review</span>" in body and PHONE in body
    message = Message.objects.get()
    assert message.status == Message.Status.HELD
    assert Notification.objects.filter(
        recipient=moderator, kind=Kind.MESSAGE_HELD, key=f"message-held:{message.pk}"
    ).exists()
    assert not Notification.objects.filter(recipient=minor_mentee).exists()
    mentee_client = login(minor_mentee)
    assert PHONE not in page(mentee_client, conversation)
    partial = mentee_client.get(reverse("messaging:conversation_messages", args=[conversation.pk]))
    assert PHONE not in partial.content.decode()
    api = mentee_client.get(f"/api/v1/conversations/{conversation.pk}/messages").json()
    assert api["messages"] == []
    report = mentee_client.get(reverse("messaging:report_concern"), {"message": message.pk})
    assert report.status_code == 404


def test_a_moderator_releases_a_held_message_and_it_is_delivered(
    login, minor_pair, minor_mentee, mentor, moderator
):
    _mentorship, conversation = minor_pair
    message = services.post_message(conversation=conversation, sender=mentor, text=PHONE)
    client = login(moderator)
    queue = html.unescape(client.get(reverse("messaging:moderation")).content.decode())
    assert PHONE in queue
    response = moderate(client, message, "release", "School office number, fine.")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.moderated_by == moderator and message.moderated_at is not None
    assert message.moderation_note == "School office number, fine."
    assert PHONE in page(login(minor_mentee), conversation)
    assert Notification.objects.filter(recipient=minor_mentee, kind=Kind.NEW_MESSAGE).exists()
    assert StaffAccessLog.objects.filter(staff=moderator, action="moderate message").exists()
    # A second decision is refused with a clear error.
    client = login(moderator)
    again = moderate(client, message, "reject")
    follow = html.unescape(client.get(again.url).content.decode())
    assert "already been decided by Gulnara Teststaff" in follow
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


def test_a_rejected_message_is_not_delivered_and_its_sender_sees_so(
    login, minor_pair, minor_mentee, mentor, moderator
):
    _mentorship, conversation = minor_pair
    message = services.post_message(conversation=conversation, sender=mentor, text=PHONE)
    moderate(login(moderator), message, "reject", "Personal number.")
    message.refresh_from_db()
    assert message.status == Message.Status.REJECTED
    assert "Not delivered</span>" in page(login(mentor), conversation)
    assert PHONE not in page(login(minor_mentee), conversation)
    with pytest.raises(services.MessagingError):
        services.release_message(message=message, by=moderator)


def test_the_minors_own_contact_details_are_held_too(minor_pair, minor_mentee):
    _mentorship, conversation = minor_pair
    message = services.post_message(
        conversation=conversation, sender=minor_mentee, text="my telegram is nura_k"
    )
    assert message.status == Message.Status.HELD


def test_ordinary_messages_to_a_minor_are_delivered(minor_pair, mentor):
    _mentorship, conversation = minor_pair
    message = services.post_message(
        conversation=conversation, sender=mentor, text="Our next session is on 12.05.2026 at 18:30."
    )
    assert message.status == Message.Status.DELIVERED


def test_an_adult_pairs_contact_details_are_delivered(cohort, mentee, mentor):
    _mentorship, conversation = open_pair_conversation(cohort, mentee=mentee, mentor=mentor)
    message = services.post_message(conversation=conversation, sender=mentor, text=PHONE)
    assert message.status == Message.Status.DELIVERED


def test_a_mentor_of_unknown_age_counts_as_not_adult(cohort, mentee):
    mentor = make_mentor(cohort, date_of_birth=None)
    _mentorship, conversation = open_pair_conversation(cohort, mentee=mentee, mentor=mentor)
    message = services.post_message(conversation=conversation, sender=mentee, text=PHONE)
    assert message.status == Message.Status.HELD


def test_staff_without_the_safeguarding_role_cannot_moderate(
    login, minor_pair, mentor, staff, other_staff
):
    _mentorship, conversation = minor_pair
    message = services.post_message(conversation=conversation, sender=mentor, text=PHONE)
    grant_safeguarding_role(other_staff)  # the role, but in another programme
    for person in (staff, other_staff, mentor):
        client = login(person)
        if person == other_staff:  # her own programme's queue, without this message
            queue = client.get(reverse("messaging:moderation"))
            assert queue.status_code == 200 and PHONE not in html.unescape(queue.content.decode())
            assert client.get("/api/v1/moderation/messages").json() == []
        else:
            assert client.get(reverse("messaging:moderation")).status_code == 404
            assert client.get("/api/v1/moderation/messages").status_code == 404
        assert moderate(client, message, "release").status_code == 404
        response = client.post(
            f"/api/v1/moderation/messages/{message.pk}/release", {}, content_type="application/json"
        )
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.release_message(message=message, by=staff)
    message.refresh_from_db()
    assert message.status == Message.Status.HELD
    # Programme staff without the role still do not see held messages when reading.
    assert PHONE not in page(login(staff), conversation)


# -------------------------------------------------------------------------- concerns


def test_a_concern_about_a_message_reaches_safeguarding_staff_and_not_the_person(
    login, minor_pair, minor_mentee, mentor, moderator
):
    _mentorship, conversation = minor_pair
    message = services.post_message(conversation=conversation, sender=mentor, text="Hi there")
    client = login(minor_mentee)
    form_url = reverse("messaging:report_concern") + f"?message={message.pk}"
    assert "Report a concern" in page(client, conversation)
    response = client.post(form_url, {"text": "This made me uncomfortable."})
    assert response.url == reverse("messaging:concern_reported")
    assert "Thank you" in client.get(response.url).content.decode()
    report = ConcernReport.objects.get()
    assert (report.reporter, report.about_user, report.message) == (minor_mentee, mentor, message)
    assert report.cohort == conversation.cohort
    assert Notification.objects.filter(recipient=moderator, kind=Kind.CONCERN_REPORTED).exists()
    assert not Notification.objects.filter(recipient=mentor).exists()

    mentor_client = login(mentor)
    assert mentor_client.get(reverse("messaging:concerns")).status_code == 404
    assert mentor_client.get("/api/v1/concerns").status_code == 404
    close_url = reverse("messaging:close_concern", args=[report.pk])
    assert mentor_client.post(close_url, {"note": "x"}).status_code == 404
    for path in (
        reverse("messaging:inbox"),
        reverse("messaging:conversation", args=[conversation.pk]),
        reverse("messaging:conversation_messages", args=[conversation.pk]),
        f"/api/v1/conversations/{conversation.pk}/messages",
        "/api/v1/conversations",
    ):
        body = mentor_client.get(path).content.decode()
        assert "uncomfortable" not in body
    # The reporter gets no access to the report list either: only a confirmation.
    assert client.get(reverse("messaging:concerns")).status_code == 404

    staff_client = login(moderator)
    listing = staff_client.get(reverse("messaging:concerns")).content.decode()
    assert "This made me uncomfortable." in listing
    closed = staff_client.post(close_url, {"note": "Talked with both."})
    assert closed.status_code == 302
    report.refresh_from_db()
    assert report.status == ConcernReport.Status.CLOSED and report.handled_by == moderator
    assert (
        "Talked with both."
        in staff_client.get(reverse("messaging:concerns"), {"status": "closed"}).content.decode()
    )
    with pytest.raises(services.MessagingError, match="already closed"):
        services.close_concern(report=report, by=moderator, note="again")


def test_a_concern_about_a_person_from_her_profile(login, minor_pair, minor_mentee, mentor):
    client = login(minor_mentee)
    profile = client.get(reverse("accounts:person_detail", args=[mentor.pk])).content.decode()
    link = reverse("messaging:report_concern") + f"?person={mentor.pk}"
    assert html.escape(link) in profile or link in profile
    client.post(link, {"text": "She asked for my address."})
    report = ConcernReport.objects.get()
    assert report.about_user == mentor and report.message is None
    assert report.cohort == minor_pair[1].cohort


def test_safeguarding_staff_never_see_a_report_about_themselves(login, cohort, moderator, mentee):
    ConcernReport.objects.create(
        reporter=mentee, about_user=moderator, cohort=cohort, text="About the moderator"
    )
    client = login(moderator)
    assert "About the moderator" not in client.get(reverse("messaging:concerns")).content.decode()
    assert "About the moderator" not in client.get("/api/v1/concerns").content.decode()


def test_nobody_reports_what_she_cannot_see(login, minor_pair, mentor, stranger):
    _mentorship, conversation = minor_pair
    message = services.post_message(conversation=conversation, sender=mentor, text="Hi")
    client = login(stranger)
    report_url = reverse("messaging:report_concern")
    assert client.get(report_url, {"message": message.pk}).status_code == 404
    assert client.get(report_url, {"person": mentor.pk}).status_code == 404
    assert client.get(report_url).status_code == 404
    assert client.get(report_url, {"message": "x"}).status_code == 404
    with pytest.raises(services.MessagingError):
        services.report_concern(reporter=stranger, text="x", message=message)
    empty = login(mentor).post(report_url + f"?message={message.pk}", {"text": " "})
    assert empty.status_code == 200 and "Say what worries you." in empty.content.decode()
    assert not ConcernReport.objects.exists()


# ---------------------------------------------------------------------- alumni group


def test_adding_to_the_alumni_group_twice_keeps_one_group_and_one_membership(
    login, cohort, mentee, mentor
):
    first = services.add_to_alumni_group(cohort=cohort, user=mentee)
    second = services.add_to_alumni_group(cohort=cohort, user=mentee)
    services.add_to_alumni_group(cohort=cohort, user=mentor)
    assert first == second and first.kind == Conversation.Kind.ALUMNI
    assert cohort.name in first.title
    assert first.members.count() == 2
    with pytest.raises(IntegrityError):
        Conversation.objects.create(kind=Conversation.Kind.ALUMNI, cohort=cohort)


def test_leaving_the_alumni_group_removes_access_and_rejoining_restores_it(
    login, cohort, mentee, mentor
):
    group = services.add_to_alumni_group(cohort=cohort, user=mentee)
    services.add_to_alumni_group(cohort=cohort, user=mentor)
    services.post_message(conversation=group, sender=mentee, text="Hello alumni!")
    services.leave_alumni_group(cohort=cohort, user=mentee)
    client = login(mentee)
    url = reverse("messaging:conversation", args=[group.pk])
    assert client.get(url).status_code == 404
    assert group.title not in client.get(reverse("messaging:inbox")).content.decode()
    with pytest.raises(services.MessagingError, match="Only the members"):
        services.post_message(conversation=group, sender=mentee, text="Still here?")
    assert group.members.get(user=mentee).left_at is not None
    services.add_to_alumni_group(cohort=cohort, user=mentee)
    assert client.get(url).status_code == 200
    assert "Hello alumni!" in client.get(url).content.decode()


def test_the_alumni_group_holds_contact_details_when_a_minor_is_a_member(
    cohort, mentee, mentor, minor_mentee, moderator
):
    group = services.add_to_alumni_group(cohort=cohort, user=mentee)
    services.add_to_alumni_group(cohort=cohort, user=mentor)
    adult_only = services.post_message(conversation=group, sender=mentor, text=PHONE)
    assert adult_only.status == Message.Status.DELIVERED
    services.add_to_alumni_group(cohort=cohort, user=minor_mentee)
    held = services.post_message(conversation=group, sender=mentor, text=PHONE)
    assert held.status == Message.Status.HELD
    assert Notification.objects.filter(recipient=moderator, kind=Kind.MESSAGE_HELD).exists()
    ordinary = services.post_message(conversation=group, sender=mentor, text="Congratulations!")
    assert ordinary.status == Message.Status.DELIVERED
    # A staff member in the group does not turn an adult group into a held one.
    services.leave_alumni_group(cohort=cohort, user=minor_mentee)
    moderator.date_of_birth = None
    moderator.save(update_fields=["date_of_birth"])
    services.add_to_alumni_group(cohort=cohort, user=moderator)
    assert services.post_message(conversation=group, sender=mentor, text=PHONE).status == (
        Message.Status.DELIVERED
    )


def test_a_minor_mentee_of_another_pair_cannot_open_the_group_of_a_cohort_she_left(
    login, cohort, minor_mentee
):
    other = make_mentee(cohort, age=16)
    group = services.add_to_alumni_group(cohort=cohort, user=other)
    assert (
        login(minor_mentee).get(reverse("messaging:conversation", args=[group.pk])).status_code
        == 404
    )


def test_staff_in_the_safeguarding_officers_group_may_moderate(staff, other_staff, cohort):
    from django.contrib.auth.models import Group

    from stem4all.messaging.permissions import is_safeguarding_staff

    assert not is_safeguarding_staff(staff, cohort)
    group = Group.objects.get(name="Safeguarding officers")
    group.user_set.add(staff, other_staff)
    staff, other_staff = (type(u).objects.get(pk=u.pk) for u in (staff, other_staff))
    assert is_safeguarding_staff(staff, cohort)
    # The group gives the role, her programmes give the scope.
    assert not is_safeguarding_staff(other_staff, cohort)
