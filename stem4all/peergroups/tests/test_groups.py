"""Peer groups: who sees them, joining and leaving, the member limit, minors'
safeguarding (in the group and its conversation), meetings and their .ics file."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from stem4all.accounts.models import GuardianConsent, StaffAccessLog
from stem4all.matching.tests.factories import make_mentee
from stem4all.messaging.models import ConversationMember, Message
from stem4all.peergroups import services
from stem4all.peergroups.models import GroupMeeting, PeerGroup, PeerGroupMember
from stem4all.programmes.tests.factories import CohortFactory

from .factories import make_group

PHONE = "Call me on +996 555 123 456 after school"


@pytest.fixture
def group(mentee, programme):
    return make_group(mentee, programme, topic="Data science in Kyrgyz")


def text(response) -> str:
    return html.unescape(response.content.decode())


def detail_url(group):
    return reverse("peergroups:group_detail", args=[group.pk])


# ---------------------------------------------------------------------------- privacy


def test_a_stranger_gets_404_for_the_group_page_and_its_meetings(login, stranger, group):
    client = login(stranger)
    assert client.get(detail_url(group)).status_code == 404
    assert client.post(reverse("peergroups:group_join", args=[group.pk])).status_code == 404
    meeting = services.propose_group_meeting(
        group=group,
        by=group.created_by,
        starts_at_local=dt.datetime.now() + dt.timedelta(days=3),
        time_zone="UTC",
        duration_minutes=60,
        place="Library",
    )
    ics = reverse("peergroups:meeting_download", args=[meeting.pk])
    assert client.get(ics).status_code == 404


def test_staff_and_a_mentee_of_another_programme_get_404(login, other_staff, group):
    assert login(other_staff).get(detail_url(group)).status_code == 404
    outsider = make_mentee(CohortFactory(), full_name="Outside Mentee")
    assert login(outsider).get(detail_url(group)).status_code == 404


def test_the_list_shows_only_the_groups_of_her_programmes(login, mentee, programme, group):
    outsider = make_mentee(CohortFactory(), full_name="Outside Mentee")
    make_group(outsider, outsider.participations.get().cohort.programme, topic="Hidden club")
    page = text(login(mentee).get(reverse("peergroups:group_list")))
    assert "Data science in Kyrgyz" in page
    assert "Hidden club" not in page


def test_a_stranger_sees_no_group_in_the_list(login, stranger, group):
    page = text(login(stranger).get(reverse("peergroups:group_list")))
    assert "Data science in Kyrgyz" not in page
    assert "Start a group" not in page


def test_another_mentee_of_the_programme_sees_the_group_and_its_members(
    login, cohort, mentee, group
):
    other = make_mentee(cohort, full_name="Bermet Peer")
    page = text(login(other).get(detail_url(group)))
    assert "Data science in Kyrgyz" in page
    assert mentee.full_name in page
    assert "Join the group" in page


def test_a_mentee_of_another_cohort_of_the_same_programme_sees_the_group(login, programme, group):
    later = CohortFactory(programme=programme)
    other = make_mentee(later, full_name="Later Cohort Mentee")
    assert login(other).get(detail_url(group)).status_code == 200


def test_programme_staff_see_the_group(login, staff, group):
    response = login(staff).get(detail_url(group))
    assert response.status_code == 200
    assert "Join the group" not in text(response)


def test_the_list_filters_by_topic_region_and_language_in_bounded_queries(
    login, cohort, mentee, programme, django_assert_max_num_queries
):
    make_group(mentee, programme, topic="Robotics in Naryn", region="naryn", language="ky")
    make_group(mentee, programme, topic="Chemistry in Osh", region="osh", language="ru")
    for number in range(25):
        make_group(mentee, programme, topic=f"Study circle {number}", region="chui")
    client = login(mentee)
    with django_assert_max_num_queries(12):
        page = text(client.get(reverse("peergroups:group_list"), {"q": "robot"}))
    assert "Robotics in Naryn" in page and "Chemistry in Osh" not in page
    page = text(client.get(reverse("peergroups:group_list"), {"region": "osh"}))
    assert "Chemistry in Osh" in page and "Robotics in Naryn" not in page
    page = text(client.get(reverse("peergroups:group_list"), {"language": "ru"}))
    assert "Chemistry in Osh" in page and "Robotics in Naryn" not in page
    page = text(client.get(reverse("peergroups:group_list"), {"region": "chui", "page": 2}))
    assert "Page 2 of 2" in page
    assert client.get(reverse("peergroups:group_list"), {"region": "mars"}).status_code == 200


# ---------------------------------------------------------------------- create, join


def test_a_mentee_creates_a_group_with_the_form_and_is_its_first_member(login, mentee, programme):
    client = login(mentee)
    assert client.get(reverse("peergroups:group_create")).status_code == 200
    response = client.post(
        reverse("peergroups:group_create"),
        {
            "programme": programme.pk,
            "topic": "Women in engineering — Osh",
            "description": "Workshops and project evenings.",
            "region": "osh",
            "language": "ky",
            "rhythm": "monthly",
            "member_limit": "8",
            "access": "open",
        },
    )
    group = PeerGroup.objects.get()
    assert response.status_code == 302 and response.url == detail_url(group)
    assert group.member_limit == 8 and group.created_by == mentee
    assert ConversationMember.objects.filter(conversation=group.conversation, user=mentee).exists()
    assert group.conversation.kind == "group"


def test_the_create_form_explains_bad_input(login, mentee, programme):
    response = login(mentee).post(
        reverse("peergroups:group_create"),
        {
            "programme": programme.pk,
            "topic": "",
            "language": "xx",
            "rhythm": "daily",
            "member_limit": "1",
            "access": "open",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"topic", "language", "rhythm", "member_limit"} <= set(form.errors)


def test_a_mentor_or_stranger_cannot_create_a_group(login, mentor, stranger):
    assert login(mentor).get(reverse("peergroups:group_create")).status_code == 404
    assert login(stranger).get(reverse("peergroups:group_create")).status_code == 404


def test_a_mentee_joins_and_leaves_and_the_conversation_follows(login, cohort, group):
    other = make_mentee(cohort, full_name="Bermet Peer")
    client = login(other)
    response = client.post(reverse("peergroups:group_join", args=[group.pk]))
    assert response.status_code == 302
    member = PeerGroupMember.objects.get(group=group, user=other)
    assert member.is_current
    conversation_url = reverse("messaging:conversation", args=[group.conversation_id])
    assert conversation_url in text(client.get(detail_url(group)))
    assert client.get(conversation_url).status_code == 200
    client.post(reverse("peergroups:group_leave", args=[group.pk]))
    member.refresh_from_db()
    assert member.left_at is not None
    assert client.get(conversation_url).status_code == 404
    client.post(reverse("peergroups:group_join", args=[group.pk]))
    member.refresh_from_db()
    assert member.is_current
    assert client.get(conversation_url).status_code == 200


def test_joining_twice_or_leaving_without_membership_is_explained(cohort, group, mentee):
    with pytest.raises(services.PeerGroupError, match="already a member"):
        services.join_group(group=group, user=mentee)
    other = make_mentee(cohort)
    with pytest.raises(services.PeerGroupError, match="not a member"):
        services.leave_group(group=group, user=other)


def test_a_full_group_refuses_another_member(login, cohort, mentee, programme):
    group = make_group(mentee, programme, member_limit=2)
    services.join_group(group=group, user=make_mentee(cohort))
    third = make_mentee(cohort)
    client = login(third)
    assert "This group is full." in text(client.get(detail_url(group)))
    response = client.post(reverse("peergroups:group_join", args=[group.pk]), follow=True)
    assert "This group is full: it has 2 members." in text(response)
    assert not PeerGroupMember.objects.filter(group=group, user=third).exists()


def test_a_by_request_group_waits_for_the_organiser(login, cohort, mentee, programme):
    group = make_group(mentee, programme, access=PeerGroup.Access.BY_REQUEST)
    asker = make_mentee(cohort, full_name="Asking Mentee")
    login(asker).post(reverse("peergroups:group_join", args=[group.pk]))
    request_row = PeerGroupMember.objects.get(group=group, user=asker)
    assert request_row.status == "requested" and not request_row.is_current
    assert not ConversationMember.objects.filter(conversation=group.conversation, user=asker)
    # Only the organiser may accept.
    url = reverse("peergroups:accept_request", args=[group.pk, request_row.pk])
    assert login(make_mentee(cohort)).post(url).status_code == 403
    page = text(login(mentee).get(detail_url(group)))
    assert "Asking Mentee" in page and "Requests to join" in page
    login(mentee).post(url)
    request_row.refresh_from_db()
    assert request_row.is_current
    assert ConversationMember.objects.filter(conversation=group.conversation, user=asker).exists()


def test_a_stranger_cannot_join_through_the_service(group, stranger):
    with pytest.raises(services.PeerGroupError):
        services.join_group(group=group, user=stranger)


# ---------------------------------------------------------------------- safeguarding


def test_a_minor_without_a_current_consent_cannot_join(login, minor_mentee, group):
    GuardianConsent.objects.filter(mentee=minor_mentee).update(revoked_at=timezone.now())
    response = login(minor_mentee).post(
        reverse("peergroups:group_join", args=[group.pk]), follow=True
    )
    assert "once a guardian's consent is on record" in text(response)
    assert not PeerGroupMember.objects.filter(group=group, user=minor_mentee).exists()


def test_a_mentee_of_unknown_age_cannot_join(cohort, group):
    unknown = make_mentee(cohort, age=None)
    with pytest.raises(services.PeerGroupError, match="date of birth"):
        services.join_group(group=group, user=unknown)


def test_contact_details_in_a_group_with_a_minor_are_held_end_to_end(
    login, mentee, minor_mentee, staff, group
):
    # The minor (with consent) joins through the group page.
    assert (
        login(minor_mentee).post(reverse("peergroups:group_join", args=[group.pk])).status_code
        == 302
    )
    assert PeerGroupMember.objects.get(group=group, user=minor_mentee).is_current
    # The adult organiser writes her phone number in the group conversation.
    client = login(mentee)
    conversation_url = reverse("messaging:conversation", args=[group.conversation_id])
    response = client.post(conversation_url, {"text": PHONE}, follow=True)
    assert "waiting for review" in text(response)
    message = Message.objects.get(conversation=group.conversation)
    assert message.status == Message.Status.HELD
    # The minor does not see it; a plain message is delivered.
    assert "+996 555" not in text(login(minor_mentee).get(conversation_url))
    login(mentee).post(conversation_url, {"text": "See you on Thursday!"})
    assert Message.objects.filter(status=Message.Status.DELIVERED).count() == 1
    assert "See you on Thursday!" in text(login(minor_mentee).get(conversation_url))


def test_contact_details_in_a_group_of_adults_are_delivered(login, cohort, mentee, group):
    other = make_mentee(cohort)
    services.join_group(group=group, user=other)
    conversation_url = reverse("messaging:conversation", args=[group.conversation_id])
    login(mentee).post(conversation_url, {"text": PHONE})
    assert Message.objects.get().status == Message.Status.DELIVERED


def test_staff_read_a_group_conversation_with_a_minor_and_it_is_recorded(
    login, staff, minor_mentee, group
):
    services.join_group(group=group, user=minor_mentee)
    conversation_url = reverse("messaging:conversation", args=[group.conversation_id])
    client = login(staff)
    assert client.get(conversation_url).status_code == 200
    assert StaffAccessLog.objects.filter(staff=staff, subject=minor_mentee).count() == 1
    # Staff read but do not post.
    assert client.post(conversation_url, {"text": "Hello"}).status_code == 403


def test_other_staff_and_strangers_cannot_read_the_group_conversation(
    login, other_staff, stranger, group
):
    conversation_url = reverse("messaging:conversation", args=[group.conversation_id])
    assert login(other_staff).get(conversation_url).status_code == 404
    assert login(stranger).get(conversation_url).status_code == 404


# --------------------------------------------------------------------------- meetings


def test_a_member_proposes_a_meeting_and_its_ics_parses_back(login, mentee, group):
    client = login(mentee)
    url = reverse("peergroups:meeting_propose", args=[group.pk])
    assert client.get(url).status_code == 200
    day = (timezone.now() + dt.timedelta(days=10)).date()
    response = client.post(
        url,
        {
            "starts_at_local": f"{day:%Y-%m-%d}T18:30",
            "time_zone": "Asia/Bishkek",
            "duration_minutes": "90",
            "online_link": "https://meet.example.org/group",
            "agenda": "Our first dataset",
        },
    )
    assert response.status_code == 302
    meeting = GroupMeeting.objects.get()
    # 18:30 in Bishkek (UTC+6) is 12:30 UTC.
    assert (meeting.starts_at.hour, meeting.starts_at.minute) == (12, 30)
    assert meeting.created_by == mentee and meeting.time_zone == "Asia/Bishkek"
    page = text(client.get(detail_url(group)))
    assert "Our first dataset" in page
    ics = client.get(reverse("peergroups:meeting_download", args=[meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.starts_at + dt.timedelta(minutes=90)
    assert "Data science in Kyrgyz" in str(event["summary"])
    assert str(event["url"]) == "https://meet.example.org/group"


def test_a_meeting_in_the_past_or_without_a_place_is_refused_with_a_message(login, mentee, group):
    client = login(mentee)
    url = reverse("peergroups:meeting_propose", args=[group.pk])
    response = client.post(
        url,
        {
            "starts_at_local": "2020-01-01T10:00",
            "time_zone": "UTC",
            "duration_minutes": "60",
            "place": "Library",
        },
    )
    assert "Choose a time in the future." in text(response)
    response = client.post(
        url, {"starts_at_local": "2030-01-01T10:00", "time_zone": "UTC", "duration_minutes": "60"}
    )
    assert "Give an online link or a place." in text(response)
    assert not GroupMeeting.objects.exists()


def test_a_non_member_cannot_propose_a_meeting(login, cohort, group):
    other = make_mentee(cohort)
    assert (
        login(other).get(reverse("peergroups:meeting_propose", args=[group.pk])).status_code == 403
    )
    with pytest.raises(services.PeerGroupError):
        services.propose_group_meeting(
            group=group,
            by=other,
            starts_at_local=dt.datetime(2030, 1, 1, 10),
            time_zone="UTC",
            duration_minutes=60,
            place="Library",
        )
