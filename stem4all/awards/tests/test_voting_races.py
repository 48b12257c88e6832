"""Races on PostgreSQL: many identical or different votes by one voter in one category at
the same instant, through the real vote view, store exactly one vote; the same race
against a naive check-then-insert without the unique constraint stores several.

Like a server with a bounded connection pool: all requests of a round are released
from one barrier at the same instant, but at most ``POOL`` (40) hold a database
connection at a time (a ``threading.BoundedSemaphore`` around each request, and the
connection closed before the slot is given back). PostgreSQL here allows 100
connections and other test runs share it, so 200 connections at once would fail for a
reason that has nothing to do with votes.
"""

import secrets
import threading

from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import queries
from stem4all.awards.models import Phase, Vote

from .factories import CategoryFactory, EditionFactory, NominationFactory

THREADS = 200
POOL = 40
ROUNDS = 5
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _signed_in_clients(voter, n):
    clients = []
    for _i in range(n):
        client = Client()
        client.force_login(voter, backend=BACKEND)
        clients.append(client)
    return clients


def _fire(run_concurrently, clients, urls):
    """POST ``urls[i]`` with ``clients[i]``, all at once, at most POOL at a time."""
    pool = threading.BoundedSemaphore(POOL)

    def post(i):
        with pool:
            try:
                return clients[i].post(urls[i], REMOTE_ADDR=f"10.{i // 200}.{i % 200}.7")
            finally:
                connection.close()

    responses, errors = run_concurrently(post, n=len(urls))
    assert errors == []
    assert len(responses) == len(urls)
    return responses


def _error_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR]


def _check_round(responses, voter, category):
    """Exactly one vote stored, no 5xx, and every other answer a clear refusal (or, for
    the same nominee, the vote that already stands)."""
    assert [r.status_code for r in responses if r.status_code >= 500] == []
    votes = list(Vote.objects.filter(voter=voter, category=category))
    assert len(votes) == 1
    receipt_url = f"/awards/votes/{votes[0].pk}/receipt/"
    accepted = [r for r in responses if r["Location"] == receipt_url]
    refused = [r for r in responses if r["Location"] == category.get_absolute_url()]
    assert all(r.status_code == 302 for r in responses)
    assert len(accepted) + len(refused) == len(responses)
    assert len(accepted) >= 1
    for response in refused:
        assert _error_messages(response), "a refusal must say why"
    return len(accepted), len(refused)


def test_two_hundred_identical_votes_at_once_store_one(postgres_only, run_concurrently, settings):
    settings.STEM4ALL_VOTES_PER_IP_PER_MINUTE = 100_000  # the race, not the rate limit
    category = CategoryFactory(edition=EditionFactory(phase=Phase.VOTING))
    nomination = NominationFactory(category=category)
    for _round in range(ROUNDS):
        voter = UserFactory()
        clients = _signed_in_clients(voter, THREADS)
        responses = _fire(
            run_concurrently, clients, [f"/awards/nominations/{nomination.pk}/vote/"] * THREADS
        )
        _check_round(responses, voter, category)
    assert queries.tally([category]) == {nomination.pk: ROUNDS}


def test_votes_for_two_hundred_nominees_at_once_store_one(
    postgres_only, run_concurrently, settings
):
    settings.STEM4ALL_VOTES_PER_IP_PER_MINUTE = 100_000
    edition = EditionFactory(phase=Phase.VOTING, votes_changeable=False)
    category = CategoryFactory(edition=edition)
    nominations = [NominationFactory(category=category) for _i in range(THREADS)]
    urls = [f"/awards/nominations/{n.pk}/vote/" for n in nominations]
    for _round in range(ROUNDS):
        voter = UserFactory()
        responses = _fire(run_concurrently, _signed_in_clients(voter, THREADS), urls)
        accepted, refused = _check_round(responses, voter, category)
        assert (accepted, refused) == (1, THREADS - 1)
    assert sum(queries.tally([category]).values()) == ROUNDS


def test_concurrent_changes_keep_one_standing_vote_and_unbroken_numbers(
    postgres_only, run_concurrently, settings
):
    # Where a vote may be changed, a late request is a change: several rows, but their
    # numbers run 1, 2, 3... without a repeat, and only the last one counts.
    settings.STEM4ALL_VOTES_PER_IP_PER_MINUTE = 100_000
    category = CategoryFactory(edition=EditionFactory(phase=Phase.VOTING))
    nominations = [NominationFactory(category=category) for _i in range(50)]
    voter = UserFactory()
    responses = _fire(
        run_concurrently,
        _signed_in_clients(voter, 50),
        [f"/awards/nominations/{n.pk}/vote/" for n in nominations],
    )
    assert [r.status_code for r in responses if r.status_code >= 500] == []
    sequences = sorted(
        Vote.objects.filter(voter=voter, category=category).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, len(sequences) + 1))
    assert queries.standing_votes([category]).filter(voter=voter).count() == 1


def _naive_cast_vote(*, voter, nomination):
    """What the constraint protects against: check, then insert."""
    if Vote.objects.filter(voter=voter, category_id=nomination.category_id).exists():
        return None
    return Vote.objects.create(
        category_id=nomination.category_id,
        nomination=nomination,
        voter=voter,
        sequence=1,
        cast_at=timezone.now(),
        receipt=secrets.token_hex(8).upper(),
    )


def test_a_naive_check_then_insert_without_the_constraint_stores_duplicates(
    postgres_only, run_concurrently
):
    category = CategoryFactory(edition=EditionFactory(phase=Phase.VOTING))
    nomination = NominationFactory(category=category)
    table = connection.ops.quote_name(Vote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT one_vote_per_voter_per_category")
    try:
        stored_per_round = []
        for _round in range(ROUNDS):
            voter = UserFactory()
            _results, errors = run_concurrently(
                lambda _i, voter=voter: _naive_cast_vote(voter=voter, nomination=nomination),
                n=POOL,
            )
            assert errors == []
            stored_per_round.append(Vote.objects.filter(voter=voter).count())
            if stored_per_round[-1] > 1:
                break
        assert max(stored_per_round) > 1, stored_per_round
    finally:
        with connection.cursor() as cursor:
            # Votes are never deleted by the application; this test's rows must go so
            # that the constraint can come back.
            cursor.execute(f"DELETE FROM {table} WHERE category_id = %s", [category.pk])  # noqa: S608
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT one_vote_per_voter_per_category "
                "UNIQUE (voter_id, category_id, sequence)"
            )
