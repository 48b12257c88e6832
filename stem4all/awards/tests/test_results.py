"""Computing, publishing and showing the results: the jury score, the combined score,
the tie rule, who may publish and when, the public page, its CSV and the API."""

import datetime as dt
import secrets
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import queries, services
from stem4all.awards.models import (
    Edition,
    JuryAssignment,
    JuryScore,
    Nomination,
    Phase,
    Result,
    ScoreSheet,
    Vote,
)
from stem4all.awards.tests.factories import (
    CategoryFactory,
    EditionFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from stem4all.notifications.models import Notification

HOUR = dt.timedelta(hours=1)


def cast(nomination, voter=None, *, sequence=1, at=None):
    """A vote row as cast_vote would store it, inside the voting window."""
    edition = nomination.category.edition
    return Vote.objects.create(
        category=nomination.category,
        nomination=nomination,
        voter=voter or UserFactory(),
        sequence=sequence,
        cast_at=at or edition.voting_open_at + sequence * HOUR,
        receipt=secrets.token_hex(6).upper(),
    )


def votes_for(nomination, count):
    for _i in range(count):
        cast(nomination)


def score(nomination, juror, scores, *, submitted=True):
    """A score sheet of ``juror`` with {criterion: score}."""
    assignment, _created = JuryAssignment.objects.get_or_create(
        category=nomination.category, juror=juror
    )
    sheet = ScoreSheet.objects.create(
        assignment=assignment,
        nomination=nomination,
        submitted_at=timezone.now() - 2 * 24 * HOUR if submitted else None,
    )
    for criterion, value in scores.items():
        JuryScore.objects.create(sheet=sheet, criterion=criterion, score=value)
    return sheet


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.BEFORE_RESULTS)


@pytest.fixture
def category(edition):
    return CategoryFactory(edition=edition, name="Best mentor")


def standings_of(edition):
    return {s.nomination.pk: s for g in queries.compute_results(edition) for s in g.standings}


# The numbers ------------------------------------------------------------------------


def test_two_places_rounds_half_up_exactly():
    from fractions import Fraction

    assert queries.two_places(Fraction(12345, 1000)) == Decimal("12.35")
    assert queries.two_places(Fraction(12344, 1000)) == Decimal("12.34")
    assert queries.two_places(Fraction(200, 3)) == Decimal("66.67")
    assert queries.two_places(Fraction(100)) == Decimal("100.00")


def test_the_jury_score_is_the_mean_of_weighted_sheet_means_scaled_to_a_hundred(edition, category):
    a = JuryCriterionFactory(category=category, weight=3)
    b = JuryCriterionFactory(category=category, weight=1)
    nomination = NominationFactory(category=category)
    # (3*10 + 1*6) / 4 = 9 and (3*7 + 1*5) / 4 = 6.5: mean 7.75, so 77.50
    score(nomination, UserFactory(), {a: 10, b: 6})
    score(nomination, UserFactory(), {a: 7, b: 5})
    score(nomination, UserFactory(), {a: 1, b: 1}, submitted=False)  # a draft: not counted
    standing = standings_of(edition)[nomination.pk]
    assert standing.jury_score == Decimal("77.50")
    assert standing.jury_sheets == 2


def test_a_nomination_without_a_submitted_sheet_has_no_jury_score(edition, category):
    c = JuryCriterionFactory(category=category)
    nomination = NominationFactory(category=category)
    score(nomination, UserFactory(), {c: 9}, submitted=False)
    standing = standings_of(edition)[nomination.pk]
    assert standing.jury_score is None
    assert standing.jury_sheets == 0
    assert standing.final_score is None
    assert not standing.is_winner


def test_the_combined_score_weighs_the_public_share_against_the_jury(edition, category):
    edition.winner_method = Edition.WinnerMethod.COMBINED
    edition.public_weight_percent = 30
    edition.save()
    c = JuryCriterionFactory(category=category)
    popular = NominationFactory(category=category)
    liked = NominationFactory(category=category)
    votes_for(popular, 4)
    votes_for(liked, 1)
    score(popular, UserFactory(), {c: 5})  # jury 50
    score(liked, UserFactory(), {c: 9})  # jury 90
    standings = standings_of(edition)
    # popular: 0.3 * 100 + 0.7 * 50 = 65; liked: 0.3 * 25 + 0.7 * 90 = 70.5
    assert standings[popular.pk].public_share == Decimal("100.00")
    assert standings[popular.pk].final_score == Decimal("65.00")
    assert standings[liked.pk].final_score == Decimal("70.50")
    assert standings[liked.pk].rank == 1 and standings[liked.pk].is_winner
    assert standings[popular.pk].rank == 2 and not standings[popular.pk].is_winner


def test_with_the_jury_method_votes_only_choose_the_finalists(edition, category):
    edition.winner_method = Edition.WinnerMethod.JURY
    edition.finalists_per_category = 2
    edition.save()
    c = JuryCriterionFactory(category=category)
    first, second, third = (NominationFactory(category=category) for _i in range(3))
    votes_for(first, 5)
    votes_for(second, 3)
    votes_for(third, 1)
    score(first, UserFactory(), {c: 6})
    score(second, UserFactory(), {c: 8})
    score(third, UserFactory(), {c: 10})  # not a finalist: the jury score does not rank it
    standings = standings_of(edition)
    assert standings[second.pk].final_score == Decimal("80.00")
    assert standings[second.pk].is_winner
    assert not standings[third.pk].is_finalist
    assert standings[third.pk].rank is None and standings[third.pk].final_score is None


def test_equal_final_scores_go_to_the_higher_jury_score_then_votes_then_the_earlier(
    edition, category
):
    edition.winner_method = Edition.WinnerMethod.JURY
    edition.finalists_per_category = 5
    edition.save()
    c = JuryCriterionFactory(category=category)
    now = timezone.now()
    later = NominationFactory(category=category, created_at=now - 2 * HOUR)
    earlier = NominationFactory(category=category, created_at=now - 3 * HOUR)
    more_votes = NominationFactory(category=category, created_at=now - HOUR)
    votes_for(more_votes, 2)
    for nomination in (later, earlier, more_votes):
        score(nomination, UserFactory(), {c: 7})
    ranked = sorted((s for s in standings_of(edition).values() if s.rank), key=lambda s: s.rank)
    assert [s.nomination.pk for s in ranked] == [more_votes.pk, earlier.pk, later.pk]


def test_a_finalist_without_sheets_comes_after_the_scored_ones(edition, category):
    c = JuryCriterionFactory(category=category)
    unscored = NominationFactory(category=category)
    scored = NominationFactory(category=category)
    votes_for(unscored, 9)
    score(scored, UserFactory(), {c: 1})
    standings = standings_of(edition)
    assert standings[scored.pk].rank == 1 and standings[scored.pk].is_winner
    assert standings[unscored.pk].rank == 2 and standings[unscored.pk].final_score is None


def test_no_sheet_in_a_category_means_no_winner(edition, category):
    nomination = NominationFactory(category=category)
    votes_for(nomination, 3)
    [group] = queries.compute_results(edition)
    assert group.winner is None


def test_nominations_not_public_are_left_out(edition, category):
    NominationFactory(category=category, status=Nomination.Status.PENDING)
    NominationFactory(category=category, nominee_consented_at=None)
    public = NominationFactory(category=category)
    assert list(standings_of(edition)) == [public.pk]


def test_computing_the_results_takes_the_same_queries_however_many_rows(
    edition, django_assert_num_queries
):
    def grow(category):
        c = JuryCriterionFactory(category=category, weight=2)
        d = JuryCriterionFactory(category=category, weight=1)
        for _i in range(4):
            nomination = NominationFactory(category=category)
            votes_for(nomination, 2)
            score(nomination, UserFactory(), {c: 5, d: 8})
            score(nomination, UserFactory(), {c: 6, d: 7})

    categories = [CategoryFactory(edition=edition) for _i in range(2)]
    for category in categories:
        grow(category)
    # categories, the tally, the jury sums, then per category: finalists, nominations
    with django_assert_num_queries(3 + 2 * 2):
        queries.compute_results(edition)
    for category in categories:
        grow(category)
    with django_assert_num_queries(3 + 2 * 2):
        queries.compute_results(edition)


# Publishing -------------------------------------------------------------------------


def test_staff_publish_once_and_every_public_nomination_gets_a_result(
    edition, category, staff, django_capture_on_commit_callbacks
):
    c = JuryCriterionFactory(category=category)
    winner = NominationFactory(category=category)
    other = NominationFactory(category=category)
    votes_for(winner, 2)
    score(winner, UserFactory(), {c: 8})
    score(other, UserFactory(), {c: 4})
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(edition=edition, by=staff)
    edition.refresh_from_db()
    assert edition.results_published_at is not None
    assert edition.results_published_by == staff
    stored = {r.nomination_id: r for r in Result.objects.filter(category=category)}
    assert set(stored) == {winner.pk, other.pk}
    assert stored[winner.pk].is_winner and stored[winner.pk].rank == 1
    assert stored[winner.pk].jury_score == Decimal("80.00")
    assert len(stored[winner.pk].certificate_code) == 32
    assert stored[other.pk].certificate_code == ""
    with pytest.raises(services.ResultsAlreadyPublished):
        services.publish_results(edition=edition, by=staff)
    assert Result.objects.filter(category=category).count() == 2


def test_publishing_tells_the_nominated_and_the_nominators_once(
    edition, category, staff, django_capture_on_commit_callbacks
):
    nomination = NominationFactory(category=category)
    hidden = NominationFactory(category=category, nominee_consented_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(edition=edition, by=staff)
    told = set(
        Notification.objects.filter(kind="award_results").values_list("recipient", flat=True)
    )
    assert told == {nomination.nominee_user_id, nomination.nominated_by_id, hidden.nominated_by_id}
    note = Notification.objects.filter(recipient=nomination.nominee_user).get()
    assert note.params == {"edition": edition.name}
    assert note.url == reverse("awards:results", args=[edition.slug])


def test_nobody_but_award_staff_publishes(edition, category, mentee, other_staff):
    for person in (mentee, other_staff):
        with pytest.raises(services.PermissionDenied):
            services.publish_results(edition=edition, by=person)
    assert not Result.objects.exists()


def test_results_are_not_published_before_the_jury_closes_or_their_time(programme, staff):
    during_jury = EditionFactory(programme=programme, phase=Phase.JURY)
    with pytest.raises(services.ResultsNotReady):
        services.publish_results(edition=during_jury, by=staff)
    edition = EditionFactory(programme=programme, phase=Phase.BEFORE_RESULTS)
    edition.results_at = timezone.now() + HOUR
    edition.save()
    with pytest.raises(services.ResultsNotReady):
        services.publish_results(edition=edition, by=staff)
    services.publish_results(edition=edition, by=staff, now=edition.results_at)
    assert Edition.objects.get(pk=edition.pk).results_published_at == edition.results_at


# Pages ------------------------------------------------------------------------------


def test_the_results_page_is_not_found_until_published(client, edition, category, staff):
    NominationFactory(category=category)
    url = reverse("awards:results", args=[edition.slug])
    assert client.get(url).status_code == 404
    assert client.get(reverse("awards:results_csv", args=[edition.slug])).status_code == 404
    services.publish_results(edition=edition, by=staff)
    response = client.get(url)
    assert response.status_code == 200
    assert str(queries.TIE_RULE) in response.content.decode()


def test_the_results_page_shows_the_rule_the_winner_and_every_count(
    client, edition, category, staff
):
    edition.finalists_per_category = 1
    edition.save()
    c = JuryCriterionFactory(category=category)
    winner = NominationFactory(category=category, nominee_user__full_name="Айгүл Өмүрбекова")
    other = NominationFactory(category=category, nominee_user__full_name="Bermet Second")
    votes_for(winner, 3)
    votes_for(other, 2)
    score(winner, UserFactory(), {c: 7})
    services.publish_results(edition=edition, by=staff)
    page = client.get(reverse("awards:results", args=[edition.slug])).content.decode()
    assert "Айгүл Өмүрбекова" in page and "Bermet Second" in page
    assert "Finalists: the 1 with most public votes; all tied with the last place are" in page
    assert "70.00" in page
    assert winner.nominated_by.email not in page and winner.nominee_user.email not in page


def test_a_nominee_who_may_not_appear_in_public_keeps_her_votes_but_not_her_name(
    client, login, edition, category, staff, mentor, minor_mentee
):
    from stem4all.accounts.models import GuardianConsent

    nomination = NominationFactory(category=category, nominee_user=minor_mentee)
    votes_for(nomination, 3)
    services.publish_results(edition=edition, by=staff)
    url = reverse("awards:results", args=[edition.slug])
    assert minor_mentee.full_name in client.get(url).content.decode()
    GuardianConsent.objects.filter(mentee=minor_mentee).update(revoked_at=timezone.now())
    assert Result.objects.filter(nomination=nomination).exists()
    page = client.get(url).content.decode()
    assert minor_mentee.full_name not in page
    assert '<th scope="row">A nominee whose name is not shown</th><td>3</td>' in page
    csv_text = client.get(reverse("awards:results_csv", args=[edition.slug])).content
    rows = csv_text.decode("utf-8-sig")
    assert minor_mentee.full_name not in rows
    assert "A nominee whose name is not shown,3," in rows
    api = login(mentor).get(f"/api/v1/awards/editions/{edition.pk}/results")
    assert api.status_code == 200
    assert minor_mentee.full_name not in api.content.decode()


def test_the_results_page_takes_few_queries(client, edition, staff, django_assert_max_num_queries):
    for _c in range(3):
        category = CategoryFactory(edition=edition)
        for _n in range(5):
            votes_for(NominationFactory(category=category), 1)
    services.publish_results(edition=edition, by=staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("awards:results", args=[edition.slug])).status_code == 200


def test_the_preview_is_for_award_staff_only(login, edition, category, mentee, other_staff, staff):
    url = reverse("awards:results_preview", args=[edition.slug])
    assert login(mentee).get(url).status_code == 403
    assert login(other_staff).get(url).status_code == 403
    response = login(staff).get(url)
    assert response.status_code == 200
    assert reverse("awards:results_publish", args=[edition.slug]) in response.content.decode()
    assert login(staff).get(reverse("awards:results_preview", args=["nope"])).status_code == 404


def test_the_preview_waits_for_the_jury_to_close(login, programme, staff):
    edition = EditionFactory(programme=programme, phase=Phase.JURY)
    response = login(staff).get(reverse("awards:results_preview", args=[edition.slug]))
    assert response.status_code == 200
    assert reverse("awards:results_publish", args=[edition.slug]) not in (response.content.decode())


def test_publishing_from_the_page_redirects_to_the_results(login, edition, category, staff):
    NominationFactory(category=category)
    client = login(staff)
    response = client.post(reverse("awards:results_publish", args=[edition.slug]))
    assert response.status_code == 302
    assert response.url == reverse("awards:results", args=[edition.slug])
    again = client.post(reverse("awards:results_publish", args=[edition.slug]), follow=True)
    assert "already published" in again.content.decode()
    assert Result.objects.count() == 1


def test_a_mentee_cannot_publish_from_the_page(login, edition, category, mentee):
    response = login(mentee).post(reverse("awards:results_publish", args=[edition.slug]))
    assert response.status_code == 403
    assert Edition.objects.get(pk=edition.pk).results_published_at is None


def test_the_public_csv_lists_every_public_nomination_with_its_votes(
    client, edition, category, staff
):
    import csv
    import io

    nomination = NominationFactory(category=category, nominee_user__full_name="=HYPERLINK(1)")
    votes_for(nomination, 2)
    services.publish_results(edition=edition, by=staff)
    response = client.get(reverse("awards:results_csv", args=[edition.slug]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Category", "Nominee", "Public votes"]
    assert rows[1][:3] == [category.name, "'=HYPERLINK(1)", "2"]


# API --------------------------------------------------------------------------------


def test_the_api_shows_published_results_to_anyone_signed_in(
    login, edition, category, staff, mentee
):
    c = JuryCriterionFactory(category=category)
    nomination = NominationFactory(category=category)
    score(nomination, UserFactory(), {c: 9})
    url = f"/api/v1/awards/editions/{edition.pk}/results"
    assert login(mentee).get(url).status_code == 404
    preview = login(staff).get(url).json()
    assert preview["published"] is False
    published = login(staff).post(url + "/publish")
    assert published.status_code == 200
    data = login(mentee).get(url).json()
    assert data["published"] is True
    assert data["tie_rule"] == str(queries.TIE_RULE)
    [group] = data["categories"]
    assert group["winner_nomination_id"] == nomination.pk
    assert group["results"][0]["jury_score"] == "90.00"


def test_the_api_refuses_publishing_to_others_and_twice(login, edition, category, staff, mentee):
    url = f"/api/v1/awards/editions/{edition.pk}/results/publish"
    assert login(mentee).post(url).status_code == 403
    assert login(staff).post(url).status_code == 200
    assert login(staff).post(url).status_code == 409
    assert login(staff).post("/api/v1/awards/editions/999999/results/publish").status_code == 404


def test_the_api_answers_409_before_the_jury_closes(login, programme, staff):
    edition = EditionFactory(programme=programme, phase=Phase.JURY)
    response = login(staff).post(f"/api/v1/awards/editions/{edition.pk}/results/publish")
    assert response.status_code == 409
    assert login(staff).get(f"/api/v1/awards/editions/{edition.pk}/results").status_code == 404


def test_nobody_is_told_before_the_results_are_committed(
    edition, category, staff, django_capture_on_commit_callbacks
):
    NominationFactory(category=category)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_results(edition=edition, by=staff)
    assert not Notification.objects.filter(kind="award_results").exists()
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(kind="award_results").count() == 2


def test_the_preview_takes_few_queries(login, edition, staff, django_assert_max_num_queries):
    for _c in range(3):
        category = CategoryFactory(edition=edition)
        criterion = JuryCriterionFactory(category=category)
        for _n in range(4):
            nomination = NominationFactory(category=category)
            votes_for(nomination, 2)
            score(nomination, UserFactory(), {criterion: 6})
    client = login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("awards:results_preview", args=[edition.slug])).status_code == 200
