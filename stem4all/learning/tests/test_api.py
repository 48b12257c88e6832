import datetime as dt

import pytest
from django.utils import timezone

from stem4all.learning import services
from stem4all.learning.models import Registration

from .factories import LectureFactory, RegistrationFactory, TrainingFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/learning"


def test_the_api_lists_filters_and_opens_lectures(login, mentee, programme):
    LectureFactory(programme=programme, title="Leading", topic="leadership")
    english = LectureFactory(programme=programme, title="English", topic="english")
    LectureFactory(programme=programme, title="Draft", is_published=False)
    client = login(mentee)
    items = client.get(f"{API}/lectures").json()["items"]
    assert {item["title"] for item in items} == {"Leading", "English"}
    items = client.get(f"{API}/lectures", {"topic": "english"}).json()["items"]
    assert [item["id"] for item in items] == [english.pk]
    detail = client.get(f"{API}/lectures/{english.pk}").json()
    assert detail["title"] == "English" and detail["materials"] == []


def test_a_bad_filter_answers_422(login, mentee):
    response = login(mentee).get(f"{API}/lectures", {"topic": "astrology"})
    assert response.status_code == 422 and "topic" in response.json()["errors"]


def test_the_api_saves_and_marks_a_lecture_watched(login, mentee, programme):
    lecture = LectureFactory(programme=programme)
    client = login(mentee)
    saved = client.post(f"{API}/lectures/{lecture.pk}/save", {"saved": True}, "application/json")
    assert saved.status_code == 200 and saved.json()["saved"] is True
    watched = client.post(f"{API}/lectures/{lecture.pk}/watched", {}, "application/json")
    assert watched.json()["watched_at"] is not None
    items = client.get(f"{API}/lectures", {"saved": True}).json()["items"]
    assert items[0]["is_saved"] and items[0]["watched_at"]


def test_the_api_hides_lectures_and_trainings_from_strangers(login, stranger, programme):
    lecture = LectureFactory(programme=programme)
    training = TrainingFactory(programme=programme)
    client = login(stranger)
    assert client.get(f"{API}/lectures/{lecture.pk}").status_code == 404
    assert (
        client.post(f"{API}/lectures/{lecture.pk}/save", {}, "application/json").status_code == 404
    )
    assert client.get(f"{API}/trainings/{training.pk}").status_code == 404
    assert client.post(f"{API}/trainings/{training.pk}/register").status_code == 404
    assert client.get(f"{API}/lectures").json()["items"] == []


def test_the_api_registers_waitlists_and_cancels(login, mentee, mentor, programme):
    training = TrainingFactory(programme=programme, capacity=1)
    first = login(mentee).post(f"{API}/trainings/{training.pk}/register")
    assert first.status_code == 201 and first.json()["status"] == "registered"
    again = login(mentee).post(f"{API}/trainings/{training.pk}/register")
    assert again.status_code == 409 and "already registered" in again.json()["detail"]
    second = login(mentor).post(f"{API}/trainings/{training.pk}/register")
    assert second.json()["status"] == "waitlisted" and second.json()["position"] == 1
    detail = login(mentor).get(f"{API}/trainings/{training.pk}").json()
    assert detail["seats_taken"] == 1 and detail["my_status"] == "waitlisted"
    cancelled = login(mentee).post(f"{API}/trainings/{training.pk}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(user=mentor).status == "registered"
    listed = login(mentor).get(f"{API}/trainings").json()["items"]
    assert listed[0]["my_status"] == "registered"


def test_the_api_checks_in_with_the_code(login, mentee, programme):
    training = TrainingFactory(
        programme=programme, starts_at=timezone.now() + dt.timedelta(minutes=5)
    )
    services.register_for_training(training=training, user=mentee)
    client = login(mentee)
    url = f"{API}/trainings/{training.pk}/check-in"
    wrong = client.post(url, {"code": "ZZZZZZ"}, "application/json")
    assert wrong.status_code == 409 and "not right" in wrong.json()["detail"]
    empty = client.post(url, {"code": ""}, "application/json")
    assert empty.status_code == 422
    right = client.post(url, {"code": training.checkin_code.lower()}, "application/json")
    assert right.status_code == 200 and right.json()["attended"] is True


def test_the_api_lists_my_certificates(login, mentee, programme):
    for _i in range(3):
        RegistrationFactory(
            user=mentee,
            training=TrainingFactory(programme=programme),
            attended=True,
            attended_at=timezone.now(),
        )
    certificate = services.issue_attendance_certificate(user=mentee, programme=programme)
    items = login(mentee).get(f"{API}/certificates").json()
    assert [item["code"] for item in items] == [certificate.code]
    assert items[0]["verify_url"].endswith(f"/verify/{certificate.code}/")


def test_the_demo_seeds_lectures_and_trainings_once(programme, staff, mentee, mentor, stranger):
    from stem4all.learning.demo import seed_learning
    from stem4all.learning.models import Lecture, Training

    people = {"mentee": mentee, "mentor": mentor, "other": stranger, "staff": staff}
    first = seed_learning(
        programme=programme, staff=staff, people=people, today=timezone.localdate()
    )
    second = seed_learning(
        programme=programme, staff=staff, people=people, today=timezone.localdate()
    )
    assert first["lectures"] == 5 and first["trainings"] == 3
    assert second == {"lectures": 0, "trainings": 0, "registrations": 0}
    assert Lecture.objects.filter(programme=programme, is_published=True).count() == 5
    full = Training.objects.get(capacity=2)
    assert full.registrations.filter(status="registered").count() == 2
    assert full.registrations.filter(status="waitlisted").count() == 2
    assert Registration.objects.filter(user=mentee, attended=True).count() == 1
