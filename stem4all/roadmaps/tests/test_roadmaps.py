import datetime as dt

import pytest
from django.urls import reverse

from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships.models import Mentorship
from stem4all.roadmaps import queries, services
from stem4all.roadmaps.models import Roadmap, RoadmapStep


@pytest.fixture
def pair(cohort, mentee, mentor):
    return MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)


@pytest.fixture
def roadmap(pair):
    return Roadmap.objects.create(mentorship=pair, career_goal="Become a data engineer")


def _add(roadmap, by, title, due_on=None):
    return services.add_step(
        roadmap=roadmap, by=by, title=title, description="", due_on=due_on, link=""
    )


def _url(name, pair, step=None):
    args = [pair.pk] if step is None else [pair.pk, step.pk]
    return reverse(f"roadmaps:{name}", args=args)


def test_mentee_adds_and_orders_steps(login, pair, mentee):
    client = login(mentee)
    client.post(_url("save_goal", pair), {"career_goal": "Data engineer by 2026"})
    for title in ("Learn SQL", "Build a project"):
        response = client.post(_url("add_step", pair), {"add-title": title})
        assert response.status_code == 302
    roadmap = Roadmap.objects.get(mentorship=pair)
    assert roadmap.career_goal == "Data engineer by 2026"
    first, second = roadmap.steps.all()
    assert [first.title, second.title] == ["Learn SQL", "Build a project"]
    client.post(_url("move_step", pair, second), {"direction": "up"})
    assert [s.title for s in roadmap.steps.all()] == ["Build a project", "Learn SQL"]


def test_mentor_comments_and_signs_off(login, pair, roadmap, mentee, mentor):
    step = _add(roadmap, mentee, "Learn SQL")
    client = login(mentor)
    client.post(_url("comment_on_step", pair, step), {f"comment-{step.pk}-text": "Good start"})
    client.post(_url("sign_off_step", pair, step))
    step.refresh_from_db()
    assert step.comments.get().text == "Good start"
    assert step.status == RoadmapStep.Status.DONE
    assert step.signed_off_by == mentor and step.signed_off_at is not None


def test_mentee_cannot_sign_off(roadmap, mentee):
    step = _add(roadmap, mentee, "Learn SQL")
    with pytest.raises(services.RoadmapError):
        services.sign_off_step(step=step, by=mentee)
    step.refresh_from_db()
    assert step.signed_off_at is None


def test_mentor_cannot_edit_steps(roadmap, mentee, mentor):
    step = _add(roadmap, mentee, "Learn SQL")
    with pytest.raises(services.RoadmapError):
        _add(roadmap, mentor, "Mentor's step")
    with pytest.raises(services.RoadmapError):
        services.update_step(step=step, by=mentor, title="Changed", status="done")
    with pytest.raises(services.RoadmapError):
        services.move_step(step=step, by=mentor, direction="down")
    step.refresh_from_db()
    assert step.title == "Learn SQL"


def test_a_mentor_of_another_pair_and_staff_of_another_programme_get_404(
    login, cohort, pair, roadmap, mentee, other_staff
):
    step = _add(roadmap, mentee, "Learn SQL")
    other_pair = MentorshipFactory(
        cohort=cohort, mentee=make_mentee(cohort), mentor=make_mentor(cohort)
    )
    for user in (other_pair.mentor, other_staff):
        client = login(user)
        assert client.get(_url("roadmap", pair)).status_code == 404
        assert client.post(_url("sign_off_step", pair, step)).status_code == 404
        assert client.post(_url("add_step", pair), {"add-title": "x"}).status_code == 404
    assert roadmap.steps.count() == 1


def test_staff_of_the_programme_can_read_but_not_write(login, pair, roadmap, mentee, staff):
    step = _add(roadmap, mentee, "Learn SQL")
    client = login(staff)
    response = client.get(_url("roadmap", pair))
    assert response.status_code == 200
    assert "Learn SQL" in response.content.decode()
    assert client.post(_url("sign_off_step", pair, step)).status_code == 403
    assert client.post(_url("add_step", pair), {"add-title": "x"}).status_code == 403
    with pytest.raises(services.RoadmapError):
        services.comment_on_step(step=step, by=staff, text="Hi")
    assert roadmap.steps.count() == 1


def test_progress_counts_done_steps_and_leaves_dropped_ones_out(roadmap, mentee, mentor):
    steps = [_add(roadmap, mentee, f"Step {n}") for n in range(4)]
    services.sign_off_step(step=steps[0], by=mentor)
    services.update_step(step=steps[1], by=mentee, title="Step 1", status="done")
    services.update_step(step=steps[2], by=mentee, title="Step 2", status="dropped")
    result = queries.progress(roadmap)
    assert (result.done, result.total, result.percent) == (2, 3, 67)


def test_the_page_shows_an_svg_progress_picture_with_a_label(login, pair, roadmap, mentee):
    _add(roadmap, mentee, "Learn SQL", due_on=dt.date(2026, 1, 1))
    _add(roadmap, mentee, "Apply", due_on=dt.date(2026, 6, 1))
    html = login(mentee).get(_url("roadmap", pair)).content.decode()
    assert '<svg role="img" aria-label="0 of 2 steps done"' in html
    assert html.count("<circle") == 2
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_bad_input_shows_form_errors_and_never_a_500(login, pair, roadmap, mentee, mentor):
    step = _add(roadmap, mentee, "Learn SQL")
    client = login(mentee)
    response = client.post(
        _url("add_step", pair), {"add-title": "", "add-due_on": "soon", "add-link": "not a url"}
    )
    assert response.status_code == 400
    assert response.context["add_form"].errors.keys() == {"title", "due_on", "link"}
    response = client.post(_url("update_step", pair, step), {f"step-{step.pk}-status": "bogus"})
    assert response.status_code == 400
    assert client.post(_url("move_step", pair, step), {"direction": "sideways"}).status_code == 302
    assert client.post(_url("save_goal", pair), {"career_goal": ""}).status_code == 400
    response = login(mentor).post(_url("comment_on_step", pair, step), {})
    assert response.status_code == 400
    assert roadmap.steps.count() == 1


@pytest.mark.parametrize("status", [Mentorship.Status.PAUSED, Mentorship.Status.COMPLETED])
def test_writes_are_refused_when_the_mentorship_is_paused_or_ended(
    login, pair, roadmap, mentee, mentor, status
):
    step = _add(roadmap, mentee, "Learn SQL")
    Mentorship.objects.filter(pk=pair.pk).update(status=status)
    with pytest.raises(services.RoadmapError):
        _add(roadmap, mentee, "Another")
    with pytest.raises(services.RoadmapError):
        services.sign_off_step(step=step, by=mentor)
    with pytest.raises(services.RoadmapError):
        services.comment_on_step(step=step, by=mentor, text="Hi")
    # Paused or ended, the pair still reads the roadmap (read-only).
    reading = login(mentee).get(_url("roadmap", pair))
    assert reading.status_code == 200
    assert "Learn SQL" in reading.content.decode()
    assert 'action="/roadmaps/mentorship/' not in reading.content.decode()
    assert roadmap.steps.count() == 1
