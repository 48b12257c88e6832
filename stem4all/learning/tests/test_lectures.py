import pytest
from django.urls import reverse

from stem4all.learning import services
from stem4all.learning.models import Lecture, LectureMaterial, LectureProgress, Topic

from .factories import LectureFactory

pytestmark = pytest.mark.django_db


def test_a_participant_browses_published_lectures_with_filters(login, mentee, programme):
    LectureFactory(programme=programme, title="Leading teams", topic=Topic.LEADERSHIP)
    LectureFactory(
        programme=programme, title="Budgeting", topic=Topic.FINANCIAL_LITERACY, language="ky"
    )
    LectureFactory(programme=programme, title="Secret draft", is_published=False)
    LectureFactory(title="Another programme's lecture")
    client = login(mentee)
    page = client.get(reverse("learning:lectures")).content.decode()
    assert "Leading teams" in page and "Budgeting" in page
    assert "Secret draft" not in page and "Another programme" not in page
    filtered = client.get(reverse("learning:lectures"), {"topic": "financial_literacy"})
    assert "Budgeting" in filtered.content.decode()
    assert "Leading teams" not in filtered.content.decode()
    by_language = client.get(reverse("learning:lectures"), {"language": "ky"}).content.decode()
    assert "Budgeting" in by_language and "Leading teams" not in by_language


def test_an_unknown_filter_value_shows_the_list_not_an_error(login, mentee, programme):
    LectureFactory(programme=programme, title="Leading teams")
    response = login(mentee).get(reverse("learning:lectures"), {"topic": "<script>", "page": "x"})
    assert response.status_code == 200


def test_the_library_is_paginated_with_a_bounded_number_of_queries(
    login, mentee, programme, django_assert_max_num_queries
):
    for _i in range(45):
        LectureFactory(programme=programme)
    client = login(mentee)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:lectures"), {"page": 2})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 20


def test_a_stranger_and_other_staff_do_not_see_a_lecture(login, stranger, other_staff, programme):
    lecture = LectureFactory(programme=programme)
    for person in (stranger, other_staff):
        client = login(person)
        assert client.get(reverse("learning:lecture_detail", args=[lecture.pk])).status_code == 404
        assert client.get(reverse("learning:lecture_edit", args=[lecture.pk])).status_code == 404
        response = client.post(
            reverse("learning:lecture_progress", args=[lecture.pk]), {"action": "save"}
        )
        assert response.status_code == 404


def test_a_draft_is_hidden_from_participants_but_not_from_staff(login, mentee, staff, programme):
    lecture = LectureFactory(programme=programme, is_published=False)
    url = reverse("learning:lecture_detail", args=[lecture.pk])
    assert login(mentee).get(url).status_code == 404
    assert login(staff).get(url).status_code == 200


def test_the_mentee_saves_a_lecture_and_marks_it_watched(login, mentee, programme):
    lecture = LectureFactory(programme=programme)
    client = login(mentee)
    url = reverse("learning:lecture_progress", args=[lecture.pk])
    client.post(url, {"action": "save"})
    client.post(url, {"action": "watched"})
    client.post(url, {"action": "watched"})
    progress = LectureProgress.objects.get(user=mentee, lecture=lecture)
    assert progress.saved and progress.watched_at is not None
    saved = client.get(reverse("learning:lectures"), {"saved": "on"}).content.decode()
    assert lecture.title in saved and "Watched" in saved
    client.post(url, {"action": "unsave"})
    progress.refresh_from_db()
    assert not progress.saved


def test_a_mentee_cannot_mark_a_draft_watched(mentee, programme):
    lecture = LectureFactory(programme=programme, is_published=False)
    with pytest.raises(services.LearningError):
        services.mark_lecture_watched(lecture=lecture, user=mentee)


def test_staff_create_edit_and_publish_a_lecture(login, staff, mentee, programme):
    client = login(staff)
    response = client.post(
        reverse("learning:lecture_create", args=[programme.pk]),
        {
            "title": "Time for everything",
            "speaker_name": "Test Speaker",
            "speaker_kind": "guest",
            "topic": "time_management",
            "language": "ru",
            "duration_minutes": 40,
        },
    )
    lecture = Lecture.objects.get(title="Time for everything")
    assert response.status_code == 302 and not lecture.is_published
    assert lecture.programme == programme and lecture.created_by == staff
    response = client.post(
        reverse("learning:lecture_edit", args=[lecture.pk]),
        {
            "title": "Time for everything",
            "speaker_name": "Test Speaker",
            "speaker_kind": "guest",
            "topic": "time_management",
            "language": "ru",
            "duration_minutes": 40,
            "recording_url": "https://video.example.org/1",
            "is_published": "on",
        },
    )
    lecture.refresh_from_db()
    assert lecture.is_published and lecture.recording_url == "https://video.example.org/1"
    assert (
        login(mentee).get(reverse("learning:lecture_detail", args=[lecture.pk])).status_code == 200
    )


def test_a_lecture_form_with_bad_input_shows_errors(login, staff, programme):
    response = login(staff).post(
        reverse("learning:lecture_create", args=[programme.pk]),
        {"title": "", "topic": "astrology", "language": "en", "duration_minutes": -3},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "topic", "duration_minutes"}
    assert not Lecture.objects.exists()


def test_a_mentee_and_other_staff_cannot_create_lectures(login, mentee, other_staff, programme):
    url = reverse("learning:lecture_create", args=[programme.pk])
    assert login(mentee).get(url).status_code == 404
    assert login(other_staff).get(url).status_code == 404


def test_the_speaker_can_only_be_a_mentor_of_the_programme(
    login, staff, stranger, mentor, programme
):
    response = login(staff).post(
        reverse("learning:lecture_create", args=[programme.pk]),
        {
            "title": "T",
            "speaker_name": "S",
            "speaker_kind": "mentor",
            "speaker": stranger.pk,
            "topic": "careers",
            "language": "en",
            "duration_minutes": 30,
        },
    )
    assert "speaker" in response.context["form"].errors
    form = response.context["form"]
    assert list(form.fields["speaker"].queryset) == [mentor]


def test_staff_add_a_link_and_a_pdf_and_participants_download_it(
    login, staff, mentee, stranger, programme, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    lecture = LectureFactory(programme=programme)
    client = login(staff)
    url = reverse("learning:material_add", args=[lecture.pk])
    client.post(url, {"title": "Slides", "url": "https://slides.example.org/x"})
    pdf = SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    client.post(url, {"title": "Notes", "file": pdf})
    assert LectureMaterial.objects.filter(lecture=lecture).count() == 2
    material = LectureMaterial.objects.get(title="Notes")
    download = reverse("learning:material_download", args=[material.pk])
    response = login(mentee).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert login(stranger).get(download).status_code == 404


def test_a_material_needs_a_link_or_a_real_pdf(login, staff, programme, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    lecture = LectureFactory(programme=programme)
    client = login(staff)
    url = reverse("learning:material_add", args=[lecture.pk])
    response = client.post(url, {"title": "Nothing"})
    assert response.status_code == 422
    assert "Give a link or upload a PDF file." in response.content.decode()
    fake = SimpleUploadedFile("evil.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Fake", "file": fake})
    assert response.status_code == 422
    assert "not a PDF" in response.content.decode()
    assert not LectureMaterial.objects.exists()
