"""The jury's pages and API: staff seat jurors and set criteria, a jury member scores
her finalists (with the htmx score panel), declares conflicts, and sees only her own
scores until the jury phase closes."""

import datetime as dt

import pytest
from django.urls import reverse

from stem4all.awards import services
from stem4all.awards.models import (
    ConflictOfInterest,
    Edition,
    JuryAssignment,
    JuryCriterion,
    JuryScore,
    Phase,
    ScoreSheet,
)
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

from .factories import (
    CategoryFactory,
    EditionFactory,
    JuryAssignmentFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from .test_jury import give_votes

JSON = "application/json"
SECRET = "Only for the eyes of the second juror"


def build(programme, jury_member, phase=Phase.JURY):
    from stem4all.accounts.tests.factories import UserFactory

    edition = EditionFactory(programme=programme, phase=phase, finalists_per_category=2)
    category = CategoryFactory(edition=edition, name="Mentor of the year")
    criteria = [
        JuryCriterionFactory(category=category, name="Impact", weight=2, position=0),
        JuryCriterionFactory(category=category, name="Reach", weight=1, position=1),
    ]
    finalists = [NominationFactory(category=category) for _i in range(2)]
    give_votes(finalists[0], 2)
    give_votes(finalists[1], 1)
    NominationFactory(category=category)  # no votes: not a finalist
    seat = JuryAssignmentFactory(category=category, juror=jury_member, is_chair=True)
    second = UserFactory(full_name="Second Juror")
    ParticipationFactory(user=second, cohort=programme.cohorts.first(), role="jury")
    second_seat = JuryAssignmentFactory(category=category, juror=second)
    return edition, category, criteria, finalists, seat, second_seat


@pytest.fixture
def jury(programme, jury_member):
    return build(programme, jury_member)


def form_data(criteria, a, b, **extra):
    return {f"criterion_{criteria[0].pk}": a, f"criterion_{criteria[1].pk}": b, **extra}


def second_juror_submits(jury):
    _edition, _category, criteria, finalists, _seat, second_seat = jury
    ScoreSheet.objects.filter(assignment=second_seat).delete()
    sheet = ScoreSheet.objects.create(
        assignment=second_seat,
        nomination=finalists[0],
        comment=SECRET,
        submitted_at=_edition.jury_open_at + dt.timedelta(hours=1),
    )
    JuryScore.objects.create(sheet=sheet, criterion=criteria[0], score=3)
    JuryScore.objects.create(sheet=sheet, criterion=criteria[1], score=4)
    return sheet


# Jury member's pages ---------------------------------------------------------------


def test_a_jury_member_sees_her_categories_and_finalists(login, jury_member, jury):
    _edition, category, _criteria, finalists, _seat, _second = jury
    page = login(jury_member).get(reverse("awards:jury_home")).content.decode()
    assert category.name in page
    for nomination in finalists:
        assert reverse("awards:jury_nomination", args=[nomination.pk]) in page
    assert "You chair the jury" in page


def test_the_jury_home_lists_published_editions_as_links_in_few_queries(
    login, jury_member, programme, django_assert_max_num_queries
):
    build(programme, jury_member)
    build(programme, jury_member)
    finished, category, *_rest = build(programme, jury_member, phase=Phase.BEFORE_RESULTS)
    Edition.objects.filter(pk=finished.pk).update(results_published_at=finished.results_at)
    # A few queries per current seat (finalists, sheets, conflicts); none per past one.
    with django_assert_max_num_queries(36):
        page = login(jury_member).get(reverse("awards:jury_home")).content.decode()
    assert reverse("awards:results", args=[finished.slug]) in page
    assert reverse("awards:jury_nomination", args=[category.nominations.first().pk]) not in page


def test_someone_without_a_seat_sees_no_jury_work(login, stranger, jury):
    page = login(stranger).get(reverse("awards:jury_home")).content.decode()
    assert "You are not on a jury." in page


@pytest.mark.parametrize("persona", ["stranger", "mentee", "staff", "other_staff"])
def test_only_seated_jury_members_open_or_post_a_score_page(login, request, jury, persona):
    _edition, _category, criteria, finalists, _seat, _second = jury
    client = login(request.getfixturevalue(persona))
    nomination = finalists[0]
    assert client.get(reverse("awards:jury_nomination", args=[nomination.pk])).status_code == 404
    response = client.post(
        reverse("awards:score_nomination", args=[nomination.pk]), form_data(criteria, 5, 5)
    )
    assert response.status_code == 404
    response = client.post(
        reverse("awards:declare_conflict", args=[nomination.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert not ScoreSheet.objects.exists() and not ConflictOfInterest.objects.exists()


def test_a_jury_member_saves_a_draft_then_submits_through_the_page(login, jury_member, jury):
    _edition, _category, criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    nomination = finalists[0]
    page = client.get(reverse("awards:jury_nomination", args=[nomination.pk])).content.decode()
    assert 'name="criterion_' in page and "Impact" in page
    url = reverse("awards:score_nomination", args=[nomination.pk])
    response = client.post(url, form_data(criteria, 7, "", comment="Strong"))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert not sheet.is_submitted and sheet.comment == "Strong"
    response = client.post(url, form_data(criteria, 8, 6, submit="on"), follow=True)
    assert "Your scores are submitted." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.is_submitted
    assert dict(JuryScore.objects.order_by().values_list("criterion_id", "score")) == {
        criteria[0].pk: 8,
        criteria[1].pk: 6,
    }
    response = client.post(url, form_data(criteria, 1, 1), follow=True)
    assert "Ask the chair to reopen them first." in response.content.decode()


def test_the_htmx_score_panel_is_returned_alone(login, jury_member, jury):
    _edition, _category, criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    response = client.post(
        reverse("awards:score_nomination", args=[finalists[0].pk]),
        form_data(criteria, 9, 9),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="score-panel"' in body and "<html" not in body
    assert "Your draft is saved." in body


def test_bad_scores_are_shown_on_the_form_never_a_500(login, jury_member, jury):
    _edition, _category, criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    url = reverse("awards:score_nomination", args=[finalists[0].pk])
    for data in (
        form_data(criteria, 11, 5),
        form_data(criteria, "ten", 5),
        form_data(criteria, 5, "", submit="on"),
    ):
        assert client.post(url, data).status_code == 422
    assert not ScoreSheet.objects.exists()


def test_a_non_finalist_and_a_conflict_are_refused_through_the_page(login, jury_member, jury):
    _edition, category, criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    outsider = category.nominations.exclude(pk__in=[n.pk for n in finalists]).get()
    response = client.post(
        reverse("awards:score_nomination", args=[outsider.pk]),
        form_data(criteria, 5, 5),
        follow=True,
    )
    assert "Only finalists are scored." in response.content.decode()
    response = client.post(
        reverse("awards:declare_conflict", args=[finalists[1].pk]),
        {"reason": "She is my sister"},
        follow=True,
    )
    assert "conflict of interest" in response.content.decode()
    assert ConflictOfInterest.objects.get().reason == "She is my sister"
    response = client.post(
        reverse("awards:score_nomination", args=[finalists[1].pk]),
        form_data(criteria, 5, 5),
        follow=True,
    )
    assert "You have a conflict of interest" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_a_mentor_on_the_jury_is_blocked_from_her_mentee_on_the_page(login, jury_member, jury):
    from stem4all.matching.tests.factories import MentorshipFactory

    _edition, _category, _criteria, finalists, _seat, _second = jury
    MentorshipFactory(mentor=jury_member, mentee=finalists[0].nominee_user)
    client = login(jury_member)
    page = client.get(reverse("awards:jury_home")).content.decode()
    assert "conflict of interest: you do not score this finalist" in page
    page = client.get(reverse("awards:jury_nomination", args=[finalists[0].pk])).content.decode()
    assert 'name="criterion_' not in page


def test_the_chair_reopens_a_submitted_sheet_on_her_page(login, jury_member, jury):
    sheet = second_juror_submits(jury)
    client = login(jury_member)
    page = client.get(reverse("awards:jury_home")).content.decode()
    assert reverse("awards:reopen_sheet", args=[sheet.pk]) in page
    assert SECRET not in page
    client.post(reverse("awards:reopen_sheet", args=[sheet.pk]), {"reason": ""})
    sheet.refresh_from_db()
    assert sheet.is_submitted
    client.post(reverse("awards:reopen_sheet", args=[sheet.pk]), {"reason": "Mistyped"})
    sheet.refresh_from_db()
    assert not sheet.is_submitted


def test_a_juror_who_is_not_the_chair_cannot_reopen(login, jury):
    _edition, _category, criteria, finalists, seat, second_seat = jury
    sheet = services.submit_jury_score(
        nomination=finalists[0], juror=seat.juror, scores=form_scores(criteria), submit=True
    )
    response = login(second_seat.juror).post(
        reverse("awards:reopen_sheet", args=[sheet.pk]), {"reason": "No"}
    )
    assert response.status_code == 404


def form_scores(criteria):
    return {criteria[0].pk: 5, criteria[1].pk: 5}


# Secrecy -----------------------------------------------------------------------------


def test_before_the_close_no_page_or_api_shows_another_jurors_scores(
    login, jury_member, staff, jury
):
    _edition, _category, _criteria, finalists, _seat, _second = jury
    second_juror_submits(jury)
    client = login(jury_member)
    for url in (
        reverse("awards:jury_home"),
        reverse("awards:jury_nomination", args=[finalists[0].pk]),
    ):
        assert SECRET not in client.get(url).content.decode()
    response = client.get(f"/api/v1/awards/nominations/{finalists[0].pk}/scores")
    assert response.status_code == 200 and response.json() == []
    assert SECRET not in client.get("/api/v1/awards/jury/assignments").content.decode()
    page = login(staff).get(reverse("awards:jury_admin", args=[_edition.slug])).content.decode()
    assert SECRET not in page
    assert "1 of 2 finalists submitted" in page


def test_after_the_close_the_jury_and_staff_see_every_sheet(
    login, programme, jury_member, staff, other_staff
):
    jury = build(programme, jury_member, phase=Phase.BEFORE_RESULTS)
    edition, _category, _criteria, finalists, _seat, _second = jury
    second_juror_submits(jury)
    client = login(jury_member)
    assert SECRET in client.get(reverse("awards:jury_home")).content.decode()
    sheets = client.get(f"/api/v1/awards/nominations/{finalists[0].pk}/scores").json()
    assert [s["comment"] for s in sheets] == [SECRET]
    assert sheets[0]["weighted_score"] == "33.33"
    staff_sheets = login(staff).get(f"/api/v1/awards/nominations/{finalists[0].pk}/scores")
    assert [s["comment"] for s in staff_sheets.json()] == [SECRET]
    other = login(other_staff).get(f"/api/v1/awards/nominations/{finalists[0].pk}/scores")
    assert other.status_code == 404
    page = login(staff).get(reverse("awards:jury_admin", args=[edition.slug])).content.decode()
    assert SECRET in page
    assert (
        login(other_staff).get(reverse("awards:jury_admin", args=[edition.slug])).status_code == 403
    )


# Staff: seats and criteria -------------------------------------------------------------


def test_staff_seat_a_jury_member_and_define_criteria(
    login, staff, programme, cohort, django_assert_max_num_queries
):
    from stem4all.accounts.tests.factories import UserFactory

    edition = EditionFactory(programme=programme, phase=Phase.VOTING)
    category = CategoryFactory(edition=edition)
    juror = UserFactory(full_name="New Juror")
    ParticipationFactory(user=juror, cohort=cohort, role=Participation.Role.JURY)
    client = login(staff)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("awards:jury_admin", args=[edition.slug])).content.decode()
    assert "New Juror" in page
    prefix = f"seat{category.pk}"
    response = client.post(
        reverse("awards:assign_juror", args=[category.pk]),
        {f"{prefix}-juror": juror.pk, f"{prefix}-is_chair": "on"},
    )
    assert response.status_code == 302
    assert JuryAssignment.objects.get(category=category).is_chair
    prefix = f"criterion{category.pk}"
    response = client.post(
        reverse("awards:add_criterion", args=[category.pk]),
        {f"{prefix}-name": "Impact", f"{prefix}-weight": 3, f"{prefix}-description": ""},
    )
    assert response.status_code == 302
    criterion = JuryCriterion.objects.get(category=category)
    assert criterion.weight == 3
    response = client.post(
        reverse("awards:add_criterion", args=[category.pk]),
        {f"{prefix}-name": "", f"{prefix}-weight": 0},
    )
    assert response.status_code == 422
    client.post(reverse("awards:remove_criterion", args=[criterion.pk]))
    assert not JuryCriterion.objects.exists()
    seat = JuryAssignment.objects.get()
    client.post(reverse("awards:remove_juror", args=[seat.pk]))
    assert not JuryAssignment.objects.exists()


def test_staff_cannot_seat_someone_without_a_jury_role(login, staff, mentor, programme):
    edition = EditionFactory(programme=programme, phase=Phase.VOTING)
    category = CategoryFactory(edition=edition)
    prefix = f"seat{category.pk}"
    response = login(staff).post(
        reverse("awards:assign_juror", args=[category.pk]), {f"{prefix}-juror": mentor.pk}
    )
    assert response.status_code == 422
    assert not JuryAssignment.objects.exists()


@pytest.mark.parametrize("persona", ["other_staff", "jury_member", "mentor"])
def test_only_the_editions_staff_manage_the_jury(login, request, jury, persona):
    edition, category, criteria, _finalists, seat, _second = jury
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("awards:jury_admin", args=[edition.slug])).status_code == 403
    assert client.post(reverse("awards:remove_juror", args=[seat.pk])).status_code == 404
    assert client.post(reverse("awards:remove_criterion", args=[criteria[0].pk])).status_code == 404
    response = client.post(reverse("awards:add_criterion", args=[category.pk]), {})
    assert response.status_code == 404
    assert JuryAssignment.objects.filter(pk=seat.pk).exists()


# API ---------------------------------------------------------------------------------------


def test_the_api_lists_my_seats_and_scores_through_the_same_service(login, jury_member, jury):
    _edition, category, criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    seats = client.get("/api/v1/awards/jury/assignments").json()
    assert [s["category_id"] for s in seats] == [category.pk]
    assert {f["nomination_id"] for f in seats[0]["finalists"]} == {n.pk for n in finalists}
    url = f"/api/v1/awards/nominations/{finalists[0].pk}/scores"
    payload = {"scores": [{"criterion_id": criteria[0].pk, "score": 8}], "comment": "Draft"}
    response = client.post(url, payload, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["submitted_at"] is None
    payload["scores"].append({"criterion_id": criteria[1].pk, "score": 5})
    payload["submit"] = True
    data = client.post(url, payload, content_type=JSON).json()
    assert data["submitted_at"] is not None
    assert data["weighted_score"] == "70.00"
    assert client.post(url, payload, content_type=JSON).status_code == 409
    assert ScoreSheet.objects.count() == 1 and JuryScore.objects.count() == 2
    assert [s["id"] for s in client.get(url).json()] == [data["id"]]


def test_the_api_answers_bad_scores_with_422(login, jury_member, jury):
    _edition, _category, criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    url = f"/api/v1/awards/nominations/{finalists[0].pk}/scores"
    other = JuryCriterionFactory()
    for scores in (
        [{"criterion_id": criteria[0].pk, "score": 11}],
        [{"criterion_id": other.pk, "score": 5}],
        "nonsense",
    ):
        response = client.post(url, {"scores": scores}, content_type=JSON)
        assert response.status_code == 422
    response = client.post(
        url,
        {"scores": [{"criterion_id": criteria[0].pk, "score": 5}], "submit": True},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert not ScoreSheet.objects.exists()


def test_the_api_refuses_people_without_a_seat(login, stranger, staff, jury):
    _edition, _category, criteria, finalists, _seat, _second = jury
    url = f"/api/v1/awards/nominations/{finalists[0].pk}/scores"
    for person in (stranger, staff):
        client = login(person)
        assert client.post(url, {"scores": []}, content_type=JSON).status_code == 404
        assert client.get("/api/v1/awards/jury/assignments").json() == []
    assert login(stranger).get(url).status_code == 404
    second_juror_submits(jury)
    assert login(staff).get(url).json() == []  # staff read the scores after the close only


def test_the_api_declares_conflicts_and_reopens_sheets(login, jury_member, staff, jury):
    _edition, _category, _criteria, finalists, _seat, _second = jury
    client = login(jury_member)
    url = f"/api/v1/awards/nominations/{finalists[1].pk}/conflicts"
    assert client.post(url, {"reason": ""}, content_type=JSON).status_code == 422
    response = client.post(url, {"reason": "My former colleague"}, content_type=JSON)
    assert response.status_code == 201
    assert ConflictOfInterest.objects.get().nomination == finalists[1]
    sheet = second_juror_submits(jury)
    reopen = f"/api/v1/awards/score-sheets/{sheet.pk}/reopen"
    response = client.post(reopen, {"reason": "A typo"}, content_type=JSON)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    sheet.refresh_from_db()
    assert not sheet.is_submitted
    assert client.post(reopen, {"reason": "Again"}, content_type=JSON).status_code == 409


def test_staff_manage_seats_through_the_api(login, staff, other_staff, programme, cohort):
    from stem4all.accounts.tests.factories import UserFactory

    edition = EditionFactory(programme=programme, phase=Phase.VOTING)
    category = CategoryFactory(edition=edition)
    juror = UserFactory()
    ParticipationFactory(user=juror, cohort=cohort, role=Participation.Role.JURY)
    url = f"/api/v1/awards/categories/{category.pk}/jury"
    assert (
        login(other_staff).post(url, {"juror_id": juror.pk}, content_type=JSON).status_code == 404
    )
    client = login(staff)
    assert client.post(url, {"juror_id": 999999}, content_type=JSON).status_code == 422
    response = client.post(url, {"juror_id": juror.pk, "is_chair": True}, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["is_chair"] is True
    assert [s["juror_id"] for s in client.get(url).json()] == [juror.pk]
    assert client.delete(f"{url}?juror_id=999999").status_code == 404
    assert client.delete(f"{url}?juror_id={juror.pk}").status_code == 204
    assert not JuryAssignment.objects.exists()
