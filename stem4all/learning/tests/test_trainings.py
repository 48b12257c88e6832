import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.learning import services
from stem4all.learning.models import CHECKIN_ALPHABET, Registration, Training
from stem4all.notifications.models import Notification
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

from .factories import TrainingFactory

pytestmark = pytest.mark.django_db


def _participants(cohort, n):
    people = []
    for _i in range(n):
        user = UserFactory()
        ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.MENTEE)
        people.append(user)
    return people


def test_people_get_seats_then_the_waitlist_with_positions(cohort, programme):
    training = TrainingFactory(programme=programme, capacity=2)
    a, b, c, d = _participants(cohort, 4)
    results = [services.register_for_training(training=training, user=u) for u in (a, b, c, d)]
    assert [r.status for r in results] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [r.position for r in results] == [None, None, 1, 2]


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist_and_tells_her(cohort, programme):
    training = TrainingFactory(programme=programme, capacity=1)
    a, b, c = _participants(cohort, 3)
    for user in (a, b, c):
        services.register_for_training(training=training, user=user)
    services.cancel_registration(training=training, user=a)
    statuses = dict(Registration.objects.filter(training=training).values_list("user_id", "status"))
    assert statuses == {a.pk: "cancelled", b.pk: "registered", c.pk: "waitlisted"}
    note = Notification.objects.get(recipient=b)
    assert note.kind == Notification.Kind.TRAINING_SEAT
    assert note.url == reverse("learning:training_detail", args=[training.pk])
    assert not Notification.objects.filter(recipient=c).exists()


def test_leaving_the_waitlist_promotes_nobody(cohort, programme):
    training = TrainingFactory(programme=programme, capacity=1)
    a, b, c = _participants(cohort, 3)
    for user in (a, b, c):
        services.register_for_training(training=training, user=user)
    services.cancel_registration(training=training, user=b)
    assert Registration.objects.get(user=c, training=training).status == "waitlisted"
    assert not Notification.objects.exists()


def test_more_seats_move_people_up_from_the_waitlist(cohort, programme, staff):
    training = TrainingFactory(programme=programme, capacity=1)
    a, b = _participants(cohort, 2)
    services.register_for_training(training=training, user=a)
    services.register_for_training(training=training, user=b)
    data = {
        "title": training.title,
        "trainer_name": "T",
        "starts_at_local": training.local_start().replace(tzinfo=None),
        "time_zone": training.time_zone,
        "duration_minutes": 60,
        "venue": "Hall",
        "capacity": 2,
        "is_published": True,
    }
    services.save_training(by=staff, training=training, data=data)
    assert Registration.objects.get(user=b).status == "registered"


def test_registering_twice_is_refused_with_a_clear_message(login, mentee, programme):
    training = TrainingFactory(programme=programme)
    client = login(mentee)
    url = reverse("learning:training_register", args=[training.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "You are already registered." in response.content.decode()
    assert Registration.objects.filter(user=mentee).count() == 1


def test_one_can_register_again_after_cancelling(mentee, programme):
    training = TrainingFactory(programme=programme)
    services.register_for_training(training=training, user=mentee)
    services.cancel_registration(training=training, user=mentee)
    again = services.register_for_training(training=training, user=mentee)
    assert again.status == "registered"


def test_a_started_or_draft_training_takes_no_registrations(mentee, programme):
    past = TrainingFactory(programme=programme, starts_at=timezone.now() - dt.timedelta(hours=1))
    draft = TrainingFactory(programme=programme, is_published=False)
    for training in (past, draft):
        with pytest.raises(services.LearningError):
            services.register_for_training(training=training, user=mentee)


def test_a_stranger_and_other_staff_cannot_see_or_register(login, stranger, other_staff, programme):
    training = TrainingFactory(programme=programme)
    for person in (stranger, other_staff):
        client = login(person)
        detail = reverse("learning:training_detail", args=[training.pk])
        assert client.get(detail).status_code == 404
        register = reverse("learning:training_register", args=[training.pk])
        assert client.post(register).status_code == 404
        staff_page = reverse("learning:training_staff", args=[training.pk])
        assert client.get(staff_page).status_code == 404
        assert (
            client.get(reverse("learning:training_download", args=[training.pk])).status_code == 404
        )
    assert not Registration.objects.exists()


def test_a_cohort_training_is_only_for_that_cohort(login, mentee, programme):
    other_cohort = CohortFactory(programme=programme)
    training = TrainingFactory(programme=programme, cohort=other_cohort)
    assert (
        login(mentee).get(reverse("learning:training_detail", args=[training.pk])).status_code
        == 404
    )


def test_the_training_page_and_list_show_my_status(login, mentee, programme):
    training = TrainingFactory(programme=programme, title="Negotiation basics")
    services.register_for_training(training=training, user=mentee)
    client = login(mentee)
    listing = client.get(reverse("learning:trainings")).content.decode()
    assert "Negotiation basics" in listing and "You have a seat" in listing
    detail = client.get(reverse("learning:training_detail", args=[training.pk])).content.decode()
    assert "Give up my seat" in detail


def test_the_ics_file_has_the_training_in_utc(login, mentee, programme):
    starts = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)
    training = TrainingFactory(programme=programme, starts_at=starts, title="Public speaking")
    response = login(mentee).get(reverse("learning:training_download", args=[training.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "DTSTART:20300301T090000Z" in body and "SUMMARY:Public speaking" in body


def test_staff_create_a_training_in_local_time_stored_in_utc(login, staff, programme):
    response = login(staff).post(
        reverse("learning:training_create", args=[programme.pk]),
        {
            "title": "CV clinic",
            "trainer_name": "Test Trainer",
            "starts_at_local": "2030-05-10T18:00",
            "time_zone": "Asia/Bishkek",
            "duration_minutes": 60,
            "online_link": "https://meet.example.org/cv",
            "capacity": 12,
            "is_published": "on",
        },
    )
    training = Training.objects.get(title="CV clinic")
    assert response.status_code == 302
    assert training.starts_at == dt.datetime(2030, 5, 10, 12, 0, tzinfo=dt.UTC)
    assert len(training.checkin_code) == 6
    assert set(training.checkin_code) <= set(CHECKIN_ALPHABET)


def test_a_training_needs_a_link_or_a_venue_and_sane_numbers(login, staff, programme):
    response = login(staff).post(
        reverse("learning:training_create", args=[programme.pk]),
        {
            "title": "X",
            "trainer_name": "T",
            "starts_at_local": "not a date",
            "time_zone": "Mars/Base",
            "duration_minutes": 60,
            "capacity": 0,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"starts_at_local", "time_zone", "capacity", "__all__"} <= set(errors)
    assert not Training.objects.exists()


def test_a_skipped_local_hour_is_refused(login, staff, programme):
    response = login(staff).post(
        reverse("learning:training_create", args=[programme.pk]),
        {
            "title": "X",
            "trainer_name": "T",
            "starts_at_local": "2030-03-31T02:30",
            "time_zone": "Europe/Berlin",
            "duration_minutes": 60,
            "venue": "Hall",
            "capacity": 5,
        },
    )
    assert response.status_code == 200
    assert "does not exist" in response.content.decode()


def test_a_mentee_and_other_staff_cannot_create_trainings(login, mentee, other_staff, programme):
    url = reverse("learning:training_create", args=[programme.pk])
    assert login(mentee).get(url).status_code == 404
    assert login(other_staff).post(url, {}).status_code == 404


# ------------------------------------------------------------------ check-in


@pytest.fixture
def session(programme):
    return TrainingFactory(
        programme=programme,
        starts_at=dt.datetime(2030, 6, 1, 10, 0, tzinfo=dt.UTC),
        duration_minutes=60,
        checkin_code="ACD347",
    )


def _register(training, user):
    return services.register_for_training(
        training=training, user=user, now=training.starts_at - dt.timedelta(days=1)
    )


def test_the_code_works_only_during_the_session_window(session, mentee):
    _register(session, mentee)
    too_early = session.starts_at - dt.timedelta(minutes=16)
    too_late = session.ends_at + dt.timedelta(minutes=16)
    for moment in (too_early, too_late):
        with pytest.raises(services.LearningError):
            services.check_in_to_training(training=session, user=mentee, code="ACD347", now=moment)
    just_in = session.starts_at - dt.timedelta(minutes=15)
    registration = services.check_in_to_training(
        training=session, user=mentee, code=" acd-347 ", now=just_in
    )
    assert registration.attended and registration.attended_at == just_in
    assert registration.marked_by is None


def test_the_last_minute_of_the_window_still_counts(session, mentee):
    _register(session, mentee)
    moment = session.ends_at + dt.timedelta(minutes=15)
    assert services.check_in_to_training(
        training=session, user=mentee, code="ACD347", now=moment
    ).attended


def test_waitlisted_and_unregistered_people_cannot_check_in(session, cohort, mentee):
    session.capacity = 1
    session.save()
    first, second = _participants(cohort, 2)
    _register(session, first)
    _register(session, second)
    during = session.starts_at
    for person in (second, mentee):
        with pytest.raises(services.LearningError, match="Only people with a seat"):
            services.check_in_to_training(training=session, user=person, code="ACD347", now=during)


def test_wrong_codes_are_counted_and_limited(session, mentee):
    _register(session, mentee)
    during = session.starts_at
    for _i in range(services.MAX_FAILED_CHECKINS):
        with pytest.raises(services.LearningError, match="not right"):
            services.check_in_to_training(training=session, user=mentee, code="WRONG1", now=during)
    with pytest.raises(services.LearningError, match="Too many wrong codes"):
        services.check_in_to_training(training=session, user=mentee, code="ACD347", now=during)
    registration = Registration.objects.get(user=mentee)
    assert registration.failed_checkins == 10 and not registration.attended


def test_a_wrong_code_on_the_page_shows_a_clear_message(login, mentee, programme):
    training = TrainingFactory(
        programme=programme, starts_at=timezone.now() + dt.timedelta(minutes=5)
    )
    services.register_for_training(training=training, user=mentee)
    client = login(mentee)
    url = reverse("learning:training_checkin", args=[training.pk])
    response = client.post(url, {"code": "ZZZZZZ"})
    assert response.status_code == 422
    assert "This code is not right" in response.content.decode()
    response = client.post(url, {"code": training.checkin_code})
    assert response.status_code == 302
    assert Registration.objects.get(user=mentee).attended


def test_staff_see_the_code_and_mark_attendance_on_the_roster(login, staff, cohort, programme):
    training = TrainingFactory(programme=programme, capacity=2)
    a, b, c = _participants(cohort, 3)
    for user in (a, b, c):
        services.register_for_training(training=training, user=user)
    client = login(staff)
    url = reverse("learning:training_staff", args=[training.pk])
    page = client.get(url).content.decode()
    assert training.checkin_code in page
    waitlisted = Registration.objects.get(user=c)
    reg_a = Registration.objects.get(user=a)
    client.post(url, {"action": "attendance", "attended": [reg_a.pk, waitlisted.pk, "junk"]})
    reg_a.refresh_from_db()
    waitlisted.refresh_from_db()
    assert reg_a.attended and reg_a.marked_by == staff
    assert not waitlisted.attended
    client.post(url, {"action": "attendance"})
    reg_a.refresh_from_db()
    assert not reg_a.attended


def test_staff_renew_the_code(login, staff, programme):
    training = TrainingFactory(programme=programme, checkin_code="ACD347")
    login(staff).post(
        reverse("learning:training_staff", args=[training.pk]), {"action": "renew_code"}
    )
    training.refresh_from_db()
    assert training.checkin_code != "ACD347" and len(training.checkin_code) == 6


def test_a_participant_does_not_see_the_code(login, mentee, programme):
    training = TrainingFactory(programme=programme, checkin_code="ACD347")
    page = login(mentee).get(reverse("learning:training_detail", args=[training.pk]))
    assert "ACD347" not in page.content.decode()


# ------------------------------------------------------------------ reminders


def test_reminders_go_24_hours_ahead_once_and_only_to_seat_holders(cohort, programme):
    now = dt.datetime(2030, 6, 1, 8, 0, tzinfo=dt.UTC)
    soon = TrainingFactory(programme=programme, starts_at=now + dt.timedelta(hours=20), capacity=1)
    later = TrainingFactory(programme=programme, starts_at=now + dt.timedelta(hours=30))
    a, b = _participants(cohort, 2)
    for training in (soon, later):
        for user in (a, b):
            services.register_for_training(training=training, user=user, now=now)
    assert services.send_training_reminders(now=now) == 1
    assert services.send_training_reminders(now=now) == 0
    note = Notification.objects.get(kind=Notification.Kind.TRAINING_REMINDER)
    assert note.recipient == a


def test_run_periodic_sends_training_reminders(cohort, programme):
    from stem4all.checkins.services import run_periodic

    now = dt.datetime(2030, 6, 1, 8, 0, tzinfo=dt.UTC)
    training = TrainingFactory(programme=programme, starts_at=now + dt.timedelta(hours=2))
    (person,) = _participants(cohort, 1)
    services.register_for_training(training=training, user=person, now=now)
    assert run_periodic(now)["training_reminders"] == 1


def test_the_new_notification_kinds_have_sentences():
    from stem4all.notifications.texts import render_text

    params = {"training": "CV clinic", "when": "2030-06-01T10:00:00+00:00"}
    seat = render_text(Notification.Kind.TRAINING_SEAT, params)
    reminder = render_text(Notification.Kind.TRAINING_REMINDER, params)
    assert "CV clinic" in seat and "is now yours" in seat
    assert "CV clinic" in reminder and "starts soon" in reminder
    assert render_text(Notification.Kind.TRAINING_SEAT, {}) == "A seat at a training is now yours."


def test_every_page_renders_for_staff(login, staff, mentee, programme):
    from .factories import LectureFactory

    lecture = LectureFactory(programme=programme)
    training = TrainingFactory(programme=programme)
    services.register_for_training(training=training, user=mentee)
    client = login(staff)
    for url in (
        reverse("learning:index"),
        reverse("learning:lectures"),
        reverse("learning:lecture_detail", args=[lecture.pk]),
        reverse("learning:lecture_edit", args=[lecture.pk]),
        reverse("learning:lecture_create", args=[programme.pk]),
        reverse("learning:trainings"),
        reverse("learning:trainings") + "?when=past",
        reverse("learning:training_detail", args=[training.pk]),
        reverse("learning:training_edit", args=[training.pk]),
        reverse("learning:training_create", args=[programme.pk]),
        reverse("learning:training_staff", args=[training.pk]),
        reverse("learning:certificates"),
    ):
        assert client.get(url).status_code == 200, url
    dashboard = login(mentee).get(reverse("core:dashboard")).content.decode()
    assert reverse("learning:index") in dashboard


def test_editing_a_training_keeps_its_local_time(login, staff, programme):
    training = TrainingFactory(
        programme=programme, starts_at=dt.datetime(2030, 5, 10, 12, 0, tzinfo=dt.UTC)
    )
    form = login(staff).get(reverse("learning:training_edit", args=[training.pk])).context["form"]
    assert form.initial["starts_at_local"] == dt.datetime(2030, 5, 10, 18, 0)


def test_the_training_list_uses_a_bounded_number_of_queries(
    login, mentee, cohort, programme, django_assert_max_num_queries
):
    for _i in range(30):
        training = TrainingFactory(programme=programme)
        services.register_for_training(training=training, user=mentee)
    client = login(mentee)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:trainings"))
    assert len(response.context["page"].object_list) == 20


def test_the_online_link_is_only_for_seat_holders(login, mentee, mentor, programme):
    training = TrainingFactory(
        programme=programme, online_link="https://meet.example.org/secret-room", capacity=1
    )
    services.register_for_training(training=training, user=mentee)
    services.register_for_training(training=training, user=mentor)  # waitlisted
    for person, sees in ((mentee, True), (mentor, False)):
        client = login(person)
        page = client.get(reverse("learning:training_detail", args=[training.pk])).content
        ics = client.get(reverse("learning:training_download", args=[training.pk])).content
        api = client.get(f"/api/v1/learning/trainings/{training.pk}").json()
        assert (b"secret-room" in page) is sees
        assert (b"secret-room" in ics) is sees
        assert ("secret-room" in api["online_link"]) is sees
