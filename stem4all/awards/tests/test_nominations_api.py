"""Nominations in the JSON API: the same forms, permissions and services as the pages
(422 for bad input, 409 for the award's rules, 403/404 for who may not)."""

import pytest

from stem4all.accounts.tests.factories import UserFactory, years_ago
from stem4all.awards import services
from stem4all.awards.models import Category, Nomination, Phase
from stem4all.community.tests.factories import PartnerOrganisationFactory
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

from .factories import CategoryFactory, EditionFactory, NominationFactory

JSON = "application/json"
Kind = Category.NomineeKind


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.NOMINATIONS)


@pytest.fixture
def mentors(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.MENTOR)


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def nominations_url(category):
    return f"/api/v1/awards/categories/{category.pk}/nominations"


def pending(category, nominee, by, **fields):
    return NominationFactory(
        category=category,
        nominee_user=nominee,
        nominated_by=by,
        status=Nomination.Status.PENDING,
        nominee_consented_at=None,
        **fields,
    )


def test_a_participant_nominates_through_the_api(login, mentee, mentor, mentors):
    client = login(mentee)
    response = post(
        client, nominations_url(mentors), {"nominee_id": mentor.pk, "statement": "Kind."}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["nominee_name"] == "Elena Testmentor"
    assert body["status"] == "pending" and body["statements"] == ["Kind."]
    assert body["is_public"] is False and body["evidence"] == {}
    assert "email" not in response.content.decode() and "date_of_birth" not in body
    again = post(client, nominations_url(mentors), {"nominee_id": mentor.pk, "statement": "Again."})
    assert again.status_code == 409 and "already nominated" in again.json()["detail"]


@pytest.mark.parametrize(
    "payload",
    [
        {"statement": "x"},
        {"nominee_id": "abc", "statement": "x"},
        {"nominee_id": 999999, "statement": "x"},
        {"nominee_id": None, "statement": ""},
    ],
)
def test_bad_nominations_are_422(login, mentee, mentor, mentors, payload):
    response = post(login(mentee), nominations_url(mentors), payload)
    assert response.status_code == 422
    assert not Nomination.objects.exists()


def test_too_long_a_statement_or_oneself_are_422(login, mentor, mentee, mentors):
    client = login(mentor)
    too_long = {"nominee_id": mentor.pk, "statement": "x" * 3001}
    assert post(client, nominations_url(mentors), too_long).status_code == 422
    client = login(mentee)
    too_long["nominee_id"] = mentor.pk
    response = post(client, nominations_url(mentors), too_long)
    assert response.status_code == 422 and "statement" in response.json()["errors"]


def test_who_may_not_nominate_is_refused(login, stranger, other_staff, mentor, mentors, client):
    data = {"nominee_id": mentor.pk, "statement": "Kind."}
    for person in (stranger, other_staff):
        assert post(login(person), nominations_url(mentors), data).status_code == 403
    assert (
        post(login(stranger), "/api/v1/awards/categories/999999/nominations", data).status_code
        == 404
    )
    client.logout()
    assert post(client, nominations_url(mentors), data).status_code == 401


def test_a_closed_phase_is_409(login, mentee, mentor, programme):
    category = CategoryFactory(edition=EditionFactory(programme=programme, phase=Phase.VOTING))
    response = post(
        login(mentee), nominations_url(category), {"nominee_id": mentor.pk, "statement": "Kind."}
    )
    assert response.status_code == 409 and "not open" in response.json()["detail"]


def test_the_public_nominates_an_organisation_when_the_edition_allows(
    login, stranger, edition, programme
):
    edition.public_may_nominate = True
    edition.save()
    category = CategoryFactory(edition=edition, nominee_kind=Kind.ORGANISATION, slug="orgs")
    organisation = PartnerOrganisationFactory(programme=programme)
    response = post(
        login(stranger),
        nominations_url(category),
        {"nominee_id": organisation.pk, "statement": "They opened a lab."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["nominee_kind"] == "organisation"


def test_a_nomination_is_seen_by_those_involved_and_once_public_by_anyone(
    login, mentee, mentor, staff, stranger, mentors
):
    nomination = pending(mentors, mentor, mentee)
    url = f"/api/v1/awards/nominations/{nomination.pk}"
    for person in (mentee, mentor, staff):
        assert login(person).get(url).status_code == 200
    assert login(stranger).get(url).status_code == 404
    public = NominationFactory(category=mentors, shows_meetings=True)
    body = login(stranger).get(f"/api/v1/awards/nominations/{public.pk}").json()
    assert body["is_public"] and body["evidence"] == {"meetings_held": 0}


def test_the_nominee_answers_through_the_api(login, mentee, mentor, mentors):
    nomination = pending(mentors, mentor, mentee)
    url = f"/api/v1/awards/nominations/{nomination.pk}/respond"
    assert post(login(mentee), url, {"answer": "agree"}).status_code == 404
    client = login(mentor)
    assert post(client, url, {"answer": "perhaps"}).status_code == 422
    assert post(client, url, {}).status_code == 422
    response = post(client, url, {"answer": "agree", "shows_trainings": True})
    assert response.status_code == 200, response.content
    assert response.json()["has_nominee_consent"] and response.json()["shows_trainings"]
    response = post(client, url, {"answer": "withdraw"})
    assert response.json()["has_nominee_consent"] is False
    response = post(client, url, {"answer": "decline"})
    assert response.json()["status"] == "rejected"
    assert post(client, url, {"answer": "agree"}).status_code == 409


def test_a_minor_without_a_guardians_consent_gets_409(login, mentor, edition, cohort):
    category = CategoryFactory(edition=edition, nominee_kind=Kind.MENTEE, slug="m")
    young = UserFactory(date_of_birth=years_ago(15))
    ParticipationFactory(user=young, cohort=cohort, role=Participation.Role.MENTEE)
    nomination = pending(category, young, mentor)
    response = post(
        login(young), f"/api/v1/awards/nominations/{nomination.pk}/respond", {"answer": "agree"}
    )
    assert response.status_code == 409 and "guardian" in response.json()["detail"]


def test_staff_list_the_editions_nominations_by_status(
    login, staff, other_staff, mentee, mentor, mentors, edition, django_assert_max_num_queries
):
    for _i in range(5):
        pending(mentors, UserFactory(), mentee)
    NominationFactory(category=mentors)
    url = f"/api/v1/awards/editions/{edition.pk}/nominations"
    client = login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert client.get(url + "?status=approved").json()["count"] == 1
    assert client.get(url + "?status=bogus").status_code == 422
    assert client.get("/api/v1/awards/editions/999999/nominations").status_code == 404
    for person in (other_staff, mentee):
        assert login(person).get(url).status_code == 403


def test_staff_review_through_the_api(login, staff, other_staff, mentee, mentor, partner, mentors):
    first = pending(mentors, mentor, mentee)
    second = pending(mentors, mentor, partner)
    url = f"/api/v1/awards/nominations/{first.pk}/review"
    client = login(staff)
    response = post(client, url, {"decision": "approve"})
    assert response.status_code == 409 and "not agreed" in response.json()["detail"]
    assert post(client, url, {"decision": "reject"}).status_code == 422
    assert post(client, url, {"decision": "explode"}).status_code == 422
    assert post(client, url, {"decision": "merge", "merge_into": 999999}).status_code == 422
    services.consent_to_nomination(nomination=first, nominee=mentor)
    assert post(client, url, {"decision": "approve"}).json()["status"] == "approved"
    assert post(client, url, {"decision": "approve"}).status_code == 409

    second_url = f"/api/v1/awards/nominations/{second.pk}/review"
    assert (
        post(login(other_staff), second_url, {"decision": "reject", "reason": "x"}).status_code
        == 404
    )
    assert (
        post(login(partner), second_url, {"decision": "reject", "reason": "x"}).status_code == 403
    )
    client = login(staff)
    response = post(client, second_url, {"decision": "merge", "merge_into": first.pk})
    assert response.status_code == 200 and response.json()["merged_into_id"] == first.pk
    body = client.get(f"/api/v1/awards/nominations/{first.pk}").json()
    assert body["statements"] == [first.statement, second.statement]
