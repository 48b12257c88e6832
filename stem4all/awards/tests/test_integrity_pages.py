"""The integrity review's pages and API: only the edition's staff, receipts and account
numbers instead of people, and the two-person voiding through both."""

import datetime as dt

import pytest
from django.urls import reverse

from stem4all.awards import queries
from stem4all.awards.models import Phase, VoteVoiding

from .factories import CategoryFactory, EditionFactory, NominationFactory
from .test_integrity import make_vote, make_voter, seed_bots

JSON = "application/json"


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.JURY)


@pytest.fixture
def nomination(edition):
    return NominationFactory(category=CategoryFactory(edition=edition))


@pytest.fixture
def bots(edition, nomination):
    return seed_bots(edition, nomination, count=20)


@pytest.fixture
def second_staff(cohort):
    from stem4all.programmes.models import Participation
    from stem4all.programmes.tests.factories import ParticipationFactory

    user = make_voter(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.STAFF)
    return user


def test_staff_see_the_flagged_votes_by_receipt_and_account_number_only(
    login, staff, edition, bots, django_assert_max_num_queries
):
    client = login(staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("awards:integrity", args=[edition.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    receipt = bots[0].receipt
    assert f"{receipt[:4]}-{receipt[4:8]}-{receipt[8:]}" in page
    assert f"No. {bots[0].voter_id}" in page
    assert "203.0.113.0/24" in page
    assert bots[0].voter.email not in page
    assert "@example.org" not in page.replace(staff.email, "")


def test_the_query_count_of_the_review_does_not_grow_with_the_votes(
    login, staff, edition, nomination, django_assert_max_num_queries
):
    seed_bots(edition, nomination, count=80)
    client = login(staff)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("awards:integrity", args=[edition.slug])).status_code == 200


@pytest.mark.parametrize("persona", ["other_staff", "jury_member", "mentor", "stranger"])
def test_only_the_editions_staff_open_the_review(login, request, edition, bots, persona):
    client = login(request.getfixturevalue(persona))
    for name in ("awards:integrity", "awards:voidings"):
        assert client.get(reverse(name, args=[edition.slug])).status_code == 403
    response = client.post(
        reverse("awards:request_voiding", args=[edition.slug]),
        {"votes": [bots[0].pk], "reason": "Bot"},
    )
    assert response.status_code == 403
    assert not VoteVoiding.objects.exists()


def test_an_unknown_edition_is_not_found(login, staff):
    assert login(staff).get(reverse("awards:integrity", args=["nothing-here"])).status_code == 404


def test_two_staff_void_votes_through_the_pages(
    login, client, staff, second_staff, edition, nomination, bots
):
    category = nomination.category
    assert queries.tally([category]) == {nomination.pk: 20}
    login(staff)
    url = reverse("awards:request_voiding", args=[edition.slug])
    response = client.post(url, {"votes": [bots[0].pk, bots[1].pk], "reason": "Bot cluster"})
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:voidings", args=[edition.slug])
    assert VoteVoiding.objects.count() == 2
    page = client.get(reverse("awards:voidings", args=[edition.slug])).content.decode()
    assert "Bot cluster" in page and "Withdraw" in page
    voiding = VoteVoiding.objects.get(vote=bots[0])
    client.post(reverse("awards:confirm_voiding", args=[voiding.pk]))  # her own: refused
    assert queries.tally([category]) == {nomination.pk: 20}

    login(second_staff)
    response = client.post(reverse("awards:confirm_voiding", args=[voiding.pk]), follow=True)
    assert "no longer counts" in response.content.decode()
    assert queries.tally([category]) == {nomination.pk: 19}
    page = client.get(reverse("awards:voidings", args=[edition.slug])).content.decode()
    assert second_staff.full_name in page and staff.full_name in page

    login(staff)
    other = VoteVoiding.objects.get(vote=bots[1])
    client.post(reverse("awards:withdraw_voiding", args=[other.pk]))
    assert not VoteVoiding.objects.filter(pk=other.pk).exists()


def test_a_voiding_request_without_a_reason_or_votes_changes_nothing(login, staff, edition, bots):
    client = login(staff)
    url = reverse("awards:request_voiding", args=[edition.slug])
    for data in ({"votes": [bots[0].pk], "reason": ""}, {"reason": "Bot"}, {"votes": ["x"]}):
        response = client.post(url, data)
        assert response.status_code == 302
    other_vote = make_vote(
        NominationFactory(category=CategoryFactory(edition=EditionFactory(phase=Phase.JURY))),
        make_voter(edition.voting_open_at),
        edition.voting_open_at,
    )
    client.post(url, {"votes": [other_vote.pk], "reason": "Not this edition"})
    assert not VoteVoiding.objects.exists()


def test_other_staff_cannot_confirm_or_withdraw_through_the_pages(login, staff, other_staff, bots):
    from stem4all.awards import services

    voiding = services.request_voiding(vote=bots[0], by=staff, reason="Bot")
    client = login(other_staff)
    assert client.post(reverse("awards:confirm_voiding", args=[voiding.pk])).status_code == 404
    assert client.post(reverse("awards:withdraw_voiding", args=[voiding.pk])).status_code == 404
    assert not VoteVoiding.objects.get().is_confirmed


# API --------------------------------------------------------------------------------


def test_the_api_reports_anomalies_to_staff_only(login, staff, other_staff, edition, bots):
    url = f"/api/v1/awards/editions/{edition.pk}/anomalies"
    data = login(staff).get(url).json()
    assert data["votes_checked"] == 20
    assert {v["id"] for v in data["flagged"]} == {v.pk for v in bots}
    assert data["clusters"][0]["network"] == "203.0.113.0/24"
    assert "email" not in str(data) and "@" not in str(data)
    assert login(other_staff).get(url).status_code == 403
    assert login(staff).get("/api/v1/awards/editions/999999/anomalies").status_code == 404


def test_the_api_voids_a_vote_with_two_staff(
    login, client, staff, second_staff, edition, nomination, bots
):
    login(staff)
    url = f"/api/v1/awards/votes/{bots[0].pk}/voiding"
    assert client.post(url, {"reason": ""}, content_type=JSON).status_code == 422
    response = client.post(url, {"reason": "Bot cluster"}, content_type=JSON)
    assert response.status_code == 201, response.content
    voiding_id = response.json()["id"]
    assert client.post(url, {"reason": "Twice"}, content_type=JSON).status_code == 409
    confirm = f"/api/v1/awards/voidings/{voiding_id}/confirm"
    assert client.post(confirm).status_code == 409
    login(second_staff)
    response = client.post(confirm)
    assert response.status_code == 200
    assert response.json()["confirmed_by_id"] == second_staff.pk
    assert queries.tally([nomination.category]) == {nomination.pk: 19}
    listing = client.get(f"/api/v1/awards/editions/{edition.pk}/voidings").json()
    assert [v["id"] for v in listing["items"]] == [voiding_id]
    assert client.delete(f"/api/v1/awards/voidings/{voiding_id}").status_code == 409


def test_the_requester_withdraws_through_the_api(login, staff, second_staff, bots):
    client = login(staff)
    voiding_id = client.post(
        f"/api/v1/awards/votes/{bots[0].pk}/voiding", {"reason": "Oops"}, content_type=JSON
    ).json()["id"]
    assert login(second_staff).delete(f"/api/v1/awards/voidings/{voiding_id}").status_code == 409
    assert login(staff).delete(f"/api/v1/awards/voidings/{voiding_id}").status_code == 204
    assert not VoteVoiding.objects.exists()


def test_the_api_refuses_strangers(login, stranger, edition, bots):
    client = login(stranger)
    assert client.get(f"/api/v1/awards/editions/{edition.pk}/anomalies").status_code == 403
    response = client.post(
        f"/api/v1/awards/votes/{bots[0].pk}/voiding", {"reason": "x"}, content_type=JSON
    )
    assert response.status_code == 404
