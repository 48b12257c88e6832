"""Public voting through the pages and the JSON API: the category page, the vote button,
the receipt, my votes, the receipt lookup, and the rate limits on votes and sign-ups."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.models import Nomination, Phase, Vote
from stem4all.community.tests.factories import PartnerOrganisationFactory

from .factories import CategoryFactory, EditionFactory, NominationFactory


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.VOTING)


@pytest.fixture
def category(edition):
    return CategoryFactory(
        edition=edition, name="Best mentor", description="For the mentor who went furthest."
    )


@pytest.fixture
def nominees(category):
    return [
        NominationFactory(category=category, nominee_user__full_name=f"Nominee Number{i}")
        for i in range(3)
    ]


def vote_url(nomination):
    return reverse("awards:vote", args=[nomination.pk])


def api_vote_url(nomination):
    return f"/api/v1/awards/nominations/{nomination.pk}/vote"


# The category page ----------------------------------------------------------------


def test_the_category_page_is_public_and_lists_only_public_nominations(client, category, nominees):
    NominationFactory(
        category=category,
        status=Nomination.Status.PENDING,
        nominee_user__full_name="Pending Person",
    )
    NominationFactory(
        category=category, nominee_consented_at=None, nominee_user__full_name="Not Agreed"
    )
    page = client.get(category.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Best mentor" in html and "For the mentor who went furthest." in html
    assert "Public voting" in html  # the phase
    for nomination in nominees:
        assert nomination.nominee_name in html
        assert nomination.get_absolute_url() in html
    assert "Pending Person" not in html and "Not Agreed" not in html
    assert "Sign in to vote" in html
    assert f"next={category.get_absolute_url().replace('/', '%2F')}" in html
    assert vote_url(nominees[0]) not in html  # no button for anonymous visitors


def test_the_category_page_of_an_unknown_category_is_404(client, category):
    url = reverse("awards:category", args=[category.edition.slug, "no-such-category"])
    assert client.get(url).status_code == 404
    url = reverse("awards:category", args=["no-such-edition", category.slug])
    assert client.get(url).status_code == 404


def test_the_signed_in_voter_sees_vote_buttons_then_her_vote(login, voter, category, nominees):
    client = login(voter)
    html = client.get(category.get_absolute_url()).content.decode()
    assert all(vote_url(n) in html for n in nominees)
    services.cast_vote(voter=voter, nomination=nominees[1])
    html = client.get(category.get_absolute_url()).content.decode()
    assert "Your vote is for Nominee Number1." in html
    assert "You may change it until voting closes." in html
    assert vote_url(nominees[1]) not in html
    assert vote_url(nominees[0]) in html  # she may change it


def test_a_voter_who_may_not_change_her_vote_sees_no_buttons(
    login, voter, edition, category, nominees
):
    edition.votes_changeable = False
    edition.save()
    services.cast_vote(voter=voter, nomination=nominees[1])
    html = login(voter).get(category.get_absolute_url()).content.decode()
    assert "cannot be changed" in html
    assert not any(vote_url(n) in html for n in nominees)


def test_no_vote_counts_are_shown_while_voting_is_open(login, voter, stranger, category, nominees):
    for person in (voter, stranger):
        services.cast_vote(voter=person, nomination=nominees[0])
    html = login(voter).get(category.get_absolute_url()).content.decode()
    assert "2 votes" not in html and ">2<" not in html and "2 vote" not in html


def test_outside_voting_the_page_shows_nominees_without_buttons(login, voter, programme):
    category = CategoryFactory(edition=EditionFactory(programme=programme, phase=Phase.JURY))
    nomination = NominationFactory(category=category)
    html = login(voter).get(category.get_absolute_url()).content.decode()
    assert nomination.nominee_name in html
    assert vote_url(nomination) not in html
    assert "Jury" in html


def test_the_category_page_uses_a_bounded_number_of_queries(
    login, voter, category, django_assert_max_num_queries
):
    for _i in range(3):
        NominationFactory(category=category)
    client = login(voter)
    with django_assert_max_num_queries(12) as few:
        client.get(category.get_absolute_url())
    organisation_kinds = [PartnerOrganisationFactory() for _i in range(3)]
    for _i in range(30):
        NominationFactory(category=category)
    for organisation in organisation_kinds:
        NominationFactory(category=category, nominee_user=None, nominee_organisation=organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(category.get_absolute_url())
    assert page.status_code == 200


# Voting through the page ----------------------------------------------------------


def test_voting_records_the_vote_and_shows_the_receipt(login, voter, nominees):
    client = login(voter)
    response = client.post(vote_url(nominees[0]), HTTP_USER_AGENT="Phone browser")
    cast = Vote.objects.get(voter=voter)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:vote_receipt", args=[cast.pk])
    assert cast.receipt not in response["Location"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert services.format_receipt(cast.receipt) in html
    assert "Your vote is recorded" in html
    assert reverse("awards:receipt") in html
    assert cast.user_agent_digest == services.user_agent_digest("Phone browser")
    assert cast.network == "127.0.0.0/24"


def test_voting_is_a_post_and_needs_sign_in(client, nominees):
    response = client.post(vote_url(nominees[0]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Vote.objects.exists()


def test_voting_with_get_is_refused(login, voter, nominees):
    assert login(voter).get(vote_url(nominees[0])).status_code == 405


def test_nobody_else_sees_the_receipt_page_of_a_vote(login, voter, stranger, nominees):
    cast = services.cast_vote(voter=voter, nomination=nominees[0])
    url = reverse("awards:vote_receipt", args=[cast.pk])
    assert login(stranger).get(url).status_code == 404


def test_an_unverified_voter_gets_a_message_with_a_link_to_confirm(login, nominees):
    person = UserFactory(verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    response = login(person).post(vote_url(nominees[0]), follow=True)
    html = response.content.decode()
    assert "Confirm your e-mail address before you vote." in html
    assert f'href="{reverse("account_email")}"' in html
    assert not Vote.objects.exists()


def test_a_closed_phase_is_an_error_message_and_a_redirect_back(login, voter, programme):
    category = CategoryFactory(edition=EditionFactory(programme=programme, phase=Phase.JURY))
    nomination = NominationFactory(category=category)
    response = login(voter).post(vote_url(nomination))
    assert response.status_code == 302
    assert response["Location"] == category.get_absolute_url()
    page = login(voter).get(response["Location"])
    assert "Public voting is not open." in page.content.decode()
    assert not Vote.objects.exists()


def test_a_refused_change_is_an_error_message(login, voter, edition, nominees):
    edition.votes_changeable = False
    edition.save()
    client = login(voter)
    client.post(vote_url(nominees[0]))
    response = client.post(vote_url(nominees[1]), follow=True)
    assert "You have already voted in this category." in response.content.decode()
    assert Vote.objects.filter(voter=voter).count() == 1


def test_voting_twice_for_the_same_nominee_says_the_vote_stands(login, voter, nominees):
    client = login(voter)
    client.post(vote_url(nominees[0]))
    response = client.post(vote_url(nominees[0]), follow=True)
    assert "already voted for this nominee" in response.content.decode()
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    "changes", [{"status": Nomination.Status.PENDING}, {"nominee_consented_at": None}]
)
def test_a_nomination_not_public_answers_404_to_a_vote(login, voter, category, changes):
    nomination = NominationFactory(category=category, **changes)
    assert login(voter).post(vote_url(nomination)).status_code == 404
    assert login(voter).post(reverse("awards:vote", args=[999999])).status_code == 404
    assert not Vote.objects.exists()


def test_the_vote_limit_per_address_answers_clearly_and_stores_nothing(
    settings, login, nominees, category
):
    settings.STEM4ALL_VOTES_PER_IP_PER_MINUTE = 2
    people = [UserFactory() for _i in range(3)]
    for person in people[:2]:
        assert login(person).post(vote_url(nominees[0]), REMOTE_ADDR="10.1.1.1").status_code == 302
    response = login(people[2]).post(vote_url(nominees[0]), REMOTE_ADDR="10.1.1.1", follow=True)
    assert "Too many votes from your network just now" in response.content.decode()
    assert not Vote.objects.filter(voter=people[2]).exists()
    # The API says 429, and stores nothing either.
    api = login(people[2]).post(api_vote_url(nominees[0]), REMOTE_ADDR="10.1.1.1")
    assert api.status_code == 429
    assert "Too many votes" in api.json()["detail"]
    assert Vote.objects.count() == 2
    # Another address still votes.
    assert (
        login(people[2]).post(api_vote_url(nominees[0]), REMOTE_ADDR="10.1.2.1").status_code == 201
    )


def test_the_vote_limit_counts_the_address_the_trusted_proxy_saw(settings, login, voter, nominees):
    settings.STEM4ALL_VOTES_PER_IP_PER_MINUTE = 1
    settings.PROXY_COUNT = 1
    client = login(voter)
    # A forged left-most entry does not give a fresh address.
    first = client.post(api_vote_url(nominees[0]), HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.9.9")
    second = client.post(api_vote_url(nominees[1]), HTTP_X_FORWARDED_FOR="2.2.2.2, 10.9.9.9")
    assert (first.status_code, second.status_code) == (201, 429)
    assert Vote.objects.get().network == "10.9.9.0/24"


# My votes -------------------------------------------------------------------------


def test_my_votes_lists_standing_and_replaced_votes_with_receipts(
    login, voter, stranger, edition, nominees
):
    first = services.cast_vote(voter=voter, nomination=nominees[0])
    second = services.cast_vote(voter=voter, nomination=nominees[1])
    other = CategoryFactory(edition=edition, name="Best mentee")
    elsewhere = services.cast_vote(voter=voter, nomination=NominationFactory(category=other))
    not_mine = services.cast_vote(voter=stranger, nomination=nominees[2])
    html = login(voter).get(reverse("awards:my_votes")).content.decode()
    for cast in (first, second, elsewhere):
        assert services.format_receipt(cast.receipt) in html
    assert services.format_receipt(not_mine.receipt) not in html
    assert "Replaced by a later vote" in html
    assert html.count("Counts</td>") == 2
    assert "Best mentee" in html and edition.name in html


def test_my_votes_needs_sign_in_and_uses_few_queries(
    client, login, voter, edition, django_assert_max_num_queries
):
    assert client.get(reverse("awards:my_votes")).status_code == 302
    for _i in range(6):
        services.cast_vote(
            voter=voter, nomination=NominationFactory(category=CategoryFactory(edition=edition))
        )
    client = login(voter)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("awards:my_votes")).status_code == 200


# The receipt lookup ---------------------------------------------------------------


def test_anyone_looks_up_a_receipt_and_never_sees_who_voted(client, voter, nominees):
    cast = services.cast_vote(voter=voter, nomination=nominees[0])
    page = client.get(reverse("awards:receipt"))
    assert page.status_code == 200
    typed = services.format_receipt(cast.receipt).lower()
    response = client.post(reverse("awards:receipt"), {"receipt": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert nominees[0].nominee_name in html
    assert "Best mentor" in html
    assert "Counts" in html
    assert voter.full_name not in html and voter.email not in html


def test_an_unknown_or_malformed_receipt_is_a_clear_message(client, db):
    unknown = client.post(reverse("awards:receipt"), {"receipt": "AAAA-BBBB-CCCC"})
    assert unknown.status_code == 200
    assert "No vote has this receipt" in unknown.content.decode()
    for text in ("", "short", "x" * 500, "ЖЖЖЖ-ЖЖЖЖ-ЖЖЖЖ", "\x00" * 12):
        response = client.post(reverse("awards:receipt"), {"receipt": text})
        assert response.status_code == 200


def test_wrong_receipts_are_limited_per_address(client, db):
    for _i in range(services.RECEIPT_LOOKUPS_PER_IP_PER_HOUR):
        client.post(reverse("awards:receipt"), {"receipt": "AAAA-BBBB-CCCC"})
    response = client.post(reverse("awards:receipt"), {"receipt": "AAAA-BBBB-CCCC"})
    assert response.status_code == 429
    assert "Too many receipts" in response.content.decode()


def test_a_replaced_vote_is_shown_as_replaced(client, voter, nominees):
    first = services.cast_vote(voter=voter, nomination=nominees[0])
    services.cast_vote(voter=voter, nomination=nominees[1])
    html = client.post(reverse("awards:receipt"), {"receipt": first.receipt}).content.decode()
    assert "Replaced by a later vote" in html


# The JSON API ---------------------------------------------------------------------


def test_the_api_votes_and_answers_201_with_the_receipt(login, voter, nominees, category):
    response = login(voter).post(api_vote_url(nominees[0]))
    assert response.status_code == 201
    body = response.json()
    cast = Vote.objects.get()
    assert body == {
        "receipt": services.format_receipt(cast.receipt),
        "category": category.pk,
        "nomination": nominees[0].pk,
        "cast_at": body["cast_at"],
        "sequence": 1,
    }
    again = login(voter).post(api_vote_url(nominees[0]))
    assert again.status_code == 200
    assert again.json()["receipt"] == body["receipt"]
    changed = login(voter).post(api_vote_url(nominees[1]))
    assert changed.status_code == 201 and changed.json()["sequence"] == 2


def test_the_api_answers_409_for_a_rule_and_404_for_a_hidden_nomination(
    login, voter, edition, category, nominees
):
    edition.votes_changeable = False
    edition.save()
    client = login(voter)
    client.post(api_vote_url(nominees[0]))
    refused = client.post(api_vote_url(nominees[1]))
    assert refused.status_code == 409
    assert refused.json()["detail"] == "You have already voted in this category."
    hidden = NominationFactory(category=category, status=Nomination.Status.REJECTED)
    assert client.post(api_vote_url(hidden)).status_code == 404
    assert client.post("/api/v1/awards/nominations/999999/vote").status_code == 404


def test_the_api_needs_credentials_to_vote(client, nominees):
    assert client.post(api_vote_url(nominees[0])).status_code == 401
    assert client.get("/api/v1/awards/votes/mine").status_code == 401


def test_the_api_lists_my_votes(login, voter, stranger, nominees):
    services.cast_vote(voter=voter, nomination=nominees[0])
    services.cast_vote(voter=voter, nomination=nominees[1])
    services.cast_vote(voter=stranger, nomination=nominees[2])
    body = login(voter).get("/api/v1/awards/votes/mine").json()
    assert body["count"] == 2
    statuses = {item["nominee"]: (item["status"], item["counts"]) for item in body["items"]}
    assert statuses == {
        "Nominee Number0": ("replaced", False),
        "Nominee Number1": ("standing", True),
    }


def test_the_api_looks_up_a_receipt_without_sign_in(client, voter, nominees):
    cast = services.cast_vote(voter=voter, nomination=nominees[0])
    response = client.post(
        "/api/v1/awards/receipts/lookup",
        {"receipt": services.format_receipt(cast.receipt).lower()},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "standing" and body["counts"] is True
    assert body["nominee"] == nominees[0].nominee_name
    assert "voter" not in body and voter.email not in response.content.decode()
    unknown = client.post(
        "/api/v1/awards/receipts/lookup",
        {"receipt": "AAAA-BBBB-CCCC"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    malformed = client.post(
        "/api/v1/awards/receipts/lookup", {"receipt": "x"}, content_type="application/json"
    )
    assert malformed.status_code == 422
    missing = client.post("/api/v1/awards/receipts/lookup", {}, content_type="application/json")
    assert missing.status_code == 422


# Sign-up rate limit ---------------------------------------------------------------


def signup(client, n, **extra):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": f"Signup Person {n}",
            "email": f"signup{n}@example.org",
            "password1": "a-long-and-unusual-password",
            "password2": "a-long-and-unusual-password",
        },
        **extra,
    )


def test_sign_up_is_limited_to_100_a_minute_per_address(client, db):
    from stem4all.accounts.models import User

    for n in range(100):
        assert signup(client, n, REMOTE_ADDR="10.5.5.5").status_code == 302, n
    refused = signup(client, 100, REMOTE_ADDR="10.5.5.5")
    assert refused.status_code == 429
    assert not User.objects.filter(email="signup100@example.org").exists()
    assert signup(client, 101, REMOTE_ADDR="10.5.6.5").status_code == 302


def test_behind_a_proxy_sign_up_is_limited_per_client_address(settings, client, db):
    # config/settings.py sets both from the one PROXY_COUNT environment variable.
    settings.PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(100):
        signup(client, n, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.7.{n}.1")
    response = signup(client, 100, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.8.0.1")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/awards/editions/x/best-mentor/", "category"),
        ("/awards/editions/x/jury-prize/", "category"),
        ("/awards/editions/x/integrity/", "integrity"),
        ("/awards/editions/x/voidings/", "voidings"),
        ("/awards/editions/x/jury/", "jury_admin"),
        ("/awards/editions/x/results/", "results"),
        ("/awards/editions/x/edit/", "edition_edit"),
    ],
)
def test_the_category_page_never_shadows_the_editions_own_pages(url, name):
    from django.urls import resolve

    assert resolve(url).url_name == name
