"""The integrity review of the votes: the anomaly signals on a bot cluster and on
organic voters, and the two-person voiding of a vote."""

import datetime as dt
import itertools
import random

import pytest
from django.db import IntegrityError, transaction

from stem4all.accounts.models import User
from stem4all.awards import queries, services
from stem4all.awards.models import Phase, Vote, VoteVoiding
from stem4all.awards.queries import Signal
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

from .factories import CategoryFactory, EditionFactory, NominationFactory

_serial = itertools.count()


def make_voter(joined):
    n = next(_serial)
    return User.objects.create(
        email=f"integrity-voter-{n}@example.org", full_name=f"Voter {n}", date_joined=joined
    )


def make_vote(nomination, voter, cast_at, network="", browser=""):
    return Vote.objects.create(
        category=nomination.category,
        nomination=nomination,
        voter=voter,
        sequence=1,
        cast_at=cast_at,
        receipt=services.make_receipt(
            voter_id=voter.pk, category_id=nomination.category_id, sequence=1, cast_at=cast_at
        ),
        network=network,
        user_agent_digest=services.user_agent_digest(browser) if browser else "",
    )


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.JURY)


@pytest.fixture
def category(edition):
    return CategoryFactory(edition=edition)


@pytest.fixture
def nominees(category):
    return [NominationFactory(category=category) for _i in range(5)]


@pytest.fixture
def second_staff(cohort):
    user = make_voter(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.STAFF)
    return user


BROWSERS = [f"Mozilla/5.0 (Linux; Android 1{i}) Chrome/12{i}.0 Mobile" for i in range(8)]


def seed_organic(edition, nominees, rng):
    """320 voters with accounts days old, votes over the two days of voting: 245 at
    home (1-3 per network) and three schools of 25, 30 and 20 sharing a network and a
    browser model."""
    opens = edition.voting_open_at
    span = (edition.voting_close_at - opens).total_seconds() - 60
    votes = []
    homes = [f"10.{i // 200}.{i % 200}.0/24" for i in range(120)]
    groups = [(rng.choice(homes), rng.choice(BROWSERS)) for _i in range(245)]
    groups += [("192.0.2.0/24", "School lab browser")] * 25
    groups += [("198.51.100.0/24", "School lab browser")] * 30
    groups += [("2001:db8:1::/48", "Another school browser")] * 20
    for network, browser in groups:
        voter = make_voter(opens - dt.timedelta(days=rng.randint(2, 60)))
        cast_at = opens + dt.timedelta(seconds=rng.uniform(0, span))
        votes.append(make_vote(rng.choice(nominees), voter, cast_at, network, browser))
    return votes


def seed_bots(edition, nomination, count=60):
    start = edition.voting_open_at + dt.timedelta(hours=20)
    votes = []
    for i in range(count):
        joined = start + dt.timedelta(seconds=i)
        voter = make_voter(joined)
        cast_at = joined + dt.timedelta(seconds=5 + i % 7)
        votes.append(
            make_vote(nomination, voter, cast_at, "203.0.113.0/24", "python-requests/2.31")
        )
    return votes


def test_every_vote_of_a_bot_cluster_is_flagged_and_organic_voters_rarely_are(edition, nominees):
    rng = random.Random(20261201)
    organic = seed_organic(edition, nominees, rng)
    bots = seed_bots(edition, nominees[0])
    report = queries.anomaly_report(edition)
    flagged = {check.id for check in report.flagged}
    assert {vote.pk for vote in bots} <= flagged
    organic_flagged = flagged & {vote.pk for vote in organic}
    assert len(organic) >= 300
    assert len(organic_flagged) <= 0.05 * len(organic)
    bot_check = next(c for c in report.votes if c.id == bots[10].pk)
    assert set(bot_check.signals) == {
        Signal.NETWORK_CROWD,
        Signal.FAST_SIGNUP,
        Signal.SHARED_BROWSER,
        Signal.BURST,
    }
    cluster = report.clusters[0]
    assert cluster.network == "203.0.113.0/24"
    assert (cluster.voters, cluster.votes, cluster.flagged) == (60, 60, 60)
    assert cluster.median_signup_seconds < 15
    assert cluster.shared_browser_share == 1.0
    assert cluster.burst == 60
    school = next(c for c in report.clusters if c.network == "198.51.100.0/24")
    assert (school.voters, school.flagged, school.shared_browser_share) == (30, 0, 1.0)


def test_organic_voters_alone_are_at_most_five_percent_flagged(edition, nominees):
    organic = seed_organic(edition, nominees, random.Random(7))
    report = queries.anomaly_report(edition)
    assert len(report.votes) == len(organic)
    assert len(report.flagged) <= 0.05 * len(organic)


def test_a_small_bot_cluster_spread_over_many_networks_is_still_flagged(edition, nominees):
    """Fresh accounts voting for one nominee within a minute, each from its own
    network: sign-up speed and the nominee's burst are two signals."""
    start = edition.voting_open_at + dt.timedelta(hours=3)
    bots = []
    for i in range(20):
        voter = make_voter(start + dt.timedelta(seconds=i))
        bots.append(
            make_vote(nominees[1], voter, start + dt.timedelta(seconds=i + 20), f"10.9.{i}.0/24")
        )
    flagged = {c.id for c in queries.anomaly_report(edition).flagged}
    assert {v.pk for v in bots} <= flagged


def test_a_new_account_voting_at_once_alone_is_not_flagged(edition, nominees):
    joined = edition.voting_open_at + dt.timedelta(hours=1)
    vote = make_vote(
        nominees[0], make_voter(joined), joined + dt.timedelta(seconds=30), "10.0.0.0/24"
    )
    check = queries.anomaly_report(edition).votes[0]
    assert check.id == vote.pk
    assert check.signals == [Signal.FAST_SIGNUP]
    assert not check.is_flagged


def test_the_report_of_an_edition_ignores_other_editions(edition, nominees, programme):
    other = NominationFactory(category=CategoryFactory(edition=EditionFactory(phase=Phase.JURY)))
    seed_bots(other.category.edition, other, count=20)
    assert queries.anomaly_report(edition).votes == []


# Two-person voiding --------------------------------------------------------------


@pytest.fixture
def vote(edition, nominees):
    opens = edition.voting_open_at
    return make_vote(nominees[0], make_voter(opens - dt.timedelta(days=3)), opens)


def test_the_tally_moves_only_after_a_second_staff_member_confirms(
    vote, staff, second_staff, category
):
    assert queries.tally([category]) == {vote.nomination_id: 1}
    voiding = services.request_voiding(vote=vote, by=staff, reason="Bot cluster 203.0.113.0/24")
    assert queries.tally([category]) == {vote.nomination_id: 1}
    services.confirm_voiding(voiding=voiding, by=second_staff)
    assert queries.tally([category]) == {}
    voiding.refresh_from_db()
    assert voiding.requested_by == staff and voiding.confirmed_by == second_staff
    assert voiding.confirmed_at is not None
    assert Vote.objects.filter(pk=vote.pk).exists()


def test_a_staff_member_cannot_confirm_her_own_request(vote, staff, category):
    voiding = services.request_voiding(vote=vote, by=staff, reason="Same browser")
    with pytest.raises(services.VoidingRefused):
        services.confirm_voiding(voiding=voiding, by=staff)
    assert queries.tally([category]) == {vote.nomination_id: 1}


def test_the_database_refuses_a_voiding_confirmed_by_its_requester(vote, staff):
    voiding = services.request_voiding(vote=vote, by=staff, reason="Same browser")
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteVoiding.objects.filter(pk=voiding.pk).update(
            confirmed_by=staff, confirmed_at=voiding.requested_at
        )


def test_a_voiding_needs_a_reason_and_award_staff(vote, staff, other_staff, mentor):
    with pytest.raises(services.VoidingRefused):
        services.request_voiding(vote=vote, by=staff, reason="   ")
    for person in (other_staff, mentor):
        with pytest.raises(services.VoidingRefused):
            services.request_voiding(vote=vote, by=person, reason="Looks odd")
    voiding = services.request_voiding(vote=vote, by=staff, reason="Looks odd")
    with pytest.raises(services.VoidingRefused):
        services.confirm_voiding(voiding=voiding, by=other_staff)
    assert VoteVoiding.objects.count() == 1


def test_a_vote_is_voided_once(vote, staff, second_staff):
    voiding = services.request_voiding(vote=vote, by=staff, reason="Bot")
    with pytest.raises(services.VoidingRefused):
        services.request_voiding(vote=vote, by=second_staff, reason="Bot again")
    services.confirm_voiding(voiding=voiding, by=second_staff)
    with pytest.raises(services.VoidingRefused):
        services.confirm_voiding(voiding=voiding, by=second_staff)


def test_the_requester_withdraws_before_confirmation_and_the_vote_stays(
    vote, staff, second_staff, category
):
    voiding = services.request_voiding(vote=vote, by=staff, reason="Mistake")
    with pytest.raises(services.VoidingRefused):
        services.withdraw_voiding_request(voiding=voiding, by=second_staff)
    services.withdraw_voiding_request(voiding=voiding, by=staff)
    assert not VoteVoiding.objects.exists()
    assert Vote.objects.get(pk=vote.pk).receipt == vote.receipt
    assert queries.tally([category]) == {vote.nomination_id: 1}
    with pytest.raises(services.VoidingRefused):
        services.confirm_voiding(voiding=voiding, by=second_staff)


def test_a_confirmed_voiding_cannot_be_withdrawn(vote, staff, second_staff):
    voiding = services.request_voiding(vote=vote, by=staff, reason="Bot")
    services.confirm_voiding(voiding=voiding, by=second_staff)
    with pytest.raises(services.VoidingRefused):
        services.withdraw_voiding_request(voiding=voiding, by=staff)
    assert VoteVoiding.objects.get().is_confirmed


def test_nothing_is_voided_once_the_results_are_published(
    vote, staff, second_staff, edition, nominees
):
    voiding = services.request_voiding(vote=vote, by=staff, reason="Bot")
    other = make_vote(nominees[1], make_voter(edition.voting_open_at), edition.voting_open_at)
    edition.results_published_at = edition.results_at
    edition.save()
    with pytest.raises(services.VoidingRefused):
        services.confirm_voiding(voiding=voiding, by=second_staff)
    with pytest.raises(services.VoidingRefused):
        services.withdraw_voiding_request(voiding=voiding, by=staff)
    with pytest.raises(services.VoidingRefused):
        services.request_voiding(vote=other, by=staff, reason="Bot")
