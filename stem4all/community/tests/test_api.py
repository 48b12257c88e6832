"""The community in the JSON API: the same rules as the pages."""

import pytest

from stem4all.community.models import PartnerOrganisation, Practice

from .factories import PartnerOrganisationFactory, PartnerRepresentativeFactory, PracticeFactory

JSON = "application/json"
ORG = {
    "name": "Example Api Partner",
    "kind": "ngo",
    "contact_name": "Example Person",
    "contact_email": "api-contact@example.org",
}
PRACTICE = {
    "title": "Maths olympiad coaching",
    "summary": "Coaching for the national olympiad.",
    "story": "Every Saturday.",
    "stem_field": "mathematics",
    "region": "talas",
    "results": [{"label": "Medals", "number": "7", "unit": ""}],
}


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type=JSON)


def test_a_partner_creates_writes_and_submits_through_the_api_and_staff_approve(
    login, partner, staff, programme
):
    client = login(partner)
    response = send(
        client, "post", "/api/v1/community/organisations", {**ORG, "programme_id": programme.pk}
    )
    assert response.status_code == 201, response.content
    organisation = response.json()
    assert organisation["status"] == "pending"

    response = send(
        client, "post", f"/api/v1/community/organisations/{organisation['id']}/practices", PRACTICE
    )
    assert response.status_code == 201, response.content
    practice = response.json()
    assert practice["results"] == [{"label": "Medals", "number": "7.00", "unit": ""}]
    response = send(client, "post", f"/api/v1/community/practices/{practice['id']}/submit")
    assert response.json()["status"] == "submitted"

    client = login(staff)
    queue = client.get("/api/v1/community/review").json()
    assert [o["id"] for o in queue["organisations"]] == [organisation["id"]]
    assert [p["id"] for p in queue["practices"]] == [practice["id"]]
    url = f"/api/v1/community/review/practices/{practice['id']}"
    assert send(client, "post", url, {"decision": "approve"}).status_code == 409
    send(
        client,
        "post",
        f"/api/v1/community/review/organisations/{organisation['id']}",
        {"decision": "approve"},
    )
    response = send(client, "post", url, {"decision": "approve"})
    assert response.status_code == 200, response.content
    assert response.json()["published_at"]


def test_the_api_refuses_strangers_other_partners_and_other_staff(
    login, stranger, other_staff, programme
):
    organisation = PartnerOrganisationFactory(
        programme=programme, status=PartnerOrganisation.Status.PENDING
    )
    PartnerRepresentativeFactory(organisation=organisation)
    practice = PracticeFactory(organisation=organisation, status=Practice.Status.SUBMITTED)
    outsider = PartnerRepresentativeFactory(
        organisation=PartnerOrganisationFactory(programme=programme)
    ).user

    response = send(
        login(stranger),
        "post",
        "/api/v1/community/organisations",
        {**ORG, "programme_id": programme.pk},
    )
    assert response.status_code == 404
    client = login(outsider)
    assert client.get(f"/api/v1/community/organisations/{organisation.pk}").status_code == 404
    assert (
        send(client, "put", f"/api/v1/community/practices/{practice.pk}", PRACTICE).status_code
        == 404
    )
    client = login(other_staff)
    response = send(
        client,
        "post",
        f"/api/v1/community/review/organisations/{organisation.pk}",
        {"decision": "approve"},
    )
    assert response.status_code == 404
    assert client.get("/api/v1/community/review").json() == {"organisations": [], "practices": []}


@pytest.mark.parametrize(
    "results",
    [[{"label": "", "number": "3", "unit": ""}], [{"label": "x", "number": "-1", "unit": ""}]],
)
def test_bad_results_answer_422_with_a_message(login, partner, programme, results):
    organisation = PartnerOrganisationFactory(programme=programme)
    PartnerRepresentativeFactory(organisation=organisation, user=partner)
    response = send(
        login(partner),
        "post",
        f"/api/v1/community/organisations/{organisation.pk}/practices",
        {**PRACTICE, "results": results},
    )
    assert response.status_code == 422
    assert response.json()["errors"]["results"]


def test_rejecting_without_a_reason_answers_422(login, staff, programme):
    organisation = PartnerOrganisationFactory(
        programme=programme, status=PartnerOrganisation.Status.PENDING
    )
    response = send(
        login(staff),
        "post",
        f"/api/v1/community/review/organisations/{organisation.pk}",
        {"decision": "reject"},
    )
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
