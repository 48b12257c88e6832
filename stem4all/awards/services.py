"""Writes for the award, one function per use case: nominating and reviewing,
casting a vote, voiding a vote, the jury's work, and publishing the results."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core import rate_limit

from .errors import AlreadyVoted, EmailNotVerified, NotVotable, PhaseClosed, TooManyVotes
from .models import Nomination, Vote

# Schools and internet cafes put a whole class behind one address: the limit per
# address is generous, and the integrity review looks at networks afterwards.
RECEIPT_LENGTH = 12


# Voting ---------------------------------------------------------------------------


def has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def network_of(ip: str | None) -> str:
    """The /24 of an IPv4 address or the /48 of an IPv6 address, '' when unknown."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def user_agent_digest(user_agent: str | None) -> str:
    if not user_agent:
        return ""
    return hashlib.sha256(user_agent.encode("utf-8", "replace")).hexdigest()[:16]


def make_receipt(*, voter_id: int, category_id: int, sequence: int, cast_at: dt.datetime) -> str:
    """A short keyed digest of the vote: unguessable, and it names no one."""
    message = f"{voter_id}:{category_id}:{sequence}:{cast_at.isoformat()}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:RECEIPT_LENGTH]


def format_receipt(receipt: str) -> str:
    return "-".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def check_vote_rate(*, ip: str | None, now: dt.datetime | None = None) -> None:
    """Count one vote attempt from ``ip``; raises once the address is over its limit."""
    if not rate_limit.take_slot(
        scope="award-votes",
        ip=ip,
        limit=settings.STEM4ALL_VOTES_PER_IP_PER_MINUTE,
        window_seconds=60,
        now=now,
    ):
        raise TooManyVotes


@transaction.atomic
def cast_vote(
    *,
    voter: User,
    nomination: Nomination,
    ip: str | None = None,
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> Vote:
    """Record ``voter``'s vote for ``nomination``, or her change of vote.

    The time is taken and the edition re-read inside the transaction, so a vote
    arriving at the closing instant is refused however long it queued. Of concurrent
    attempts only one gets its sequence number (the unique constraint); the others
    are told the vote was already recorded. Voting again for the same nominee returns
    the vote that stands instead of adding a row.
    """
    now = now or timezone.now()
    nomination = (
        Nomination.objects.select_related("category__edition", "nominee_user")
        .filter(pk=nomination.pk)
        .first()
    )
    if nomination is None or not nomination.is_public:
        raise NotVotable
    category = nomination.category
    edition = category.edition
    if not edition.is_voting_open(now):
        raise PhaseClosed(_("Public voting is not open."))
    if not has_verified_email(voter):
        raise EmailNotVerified
    latest = (
        Vote.objects.filter(voter=voter, category=category)
        .select_related("voiding")
        .order_by("-sequence")
        .first()
    )
    sequence = 1
    if latest is not None:
        voiding = getattr(latest, "voiding", None)
        if voiding is not None and voiding.is_confirmed:
            raise AlreadyVoted(_("Your vote in this category was voided by the programme staff."))
        if latest.nomination_id == nomination.pk:
            return latest
        if not edition.votes_changeable:
            raise AlreadyVoted
        sequence = latest.sequence + 1
    vote = Vote(
        category=category,
        nomination=nomination,
        voter=voter,
        sequence=sequence,
        cast_at=now,
        receipt=make_receipt(
            voter_id=voter.pk, category_id=category.pk, sequence=sequence, cast_at=now
        ),
        network=network_of(ip),
        user_agent_digest=user_agent_digest(user_agent),
    )
    try:
        with transaction.atomic():
            vote.save(force_insert=True)
    except IntegrityError as exc:
        raise AlreadyVoted(
            _("Your vote in this category was just recorded by another request.")
        ) from exc
    return vote


# === nominations (helper A) ===

# === end nominations ===

# === voting and receipts (helper B) ===

# === end voting ===

# === integrity and jury (helper C) ===

# === end integrity and jury ===

# === results and exports (helper D) ===

# === end results ===

# === editions and categories (helper E) ===

# === end editions ===
