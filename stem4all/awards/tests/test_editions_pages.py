"""The award's index and edition pages, and the staff pages that manage editions and
categories."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards.models import Category, Edition

from .factories import CategoryFactory, EditionFactory, NominationFactory

pytestmark = pytest.mark.django_db

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _local(value: dt.datetime, zone=BISHKEK) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def _edition_data(edition=None, **overrides) -> dict:
    """What the edit form posts for ``edition`` as shown (Bishkek wall-clock times)."""
    base = {
        "name": "STEM4ALL Award 2027",
        "slug": "stem4all-award-2027",
        "year": "2027",
        "description": "The second edition.",
        "time_zone": "Asia/Bishkek",
        "nominations_open_at": "2027-03-01T09:00",
        "nominations_close_at": "2027-03-15T18:00",
        "voting_open_at": "2027-03-15T18:00",
        "voting_close_at": "2027-04-01T18:00",
        "jury_open_at": "2027-04-01T18:00",
        "jury_close_at": "2027-04-15T18:00",
        "results_at": "2027-04-20T12:00",
        "votes_changeable": "on",
        "finalists_per_category": "3",
        "winner_method": "combined",
        "public_weight_percent": "30",
    }
    if edition is not None:
        base.update(
            {
                "name": edition.name,
                "slug": edition.slug,
                "year": str(edition.year),
                "description": edition.description,
                "finalists_per_category": str(edition.finalists_per_category),
                "winner_method": edition.winner_method,
                "public_weight_percent": str(edition.public_weight_percent),
                **{
                    field: _local(getattr(edition, field))
                    for field in (
                        "nominations_open_at",
                        "nominations_close_at",
                        "voting_open_at",
                        "voting_close_at",
                        "jury_open_at",
                        "jury_close_at",
                        "results_at",
                    )
                },
            }
        )
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


# The index -----------------------------------------------------------------------------


def test_the_index_lists_current_editions_with_their_phase_and_past_ones(client, programme):
    EditionFactory(programme=programme, name="Award Now", phase="voting")
    EditionFactory(
        programme=programme,
        name="Award Before",
        year=2025,
        phase="before_results",
        results_published_at=timezone.now(),
    )
    page = client.get(reverse("awards:index"))
    assert page.status_code == 200
    text = page.content.decode()
    current, past = text.split('id="past-heading"')
    assert "Award Now" in current and "Public voting" in current
    assert "Award Before" in past and "Award Before" not in current


def test_the_index_offers_a_new_edition_only_to_programme_staff(login, staff, mentee, programme):
    new_url = reverse("awards:edition_create", args=[programme.pk])
    assert new_url in login(staff).get(reverse("awards:index")).content.decode()
    assert new_url not in login(mentee).get(reverse("awards:index")).content.decode()


def test_the_index_uses_a_bounded_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    for i in range(12):
        EditionFactory(programme=programme, phase="voting")
        EditionFactory(programme=programme, year=2020 + i % 5, results_published_at=timezone.now())
    with django_assert_max_num_queries(4):
        assert client.get(reverse("awards:index")).status_code == 200


# The edition page ----------------------------------------------------------------------


def test_the_edition_page_shows_the_timeline_in_bishkek_time_to_visitors(client, programme):
    edition = EditionFactory(programme=programme, phase="voting", description="All about it.")
    page = client.get(edition.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert edition.name in text and "All about it." in text
    assert "Times in Asia/Bishkek" in text
    opens = edition.voting_open_at.astimezone(BISHKEK)
    assert opens.strftime("%H:%M") in text
    assert f'datetime="{opens.isoformat()}"' in text
    # The current phase is marked for everyone, screen readers included.
    current = text.split('aria-current="step"')[1].split("</li>")[0]
    assert "Public voting" in current


def test_the_edition_page_shows_times_in_the_signed_in_persons_time_zone(login, programme):
    edition = EditionFactory(programme=programme, phase="voting")
    person = UserFactory(time_zone="Europe/Berlin")
    text = login(person).get(edition.get_absolute_url()).content.decode()
    assert "Times in Europe/Berlin" in text
    assert f'datetime="{edition.voting_close_at.astimezone(BERLIN).isoformat()}"' in text


def test_the_edition_page_lists_categories_with_who_may_be_nominated(client, programme):
    edition = EditionFactory(programme=programme, phase="nominations")
    regional = CategoryFactory(
        edition=edition, name="Best regional mentee", nominee_kind="mentee", position=1
    )
    CategoryFactory(
        edition=edition,
        name="Best university",
        nominee_kind="organisation",
        organisation_kind="university",
        slug="best-university",
        position=2,
    )
    Category.objects.filter(pk=regional.pk).update(outside_bishkek_only=True)
    text = client.get(edition.get_absolute_url()).content.decode()
    assert text.index("Best regional mentee") < text.index("Best university")
    assert "living outside Bishkek only" in text
    assert "only: University" in text
    assert regional.get_absolute_url() in text
    # Nominations are open: each category links to its nomination form.
    assert reverse("awards:nominate", args=[regional.pk]) in text


def test_the_nominate_link_goes_once_nominations_close(client, programme):
    edition = EditionFactory(programme=programme, phase="voting")
    category = CategoryFactory(edition=edition)
    text = client.get(edition.get_absolute_url()).content.decode()
    assert reverse("awards:nominate", args=[category.pk]) not in text
    assert category.get_absolute_url() in text


def test_the_results_link_shows_once_results_are_published(client, programme):
    edition = EditionFactory(programme=programme, phase="before_results")
    results = reverse("awards:results", args=[edition.slug])
    assert results not in client.get(edition.get_absolute_url()).content.decode()
    Edition.objects.filter(pk=edition.pk).update(results_published_at=timezone.now())
    text = client.get(edition.get_absolute_url()).content.decode()
    assert results in text
    assert "Results" in text.split('aria-current="step"')[1].split("</li>")[0]


def test_only_the_programmes_staff_see_the_staff_links(
    login, staff, other_staff, mentee, programme
):
    edition = EditionFactory(programme=programme)
    manage = reverse("awards:edition_manage", args=[edition.slug])
    staff_page = login(staff).get(edition.get_absolute_url()).content.decode()
    assert manage in staff_page
    for name in (
        "awards:review",
        "awards:integrity",
        "awards:jury_admin",
        "awards:results_preview",
    ):
        assert reverse(name, args=[edition.slug]) in staff_page
    for person in (other_staff, mentee):
        assert manage not in login(person).get(edition.get_absolute_url()).content.decode()


def test_an_unknown_edition_is_not_found(client):
    assert client.get(reverse("awards:edition", args=["no-such-award"])).status_code == 404


def test_the_edition_page_uses_a_bounded_number_of_queries(
    login, staff, programme, django_assert_max_num_queries
):
    edition = EditionFactory(programme=programme, phase="nominations")
    for _i in range(10):
        CategoryFactory(edition=edition)
    client = login(staff)
    with django_assert_max_num_queries(8):
        assert client.get(edition.get_absolute_url()).status_code == 200


# Creating and editing an edition -----------------------------------------------------


def test_staff_create_an_edition_with_times_read_in_the_chosen_zone(login, staff, programme):
    client = login(staff)
    url = reverse("awards:edition_create", args=[programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _edition_data(time_zone="Europe/Berlin"))
    edition = Edition.objects.get(slug="stem4all-award-2027")
    assert response.status_code == 302
    assert response.url == reverse("awards:edition_manage", args=[edition.slug])
    assert edition.programme == programme
    assert edition.nominations_open_at == dt.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)
    assert edition.nominations_open_at.tzinfo is not None


def test_the_default_zone_is_bishkek(login, staff, programme):
    login(staff).post(
        reverse("awards:edition_create", args=[programme.pk]), _edition_data(time_zone=None)
    )
    assert not Edition.objects.exists()  # the zone is required on the form...
    login(staff).post(reverse("awards:edition_create", args=[programme.pk]), _edition_data())
    edition = Edition.objects.get()
    assert edition.results_at == dt.datetime(2027, 4, 20, 12, 0, tzinfo=BISHKEK)


def test_phases_out_of_order_are_shown_on_the_form(login, staff, programme):
    response = login(staff).post(
        reverse("awards:edition_create", args=[programme.pk]),
        _edition_data(voting_open_at="2027-03-10T09:00"),
    )
    assert response.status_code == 400
    assert "voting_open_at" in response.context["form"].errors
    assert "The phases must follow each other in order." in response.content.decode()
    assert not Edition.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"nominations_open_at": "yesterday"},
        {"nominations_open_at": "2027-02-30T09:00"},
        {"year": "1800"},
        {"slug": "no spaces allowed"},
        {"time_zone": "Mars/Olympus"},
        {"public_weight_percent": "101"},
        {"winner_method": "coin-toss"},
        {"name": ""},
    ],
)
def test_bad_input_is_shown_on_the_form_and_never_a_500(login, staff, programme, bad):
    response = login(staff).post(
        reverse("awards:edition_create", args=[programme.pk]), _edition_data(**bad)
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Edition.objects.exists()


def test_a_short_name_used_by_another_edition_is_refused(login, staff, programme):
    EditionFactory(slug="stem4all-award-2027")
    response = login(staff).post(
        reverse("awards:edition_create", args=[programme.pk]), _edition_data()
    )
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors


def test_the_edit_form_shows_stored_times_in_bishkek_and_keeps_them_unchanged(
    login, staff, programme
):
    edition = EditionFactory(programme=programme, phase="voting")
    client = login(staff)
    url = reverse("awards:edition_edit", args=[edition.slug])
    form = client.get(url).content.decode()
    assert _local(edition.voting_open_at) in form
    assert "Public voting has opened" in form
    response = client.post(url, _edition_data(edition, name="Renamed"))
    assert response.status_code == 302
    stored = Edition.objects.get(pk=edition.pk)
    # The seconds the form does not show are kept.
    assert stored.voting_open_at == edition.voting_open_at
    assert stored.name == "Renamed"


def test_once_voting_opened_a_passed_time_cannot_move_and_the_form_says_why(
    login, staff, programme
):
    edition = EditionFactory(programme=programme, phase="voting")
    earlier = edition.nominations_open_at - dt.timedelta(days=1)
    response = login(staff).post(
        reverse("awards:edition_edit", args=[edition.slug]),
        _edition_data(edition, nominations_open_at=_local(earlier)),
    )
    assert response.status_code == 400
    assert "this time has passed" in str(response.context["form"].errors["nominations_open_at"])
    assert Edition.objects.get(pk=edition.pk).nominations_open_at == edition.nominations_open_at


def test_once_voting_opened_the_close_cannot_move_before_now(login, staff, programme):
    edition = EditionFactory(programme=programme, phase="voting")
    past = timezone.now() - dt.timedelta(hours=2)
    response = login(staff).post(
        reverse("awards:edition_edit", args=[edition.slug]),
        _edition_data(edition, voting_close_at=_local(past), jury_open_at=_local(past)),
    )
    assert response.status_code == 400
    assert "earlier than now" in str(response.context["form"].errors["voting_close_at"])


def test_the_winner_method_cannot_change_once_the_jury_started(login, staff, programme):
    edition = EditionFactory(programme=programme, phase="jury")
    response = login(staff).post(
        reverse("awards:edition_edit", args=[edition.slug]),
        _edition_data(edition, winner_method="jury"),
    )
    assert response.status_code == 400
    assert "The jury has started" in str(response.context["form"].errors["winner_method"])
    assert "The jury has started" in response.content.decode()


@pytest.mark.parametrize("persona", ["mentee", "stranger", "other_staff", "jury_member"])
def test_only_the_programmes_staff_manage_its_editions(request, login, programme, persona):
    person = request.getfixturevalue(persona)
    edition = EditionFactory(programme=programme)
    category = CategoryFactory(edition=edition)
    client = login(person)
    assert client.get(reverse("awards:edition_create", args=[programme.pk])).status_code == 404
    assert (
        client.post(reverse("awards:edition_create", args=[programme.pk]), _edition_data())
    ).status_code == 404
    for name in ("awards:edition_edit", "awards:edition_manage", "awards:category_create"):
        assert client.get(reverse(name, args=[edition.slug])).status_code == 403
    assert client.get(reverse("awards:category_edit", args=[category.pk])).status_code == 403
    for name in ("awards:category_move", "awards:category_delete"):
        assert client.post(reverse(name, args=[category.pk])).status_code == 403
    assert Category.objects.filter(pk=category.pk).exists()
    assert Edition.objects.count() == 1


def test_visitors_are_sent_to_sign_in_before_managing(client, programme):
    edition = EditionFactory(programme=programme)
    response = client.get(reverse("awards:edition_manage", args=[edition.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_management_pages_of_missing_things_are_not_found(login, staff):
    client = login(staff)
    assert client.get(reverse("awards:edition_create", args=[99999])).status_code == 404
    assert client.get(reverse("awards:edition_edit", args=["none"])).status_code == 404
    assert client.get(reverse("awards:category_edit", args=[99999])).status_code == 404


# Categories ----------------------------------------------------------------------------


def _category_data(**overrides):
    data = {
        "name": "Best regional mentee",
        "slug": "best-regional-mentee",
        "description": "A mentee living outside Bishkek.",
        "nominee_kind": "mentee",
        "outside_bishkek_only": "on",
        "organisation_kind": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_add_edit_and_reorder_categories(login, staff, programme):
    edition = EditionFactory(programme=programme)
    client = login(staff)
    url = reverse("awards:category_create", args=[edition.slug])
    assert client.get(url).status_code == 200
    assert client.post(url, _category_data()).status_code == 302
    client.post(
        url,
        _category_data(
            name="Best educational partner",
            slug="best-educational-partner",
            nominee_kind="organisation",
            outside_bishkek_only=None,
            organisation_kind="university",
        ),
    )
    first, second = edition.categories.order_by("position")
    assert (first.slug, second.slug) == ("best-regional-mentee", "best-educational-partner")
    assert first.outside_bishkek_only and second.organisation_kind == "university"

    response = client.post(
        reverse("awards:category_edit", args=[second.pk]),
        _category_data(
            name="Best STEM educational partner",
            slug="best-educational-partner",
            nominee_kind="organisation",
            outside_bishkek_only=None,
            organisation_kind="university",
        ),
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.name == "Best STEM educational partner"

    client.post(reverse("awards:category_move", args=[second.pk]), {"direction": "up"})
    assert list(edition.categories.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    manage = client.get(reverse("awards:edition_manage", args=[edition.slug])).content.decode()
    assert manage.index("Best STEM educational partner") < manage.index("Best regional mentee")


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"nominee_kind": "organisation"}, "outside_bishkek_only"),
        ({"outside_bishkek_only": None, "organisation_kind": "company"}, "organisation_kind"),
        ({"organisation_kind": "spaceship", "nominee_kind": "practice"}, "organisation_kind"),
        ({"nominee_kind": "alien"}, "nominee_kind"),
        ({"slug": "edit"}, "slug"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_category_input_is_shown_on_the_form(login, staff, programme, bad, field):
    edition = EditionFactory(programme=programme)
    response = login(staff).post(
        reverse("awards:category_create", args=[edition.slug]), _category_data(**bad)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not edition.categories.exists()


def test_a_short_name_is_used_once_per_edition(login, staff, programme):
    edition = EditionFactory(programme=programme)
    CategoryFactory(edition=edition, slug="best-regional-mentee")
    CategoryFactory(slug="best-regional-mentee-elsewhere")
    response = login(staff).post(
        reverse("awards:category_create", args=[edition.slug]), _category_data()
    )
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors


def test_a_category_with_nominations_is_not_deleted_and_staff_are_told_why(login, staff, programme):
    nomination = NominationFactory(category__edition__programme=programme)
    category = nomination.category
    client = login(staff)
    response = client.post(reverse("awards:category_delete", args=[category.pk]), follow=True)
    assert Category.objects.filter(pk=category.pk).exists()
    assert "cannot be deleted" in response.content.decode()
    form = client.post(
        reverse("awards:category_edit", args=[category.pk]),
        {"name": category.name, "slug": category.slug, "nominee_kind": "mentee"},
    )
    assert form.status_code == 400
    assert "nominee_kind" in form.context["form"].errors


def test_an_empty_category_is_deleted(login, staff, programme):
    category = CategoryFactory(edition__programme=programme)
    response = login(staff).post(reverse("awards:category_delete", args=[category.pk]))
    assert response.status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()


def test_a_bad_move_changes_nothing(login, staff, programme):
    category = CategoryFactory(edition__programme=programme)
    response = login(staff).post(
        reverse("awards:category_move", args=[category.pk]), {"direction": "sideways"}
    )
    assert response.status_code == 302


def test_the_manage_page_uses_a_bounded_number_of_queries(
    login, staff, programme, django_assert_max_num_queries
):
    edition = EditionFactory(programme=programme)
    for _i in range(10):
        NominationFactory(category=CategoryFactory(edition=edition))
    client = login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("awards:edition_manage", args=[edition.slug])).status_code == 200
