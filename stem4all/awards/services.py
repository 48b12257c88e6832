"""Writes for the award, one function per use case: nominating and reviewing,
casting a vote, voiding a vote, the jury's work, and publishing the results."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core import rate_limit
from stem4all.notifications.services import notify

from . import queries
from .errors import (
    AlreadyNominated,
    AlreadyReviewed,
    AlreadyVoted,
    AwardError,
    CategoryInUse,
    ConflictOfInterestError,
    EditionLocked,
    EmailNotVerified,
    JuryRefused,
    NotEligible,
    NotVotable,
    PhaseClosed,
    ResultsAlreadyPublished,
    ResultsNotReady,
    ScoreSheetFinal,
    TooManyLookups,
    TooManyVotes,
    UnknownReceipt,
    VoidingRefused,
)
from .models import (
    MAX_SCORE,
    MAX_STATEMENT,
    MIN_SCORE,
    Category,
    ConflictOfInterest,
    Edition,
    JuryAssignment,
    JuryCriterion,
    JuryScore,
    Nomination,
    Result,
    ScoreSheet,
    ScoreSheetReopening,
    Vote,
    VoteVoiding,
)
from .permissions import is_award_staff, may_appear_in_public, may_nominate_in
from .queries import (
    award_staff,
    conflicted_nomination_ids,
    finalists,
    is_category_scored,
    jury_candidates,
)

# Schools and internet cafes put a whole class behind one address: the limit per
# address is generous, and the integrity review looks at networks afterwards.
RECEIPT_LENGTH = 12


# Voting ---------------------------------------------------------------------------


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
        # Read with the nomination: one query less on the busiest write of the award.
        .annotate(voter_is_verified=Exists(queries.verified_addresses(voter)))
        .filter(pk=nomination.pk)
        .first()
    )
    if nomination is None or not nomination.is_public:
        raise NotVotable
    if nomination.is_person and not may_appear_in_public(nomination.nominee_user):
        raise NotVotable
    category = nomination.category
    edition = category.edition
    if not edition.is_voting_open(now):
        raise PhaseClosed(_("Public voting is not open."))
    if not nomination.voter_is_verified:
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
        # No savepoint: on a conflict nothing else is done in this transaction.
        vote.save(force_insert=True)
    except IntegrityError as exc:
        raise AlreadyVoted(
            _("Your vote in this category was just recorded by another request.")
        ) from exc
    return vote


# Stored as the reason of a nomination the nominee declined (staff and the nominator see it).
DECLINED_BY_NOMINEE = "declined by the nominee"


def _nominee_of(category: Category, *, user, organisation, practice):
    given = [value for value in (user, organisation, practice) if value is not None]
    if len(given) != 1:
        raise NotEligible(_("Choose exactly one nominee."))
    kind = category.nominee_kind
    expected = (
        user
        if category.is_for_people
        else organisation
        if kind == Category.NomineeKind.ORGANISATION
        else practice
    )
    if expected is None:
        raise NotEligible
    return given[0]


@transaction.atomic
def nominate(
    *,
    category: Category,
    nominated_by: User,
    nominee_user: User | None = None,
    nominee_organisation=None,
    nominee_practice=None,
    statement: str,
    now: dt.datetime | None = None,
) -> Nomination:
    """``nominated_by`` nominates one eligible person, organisation or practice in
    ``category`` while nominations are open. A second nomination of the same nominee by
    the same person is refused by the unique constraints (a double click included).
    A nominated person is told, after commit, so that she can agree or decline."""
    from . import queries

    now = now or timezone.now()
    category = Category.objects.select_related("edition").get(pk=category.pk)
    edition = category.edition
    if not edition.is_nominating_open(now):
        raise PhaseClosed(_("Nominations are not open."))
    if not may_nominate_in(nominated_by, category):
        raise AwardError(_("Only the programme's participants may nominate in this category."))
    nominee = _nominee_of(
        category, user=nominee_user, organisation=nominee_organisation, practice=nominee_practice
    )
    if nominee_user is not None and nominee_user.pk == nominated_by.pk:
        raise NotEligible(_("You cannot nominate yourself."))
    if not queries.eligible_nominees(category).filter(pk=nominee.pk).exists():
        raise NotEligible
    if (
        nominee_user is not None
        and not queries.offered_nominees(category, nominated_by).filter(pk=nominee_user.pk).exists()
    ):
        raise NotEligible
    statement = (statement or "").strip()
    if not statement:
        raise AwardError(_("Say why they deserve the award."))
    if len(statement) > MAX_STATEMENT:
        raise AwardError(
            _("The statement is too long: at most %(count)s characters.") % {"count": MAX_STATEMENT}
        )
    nomination = Nomination(
        category=category,
        nominee_user=nominee_user,
        nominee_organisation=nominee_organisation,
        nominee_practice=nominee_practice,
        statement=statement,
        nominated_by=nominated_by,
        created_at=now,
    )
    try:
        with transaction.atomic():
            nomination.save(force_insert=True)
    except IntegrityError as exc:
        raise AlreadyNominated from exc
    if nominee_user is not None:
        transaction.on_commit(lambda: _tell_the_nominee(nomination))
    return nomination


def _tell_the_nominee(nomination: Nomination) -> None:
    notify(
        recipient=nomination.nominee_user,
        kind="award_nominated",
        key=f"award-nominated:{nomination.pk}",
        url=reverse("awards:nomination_respond", kwargs={"nomination_id": nomination.pk}),
        params={
            "category": nomination.category.name,
            "edition": nomination.category.edition.name,
        },
    )


def _lock_for_nominee(nomination: Nomination, nominee: User) -> Nomination:
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.nominee_user_id is None or nomination.nominee_user_id != nominee.pk:
        raise AwardError(_("Only the nominated person can answer."))
    if nomination.status not in (Nomination.Status.PENDING, Nomination.Status.APPROVED):
        raise AwardError(_("This nomination is closed."))
    return nomination


@transaction.atomic
def consent_to_nomination(
    *,
    nomination: Nomination,
    nominee: User,
    shows_meetings: bool = False,
    shows_roadmap_steps: bool = False,
    shows_trainings: bool = False,
    now: dt.datetime | None = None,
) -> Nomination:
    """The nominated person agrees to appear (or changes what of her programme record
    is shown). A minor agrees only with a guardian's consent on record. Agreeing is
    possible until public voting opens, so the field is fixed when voting starts."""
    now = now or timezone.now()
    nomination = _lock_for_nominee(nomination, nominee)
    edition = nomination.category.edition
    if not may_appear_in_public(nominee):
        if nominee.date_of_birth is None:
            raise AwardError(
                _(
                    "Add your date of birth to your profile first: a person under 18 "
                    "appears in the award only with a parent's or guardian's consent."
                )
            )
        raise AwardError(
            _(
                "You can appear in the award only once a parent or guardian has given "
                "consent. Please ask the programme staff."
            )
        )
    if nomination.nominee_consented_at is None:
        if now >= edition.voting_open_at:
            raise PhaseClosed(_("Public voting has opened: it is too late to agree."))
        nomination.nominee_consented_at = now
    nomination.shows_meetings = shows_meetings
    nomination.shows_roadmap_steps = shows_roadmap_steps
    nomination.shows_trainings = shows_trainings
    nomination.save(
        update_fields=[
            "nominee_consented_at",
            "shows_meetings",
            "shows_roadmap_steps",
            "shows_trainings",
        ]
    )
    return nomination


@transaction.atomic
def withdraw_nomination_consent(
    *, nomination: Nomination, nominee: User, now: dt.datetime | None = None
) -> Nomination:
    """She takes back her agreement before public voting opens; the nomination stays
    but is no longer public (she may agree again later)."""
    now = now or timezone.now()
    nomination = _lock_for_nominee(nomination, nominee)
    if nomination.nominee_consented_at is None:
        raise AwardError(_("You have not agreed to appear."))
    if now >= nomination.category.edition.voting_open_at:
        raise PhaseClosed(
            _("Public voting has opened: ask the programme staff to withdraw your nomination.")
        )
    nomination.nominee_consented_at = None
    nomination.shows_meetings = nomination.shows_roadmap_steps = False
    nomination.shows_trainings = False
    nomination.save(
        update_fields=[
            "nominee_consented_at",
            "shows_meetings",
            "shows_roadmap_steps",
            "shows_trainings",
        ]
    )
    return nomination


@transaction.atomic
def decline_nomination(
    *, nomination: Nomination, nominee: User, now: dt.datetime | None = None
) -> Nomination:
    """She does not want to be nominated: the nomination is rejected for that reason.
    Once she has agreed and voting has opened she must ask the staff instead."""
    now = now or timezone.now()
    nomination = _lock_for_nominee(nomination, nominee)
    if (
        nomination.nominee_consented_at is not None
        and now >= nomination.category.edition.voting_open_at
    ):
        raise PhaseClosed(
            _("Public voting has opened: ask the programme staff to withdraw your nomination.")
        )
    nomination.status = Nomination.Status.REJECTED
    nomination.rejection_reason = DECLINED_BY_NOMINEE
    nomination.nominee_consented_at = None
    nomination.shows_meetings = nomination.shows_roadmap_steps = False
    nomination.shows_trainings = False
    nomination.save()
    return nomination


def respond_to_nomination(
    *,
    nomination: Nomination,
    nominee: User,
    answer: str,
    shows_meetings: bool = False,
    shows_roadmap_steps: bool = False,
    shows_trainings: bool = False,
    now: dt.datetime | None = None,
) -> Nomination:
    """The nominee's answer (``agree``, ``withdraw`` or ``decline``) from the respond
    page or the API, to the service that does it."""
    if answer == "agree":
        return consent_to_nomination(
            nomination=nomination,
            nominee=nominee,
            shows_meetings=shows_meetings,
            shows_roadmap_steps=shows_roadmap_steps,
            shows_trainings=shows_trainings,
            now=now,
        )
    if answer == "withdraw":
        return withdraw_nomination_consent(nomination=nomination, nominee=nominee, now=now)
    if answer == "decline":
        return decline_nomination(nomination=nomination, nominee=nominee, now=now)
    raise AwardError(_("Choose agree, withdraw or decline."))


def _lock_in_order(*nominations: Nomination) -> dict[int, Nomination]:
    # Rows locked in primary-key order, so two reviews of a pair never deadlock.
    ids = sorted({n.pk for n in nominations})
    locked = Nomination.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {n.pk: n for n in locked}


@transaction.atomic
def review_nomination(
    *,
    nomination: Nomination,
    by: User,
    decision: str,
    reason: str = "",
    merge_into: Nomination | None = None,
    now: dt.datetime | None = None,
) -> Nomination:
    """Award staff approve, reject (with a reason) or merge a waiting nomination. The
    row is locked and its status re-read, so of two staff deciding at once one decides
    and the other is told it is done. Approving a person needs her agreement; a second
    approved nomination of a nominee is refused by the database (merge it instead).
    Merging and approving end when public voting opens. The nominator is told."""
    from . import queries

    now = now or timezone.now()
    locked = _lock_in_order(nomination, *([merge_into] if merge_into is not None else []))
    nomination = locked[nomination.pk]
    edition = Edition.objects.get(pk=nomination.category.edition_id)
    if not is_award_staff(by, edition):
        raise AwardError(_("Only the programme staff review nominations."))
    if nomination.status != Nomination.Status.PENDING:
        raise AlreadyReviewed
    reason = (reason or "").strip()
    if decision == "approve":
        if now >= edition.voting_open_at:
            raise PhaseClosed(_("Public voting has opened: nominations can no longer be approved."))
        if not nomination.has_nominee_consent:
            raise AwardError(_("The nominee has not agreed to appear yet."))
        if nomination.is_person and not may_appear_in_public(nomination.nominee_user):
            raise AwardError(_("A guardian's consent for this nominee is no longer on record."))
        nominee = nomination.nominee
        if not queries.eligible_nominees(nomination.category).filter(pk=nominee.pk).exists():
            raise NotEligible
        nomination.status = Nomination.Status.APPROVED
    elif decision == "reject":
        if not reason:
            raise AwardError(_("Give the reason for not accepting the nomination."))
        nomination.status = Nomination.Status.REJECTED
        nomination.rejection_reason = reason
    elif decision == "merge":
        if now >= edition.voting_open_at:
            raise PhaseClosed(_("Public voting has opened: nominations can no longer be merged."))
        target = locked.get(merge_into.pk) if merge_into is not None else None
        if target is None or target.pk == nomination.pk:
            raise AwardError(_("Choose the nomination to merge this one into."))
        if (
            target.category_id != nomination.category_id
            or target.nominee_user_id != nomination.nominee_user_id
            or target.nominee_organisation_id != nomination.nominee_organisation_id
            or target.nominee_practice_id != nomination.nominee_practice_id
        ):
            raise AwardError(_("Merge only into a nomination of the same nominee and category."))
        if target.status not in (Nomination.Status.PENDING, Nomination.Status.APPROVED):
            raise AwardError(_("That nomination is closed: merge into an open one."))
        nomination.status = Nomination.Status.MERGED
        nomination.merged_into = target
        # Those merged into this one follow it, so the target shows every statement.
        Nomination.objects.filter(merged_into=nomination).update(merged_into=target)
        if nomination.nominee_consented_at and target.nominee_consented_at is None:
            # The same person agreed to appear in the same category.
            target.nominee_consented_at = nomination.nominee_consented_at
            target.shows_meetings = nomination.shows_meetings
            target.shows_roadmap_steps = nomination.shows_roadmap_steps
            target.shows_trainings = nomination.shows_trainings
            target.save(
                update_fields=[
                    "nominee_consented_at",
                    "shows_meetings",
                    "shows_roadmap_steps",
                    "shows_trainings",
                ]
            )
    else:
        raise AwardError(_("Choose approve, reject or merge."))
    nomination.reviewed_by = by
    nomination.reviewed_at = now
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:
        raise AwardError(
            _(
                "This nominee already has an approved nomination in this category: "
                "merge this one into it instead."
            )
        ) from exc
    transaction.on_commit(lambda: _tell_the_nominator(nomination))
    return nomination


def _tell_the_nominator(nomination: Nomination) -> None:
    nominator = nomination.nominated_by
    if nominator is None:
        return
    notify(
        recipient=nominator,
        kind="nomination_reviewed",
        key=f"nomination-reviewed:{nomination.pk}",
        url=reverse("awards:nomination", kwargs={"nomination_id": nomination.pk}),
        params={
            "category": nomination.category.name,
            "nominee": nomination.nominee_name,
            "status": nomination.status,
        },
    )


# Wrong receipt lookups per address and hour: enough for a class checking its receipts,
# too few to guess one (32**12 receipts).
RECEIPT_LOOKUPS_PER_IP_PER_HOUR = 30


def vote_for_nomination(
    *,
    voter: User,
    nomination: Nomination,
    ip: str | None = None,
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> tuple[Vote, bool]:
    """The rate limit of ``ip`` first, then ``cast_vote``: the vote and whether it is new
    (False when she had already voted for this nominee and that vote stands). The time
    is taken inside the transaction, as ``cast_vote`` does."""
    now = now or timezone.now()
    check_vote_rate(ip=ip, now=now)
    vote = cast_vote(voter=voter, nomination=nomination, ip=ip, user_agent=user_agent, now=now)
    return vote, vote.cast_at == now


def look_up_receipt(*, receipt: str, ip: str | None, now: dt.datetime | None = None) -> Vote:
    """The vote with ``receipt`` (dashes and case ignored), its ``standing`` set.
    Every lookup takes a slot of the address's hourly limit and a found receipt gives
    it back: only wrong receipts count. Raises ``UnknownReceipt``/``TooManyLookups``."""

    now = now or timezone.now()
    limit = {"scope": "award-receipts", "ip": ip, "window_seconds": 3600, "now": now}
    if not rate_limit.take_slot(limit=RECEIPT_LOOKUPS_PER_IP_PER_HOUR, **limit):
        raise TooManyLookups
    vote = queries.vote_by_receipt(normalise_receipt(receipt))
    if vote is None:
        raise UnknownReceipt
    rate_limit.give_back(**limit)
    return vote


# Integrity: two-person voiding -----------------------------------------------------


def _refuse_after_publication(edition: Edition) -> None:
    if edition.are_results_published:
        raise VoidingRefused(_("The results are published: votes can no longer be voided."))


def _locked_edition(edition_id: int) -> Edition:
    # The edition row is the lock that publication takes too, so a voiding and the
    # publication of the results never overlap.
    return Edition.objects.select_for_update().get(pk=edition_id)


@transaction.atomic
def request_voiding(*, vote: Vote, by: User, reason: str, now=None) -> VoteVoiding:
    """Ask for ``vote`` to be voided; it counts until another staff member confirms."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise VoidingRefused(_("Give the reason for voiding the vote."))
    edition = _locked_edition(vote.category.edition_id)
    if not is_award_staff(by, edition):
        raise VoidingRefused(_("Only the programme staff void votes."))
    _refuse_after_publication(edition)
    try:
        with transaction.atomic():
            return VoteVoiding.objects.create(
                vote=vote, reason=reason[:1000], requested_by=by, requested_at=now
            )
    except IntegrityError as exc:
        raise VoidingRefused(_("The voiding of this vote was requested already.")) from exc


@transaction.atomic
def confirm_voiding(*, voiding: VoteVoiding, by: User, now=None) -> VoteVoiding:
    """A second staff member confirms a voiding: from now on the vote does not count.
    The row is re-read under its lock, so of two staff confirming at once one wins."""
    now = now or timezone.now()
    edition = _locked_edition(voiding.vote.category.edition_id)
    if not is_award_staff(by, edition):
        raise VoidingRefused(_("Only the programme staff void votes."))
    _refuse_after_publication(edition)
    locked = VoteVoiding.objects.select_for_update().filter(pk=voiding.pk).first()
    if locked is None:
        raise VoidingRefused(_("This request was withdrawn."))
    if locked.is_confirmed:
        raise VoidingRefused(_("This voiding is confirmed already."))
    if locked.requested_by_id == by.pk:
        raise VoidingRefused(_("Another staff member must confirm your request."))
    locked.confirmed_by = by
    locked.confirmed_at = now
    locked.save(update_fields=["confirmed_by", "confirmed_at"])
    return locked


@transaction.atomic
def withdraw_voiding_request(*, voiding: VoteVoiding, by: User) -> None:
    """The requester takes back her request before anyone confirmed it. The vote row
    is never touched."""
    edition = _locked_edition(voiding.vote.category.edition_id)
    _refuse_after_publication(edition)
    locked = VoteVoiding.objects.select_for_update().filter(pk=voiding.pk).first()
    if locked is None:
        raise VoidingRefused(_("This request was withdrawn."))
    if locked.is_confirmed:
        raise VoidingRefused(_("This voiding is confirmed already."))
    if locked.requested_by_id != by.pk:
        raise VoidingRefused(_("Only the staff member who asked may withdraw the request."))
    locked.delete()


# Jury: seats and criteria ----------------------------------------------------------


def _scoring_started(category: Category) -> bool:
    return ScoreSheet.objects.filter(assignment__category=category).exists()


@transaction.atomic
def assign_juror(
    *, category: Category, juror: User, by: User, is_chair: bool = False, now=None
) -> JuryAssignment:
    now = now or timezone.now()
    edition = category.edition
    if edition.has_jury_closed(now):
        raise JuryRefused(_("The jury phase has closed."))
    if juror.pk not in set(jury_candidates(edition).values_list("pk", flat=True)):
        raise JuryRefused(_("She is not a jury member of this programme."))
    if JuryAssignment.objects.filter(category=category, juror=juror).exists():
        raise JuryRefused(_("She is on the jury of this category already."))
    if is_chair and JuryAssignment.objects.filter(category=category, is_chair=True).exists():
        raise JuryRefused(_("This category has a chair already."))
    try:
        with transaction.atomic():
            return JuryAssignment.objects.create(
                category=category, juror=juror, is_chair=is_chair, assigned_by=by, assigned_at=now
            )
    except IntegrityError as exc:
        raise JuryRefused(_("This seat or the chair was just taken.")) from exc


@transaction.atomic
def remove_juror(*, assignment: JuryAssignment, by: User) -> None:
    """Only before she started scoring: a sheet, even a draft, keeps her seat."""
    if assignment.score_sheets.exists():
        raise JuryRefused(_("She has started scoring: her seat cannot be removed."))
    assignment.delete()


@transaction.atomic
def add_jury_criterion(
    *, category: Category, by: User, name: str, weight: int, description: str = "", position=None
) -> JuryCriterion:
    if _scoring_started(category):
        raise JuryRefused(_("The jury has started scoring: the criteria are fixed."))
    if position is None:
        position = category.criteria.count()
    return JuryCriterion.objects.create(
        category=category, name=name, weight=weight, description=description, position=position
    )


@transaction.atomic
def remove_jury_criterion(*, criterion: JuryCriterion, by: User) -> None:
    if _scoring_started(criterion.category):
        raise JuryRefused(_("The jury has started scoring: the criteria are fixed."))
    criterion.delete()


# Jury: conflicts, scores, reopening ------------------------------------------------


@transaction.atomic
def declare_conflict(
    *, assignment: JuryAssignment, nomination: Nomination, reason: str, now=None
) -> ConflictOfInterest:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise JuryRefused(_("Say what the conflict is."))
    if nomination.category_id != assignment.category_id:
        raise JuryRefused(_("This nomination is not in your category."))
    sheet = ScoreSheet.objects.filter(assignment=assignment, nomination=nomination).first()
    if sheet is not None and sheet.is_submitted:
        raise ScoreSheetFinal(
            _("You submitted scores for this nomination: ask the chair to reopen them first.")
        )
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        assignment=assignment,
        nomination=nomination,
        defaults={"reason": reason[:500], "declared_at": now},
    )
    if sheet is not None:
        sheet.delete()  # a draft of a conflicted juror must never count
    return conflict


def _locked_sheet(assignment: JuryAssignment, nomination: Nomination) -> ScoreSheet:
    """Her sheet for ``nomination`` under its row lock, created on first use. Two first
    saves at once meet at the unique constraint; the loser waits for the winner's row."""
    sheets = ScoreSheet.objects.select_for_update()
    sheet = sheets.filter(assignment=assignment, nomination=nomination).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            ScoreSheet.objects.create(assignment=assignment, nomination=nomination)
    except IntegrityError:
        pass
    return sheets.get(assignment=assignment, nomination=nomination)


@transaction.atomic
def submit_jury_score(
    *,
    nomination: Nomination,
    juror: User,
    scores: dict[int, int],
    comment: str = "",
    submit: bool = False,
    now=None,
) -> ScoreSheet:
    """Save ``juror``'s scores for a finalist as a draft, or submit them (final until
    the chair reopens the sheet). Only while the jury phase is open, only for an
    assigned jury member without a conflict of interest."""
    now = now or timezone.now()
    nomination = (
        Nomination.objects.select_related("category__edition", "nominee_user")
        .filter(pk=nomination.pk)
        .first()
    )
    if nomination is None:
        raise JuryRefused(_("This nomination is not there."))
    category = nomination.category
    edition = category.edition
    if not edition.is_jury_open(now):
        raise PhaseClosed(_("Jury scoring is not open."))
    assignment = JuryAssignment.objects.filter(category=category, juror=juror).first()
    if assignment is None:
        raise JuryRefused(_("You are not on the jury of this category."))
    if nomination.pk in conflicted_nomination_ids(assignment):
        raise ConflictOfInterestError
    if nomination.pk not in {n.pk for n in finalists(category)}:
        raise JuryRefused(_("Only finalists are scored."))
    criteria = {c.pk: c for c in category.criteria.all()}
    if not criteria:
        raise JuryRefused(_("The criteria of this category are not set yet."))
    scores = {int(k): int(v) for k, v in (scores or {}).items() if v is not None}
    if set(scores) - set(criteria):
        raise JuryRefused(_("A score is for a criterion of another category."))
    if any(not MIN_SCORE <= v <= MAX_SCORE for v in scores.values()):
        raise JuryRefused(_("Each score is a whole number from 1 to 10."))
    if submit and set(scores) != set(criteria):
        raise JuryRefused(_("Score every criterion before you submit."))
    if submit:
        # Submissions in a category take turns, so that of the last two jurors
        # submitting at once the second sees the first and tells the staff.
        Category.objects.select_for_update().filter(pk=category.pk).first()
    sheet = _locked_sheet(assignment, nomination)
    if sheet.is_submitted:
        raise ScoreSheetFinal
    sheet.scores.exclude(criterion_id__in=list(scores)).delete()
    for criterion_id, value in scores.items():
        JuryScore.objects.update_or_create(
            sheet=sheet, criterion_id=criterion_id, defaults={"score": value}
        )
    sheet.comment = (comment or "")[:2000]
    sheet.submitted_at = now if submit else None
    sheet.save()
    if submit and is_category_scored(category):
        transaction.on_commit(lambda: notify_jury_complete(category=category))
    return sheet


def notify_jury_complete(*, category: Category) -> None:
    edition = category.edition
    url = reverse("awards:jury_admin", kwargs={"slug": edition.slug})
    for person in award_staff(edition):
        notify(
            recipient=person,
            kind="jury_complete",
            key=f"jury-complete:{category.pk}",
            url=url,
            params={"category": category.name, "edition": edition.name},
        )


@transaction.atomic
def reopen_score_sheet(*, sheet: ScoreSheet, by: User, reason: str, now=None) -> ScoreSheet:
    """The chair (or award staff) reopens a submitted sheet; the reopening is logged."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise JuryRefused(_("Give the reason for reopening the scores."))
    locked = (
        ScoreSheet.objects.select_for_update()
        .select_related("assignment__category__edition")
        .filter(pk=sheet.pk)
        .first()
    )
    if locked is None:
        raise JuryRefused(_("This score sheet is not there."))
    category = locked.assignment.category
    edition = category.edition
    is_chair = JuryAssignment.objects.filter(category=category, juror=by, is_chair=True).exists()
    if not (is_chair or is_award_staff(by, edition)):
        raise JuryRefused(_("Only the chair of the category or the staff reopen scores."))
    if not edition.is_jury_open(now):
        raise PhaseClosed(_("Jury scoring is not open."))
    if not locked.is_submitted:
        raise JuryRefused(_("These scores are not submitted: there is nothing to reopen."))
    ScoreSheetReopening.objects.create(
        sheet=locked,
        reopened_by=by,
        reason=reason[:500],
        previously_submitted_at=locked.submitted_at,
        reopened_at=now,
    )
    locked.submitted_at = None
    locked.save(update_fields=["submitted_at", "updated_at"])
    return locked


def new_certificate_code() -> str:
    # 20 random bytes (160 bits) as 32 lowercase base32 characters.
    return base64.b32encode(secrets.token_bytes(20)).decode().lower()


@transaction.atomic
def publish_results(*, edition: Edition, by: User, now: dt.datetime | None = None) -> Edition:
    """Compute the results and store them, once: a ``Result`` row per public nomination
    and a certificate code for each winner, then tell the nominated people and the
    nominators. The edition's row is locked and re-read first, so of two staff
    publishing at once one writes and the other is told it is done."""

    now = now or timezone.now()
    if not is_award_staff(by, edition):
        raise PermissionDenied
    edition = Edition.objects.select_for_update().select_related("programme").get(pk=edition.pk)
    if edition.results_published_at is not None:
        raise ResultsAlreadyPublished
    if not edition.has_jury_closed(now):
        raise ResultsNotReady(_("The jury is still scoring: publish after the jury closes."))
    if not edition.may_publish_results(now):
        raise ResultsNotReady(
            _("The results may be published from %(when)s.")
            % {"when": date_format(timezone.localtime(edition.results_at), "DATETIME_FORMAT")}
        )
    rows = []
    for group in queries.compute_results(edition):
        for standing in group.standings:
            rows.append(
                Result(
                    category=group.category,
                    nomination=standing.nomination,
                    votes=standing.votes,
                    is_finalist=standing.is_finalist,
                    jury_score=standing.jury_score,
                    jury_sheets=standing.jury_sheets,
                    final_score=standing.final_score,
                    rank=standing.rank,
                    is_winner=standing.is_winner,
                    certificate_code=new_certificate_code() if standing.is_winner else "",
                )
            )
    Result.objects.bulk_create(rows)
    edition.results_published_at = now
    edition.results_published_by = by
    edition.save(update_fields=["results_published_at", "results_published_by"])
    transaction.on_commit(lambda: notify_results_published(edition=edition))
    return edition


def notify_results_published(*, edition: Edition) -> int:
    """Tell each nominated person in the results and each nominator of the edition,
    once (the key names the edition). Returns how many were told."""
    people: dict[int, User] = {}
    nominations = Nomination.objects.filter(category__edition=edition).select_related(
        "nominee_user", "nominated_by", "result"
    )
    for nomination in nominations:
        if nomination.nominee_user is not None and hasattr(nomination, "result"):
            people[nomination.nominee_user.pk] = nomination.nominee_user
        if nomination.nominated_by is not None:
            people[nomination.nominated_by.pk] = nomination.nominated_by
    url = reverse("awards:results", kwargs={"slug": edition.slug})
    told = 0
    for person in people.values():
        if notify(
            recipient=person,
            kind="award_results",
            key=f"award-results:{edition.pk}",
            url=url,
            params={"edition": edition.name},
        ):
            told += 1
    return told


EDITION_TIMES = (
    "nominations_open_at",
    "nominations_close_at",
    "voting_open_at",
    "voting_close_at",
    "jury_open_at",
    "jury_close_at",
    "results_at",
)
# Fixed once public voting has opened: the past is history, and votes were cast under them.
VOTING_FIXED_TIMES = EDITION_TIMES[:4]
# Fixed once the jury has opened: the jury scores the finalists under these rules.
JURY_FIXED_RULES = ("winner_method", "public_weight_percent", "finalists_per_category")
EDITION_FIELDS = (
    "name",
    "slug",
    "year",
    "description",
    *EDITION_TIMES,
    "public_may_nominate",
    "votes_changeable",
    "finalists_per_category",
    "winner_method",
    "public_weight_percent",
)
CATEGORY_FIELDS = (
    "name",
    "slug",
    "description",
    "nominee_kind",
    "outside_bishkek_only",
    "organisation_kind",
)
# Who may be nominated cannot change under nominations already made.
CATEGORY_ELIGIBILITY = ("nominee_kind", "outside_bishkek_only", "organisation_kind")


def edition_change_errors(edition: Edition, changes: dict, now: dt.datetime | None = None) -> dict:
    """The fields of ``changes`` that may no longer change in ``edition`` (as stored),
    each with the reason. Pages show them on the form; services refuse them."""
    now = now or timezone.now()
    errors = {}
    if now >= edition.voting_open_at:
        for field in VOTING_FIXED_TIMES:
            old, new = getattr(edition, field), changes.get(field)
            if new is None or new == old:
                continue
            if old <= now:
                errors[field] = _(
                    "Public voting has opened: this time has passed and can no longer change."
                )
            elif new < now:
                errors[field] = _(
                    "Public voting has opened: this time can no longer be moved earlier than now."
                )
    if now >= edition.jury_open_at:
        for field in JURY_FIXED_RULES:
            if field in changes and changes[field] != getattr(edition, field):
                errors[field] = _(
                    "The jury has started: how the winner is chosen can no longer change."
                )
    return errors


def _validated(instance, *, exclude=None) -> None:
    """Model validation for callers that skipped the form: an AwardError, never a 500."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise AwardError(" ".join(messages)) from None


def _save_unique(instance, message) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # the same short name saved at the same moment
        raise AwardError(message) from exc


@transaction.atomic
def create_edition(*, programme, by: User, **fields) -> Edition:
    """A new edition of ``programme``'s award; ``fields`` as in ``EDITION_FIELDS``."""
    values = {f: v for f, v in fields.items() if f in EDITION_FIELDS}
    edition = Edition(programme=programme, **values)
    _validated(edition, exclude=["programme"])
    _save_unique(edition, _("Another edition already uses this short name."))
    return edition


@transaction.atomic
def update_edition(
    *, edition: Edition, by: User, now: dt.datetime | None = None, **fields
) -> Edition:
    """Change ``edition``. The stored row is locked and re-read, so the rules are checked
    against what is stored, not against what the form saw."""
    now = now or timezone.now()
    stored = Edition.objects.select_for_update().get(pk=edition.pk)
    changes = {f: v for f, v in fields.items() if f in EDITION_FIELDS}
    errors = edition_change_errors(stored, changes, now)
    if errors:
        raise EditionLocked(next(iter(errors.values())))
    for field, value in changes.items():
        setattr(stored, field, value)
    _validated(stored, exclude=["programme"])
    _save_unique(stored, _("Another edition already uses this short name."))
    return stored


def _check_category_open(edition: Edition) -> None:
    if edition.are_results_published:
        raise EditionLocked(_("The results are published: the categories can no longer change."))


@transaction.atomic
def add_category(*, edition: Edition, by: User, **fields) -> Category:
    """A new category at the end of ``edition``'s list."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _check_category_open(edition)
    last = edition.categories.aggregate(last=Max("position"))["last"]
    category = Category(
        edition=edition,
        position=0 if last is None else last + 1,
        **{f: v for f, v in fields.items() if f in CATEGORY_FIELDS},
    )
    _validated(category, exclude=["edition"])
    _save_unique(category, _("Another category of this edition already uses this short name."))
    return category


@transaction.atomic
def update_category(*, category: Category, by: User, **fields) -> Category:
    stored = Category.objects.select_for_update().select_related("edition").get(pk=category.pk)
    _check_category_open(stored.edition)
    changes = {f: v for f, v in fields.items() if f in CATEGORY_FIELDS}
    changes_eligibility = any(
        field in changes and changes[field] != getattr(stored, field)
        for field in CATEGORY_ELIGIBILITY
    )
    if changes_eligibility and stored.nominations.exists():
        raise CategoryInUse(
            _("The category has nominations: who may be nominated can no longer change.")
        )
    for field, value in changes.items():
        setattr(stored, field, value)
    _validated(stored, exclude=["edition"])
    _save_unique(stored, _("Another category of this edition already uses this short name."))
    return stored


@transaction.atomic
def delete_category(*, category: Category, by: User) -> None:
    stored = Category.objects.select_for_update().select_related("edition").get(pk=category.pk)
    _check_category_open(stored.edition)
    if stored.nominations.exists():
        raise CategoryInUse(
            _(
                "The category has nominations, so it cannot be deleted. "
                "Reject its nominations instead, or keep the category."
            )
        )
    stored.delete()


@transaction.atomic
def move_category(*, category: Category, by: User, up: bool) -> Category:
    """Swap ``category`` with its neighbour; positions are renumbered 0, 1, 2... on the way."""
    Edition.objects.select_for_update().get(pk=category.edition_id)
    ordered = list(
        Category.objects.filter(edition_id=category.edition_id).order_by("position", "pk")
    )
    index = next(i for i, c in enumerate(ordered) if c.pk == category.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    changed = []
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            changed.append(item)
    Category.objects.bulk_update(changed, ["position"])
    return next(c for c in ordered if c.pk == category.pk)
