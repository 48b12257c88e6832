"""The rules of public voting, at the service: the phase window at its exact edges,
verified e-mail, one vote per voter and category, changes, append-only rows and
receipts."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import queries, services
from stem4all.awards.errors import AlreadyVoted, EmailNotVerified, NotVotable, PhaseClosed
from stem4all.awards.models import Nomination, Phase, Vote, VoteVoiding

from .factories import CategoryFactory, EditionFactory, NominationFactory

MS = dt.timedelta(milliseconds=1)


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.VOTING)


@pytest.fixture
def category(edition):
    return CategoryFactory(edition=edition)


@pytest.fixture
def nominees(category):
    return [NominationFactory(category=category) for _i in range(3)]


def vote(voter, nomination, **kwargs):
    return services.cast_vote(voter=voter, nomination=nomination, **kwargs)


def test_a_vote_at_the_opening_instant_counts(voter, edition, nominees):
    cast = vote(voter, nominees[0], now=edition.voting_open_at)
    assert cast.cast_at == edition.voting_open_at
    assert queries.tally([nominees[0].category]) == {nominees[0].pk: 1}


def test_a_vote_a_millisecond_before_the_opening_is_refused(voter, edition, nominees):
    with pytest.raises(PhaseClosed):
        vote(voter, nominees[0], now=edition.voting_open_at - MS)
    assert not Vote.objects.exists()


def test_a_vote_a_millisecond_before_the_close_is_accepted(voter, edition, nominees):
    vote(voter, nominees[0], now=edition.voting_close_at - MS)
    assert queries.tally([nominees[0].category]) == {nominees[0].pk: 1}


@pytest.mark.parametrize("after", [dt.timedelta(0), MS])
def test_a_vote_at_the_close_or_after_it_is_refused(voter, edition, nominees, after):
    with pytest.raises(PhaseClosed):
        vote(voter, nominees[0], now=edition.voting_close_at + after)
    assert not Vote.objects.exists()


def test_a_voter_with_an_unverified_email_may_not_vote(nominees):
    unverified = UserFactory(verified=False)
    EmailAddress.objects.create(
        user=unverified, email=unverified.email, verified=False, primary=True
    )
    with pytest.raises(EmailNotVerified):
        vote(unverified, nominees[0])
    assert not Vote.objects.exists()


def test_a_verified_address_other_than_the_account_email_does_not_count(nominees):
    person = UserFactory(verified=False)
    EmailAddress.objects.create(user=person, email="old@example.org", verified=True)
    with pytest.raises(EmailNotVerified):
        vote(person, nominees[0])


def test_one_vote_per_voter_and_category_and_one_in_each_category(voter, edition, nominees):
    other_category = CategoryFactory(edition=edition)
    elsewhere = NominationFactory(category=other_category)
    first = vote(voter, nominees[0])
    vote(voter, elsewhere)
    assert first.sequence == 1
    assert queries.tally([nominees[0].category]) == {nominees[0].pk: 1}
    assert queries.tally([other_category]) == {elsewhere.pk: 1}


def test_changing_a_vote_adds_a_row_and_moves_the_tally(voter, nominees):
    first = vote(voter, nominees[0])
    second = vote(voter, nominees[1])
    assert (first.sequence, second.sequence) == (1, 2)
    assert Vote.objects.filter(voter=voter).count() == 2
    assert queries.tally([nominees[0].category]) == {nominees[1].pk: 1}
    first.refresh_from_db()
    assert first.nomination_id == nominees[0].pk  # the first row is untouched


def test_changing_a_vote_is_refused_when_the_edition_does_not_allow_it(voter, edition, nominees):
    edition.votes_changeable = False
    edition.save()
    vote(voter, nominees[0])
    with pytest.raises(AlreadyVoted):
        vote(voter, nominees[1])
    assert Vote.objects.filter(voter=voter).count() == 1
    assert queries.tally([nominees[0].category]) == {nominees[0].pk: 1}


def test_voting_again_for_the_same_nominee_adds_no_row(voter, nominees):
    first = vote(voter, nominees[0])
    again = vote(voter, nominees[0])
    assert again.pk == first.pk
    assert Vote.objects.count() == 1


def test_voting_again_for_the_same_nominee_is_not_new(voter, nominees):
    _vote, is_new = services.vote_for_nomination(voter=voter, nomination=nominees[0])
    again, is_new_again = services.vote_for_nomination(voter=voter, nomination=nominees[0])
    assert (is_new, is_new_again) == (True, False)
    assert again.pk == _vote.pk


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Nomination.Status.PENDING},
        {"status": Nomination.Status.REJECTED},
        {"nominee_consented_at": None},
    ],
    ids=["pending", "rejected", "no-consent"],
)
def test_a_nomination_not_public_takes_no_votes(voter, category, changes):
    nomination = NominationFactory(category=category, **changes)
    with pytest.raises(NotVotable):
        vote(voter, nomination)
    assert not Vote.objects.exists()


def test_a_vote_is_never_updated_or_deleted(voter, nominees):
    cast = vote(voter, nominees[0])
    cast.nomination = nominees[1]
    with pytest.raises(ValueError, match="never changed"):
        cast.save()
    with pytest.raises(ValueError, match="never deleted"):
        cast.delete()
    cast.refresh_from_db()
    assert cast.nomination_id == nominees[0].pk


def test_receipts_are_unique_and_name_no_one(voter, stranger, nominees):
    receipts = {
        vote(voter, nominees[0]).receipt,
        vote(voter, nominees[1]).receipt,
        vote(stranger, nominees[0]).receipt,
    }
    assert len(receipts) == 3
    for receipt in receipts:
        assert len(receipt) == services.RECEIPT_LENGTH
        assert receipt.isalnum() and receipt == receipt.upper()
        assert voter.email not in receipt


def test_a_receipt_is_found_with_dashes_and_any_case(voter, nominees):
    cast = vote(voter, nominees[0])
    typed = services.format_receipt(cast.receipt).lower()
    assert "-" in typed
    found = services.look_up_receipt(receipt=typed, ip="10.0.0.1")
    assert found.pk == cast.pk
    assert found.standing == queries.VoteStanding.STANDING


def test_an_unknown_receipt_raises_a_clear_error(db):
    with pytest.raises(services.UnknownReceipt):
        services.look_up_receipt(receipt="AAAA-BBBB-CCCC", ip="10.0.0.1")


def test_a_replaced_vote_says_so_and_the_later_one_stands(voter, nominees):
    first = vote(voter, nominees[0])
    second = vote(voter, nominees[1])
    assert queries.vote_by_receipt(first.receipt).standing == queries.VoteStanding.REPLACED
    assert queries.vote_by_receipt(second.receipt).standing == queries.VoteStanding.STANDING


def test_a_voided_vote_says_so_once_a_second_person_confirmed(voter, staff, nominees):
    cast = vote(voter, nominees[0])
    confirmer = UserFactory()
    voiding = VoteVoiding.objects.create(vote=cast, reason="Bought votes", requested_by=staff)
    # Requested but not confirmed: it still counts.
    assert queries.vote_by_receipt(cast.receipt).standing == queries.VoteStanding.STANDING
    voiding.confirmed_by = confirmer
    voiding.confirmed_at = timezone.now()
    voiding.save()
    assert queries.vote_by_receipt(cast.receipt).standing == queries.VoteStanding.VOIDED
    with pytest.raises(AlreadyVoted):
        vote(voter, nominees[1])


def test_a_vote_outside_the_window_says_so(voter, edition, nominees):
    # Only the data can hold one (an import, a clock moved): the tally ignores it.
    late = edition.voting_close_at + MS
    Vote.objects.create(
        category=nominees[0].category,
        nomination=nominees[0],
        voter=voter,
        cast_at=late,
        receipt=services.make_receipt(
            voter_id=voter.pk, category_id=nominees[0].category_id, sequence=1, cast_at=late
        ),
    )
    found = queries.vote_by_receipt(Vote.objects.get().receipt)
    assert found.standing == queries.VoteStanding.OUTSIDE
    assert queries.tally([nominees[0].category]) == {}


def test_wrong_receipts_are_limited_per_address_and_right_ones_are_not(voter, nominees):
    cast = vote(voter, nominees[0])
    for _i in range(services.RECEIPT_LOOKUPS_PER_IP_PER_HOUR + 5):
        services.look_up_receipt(receipt=cast.receipt, ip="10.0.0.2")
    for _i in range(services.RECEIPT_LOOKUPS_PER_IP_PER_HOUR):
        with pytest.raises(services.UnknownReceipt):
            services.look_up_receipt(receipt="ZZZZZZZZZZZZ", ip="10.0.0.2")
    with pytest.raises(services.TooManyLookups):
        services.look_up_receipt(receipt=cast.receipt, ip="10.0.0.2")
    # Another address is not affected.
    assert services.look_up_receipt(receipt=cast.receipt, ip="10.0.1.2").pk == cast.pk


def test_a_minor_without_guardian_consent_is_not_listed_for_votes(category, minor_mentee):
    shown = NominationFactory(category=category)
    minor = NominationFactory(category=category, nominee_user=minor_mentee)
    no_consent = NominationFactory(
        category=category, nominee_user=UserFactory(date_of_birth=dt.date(2015, 1, 1))
    )
    unknown_age = NominationFactory(category=category, nominee_user=UserFactory(date_of_birth=None))
    listed = set(queries.votable_nominations(category))
    assert shown in listed and minor in listed
    assert no_consent not in listed and unknown_age not in listed


def test_the_vote_service_itself_refuses_a_minor_without_guardian_consent(category, voter):
    # Not only the page: a vote through any door is refused while she may not appear.
    minor = NominationFactory(
        category=category, nominee_user=UserFactory(date_of_birth=dt.date(2015, 1, 1))
    )
    with pytest.raises(NotVotable):
        services.cast_vote(voter=voter, nomination=minor)
    assert not Vote.objects.exists()
