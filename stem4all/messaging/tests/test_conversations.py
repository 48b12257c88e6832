"""Pair conversations on the pages: who reads, who writes, when writing stops, read
state, the polled partial, and the staff audit."""

import html

import pytest
from django.urls import NoReverseMatch, reverse

from stem4all.accounts.models import StaffAccessLog
from stem4all.matching.tests.factories import make_mentee, make_mentor
from stem4all.mentorships import services as mentorship_services
from stem4all.messaging import queries, services
from stem4all.messaging.models import Conversation, ConversationMember, Message
from stem4all.notifications.models import Notification

from .factories import MessageFactory, open_pair_conversation


@pytest.fixture
def pair(cohort, mentee, mentor):
    return open_pair_conversation(cohort, mentee=mentee, mentor=mentor)


def url(conversation):
    return reverse("messaging:conversation", args=[conversation.pk])


def test_a_member_posts_and_the_other_reads_it_and_is_notified(login, pair, mentee, mentor):
    _mentorship, conversation = pair
    response = login(mentee).post(url(conversation), {"text": "Hello! I finished chapter 3."})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.status == Message.Status.DELIVERED
    assert Notification.objects.filter(
        recipient=mentor, kind=Notification.Kind.NEW_MESSAGE, key=f"new-message:{message.pk}"
    ).exists()
    assert not Notification.objects.filter(recipient=mentee).exists()
    page = login(mentor).get(url(conversation))
    assert "I finished chapter 3." in page.content.decode()


def test_the_mentorship_link_creates_the_conversation_once_with_both_members(
    login, cohort, mentee, mentor
):
    from stem4all.matching.tests.factories import MentorshipFactory

    mentorship = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    link = reverse("messaging:mentorship_conversation", args=[mentorship.pk])
    first = login(mentee).get(link)
    second = login(mentor).get(link)
    conversation = Conversation.objects.get()
    assert first.url == second.url == url(conversation)
    assert conversation.kind == Conversation.Kind.PAIR and conversation.cohort == cohort
    assert set(conversation.members.values_list("user_id", flat=True)) == {mentee.pk, mentor.pk}


def test_strangers_other_mentors_and_other_programme_staff_get_404(
    login, pair, cohort, stranger, other_staff
):
    mentorship, conversation = pair
    other_mentor = make_mentor(cohort, full_name="Other Testmentor")
    open_pair_conversation(cohort, mentee=make_mentee(cohort), mentor=other_mentor)
    for person in (stranger, other_mentor, other_staff):
        client = login(person)
        assert client.get(url(conversation)).status_code == 404
        assert client.post(url(conversation), {"text": "hi"}).status_code == 404
        partial = reverse("messaging:conversation_messages", args=[conversation.pk])
        assert client.get(partial).status_code == 404
        link = reverse("messaging:mentorship_conversation", args=[mentorship.pk])
        assert client.get(link).status_code == 404
    assert not Message.objects.exists()


def test_an_unknown_conversation_is_404(login, mentee):
    assert login(mentee).get(reverse("messaging:conversation", args=[999999])).status_code == 404


def test_empty_and_too_long_messages_are_refused_with_a_clear_message(login, pair, mentee):
    _mentorship, conversation = pair
    client = login(mentee)
    empty = client.post(url(conversation), {"text": "   "})
    assert empty.status_code == 200
    assert "Write a message first." in empty.content.decode()
    long = client.post(url(conversation), {"text": "a" * 4001})
    assert long.status_code == 200
    assert "4000" in long.content.decode()
    with pytest.raises(services.MessagingError, match="Write a message first"):
        services.post_message(conversation=conversation, sender=mentee, text="")
    with pytest.raises(services.MessagingError, match="under 4000"):
        services.post_message(conversation=conversation, sender=mentee, text="a" * 4001)
    assert not Message.objects.exists()


def test_posting_is_refused_on_the_next_request_after_a_pause(login, pair, mentee, mentor):
    mentorship, conversation = pair
    client = login(mentee)
    client.post(url(conversation), {"text": "Before the pause."})
    mentorship_services.pause_mentorship(mentorship=mentorship, by=mentor, reason="Exams.")
    response = client.post(url(conversation), {"text": "After the pause."})
    assert response.status_code == 200
    body = response.content.decode()
    assert "The mentorship is paused" in body
    assert "disabled" in body
    assert list(Message.objects.values_list("text", flat=True)) == ["Before the pause."]
    # The page still shows the history, with the box disabled and explained.
    page = client.get(url(conversation)).content.decode()
    assert "Before the pause." in page and "The mentorship is paused" in page
    mentorship_services.resume_mentorship(mentorship=mentorship, by=mentor)
    assert client.post(url(conversation), {"text": "Back again."}).status_code == 302


def test_posting_is_refused_after_the_mentorship_ends(login, pair, mentee, mentor):
    mentorship, conversation = pair
    mentorship_services.end_mentorship_early(mentorship=mentorship, by=mentor, reason="No time.")
    response = login(mentee).post(url(conversation), {"text": "Are you there?"})
    assert "The mentorship has ended" in response.content.decode()
    with pytest.raises(services.MessagingError, match="has ended"):
        services.post_message(conversation=conversation, sender=mentor, text="Bye")
    assert not Message.objects.exists()
    # The record stays readable.
    assert login(mentee).get(url(conversation)).status_code == 200


def test_a_non_member_cannot_post_through_the_service(pair, stranger):
    _mentorship, conversation = pair
    with pytest.raises(services.MessagingError, match="Only the members"):
        services.post_message(conversation=conversation, sender=stranger, text="Hi")


def test_reading_marks_the_conversation_read_and_the_sender_sees_read(login, pair, mentee, mentor):
    _mentorship, conversation = pair
    services.post_message(conversation=conversation, sender=mentee, text="Did you see my plan?")
    assert queries.unread_count(mentor) == 1
    (row,) = queries.my_conversations(mentor)
    assert row.unread == 1
    inbox = login(mentor).get(reverse("messaging:inbox")).content.decode()
    assert "1 unread message" in inbox
    assert "Read</span>" not in login(mentee).get(url(conversation)).content.decode()
    login(mentor).get(url(conversation))
    assert queries.unread_count(mentor) == 0
    assert ConversationMember.objects.get(user=mentor).last_read_at is not None
    assert "Read</span>" in login(mentee).get(url(conversation)).content.decode()


def test_the_inbox_lists_only_my_conversations(login, pair, cohort, mentee):
    other = make_mentee(cohort, full_name="Someone Else")
    open_pair_conversation(cohort, mentee=other, mentor=make_mentor(cohort, full_name="Z Mentor"))
    body = login(mentee).get(reverse("messaging:inbox")).content.decode()
    assert "Elena Testmentor" in body
    assert "Z Mentor" not in body


def test_the_inbox_uses_a_bounded_number_of_queries(
    login, cohort, mentee, django_assert_max_num_queries
):
    for n in range(6):
        _m, conversation = open_pair_conversation(
            cohort, mentee=mentee, mentor=make_mentor(cohort), status="completed"
        )
        MessageFactory(conversation=conversation, sender=mentee, text=f"hi {n}")
    client = login(mentee)
    with django_assert_max_num_queries(8):
        client.get(reverse("messaging:inbox"))


def test_the_htmx_partial_returns_only_the_message_list(login, pair, mentee):
    _mentorship, conversation = pair
    services.post_message(conversation=conversation, sender=mentee, text="Partial hello")
    client = login(mentee)
    page = client.get(url(conversation)).content.decode()
    partial_url = reverse("messaging:conversation_messages", args=[conversation.pk])
    assert f'hx-get="{partial_url}"' in page and 'hx-trigger="every 15s"' in page
    partial = client.get(partial_url, headers={"HX-Request": "true"}).content.decode()
    assert "Partial hello" in partial
    assert partial.lstrip().startswith('<section id="message-list"')
    assert "<html" not in partial and "<form" not in partial and "<h1" not in partial


def test_an_htmx_post_swaps_the_panel_with_the_new_message(login, pair, mentee):
    _mentorship, conversation = pair
    response = login(mentee).post(
        url(conversation), {"text": "Via htmx"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="conversation-panel"')
    assert "Via htmx" in body and "<html" not in body


def test_only_the_last_100_messages_show_with_a_link_to_earlier_ones(login, pair, mentee):
    _mentorship, conversation = pair
    for n in range(105):
        MessageFactory(conversation=conversation, sender=mentee, text=f"number-{n}-end")
    client = login(mentee)
    body = client.get(url(conversation)).content.decode()
    assert "number-104-end" in body and "number-5-end" in body and "number-4-end" not in body
    assert body.index("number-5-end") < body.index("number-104-end")  # oldest first
    earliest = Message.objects.get(text="number-5-end")
    assert f"?before={earliest.pk}" in body
    earlier = client.get(url(conversation), {"before": earliest.pk}).content.decode()
    assert "number-4-end" in earlier and "number-0-end" in earlier
    assert "number-5-end" not in earlier
    assert client.get(url(conversation), {"before": "nonsense"}).status_code == 200


def test_staff_of_the_programme_read_an_adult_pair_without_an_audit_row(login, pair, staff, mentee):
    _mentorship, conversation = pair
    services.post_message(conversation=conversation, sender=mentee, text="Adult pair message")
    response = login(staff).get(url(conversation))
    assert response.status_code == 200
    assert "Adult pair message" in response.content.decode()
    assert not StaffAccessLog.objects.exists()
    # Staff read; they do not write in the pair's conversation.
    assert login(staff).post(url(conversation), {"text": "hi"}).status_code == 403


def test_every_staff_read_of_a_minors_conversation_is_recorded(
    login, cohort, minor_mentee, mentor, staff
):
    _mentorship, conversation = open_pair_conversation(cohort, mentee=minor_mentee, mentor=mentor)
    client = login(staff)
    page = client.get(url(conversation))
    assert "your reading is recorded" in page.content.decode()
    client.get(reverse("messaging:conversation_messages", args=[conversation.pk]))
    logs = StaffAccessLog.objects.filter(staff=staff, subject=minor_mentee)
    assert logs.count() == 2
    assert set(logs.values_list("action", flat=True)) == {"read conversation"}
    # Her own reading and her mentor's are not staff access.
    login(minor_mentee).get(url(conversation))
    assert StaffAccessLog.objects.count() == 2


def test_messages_cannot_be_deleted_anywhere(admin_client, pair, mentee):
    _mentorship, conversation = pair
    message = services.post_message(conversation=conversation, sender=mentee, text="Stays")
    for name in ("delete", "delete_message", "message_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"messaging:{name}", args=[message.pk])
    admin_delete = reverse("admin:messaging_message_delete", args=[message.pk])
    assert admin_client.post(admin_delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:messaging_message_changelist")).status_code == 200
    assert Message.objects.filter(pk=message.pk).exists()


def test_revoked_consent_stops_messages_to_a_minor(login, cohort, minor_mentee, mentor):
    from stem4all.accounts.services import revoke_guardian_consent

    _mentorship, conversation = open_pair_conversation(cohort, mentee=minor_mentee, mentor=mentor)
    revoke_guardian_consent(consent=minor_mentee.guardian_consents.get())
    response = login(mentor).post(url(conversation), {"text": "Hello"})
    assert "guardian's consent" in html.unescape(response.content.decode())
    assert not Message.objects.exists()


def test_the_conversation_page_uses_a_bounded_number_of_queries(
    login, pair, mentee, mentor, django_assert_max_num_queries
):
    _mentorship, conversation = pair
    for n in range(40):
        MessageFactory(conversation=conversation, sender=mentee if n % 2 else mentor)
    client = login(mentee)
    with django_assert_max_num_queries(20):
        client.get(url(conversation))
    with django_assert_max_num_queries(15):
        client.get(reverse("messaging:conversation_messages", args=[conversation.pk]))


def test_a_mentee_of_unknown_age_cannot_be_messaged_until_it_is_known(cohort, mentor):
    mentee = make_mentee(cohort, age=None)
    _mentorship, conversation = open_pair_conversation(cohort, mentee=mentee, mentor=mentor)
    with pytest.raises(services.MessagingError, match="date of birth"):
        services.post_message(conversation=conversation, sender=mentor, text="Hello")
