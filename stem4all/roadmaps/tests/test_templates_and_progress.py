"""Roadmap templates (staff write, mentee copies), the roadmap after the mentorship
ended, the htmx progress picture, the staff's cohort progress page, notifications."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.models import StaffAccessLog
from stem4all.matching.tests.factories import MentorshipFactory, make_mentee, make_mentor
from stem4all.mentorships import services as mentorship_services
from stem4all.mentorships.models import Mentorship
from stem4all.notifications.models import Notification
from stem4all.programmes.tests.factories import CohortFactory
from stem4all.roadmaps import services
from stem4all.roadmaps.models import Roadmap, RoadmapStep, RoadmapTemplate

from .factories import make_template


@pytest.fixture
def pair(cohort, mentee, mentor):
    return MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)


@pytest.fixture
def roadmap(pair):
    return Roadmap.objects.create(mentorship=pair)


def _add(roadmap, by, title, **extra):
    return services.add_step(roadmap=roadmap, by=by, title=title, **extra)


def _copy_url(pair, template):
    return reverse("roadmaps:copy_template", args=[pair.pk, template.pk])


# --------------------------------------------------------------------------- templates


def test_staff_create_a_template_add_steps_and_publish_it(login, staff, programme):
    client = login(staff)
    url = reverse("roadmaps:staff_templates", args=[programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Into data engineering", "summary": "Six months"})
    template = RoadmapTemplate.objects.get()
    assert response.url == reverse("roadmaps:staff_template", args=[template.pk])
    edit = reverse("roadmaps:staff_template", args=[template.pk])
    response = client.post(edit, {"action": "publish"}, follow=True)
    assert "Add at least one step" in response.content.decode()
    for title, days in (("Learn SQL", "14"), ("Build a project", "")):
        client.post(edit, {"action": "add_step", "step-title": title, "step-due_offset_days": days})
    client.post(edit, {"action": "publish"})
    template.refresh_from_db()
    assert template.is_published and template.created_by == staff
    assert [(s.position, s.title, s.due_offset_days) for s in template.steps.all()] == [
        (0, "Learn SQL", 14),
        (1, "Build a project", None),
    ]
    client.post(edit, {"action": "remove_step", "step": template.steps.first().pk})
    assert [(s.position, s.title) for s in template.steps.all()] == [(0, "Build a project")]
    client.post(edit, {"action": "unpublish"})
    template.refresh_from_db()
    assert not template.is_published
    response = client.post(edit, {"action": "add_step", "step-title": ""})
    assert response.status_code == 400 and "title" in response.context["step_form"].errors


def test_templates_are_staff_of_their_programme_only(login, programme, other_staff, mentor):
    template = make_template(programme)
    for user in (other_staff, mentor):
        client = login(user)
        assert (
            client.get(reverse("roadmaps:staff_templates", args=[programme.pk])).status_code == 404
        )
        edit = reverse("roadmaps:staff_template", args=[template.pk])
        assert client.post(edit, {"action": "unpublish"}).status_code == 404
    template.refresh_from_db()
    assert template.is_published
    with pytest.raises(services.RoadmapError):
        services.add_template_step(template=template, by=other_staff, title="x")


def test_a_mentee_copies_a_template_after_her_own_steps(login, pair, roadmap, mentee, programme):
    _add(roadmap, mentee, "My own step")
    template = make_template(programme)
    client = login(mentee)
    page = client.get(reverse("roadmaps:roadmap", args=[pair.pk])).content.decode()
    assert "Into data engineering" in page and _copy_url(pair, template) in page
    client.post(_copy_url(pair, template))
    steps = list(roadmap.steps.all())
    today = timezone.localdate()
    assert [(s.position, s.title, s.due_on) for s in steps] == [
        (0, "My own step", None),
        (1, "Learn SQL", today + dt.timedelta(days=14)),
        (2, "Build a project", today + dt.timedelta(days=60)),
    ]
    roadmap.refresh_from_db()
    assert roadmap.career_goal == "Become a data engineer"
    # She adapts a copied step as usual.
    services.update_step(step=steps[1], by=mentee, title="Learn SQL and dbt", status="in_progress")


def test_copying_keeps_her_own_career_goal(pair, roadmap, mentee, programme):
    services.save_roadmap_goal(mentorship=pair, by=mentee, career_goal="Robotics engineer")
    services.copy_template(mentorship=pair, by=mentee, template=make_template(programme))
    roadmap.refresh_from_db()
    assert roadmap.career_goal == "Robotics engineer"


def test_a_second_copy_of_the_same_template_is_refused_until_she_drops_its_steps(
    login, pair, roadmap, mentee, programme
):
    template = make_template(programme)
    client = login(mentee)
    client.post(_copy_url(pair, template))
    response = client.post(_copy_url(pair, template), follow=True)
    assert "already copied" in response.content.decode()
    assert roadmap.steps.count() == 2
    for step in roadmap.steps.all():
        services.update_step(step=step, by=mentee, title=step.title, status="dropped")
    client.post(_copy_url(pair, template))
    assert roadmap.steps.count() == 4
    assert list(roadmap.steps.values_list("position", flat=True)) == [0, 1, 2, 3]


def test_unpublished_and_other_programmes_templates_cannot_be_copied(
    login, pair, mentee, mentor, programme
):
    draft = make_template(programme, is_published=False)
    elsewhere = make_template(CohortFactory().programme)
    client = login(mentee)
    page = client.get(reverse("roadmaps:roadmap", args=[pair.pk])).content.decode()
    assert _copy_url(pair, draft) not in page and _copy_url(pair, elsewhere) not in page
    assert client.post(_copy_url(pair, draft)).status_code == 404
    assert client.post(_copy_url(pair, elsewhere)).status_code == 404
    assert login(mentor).post(_copy_url(pair, make_template(programme))).status_code == 403
    assert not RoadmapStep.objects.exists()
    with pytest.raises(services.RoadmapError):
        services.copy_template(mentorship=pair, by=mentee, template=draft)


# ------------------------------------------------------------------ after the ending


@pytest.mark.parametrize("ending", ["complete", "end_early"])
def test_an_ended_mentorships_roadmap_stays_readable_and_refuses_writes(
    login, pair, roadmap, mentee, mentor, staff, ending
):
    step = _add(roadmap, mentee, "Learn SQL")
    if ending == "complete":
        mentorship_services.complete_mentorship(mentorship=pair, by=mentor)
    else:
        mentorship_services.end_mentorship_early(mentorship=pair, by=mentor, reason="Moved away")
    url = reverse("roadmaps:roadmap", args=[pair.pk])
    for user in (mentee, mentor, staff):
        page = login(user).get(url)
        assert page.status_code == 200
        assert "Learn SQL" in page.content.decode()
        assert "has ended" in page.content.decode()
    client = login(mentee)
    response = client.post(reverse("roadmaps:add_step", args=[pair.pk]), {"add-title": "More"})
    assert response.status_code == 302
    response = client.get(url)
    assert "its roadmap can still be read, but not changed" in response.content.decode()
    assert roadmap.steps.count() == 1
    with pytest.raises(services.RoadmapError, match="has ended"):
        services.sign_off_step(step=step, by=mentor)


def test_an_ended_roadmap_is_still_404_to_strangers(login, pair, stranger, other_staff):
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.COMPLETED)
    for user in (stranger, other_staff):
        assert login(user).get(reverse("roadmaps:roadmap", args=[pair.pk])).status_code == 404


# ------------------------------------------------------------------------------- htmx


def test_a_status_change_with_htmx_answers_with_the_new_picture(login, pair, roadmap, mentee):
    step = _add(roadmap, mentee, "Learn SQL")
    _add(roadmap, mentee, "Apply")
    url = reverse("roadmaps:update_step", args=[pair.pk, step.pk])
    data = {f"step-{step.pk}-title": "Learn SQL", f"step-{step.pk}-status": "done"}
    response = login(mentee).post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div id="progress-picture" aria-live="polite" hx-swap-oob="true">' in html
    assert 'aria-label="1 of 2 steps done"' in html
    assert f'<p id="step-{step.pk}-status" hx-swap-oob="true">' in html
    assert "<html" not in html
    step.refresh_from_db()
    assert step.status == "done"


def test_without_htmx_the_status_change_posts_and_redirects(login, pair, roadmap, mentee):
    step = _add(roadmap, mentee, "Learn SQL")
    url = reverse("roadmaps:update_step", args=[pair.pk, step.pk])
    client = login(mentee)
    page = client.get(reverse("roadmaps:roadmap", args=[pair.pk])).content.decode()
    assert f'hx-post="{url}"' in page and f'action="{url}"' in page
    response = client.post(url, {f"step-{step.pk}-title": "x", f"step-{step.pk}-status": "done"})
    assert response.status_code == 302


def test_a_refused_htmx_change_shows_the_message(login, pair, roadmap, mentee):
    step = _add(roadmap, mentee, "Learn SQL")
    Mentorship.objects.filter(pk=pair.pk).update(status=Mentorship.Status.PAUSED)
    url = reverse("roadmaps:update_step", args=[pair.pk, step.pk])
    data = {f"step-{step.pk}-title": "x", f"step-{step.pk}-status": "done"}
    response = login(mentee).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "only change while the mentorship is active" in response.content.decode()


# ------------------------------------------------------------------ moves and notices


def test_a_step_moves_to_a_position_and_positions_stay_contiguous(pair, roadmap, mentee):
    steps = [_add(roadmap, mentee, f"Step {n}") for n in range(4)]
    services.move_step_to(step=steps[3], by=mentee, position=0)
    assert [s.title for s in roadmap.steps.all()] == ["Step 3", "Step 0", "Step 1", "Step 2"]
    services.move_step_to(step=steps[3], by=mentee, position=99)
    assert list(roadmap.steps.values_list("title", "position")) == [
        ("Step 0", 0),
        ("Step 1", 1),
        ("Step 2", 2),
        ("Step 3", 3),
    ]


def test_the_mentee_gets_one_notification_when_her_mentor_signs_a_step_off(
    pair, roadmap, mentee, mentor, django_capture_on_commit_callbacks
):
    step = _add(roadmap, mentee, "Learn SQL")
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off_step(step=step, by=mentor)
    notice = Notification.objects.get()
    assert notice.recipient == mentee
    assert notice.kind == Notification.Kind.STEP_SIGNED_OFF
    assert notice.url == reverse("roadmaps:roadmap", args=[pair.pk])
    assert notice.key.startswith(f"step-signed-off:{step.pk}:")


# ----------------------------------------------------------------------- staff progress


def test_staff_see_each_pairs_progress_with_bounded_queries(
    login, cohort, pair, roadmap, mentee, mentor, staff, django_assert_max_num_queries
):
    past = timezone.localdate() - dt.timedelta(days=3)
    first = _add(roadmap, mentee, "Learn SQL", due_on=past)
    _add(roadmap, mentee, "Apply", due_on=past)
    dropped = _add(roadmap, mentee, "Old idea")
    services.sign_off_step(step=first, by=mentor)
    services.update_step(step=dropped, by=mentee, title="Old idea", status="dropped")
    for _n in range(6):
        MentorshipFactory(cohort=cohort, mentee=make_mentee(cohort), mentor=make_mentor(cohort))
    client = login(staff)
    url = reverse("roadmaps:staff_cohort_progress", args=[cohort.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    rows = {row.pk: row for row in response.context["page"]}
    assert len(rows) == 7
    row = rows[pair.pk]
    assert (row.steps_done, row.steps_total, row.steps_overdue) == (1, 2, 1)
    assert 'aria-label="1 of 2 steps done"' in response.content.decode()


def test_the_progress_page_is_for_staff_of_that_programme(login, cohort, mentee, other_staff):
    url = reverse("roadmaps:staff_cohort_progress", args=[cohort.pk])
    assert login(other_staff).get(url).status_code in (403, 404)
    assert login(mentee).get(url).status_code in (403, 404)


def test_staff_opening_a_minors_roadmap_is_logged(login, cohort, minor_mentee, staff):
    pair = MentorshipFactory(cohort=cohort, mentee=minor_mentee, mentor=make_mentor(cohort))
    url = reverse("roadmaps:roadmap", args=[pair.pk])
    assert login(staff).get(url).status_code == 200
    log = StaffAccessLog.objects.get()
    assert (log.staff, log.subject, log.action) == (staff, minor_mentee, "roadmap")
    login(pair.mentor).get(url)
    assert StaffAccessLog.objects.count() == 1
