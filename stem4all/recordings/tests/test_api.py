"""Recordings in the JSON API."""

import pytest
from django.urls import reverse

from stem4all.recordings import codes, services
from stem4all.recordings.models import AccessCode, Recording

from .factories import RecordingFactory

JSON = "application/json"
ACCESS = "/api/v1/recordings/access"


def test_staff_publish_a_link_recording_with_a_default_thirty_day_period(login, staff, cohort):
    response = login(staff).post(
        f"/api/v1/cohorts/{cohort.pk}/recordings",
        {"title": "Leadership", "external_url": "https://video.example.org/x"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    recording = Recording.objects.get()
    assert (recording.available_until - recording.available_from).days == 30
    assert response.json()["kind"] == "link"


def test_an_invalid_link_is_422_with_the_field(login, staff, cohort):
    response = login(staff).post(
        f"/api/v1/cohorts/{cohort.pk}/recordings",
        {"title": "Leadership", "external_url": "not a link"},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "external_url" in response.json()["errors"]


def test_staff_list_the_recordings_of_their_cohort(login, staff, recording):
    response = login(staff).get(f"/api/v1/cohorts/{recording.cohort_id}/recordings")
    assert [r["id"] for r in response.json()] == [recording.pk]


@pytest.mark.parametrize("persona", ["other_staff", "mentee"])
def test_others_may_not_manage_recordings_or_codes(request, login, persona, recording, make_code):
    code, _friendly = make_code(recording)
    client = login(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/cohorts/{recording.cohort_id}/recordings").status_code == 403
    assert client.get(f"/api/v1/recordings/{recording.pk}/codes").status_code == 403
    assert (
        client.post(
            f"/api/v1/recordings/{recording.pk}/codes", {"label": "x"}, content_type=JSON
        ).status_code
        == 403
    )
    assert client.post(f"/api/v1/recordings/codes/{code.pk}/revoke").status_code == 403


def test_staff_create_list_and_revoke_codes(login, staff, recording):
    client = login(staff)
    created = client.post(
        f"/api/v1/recordings/{recording.pk}/codes", {"label": "Naryn school"}, content_type=JSON
    )
    assert created.status_code == 201
    friendly = created.json()["code"]
    assert codes.normalise(friendly)
    listed = client.get(f"/api/v1/recordings/{recording.pk}/codes").json()
    assert listed[0]["label"] == "Naryn school" and "code" not in listed[0]
    assert friendly not in str(listed)
    revoked = client.post(f"/api/v1/recordings/codes/{listed[0]['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.post(f"/api/v1/recordings/codes/{listed[0]['id']}/revoke").status_code == 409


def test_a_participant_lists_the_recordings_of_her_cohorts(login, mentee, recording):
    RecordingFactory()
    response = login(mentee).get("/api/v1/recordings")
    assert [r["id"] for r in response.json()] == [recording.pk]


def test_the_list_needs_sign_in(client, db):
    assert client.get("/api/v1/recordings").status_code == 401


def test_a_code_is_exchanged_for_a_session_grant_without_sign_in(client, recording, make_code):
    _code, friendly = make_code(recording)
    response = client.post(ACCESS, {"code": friendly}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["recording_id"] == recording.pk
    assert client.get(reverse("recordings:watch", args=[recording.pk])).status_code == 200


def test_the_api_answers_revoked_and_expired_codes(client, staff, cohort, make_code):
    recording = RecordingFactory(cohort=cohort)
    code, friendly = make_code(recording)
    services.revoke_access_code(code=code, by=staff)
    assert client.post(ACCESS, {"code": friendly}, content_type=JSON).status_code == 403
    other, other_friendly = make_code(recording)
    Recording.objects.filter(pk=recording.pk).update(
        available_from=recording.available_from.replace(year=2000),
        available_until=recording.available_until.replace(year=2001),
    )
    assert client.post(ACCESS, {"code": other_friendly}, content_type=JSON).status_code == 410


def test_the_api_shares_the_limit_on_wrong_codes(client, recording, make_code):
    _code, friendly = make_code(recording)
    for _ in range(5):
        assert client.post(ACCESS, {"code": "WRONG-CODE"}, content_type=JSON).status_code == 400
    for _ in range(5):
        client.post(reverse("recordings:enter_code"), {"code": "wrong"})
    response = client.post(ACCESS, {"code": friendly}, content_type=JSON)
    assert response.status_code == 429
    assert friendly not in response.content.decode()


def test_the_exchange_keeps_the_code_out_of_headers(client, recording, make_code):
    _code, friendly = make_code(recording)
    response = client.post(ACCESS, {"code": friendly}, content_type=JSON)
    raw = codes.normalise(friendly)
    for _name, value in response.items():
        assert raw not in value and friendly not in value
    assert AccessCode.objects.filter(code_hash__icontains=raw).count() == 0
