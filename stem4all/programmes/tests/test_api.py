import pytest

from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory


def test_cohorts_lists_public_and_own_cohorts_only(login, mentee, cohort):
    hidden = CohortFactory(programme__is_public=False)
    data = login(mentee).get("/api/v1/cohorts").json()
    ids = {item["id"] for item in data["items"]}
    assert cohort.pk in ids and hidden.pk not in ids
    assert login(mentee).get(f"/api/v1/cohorts/{hidden.pk}").status_code == 404


def test_applying_through_the_api(login, stranger, cohort):
    from stem4all.accounts.tests.factories import LanguageSkillFactory, MenteeProfileFactory

    LanguageSkillFactory(user=stranger)
    MenteeProfileFactory(user=stranger)
    client = login(stranger)
    payload = {
        "role": "mentee",
        "motivation": "I want to learn data science.",
        "agrees_to_privacy": True,
    }
    response = client.post(
        f"/api/v1/cohorts/{cohort.pk}/applications", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    again = client.post(
        f"/api/v1/cohorts/{cohort.pk}/applications", payload, content_type="application/json"
    )
    assert again.status_code == 409
    assert "already applied" in again.json()["detail"]
    assert client.get("/api/v1/me/participations").json()[0]["status"] == "applied"


def test_applying_without_a_profile_through_the_api_says_what_is_missing(login, stranger, cohort):
    payload = {
        "role": "mentee",
        "motivation": "I want to learn data science.",
        "agrees_to_privacy": True,
    }
    response = login(stranger).post(
        f"/api/v1/cohorts/{cohort.pk}/applications", payload, content_type="application/json"
    )
    assert response.status_code == 409
    assert "mentee profile" in response.json()["detail"]


def test_staff_list_participants_with_bounded_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    for _ in range(30):
        ParticipationFactory(cohort=cohort, status="applied")
    client = login(staff)
    with django_assert_max_num_queries(10):
        data = client.get(f"/api/v1/cohorts/{cohort.pk}/participations?status=applied").json()
    assert data["count"] == 30
    assert {"full_name", "email", "status"} <= set(data["items"][0])


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_staff", "stranger"])
def test_only_staff_list_participants_or_decide(request, login, cohort, who):
    participation = ParticipationFactory(cohort=cohort, status="applied")
    client = login(request.getfixturevalue(who))
    assert client.get(f"/api/v1/cohorts/{cohort.pk}/participations").status_code == 403
    response = client.post(
        f"/api/v1/participations/{participation.pk}/decision",
        {"decision": "accepted"},
        content_type="application/json",
    )
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == Participation.Status.APPLIED


def test_staff_decide_through_the_api(login, staff, cohort):
    participation = ParticipationFactory(cohort=cohort, status="applied")
    client = login(staff)
    url = f"/api/v1/participations/{participation.pk}/decision"
    bad = client.post(url, {"decision": "rejected", "reason": ""}, content_type="application/json")
    assert bad.status_code == 422
    good = client.post(url, {"decision": "accepted"}, content_type="application/json")
    assert good.json()["status"] == "accepted"
    again = client.post(
        url, {"decision": "rejected", "reason": "x"}, content_type="application/json"
    )
    assert again.status_code == 409
