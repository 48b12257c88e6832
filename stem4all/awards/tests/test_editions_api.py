"""Editions and categories in the JSON API: the same forms, rules and services as the
pages."""

import datetime as dt

import pytest
from django.utils import timezone

from stem4all.awards.models import Category, Edition

from .factories import CategoryFactory, EditionFactory, NominationFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
EDITION = {
    "name": "STEM4ALL Award 2027",
    "slug": "stem4all-award-2027",
    "year": 2027,
    "nominations_open_at": "2027-03-01T09:00:00+06:00",
    "nominations_close_at": "2027-03-15T18:00:00+06:00",
    "voting_open_at": "2027-03-15T18:00:00+06:00",
    "voting_close_at": "2027-04-01T18:00:00+06:00",
    "jury_open_at": "2027-04-01T18:00:00+06:00",
    "jury_close_at": "2027-04-15T18:00:00+06:00",
    "results_at": "2027-04-20T12:00:00+06:00",
}
CATEGORY = {"name": "Best mentor", "slug": "best-mentor", "nominee_kind": "mentor"}


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type=JSON)


def test_staff_create_an_edition_add_categories_and_read_it_back(login, staff, programme):
    client = login(staff)
    response = send(client, "post", f"/api/v1/awards/programmes/{programme.pk}/editions", EDITION)
    assert response.status_code == 201, response.content
    edition = response.json()
    assert edition["phase"] == "upcoming"
    assert edition["programme_id"] == programme.pk
    assert edition["url"] == "/awards/editions/stem4all-award-2027/"
    stored = Edition.objects.get(pk=edition["id"])
    assert stored.nominations_open_at == dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)

    url = f"/api/v1/awards/editions/{edition['id']}/categories"
    first = send(client, "post", url, CATEGORY)
    assert first.status_code == 201
    second = send(
        client,
        "post",
        url,
        {
            "name": "Best educational partner",
            "slug": "best-educational-partner",
            "nominee_kind": "organisation",
            "organisation_kind": "university",
        },
    )
    assert second.json()["position"] == 1

    detail = client.get(f"/api/v1/awards/editions/{edition['id']}").json()
    assert [c["slug"] for c in detail["categories"]] == ["best-mentor", "best-educational-partner"]
    moved = send(
        client, "post", f"/api/v1/awards/categories/{second.json()['id']}/move", {"direction": "up"}
    )
    assert [c["slug"] for c in moved.json()] == ["best-educational-partner", "best-mentor"]
    listing = client.get("/api/v1/awards/editions").json()
    assert [e["slug"] for e in listing] == ["stem4all-award-2027"]


def test_times_without_an_offset_are_read_in_the_time_zone_given(login, staff, programme):
    naive = {k: v.replace("+06:00", "") if k.endswith("_at") else v for k, v in EDITION.items()}
    response = send(
        login(staff),
        "post",
        f"/api/v1/awards/programmes/{programme.pk}/editions",
        {**naive, "time_zone": "Europe/Berlin"},
    )
    assert response.status_code == 201
    stored = Edition.objects.get()
    assert stored.results_at == dt.datetime(2027, 4, 20, 10, 0, tzinfo=dt.UTC)


def test_patch_changes_only_what_is_sent_and_put_replaces(login, staff, programme):
    edition = EditionFactory(programme=programme, phase="nominations", name="Old")
    client = login(staff)
    response = send(client, "patch", f"/api/v1/awards/editions/{edition.pk}", {"name": "New name"})
    assert response.status_code == 200, response.content
    stored = Edition.objects.get(pk=edition.pk)
    assert stored.name == "New name"
    assert stored.voting_open_at == edition.voting_open_at
    response = send(client, "put", f"/api/v1/awards/editions/{edition.pk}", EDITION)
    assert response.status_code == 200, response.content
    assert Edition.objects.get(pk=edition.pk).slug == "stem4all-award-2027"


@pytest.mark.parametrize(
    "bad",
    [
        {"voting_open_at": "2027-03-10T09:00:00+06:00"},
        {"year": 1800},
        {"year": "soon"},
        {"slug": "not a slug"},
        {"time_zone": "Nowhere/Land"},
        {"winner_method": "coin-toss"},
        {"public_weight_percent": 140},
        {"nominations_open_at": "not a time"},
    ],
)
def test_bad_edition_input_answers_422(login, staff, programme, bad):
    response = send(
        login(staff),
        "post",
        f"/api/v1/awards/programmes/{programme.pk}/editions",
        {**EDITION, **bad},
    )
    assert response.status_code == 422, response.content
    assert not Edition.objects.exists()


def test_phases_out_of_order_name_the_field(login, staff, programme):
    response = send(
        login(staff),
        "post",
        f"/api/v1/awards/programmes/{programme.pk}/editions",
        {**EDITION, "jury_open_at": "2027-03-20T09:00:00+06:00"},
    )
    assert response.status_code == 422
    assert "jury_open_at" in response.json()["errors"]


def test_a_locked_change_answers_422_with_the_reason(login, staff, programme):
    edition = EditionFactory(programme=programme, phase="jury")
    response = send(
        login(staff), "patch", f"/api/v1/awards/editions/{edition.pk}", {"winner_method": "jury"}
    )
    assert response.status_code == 422
    assert "The jury has started" in str(response.json()["errors"]["winner_method"])
    earlier = (edition.nominations_open_at - dt.timedelta(days=1)).isoformat()
    response = send(
        login(staff),
        "patch",
        f"/api/v1/awards/editions/{edition.pk}",
        {"nominations_open_at": earlier},
    )
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["mentee", "stranger", "other_staff", "jury_member"])
def test_only_the_programmes_staff_write_editions_and_categories(
    request, login, programme, persona
):
    client = login(request.getfixturevalue(persona))
    edition = EditionFactory(programme=programme)
    category = CategoryFactory(edition=edition)
    assert (
        send(client, "post", f"/api/v1/awards/programmes/{programme.pk}/editions", EDITION)
    ).status_code == 404
    assert (
        send(client, "patch", f"/api/v1/awards/editions/{edition.pk}", {"name": "x"})
    ).status_code == 403
    assert (
        send(client, "put", f"/api/v1/awards/editions/{edition.pk}", EDITION)
    ).status_code == 403
    assert (
        send(client, "post", f"/api/v1/awards/editions/{edition.pk}/categories", CATEGORY)
    ).status_code == 403
    assert (
        send(client, "put", f"/api/v1/awards/categories/{category.pk}", CATEGORY)
    ).status_code == 403
    assert client.delete(f"/api/v1/awards/categories/{category.pk}").status_code == 403
    # Reading is for anyone signed in.
    assert client.get(f"/api/v1/awards/editions/{edition.pk}").status_code == 200
    assert Edition.objects.get(pk=edition.pk).name == edition.name
    assert Category.objects.filter(pk=category.pk).exists()


def test_the_api_needs_sign_in(client):
    assert client.get("/api/v1/awards/editions").status_code == 401


def test_unknown_editions_and_categories_are_not_found(login, staff):
    client = login(staff)
    assert client.get("/api/v1/awards/editions/99999").status_code == 404
    assert send(client, "put", "/api/v1/awards/categories/99999", CATEGORY).status_code == 404


def test_bad_category_input_answers_422(login, staff, programme):
    edition = EditionFactory(programme=programme)
    url = f"/api/v1/awards/editions/{edition.pk}/categories"
    client = login(staff)
    for bad in (
        {"nominee_kind": "organisation", "outside_bishkek_only": True},
        {"nominee_kind": "mentee", "organisation_kind": "ngo"},
        {"nominee_kind": "spaceship"},
        {"slug": "manage"},
    ):
        assert send(client, "post", url, {**CATEGORY, **bad}).status_code == 422, bad
    send(client, "post", url, CATEGORY)
    assert send(client, "post", url, CATEGORY).status_code == 422  # the short name is taken
    assert edition.categories.count() == 1


def test_a_category_with_nominations_answers_409_to_delete(login, staff, programme):
    nomination = NominationFactory(category__edition__programme=programme)
    response = login(staff).delete(f"/api/v1/awards/categories/{nomination.category_id}")
    assert response.status_code == 409
    assert "cannot be deleted" in response.json()["detail"]


def test_the_edition_list_answers_in_a_bounded_number_of_queries(
    login, staff, programme, django_assert_max_num_queries
):
    for _i in range(15):
        EditionFactory(programme=programme, results_published_at=timezone.now())
    client = login(staff)
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/awards/editions").json()) == 15
