"""Staff pages: the cohort's recordings, publishing and editing, access codes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stem4all.recordings import codes
from stem4all.recordings.models import AccessCode, Recording

from .factories import MP4_BYTES


def staff_urls(cohort, recording, code):
    return [
        ("get", reverse("recordings:staff_list", args=[cohort.pk])),
        ("get", reverse("recordings:create", args=[cohort.pk])),
        ("get", reverse("recordings:edit", args=[recording.pk])),
        ("get", reverse("recordings:codes", args=[recording.pk])),
        ("post", reverse("recordings:codes", args=[recording.pk])),
        ("post", reverse("recordings:revoke_code", args=[code.pk])),
    ]


def test_staff_of_the_programme_open_every_staff_page(login, staff, cohort, recording, make_code):
    code, _friendly = make_code(recording)
    client = login(staff)
    for method, url in staff_urls(cohort, recording, code)[:4]:
        assert getattr(client, method)(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["other_staff", "mentee", "mentor", "stranger"])
def test_others_may_not_open_the_staff_pages(request, login, persona, cohort, recording, make_code):
    code, _friendly = make_code(recording)
    client = login(request.getfixturevalue(persona))
    for method, url in staff_urls(cohort, recording, code):
        assert getattr(client, method)(url, {"label": "x"}).status_code == 403, url
    assert not AccessCode.objects.filter(label="x").exists()
    assert AccessCode.objects.get(pk=code.pk).revoked_at is None


def test_staff_pages_of_a_missing_recording_are_404(login, staff):
    assert login(staff).get(reverse("recordings:codes", args=[99999])).status_code == 404


def test_the_create_page_proposes_a_thirty_day_period(login, staff, cohort):
    form = login(staff).get(reverse("recordings:create", args=[cohort.pk])).context["form"]
    start, end = form.initial["available_from"], form.initial["available_until"]
    assert (end - start).days == 30


def test_staff_publish_a_recording_with_a_link(login, staff, cohort):
    response = login(staff).post(
        reverse("recordings:create", args=[cohort.pk]),
        {
            "title": "Leadership talk",
            "external_url": "https://video.example.org/leadership",
            "available_from": "2026-01-01T10:00",
            "available_until": "2026-01-31T10:00",
        },
    )
    recording = Recording.objects.get(title="Leadership talk")
    assert response.status_code == 302
    assert response["Location"] == reverse("recordings:codes", args=[recording.pk])
    assert recording.cohort == cohort and recording.created_by == staff


def test_staff_upload_a_video_stored_under_a_random_name(login, staff, cohort):
    login(staff).post(
        reverse("recordings:create", args=[cohort.pk]),
        {
            "title": "Uploaded",
            "file": SimpleUploadedFile("Aizada at the lab.mp4", MP4_BYTES),
            "available_from": "2026-01-01T10:00",
            "available_until": "2026-01-31T10:00",
        },
    )
    recording = Recording.objects.get(title="Uploaded")
    assert recording.file.name.startswith("recordings/")
    assert "Aizada" not in recording.file.name and recording.file.name.endswith(".mp4")
    assert recording.content_type == "video/mp4"


def test_an_upload_with_wrong_bytes_shows_the_reason_on_the_page(login, staff, cohort):
    response = login(staff).post(
        reverse("recordings:create", args=[cohort.pk]),
        {
            "title": "Fake",
            "file": SimpleUploadedFile("fake.mp4", b"<html>not a video</html>"),
            "available_from": "2026-01-01T10:00",
            "available_until": "2026-01-31T10:00",
        },
    )
    assert response.status_code == 200
    assert "not an MP4 or WebM video" in response.content.decode()
    assert not Recording.objects.filter(title="Fake").exists()


def test_a_period_that_ends_before_it_starts_is_refused(login, staff, cohort):
    response = login(staff).post(
        reverse("recordings:create", args=[cohort.pk]),
        {
            "title": "Backwards",
            "external_url": "https://video.example.org/x",
            "available_from": "2026-01-31T10:00",
            "available_until": "2026-01-01T10:00",
        },
    )
    assert "must end after it starts" in response.content.decode()


def test_staff_edit_the_period_and_keep_the_link(login, staff, recording):
    response = login(staff).post(
        reverse("recordings:edit", args=[recording.pk]),
        {
            "title": "Renamed",
            "available_from": "2026-01-01T10:00",
            "available_until": "2026-03-01T10:00",
        },
    )
    assert response.status_code == 302
    recording.refresh_from_db()
    assert recording.title == "Renamed"
    assert recording.external_url == "https://video.example.org/session"


def test_a_new_code_is_shown_once_and_then_only_its_label(login, staff, recording):
    client = login(staff)
    url = reverse("recordings:codes", args=[recording.pk])
    created = client.post(url, {"label": "For the school in Naryn"})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    friendly = created.context["new_code"]
    assert friendly in created.content.decode()
    assert AccessCode.objects.get().code_hash == codes.hash_code(codes.normalise(friendly))
    again = client.get(url).content.decode()
    assert "For the school in Naryn" in again and friendly not in again


def test_a_code_needs_a_label(login, staff, recording):
    response = login(staff).post(reverse("recordings:codes", args=[recording.pk]), {"label": " "})
    assert response.status_code == 400
    assert "Say who the code is for" in response.content.decode()


def test_staff_revoke_a_code(login, staff, recording, make_code):
    code, _friendly = make_code(recording)
    response = login(staff).post(reverse("recordings:revoke_code", args=[code.pk]))
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.revoked_at is not None and code.revoked_by == staff


def test_revoking_twice_says_so(login, staff, recording, make_code):
    code, _friendly = make_code(recording)
    client = login(staff)
    client.post(reverse("recordings:revoke_code", args=[code.pk]))
    response = client.post(reverse("recordings:revoke_code", args=[code.pk]), follow=True)
    assert "already revoked" in response.content.decode()


def test_the_staff_list_uses_a_bounded_number_of_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    from .factories import RecordingFactory

    for _ in range(20):
        RecordingFactory(cohort=cohort)
    client = login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("recordings:staff_list", args=[cohort.pk]))
    assert len(response.context["page"]) == 20


def test_staff_may_watch_the_recordings_of_their_programme(login, staff, recording):
    assert login(staff).get(reverse("recordings:watch", args=[recording.pk])).status_code == 200


def test_a_recording_may_name_a_training_of_the_same_programme_only(login, staff, cohort):
    from stem4all.learning.tests.factories import TrainingFactory

    own = TrainingFactory(programme=cohort.programme, title="Public speaking")
    foreign = TrainingFactory()
    client = login(staff)
    data = {
        "title": "Training recording",
        "external_url": "https://video.example.org/t",
        "available_from": "2026-01-01T10:00",
        "available_until": "2026-01-31T10:00",
    }
    refused = client.post(
        reverse("recordings:create", args=[cohort.pk]), data | {"training": foreign.pk}
    )
    assert "Choose a training of this programme" in refused.content.decode()
    client.post(reverse("recordings:create", args=[cohort.pk]), data | {"training": own.pk})
    assert Recording.objects.get().training == own
