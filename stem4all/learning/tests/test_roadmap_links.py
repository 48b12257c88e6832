import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.learning import services
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.roadmaps import services as roadmap_services
from stem4all.roadmaps.models import Roadmap, RoadmapStep

from .factories import LectureFactory, RegistrationFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cohort, mentee, mentor):
    return MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)


def test_the_mentee_links_a_step_to_a_lecture_and_a_training(
    login, mentee, mentor, pair, programme
):
    lecture = LectureFactory(programme=programme, title="Leading teams")
    training = TrainingFactory(programme=programme, title="CV clinic")
    LectureFactory(programme=programme, title="Hidden draft", is_published=False)
    client = login(mentee)
    page = client.get(reverse("roadmaps:roadmap", args=[pair.pk])).content.decode()
    assert "Leading teams" in page and "CV clinic" in page and "Hidden draft" not in page
    response = client.post(
        reverse("roadmaps:add_step", args=[pair.pk]),
        {"add-title": "Learn to lead", "add-lecture": lecture.pk, "add-training": training.pk},
    )
    assert response.status_code == 302
    step = RoadmapStep.objects.get(title="Learn to lead")
    assert (step.lecture, step.training) == (lecture, training)

    page = login(mentor).get(reverse("roadmaps:roadmap", args=[pair.pk])).content.decode()
    assert "Watched" not in page and "Attended" not in page
    services.mark_lecture_watched(lecture=lecture, user=mentee)
    RegistrationFactory(training=training, user=mentee, attended=True, attended_at=timezone.now())
    page = login(mentor).get(reverse("roadmaps:roadmap", args=[pair.pk])).content.decode()
    assert "<strong>Watched</strong>" in page and "<strong>Attended</strong>" in page


def test_a_lecture_of_another_programme_cannot_be_picked(login, mentee, pair):
    foreign = LectureFactory(title="Elsewhere")
    response = login(mentee).post(
        reverse("roadmaps:add_step", args=[pair.pk]),
        {"add-title": "Sneaky", "add-lecture": foreign.pk},
    )
    assert response.status_code == 400
    assert not RoadmapStep.objects.filter(title="Sneaky").exists()
    roadmap = Roadmap.objects.get_or_create(mentorship=pair)[0]
    with pytest.raises(roadmap_services.RoadmapError):
        roadmap_services.add_step(roadmap=roadmap, by=mentee, title="Direct", lecture=foreign)


def test_editing_a_step_keeps_or_clears_its_lecture(login, mentee, pair, programme):
    lecture = LectureFactory(programme=programme)
    roadmap = Roadmap.objects.create(mentorship=pair)
    step = roadmap_services.add_step(roadmap=roadmap, by=mentee, title="Watch", lecture=lecture)
    roadmap_services.update_step(step=step, by=mentee, title="Watch it")
    step.refresh_from_db()
    assert step.lecture == lecture
    login(mentee).post(
        reverse("roadmaps:update_step", args=[pair.pk, step.pk]),
        {f"step-{step.pk}-title": "Watch it", f"step-{step.pk}-status": "planned"},
    )
    step.refresh_from_db()
    assert step.lecture is None


def test_deleting_a_lecture_keeps_the_step(mentee, pair, programme):
    lecture = LectureFactory(programme=programme)
    roadmap = Roadmap.objects.create(mentorship=pair)
    step = roadmap_services.add_step(roadmap=roadmap, by=mentee, title="Watch", lecture=lecture)
    lecture.delete()
    step.refresh_from_db()
    assert step.lecture is None


def test_an_api_edit_of_a_step_keeps_its_lecture(login, mentee, pair, programme):
    lecture = LectureFactory(programme=programme)
    roadmap = Roadmap.objects.create(mentorship=pair)
    step = roadmap_services.add_step(roadmap=roadmap, by=mentee, title="Watch", lecture=lecture)
    response = login(mentee).patch(
        f"/api/v1/mentorships/{pair.pk}/roadmap/steps/{step.pk}",
        {"title": "Watch it"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    step.refresh_from_db()
    assert step.title == "Watch it" and step.lecture == lecture
