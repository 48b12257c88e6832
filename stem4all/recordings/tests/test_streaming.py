"""Uploaded videos are served through Django with range requests, each request
re-authorised; uploads are checked by extension, first bytes and size."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stem4all.recordings import services
from stem4all.recordings.forms import RecordingForm

from .factories import MP4_BYTES, WEBM_BYTES

SIZE = len(MP4_BYTES)


def stream_url(recording):
    return reverse("recordings:stream", args=[recording.pk])


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def viewer(login, mentee):
    return login(mentee)


def test_the_whole_file_is_served_with_no_store(viewer, file_recording):
    response = viewer.get(stream_url(file_recording))
    assert response.status_code == 200
    assert body(response) == MP4_BYTES
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_first_hundred_bytes_are_a_206_with_content_range(viewer, file_recording):
    response = viewer.get(stream_url(file_recording), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert body(response) == MP4_BYTES[:100]
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Content-Length"] == "100"
    assert response["Cache-Control"] == "no-store"


def test_an_open_ended_range_runs_to_the_end(viewer, file_recording):
    response = viewer.get(stream_url(file_recording), HTTP_RANGE="bytes=1000-")
    assert response.status_code == 206
    assert body(response) == MP4_BYTES[1000:]
    assert response["Content-Range"] == f"bytes 1000-{SIZE - 1}/{SIZE}"


def test_a_suffix_range_gives_the_last_bytes(viewer, file_recording):
    response = viewer.get(stream_url(file_recording), HTTP_RANGE="bytes=-10")
    assert response.status_code == 206
    assert body(response) == MP4_BYTES[-10:]
    assert response["Content-Range"] == f"bytes {SIZE - 10}-{SIZE - 1}/{SIZE}"


def test_a_range_past_the_end_is_clipped(viewer, file_recording):
    response = viewer.get(stream_url(file_recording), HTTP_RANGE=f"bytes={SIZE - 5}-99999")
    assert response.status_code == 206
    assert body(response) == MP4_BYTES[-5:]


@pytest.mark.parametrize(
    "header",
    [f"bytes={SIZE}-", "bytes=50-10", "bytes=abc", "bytes=-0", "bytes=0-1,5-9", "items=0-1"],
)
def test_a_bad_range_is_416(viewer, file_recording, header):
    response = viewer.get(stream_url(file_recording), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


def test_a_stranger_gets_404_for_the_video(login, stranger, file_recording):
    response = login(stranger).get(stream_url(file_recording), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 404


def test_the_file_is_not_under_media_url_by_name(file_recording):
    name = file_recording.file.name
    assert name.startswith("recordings/") and "session" not in name


def test_every_range_request_is_authorised_again(client, staff, file_recording, make_code):
    code, friendly = make_code(file_recording)
    client.post(reverse("recordings:enter_code"), {"code": friendly})
    first = client.get(stream_url(file_recording), HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206
    services.revoke_access_code(code=code, by=staff)
    second = client.get(stream_url(file_recording), HTTP_RANGE="bytes=100-199")
    assert second.status_code == 403


def test_a_grant_removed_from_the_session_stops_the_next_range(client, file_recording, make_code):
    _code, friendly = make_code(file_recording)
    client.post(reverse("recordings:enter_code"), {"code": friendly})
    assert client.get(stream_url(file_recording), HTTP_RANGE="bytes=0-99").status_code == 206
    session = client.session
    del session["recording_grants"]
    session.save()
    assert client.get(stream_url(file_recording), HTTP_RANGE="bytes=100-199").status_code == 404


def test_the_watch_page_plays_the_stream_in_a_video_element(viewer, file_recording):
    html = viewer.get(reverse("recordings:watch", args=[file_recording.pk])).content.decode()
    assert "<video" in html and "controls" in html and stream_url(file_recording) in html


def test_a_link_recording_has_no_stream(viewer, recording):
    assert viewer.get(stream_url(recording)).status_code == 404


def form_with(upload, **extra):
    data = {
        "title": "Session",
        "available_from": "2026-01-01T10:00",
        "available_until": "2026-01-31T10:00",
        **extra,
    }
    return RecordingForm(data, {"file": upload} if upload else {})


def test_an_mp4_and_a_webm_are_accepted():
    assert form_with(SimpleUploadedFile("a.mp4", MP4_BYTES)).is_valid()
    form = form_with(SimpleUploadedFile("a.webm", WEBM_BYTES))
    assert form.is_valid() and form.content_type == "video/webm"


def test_a_file_with_the_wrong_magic_bytes_is_refused_with_a_clear_message():
    form = form_with(SimpleUploadedFile("a.mp4", b"MZ\x90\x00 not a video at all"))
    assert not form.is_valid()
    assert "not an MP4 or WebM video" in form.errors["file"][0]


def test_a_webm_named_mp4_is_refused():
    form = form_with(SimpleUploadedFile("a.mp4", WEBM_BYTES))
    assert "does not match its name" in form.errors["file"][0]


def test_a_wrong_extension_is_refused():
    form = form_with(SimpleUploadedFile("a.exe", MP4_BYTES))
    assert "MP4 or WebM" in form.errors["file"][0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.STEM4ALL_RECORDING_MAX_BYTES = 100
    form = form_with(SimpleUploadedFile("a.mp4", MP4_BYTES))
    assert "too large" in form.errors["file"][0]


def test_a_file_and_a_link_together_are_refused():
    form = form_with(
        SimpleUploadedFile("a.mp4", MP4_BYTES), external_url="https://video.example.org/x"
    )
    assert not form.is_valid()
    assert "not both" in str(form.non_field_errors())


def test_neither_file_nor_link_is_refused():
    form = form_with(None)
    assert "Upload a video file or give a link" in str(form.non_field_errors())


def test_a_missing_file_is_404_not_500(viewer, file_recording):
    file_recording.file.storage.delete(file_recording.file.name)
    assert viewer.get(stream_url(file_recording)).status_code == 404


def test_head_answers_the_length_without_a_body(viewer, file_recording):
    response = viewer.head(stream_url(file_recording), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Length"] == "100"
    assert response.content == b""
