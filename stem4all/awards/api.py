"""The award in the JSON API: the same forms, permissions and services as the pages."""

from __future__ import annotations

import copy

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import FormInvalid, validated
from stem4all.core.client_ip import client_ip

from . import forms, permissions, queries, schemas, services
from .errors import NotVotable, TooManyVotes
from .forms import (
    NominationFilterForm,
    NominationForm,
    NominationResponseForm,
    NominationReviewForm,
    ReceiptLookupForm,
)
from .models import Edition, Nomination
from .permissions import (
    get_category_for_nominating,
    get_edition_for_award_staff,
    get_edition_results_for_viewer,
    get_nomination_for_award_staff,
    get_nomination_for_nominee,
    get_nomination_for_viewer,
)
from .schemas import (
    EditionResultsOut,
    MyVoteOut,
    NominationIn,
    NominationOut,
    NominationResponseIn,
    NominationReviewIn,
    NominationSummaryOut,
    ReceiptIn,
    ReceiptOut,
    VoteOut,
    VoteRefusalOut,
)

router = Router(tags=["awards"])


EDITIONS_LIMIT = 200


def _edition_out(edition):
    return permissions.get_public_edition_by_id(edition.pk)


def _edition_values(edition) -> dict:
    return {field: getattr(edition, field) for field in services.EDITION_FIELDS}


@router.get(
    "/awards/editions",
    response=list[schemas.EditionSummaryOut],
    summary="The award's editions, newest first, with the phase each is in",
)
def list_editions(request: HttpRequest):
    return list(queries.visible_editions()[:EDITIONS_LIMIT])


@router.get(
    "/awards/editions/{edition_id}",
    response=schemas.EditionDetailOut,
    summary="An edition with its phase times and categories",
)
def get_edition(request: HttpRequest, edition_id: int):
    return permissions.get_public_edition_by_id(edition_id)


@router.post(
    "/awards/programmes/{programme_id}/editions",
    response={201: schemas.EditionDetailOut},
    summary="Create an edition of a programme's award (staff of the programme)",
)
def create_edition(request: HttpRequest, programme_id: int, payload: schemas.EditionIn):
    programme = permissions.get_programme_for_award_staff(request.user, programme_id)
    data = validated(forms.EditionForm(payload.dict(), instance=Edition(programme=programme)))
    edition = services.create_edition(programme=programme, by=request.user, **data)
    return Status(201, _edition_out(edition))


def _update_edition(request: HttpRequest, edition, values: dict):
    now = timezone.now()
    data = validated(forms.EditionForm(values, instance=copy.copy(edition), now=now))
    edition = services.update_edition(edition=edition, by=request.user, now=now, **data)
    return _edition_out(edition)


@router.put(
    "/awards/editions/{edition_id}",
    response=schemas.EditionDetailOut,
    summary="Replace an edition's settings (staff of its programme)",
)
def put_edition(request: HttpRequest, edition_id: int, payload: schemas.EditionIn):
    edition = permissions.get_edition_for_award_staff(request.user, edition_id=edition_id)
    return _update_edition(request, edition, payload.dict())


@router.patch(
    "/awards/editions/{edition_id}",
    response=schemas.EditionDetailOut,
    summary="Change some of an edition's settings (staff of its programme)",
)
def patch_edition(request: HttpRequest, edition_id: int, payload: schemas.EditionPatchIn):
    edition = permissions.get_edition_for_award_staff(request.user, edition_id=edition_id)
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    values = {**_edition_values(edition), "time_zone": payload.time_zone, **sent}
    return _update_edition(request, edition, values)


@router.post(
    "/awards/editions/{edition_id}/categories",
    response={201: schemas.AwardCategoryOut},
    summary="Add a category at the end of an edition's list (staff)",
)
def create_category(request: HttpRequest, edition_id: int, payload: schemas.AwardCategoryIn):
    edition = permissions.get_edition_for_award_staff(request.user, edition_id=edition_id)
    data = validated(forms.CategoryForm(payload.dict(), edition=edition))
    return Status(201, services.add_category(edition=edition, by=request.user, **data))


@router.put(
    "/awards/categories/{category_id}",
    response=schemas.AwardCategoryOut,
    summary="Replace a category's name, description and who may be nominated (staff)",
)
def put_category(request: HttpRequest, category_id: int, payload: schemas.AwardCategoryIn):
    category = permissions.get_category_for_staff(request.user, category_id)
    form = forms.CategoryForm(
        payload.dict(), instance=copy.copy(category), edition=category.edition
    )
    data = validated(form)
    return services.update_category(category=category, by=request.user, **data)


@router.delete(
    "/awards/categories/{category_id}",
    response={204: None},
    summary="Delete a category without nominations (staff)",
)
def delete_category(request: HttpRequest, category_id: int):
    category = permissions.get_category_for_staff(request.user, category_id)
    services.delete_category(category=category, by=request.user)
    return Status(204, None)


@router.post(
    "/awards/categories/{category_id}/move",
    response=list[schemas.AwardCategoryOut],
    summary="Move a category up or down; answers the edition's categories in order",
)
def move_category(request: HttpRequest, category_id: int, payload: schemas.AwardCategoryMoveIn):
    category = permissions.get_category_for_staff(request.user, category_id)
    data = validated(forms.CategoryMoveForm(payload.dict()))
    services.move_category(category=category, by=request.user, up=data["direction"] == "up")
    return list(category.edition.categories.order_by("position", "pk"))


def _evidence_out(evidence: dict) -> dict:
    out = {k: v for k, v in evidence.items() if isinstance(v, int)}
    if "practices" in evidence:
        out["practices"] = [
            {"title": p.title, "url": p.get_absolute_url()} for p in evidence["practices"]
        ]
    if "practice" in evidence:
        practice = evidence["practice"]
        out["practice"] = {
            "title": practice.title,
            "summary": practice.summary,
            "url": practice.get_absolute_url(),
        }
        out["results"] = [
            {"label": r.label, "number": r.display_number, "unit": r.unit}
            for r in evidence["results"]
        ]
    return out


def _nomination_summary(nomination: Nomination) -> dict:
    return {
        "id": nomination.pk,
        "category_id": nomination.category_id,
        "category": nomination.category.name,
        "nominee_kind": nomination.category.nominee_kind,
        "nominee_name": nomination.nominee_name,
        "status": nomination.status,
        "is_public": nomination.is_public,
        "has_nominee_consent": nomination.has_nominee_consent,
        "merged_into_id": nomination.merged_into_id,
        "created_at": nomination.created_at,
    }


def _nomination_out(nomination: Nomination) -> dict:
    return {
        **_nomination_summary(nomination),
        "edition_id": nomination.category.edition_id,
        "url": nomination.get_absolute_url(),
        "statements": queries.statements_of(nomination),
        "shows_meetings": nomination.shows_meetings,
        "shows_roadmap_steps": nomination.shows_roadmap_steps,
        "shows_trainings": nomination.shows_trainings,
        "evidence": _evidence_out(queries.evidence_of(nomination)),
        "rejection_reason": nomination.rejection_reason,
    }


def _reloaded(nomination: Nomination) -> dict:
    return _nomination_out(
        Nomination.objects.select_related(
            "category__edition",
            "nominee_user",
            "nominee_organisation",
            "nominee_practice__organisation",
        ).get(pk=nomination.pk)
    )


@router.post(
    "/awards/categories/{category_id}/nominations",
    response={201: NominationOut},
    summary="Nominate someone or something in a category (while nominations are open)",
)
def create_nomination(request: HttpRequest, category_id: int, payload: NominationIn):
    category = get_category_for_nominating(request.user, category_id)
    form = NominationForm(
        {"nominee": payload.nominee_id, "statement": payload.statement},
        category=category,
        nominator=request.user,
    )
    validated(form)
    nomination = services.nominate(
        category=category, nominated_by=request.user, **form.nominee_arguments()
    )
    return Status(201, _reloaded(nomination))


@router.get(
    "/awards/nominations/{nomination_id}",
    response=NominationOut,
    summary="A nomination: public once approved and agreed to, else only to those involved",
)
def get_nomination(request: HttpRequest, nomination_id: int):
    return _nomination_out(get_nomination_for_viewer(request.user, nomination_id))


@router.post(
    "/awards/nominations/{nomination_id}/respond",
    response=NominationOut,
    summary="The nominated person agrees (with what to show), withdraws or declines",
)
def respond_to_nomination(request: HttpRequest, nomination_id: int, payload: NominationResponseIn):
    nomination = get_nomination_for_nominee(request.user, nomination_id)
    data = validated(NominationResponseForm(payload.dict()))
    nomination = services.respond_to_nomination(nomination=nomination, nominee=request.user, **data)
    return _reloaded(nomination)


@router.get(
    "/awards/editions/{edition_id}/nominations",
    response=list[NominationSummaryOut],
    summary="The edition's nominations, optionally of one status (award staff)",
)
@paginate(PageNumberPagination, page_size=50)
def edition_nominations(request: HttpRequest, edition_id: int, status: str = ""):
    edition = get_edition_for_award_staff(request.user, edition_id=edition_id)
    data = validated(NominationFilterForm({"status": status}))
    return queries.nominations_for_review(edition, data["status"])


@router.post(
    "/awards/nominations/{nomination_id}/review",
    response=NominationOut,
    summary="Approve, reject (with a reason) or merge a waiting nomination (award staff)",
)
def review_nomination(request: HttpRequest, nomination_id: int, payload: NominationReviewIn):
    nomination = get_nomination_for_award_staff(request.user, nomination_id)
    data = validated(NominationReviewForm(payload.dict(), nomination=nomination))
    nomination = services.review_nomination(nomination=nomination, by=request.user, **data)
    return _reloaded(nomination)


def _vote_out(vote) -> dict:
    return {
        "receipt": services.format_receipt(vote.receipt),
        "category": vote.category_id,
        "nomination": vote.nomination_id,
        "cast_at": vote.cast_at,
        "sequence": vote.sequence,
    }


@router.post(
    "/awards/nominations/{nomination_id}/vote",
    response={200: VoteOut, 201: VoteOut, 429: VoteRefusalOut},
    summary="Vote for a nomination (201), or change my vote in its category",
    description="200 when my vote for this nominee stands already; 409 when a rule "
    "refuses (phase closed, e-mail not confirmed, already voted); 429 over the rate limit.",
)
def vote_for_nomination(request: HttpRequest, nomination_id: int):
    # The service reads the nomination inside its transaction; one that is not there or
    # not public is answered 404, as the page does, so it is never revealed.
    try:
        cast, is_new = services.vote_for_nomination(
            voter=request.user,
            nomination=Nomination(pk=nomination_id),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except TooManyVotes as error:
        return Status(429, {"detail": str(error)})
    except NotVotable as error:
        raise Http404 from error
    return Status(201 if is_new else 200, _vote_out(cast))


@router.get("/awards/votes/mine", response=list[MyVoteOut], summary="My votes, with receipts")
@paginate(PageNumberPagination)
def my_votes(request: HttpRequest):
    return [
        {
            **_vote_out(vote),
            "edition": vote.category.edition_id,
            "edition_name": vote.category.edition.name,
            "category_name": vote.category.name,
            "nominee": vote.nomination.nominee_name,
            "status": vote.standing.value,
            "counts": vote.standing == queries.VoteStanding.STANDING,
        }
        for vote in queries.votes_of(request.user)
    ]


@router.post(
    "/awards/receipts/lookup",
    response={200: ReceiptOut, 404: VoteRefusalOut, 429: VoteRefusalOut},
    auth=None,
    summary="Whether the vote with this receipt counts (never who cast it)",
)
def look_up_receipt(request: HttpRequest, payload: ReceiptIn):
    data = validated(ReceiptLookupForm(payload.dict()))
    try:
        vote = services.look_up_receipt(receipt=data["receipt"], ip=client_ip(request))
    except services.TooManyLookups as error:
        return Status(429, {"detail": str(error)})
    except services.UnknownReceipt as error:
        return Status(404, {"detail": str(error)})
    return {
        "receipt": services.format_receipt(vote.receipt),
        "edition": vote.category.edition.name,
        "category": vote.category.name,
        "nominee": vote.nomination.nominee_name if vote.nomination.is_public else "",
        "cast_at": vote.cast_at,
        "status": vote.standing.value,
        "status_label": str(vote.standing.label),
        "counts": vote.standing == queries.VoteStanding.STANDING,
    }


def _flagged_out(check) -> dict:
    return {
        "id": check.id,
        "receipt": check.formatted_receipt,
        "voter_account": check.voter_id,
        "category_id": check.category_id,
        "nomination_id": check.nomination_id,
        "network": check.network,
        "cast_at": check.cast_at,
        "signup_seconds": check.signup_seconds,
        "signals": check.signals,
        "voiding_id": check.voiding.pk if check.voiding else None,
        "voiding_confirmed": bool(check.voiding and check.voiding.is_confirmed),
    }


@router.get(
    "/awards/editions/{edition_id}/anomalies",
    response=schemas.AnomalyReportOut,
    summary="The integrity review of the votes (staff)",
)
def edition_anomalies(request: HttpRequest, edition_id: int):
    edition = permissions.get_edition_for_award_staff(request.user, edition_id=edition_id)
    report = queries.anomaly_report(edition)
    return {
        "edition_id": edition.pk,
        "votes_checked": len(report.votes),
        "clusters": [vars(c) for c in report.clusters],
        "flagged": [_flagged_out(v) for v in report.flagged],
    }


def _voiding_out(voiding) -> dict:
    return {
        "id": voiding.pk,
        "vote_id": voiding.vote_id,
        "receipt": services.format_receipt(voiding.vote.receipt),
        "reason": voiding.reason,
        "requested_by_id": voiding.requested_by_id,
        "requested_at": voiding.requested_at,
        "confirmed_by_id": voiding.confirmed_by_id,
        "confirmed_at": voiding.confirmed_at,
    }


@router.get(
    "/awards/editions/{edition_id}/voidings",
    response=list[schemas.VoidingOut],
    summary="Voidings requested and confirmed (staff)",
)
@paginate(PageNumberPagination)
def edition_voidings(request: HttpRequest, edition_id: int):
    edition = permissions.get_edition_for_award_staff(request.user, edition_id=edition_id)
    return [_voiding_out(v) for v in queries.voidings_of(edition)]


@router.post(
    "/awards/votes/{vote_id}/voiding",
    response={201: schemas.VoidingOut, 422: dict},
    summary="Ask for a vote to be voided (staff)",
)
def vote_voiding(request: HttpRequest, vote_id: int, payload: schemas.VoidingIn):
    vote = permissions.get_vote_for_award_staff(request.user, vote_id)
    data = validated(forms.VoidingReasonForm(payload.dict()))
    voiding = services.request_voiding(vote=vote, by=request.user, reason=data["reason"])
    return Status(201, _voiding_out(voiding))


@router.post(
    "/awards/voidings/{voiding_id}/confirm",
    response=schemas.VoidingOut,
    summary="Confirm another staff member's voiding request",
)
def voiding_confirm(request: HttpRequest, voiding_id: int):
    voiding = permissions.get_voiding_for_award_staff(request.user, voiding_id)
    return _voiding_out(services.confirm_voiding(voiding=voiding, by=request.user))


@router.delete(
    "/awards/voidings/{voiding_id}",
    response={204: None},
    summary="Withdraw my voiding request before it is confirmed",
)
def voiding_withdraw(request: HttpRequest, voiding_id: int):
    voiding = permissions.get_voiding_for_award_staff(request.user, voiding_id)
    services.withdraw_voiding_request(voiding=voiding, by=request.user)
    return Status(204, None)


def _seat_out(assignment) -> dict:
    finalists = []
    for row in queries.my_finalists(assignment):
        sheet = row["sheet"]
        finalists.append(
            {
                "nomination_id": row["nomination"].pk,
                "nominee_name": row["nomination"].nominee_name,
                "is_conflicted": row["is_conflicted"],
                "sheet_id": sheet.pk if sheet else None,
                "submitted_at": sheet.submitted_at if sheet else None,
            }
        )
    category = assignment.category
    return {
        "id": assignment.pk,
        "category_id": category.pk,
        "category": category.name,
        "edition_id": category.edition_id,
        "edition": category.edition.name,
        "is_chair": assignment.is_chair,
        "finalists": finalists,
    }


@router.get(
    "/awards/jury/assignments", response=list[schemas.JuryAssignmentOut], summary="My jury seats"
)
def my_jury_assignments(request: HttpRequest):
    return [_seat_out(a) for a in queries.my_jury_assignments(request.user)]


def _sheet_out(sheet, criteria) -> dict:
    return {
        "id": sheet.pk,
        "nomination_id": sheet.nomination_id,
        "juror_id": sheet.assignment.juror_id,
        "juror_name": sheet.assignment.juror.full_name,
        "scores": [
            {
                "criterion_id": s.criterion_id,
                "criterion": s.criterion.name,
                "weight": s.criterion.weight,
                "score": s.score,
            }
            for s in sheet.scores.all()
        ],
        "comment": sheet.comment,
        "submitted_at": sheet.submitted_at,
        "weighted_score": queries.weighted_score(sheet, criteria),
    }


@router.get(
    "/awards/nominations/{nomination_id}/scores",
    response=list[schemas.JuryScoreOut],
    summary="My score sheet for a nomination; every sheet once the jury has closed",
)
def nomination_scores(request: HttpRequest, nomination_id: int):
    nomination = permissions.get_nomination_for_score_readers(request.user, nomination_id)
    criteria = list(nomination.category.criteria.all())
    sheets = queries.visible_sheets(request.user, nomination.category).filter(nomination=nomination)
    return [_sheet_out(s, criteria) for s in sheets]


@router.post(
    "/awards/nominations/{nomination_id}/scores",
    response={200: schemas.JuryScoreOut, 422: dict},
    summary="Save my scores as a draft, or submit them",
)
def score_nomination(request: HttpRequest, nomination_id: int, payload: schemas.JuryScoreIn):
    nomination, assignment = permissions.get_nomination_for_jury(request.user, nomination_id)
    criteria = list(nomination.category.criteria.all())
    data = {f"criterion_{s.criterion_id}": s.score for s in payload.scores}
    data.update({"comment": payload.comment, "submit": "on" if payload.submit else ""})
    form = forms.JuryScoreForm(data, criteria=criteria)
    known = {f"criterion_{c.pk}" for c in criteria}
    if any(f"criterion_{s.criterion_id}" not in known for s in payload.scores):
        form.is_valid()
        form.add_error(None, forms.UNKNOWN_CRITERION)
        raise FormInvalid(form)
    validated(form)
    sheet = services.submit_jury_score(
        nomination=nomination, juror=request.user, **form.score_data()
    )
    sheet = queries.visible_sheets(request.user, nomination.category).get(pk=sheet.pk)
    return _sheet_out(sheet, criteria)


@router.post(
    "/awards/score-sheets/{sheet_id}/reopen",
    response={200: schemas.JuryScoreOut, 422: dict},
    summary="Reopen a submitted score sheet (the category's chair or staff)",
)
def reopen_sheet(request: HttpRequest, sheet_id: int, payload: schemas.ReasonIn):
    sheet = permissions.get_sheet_for_reopening(request.user, sheet_id)
    data = validated(forms.ReopenSheetForm(payload.dict()))
    sheet = services.reopen_score_sheet(sheet=sheet, by=request.user, reason=data["reason"])
    # The chair learns that it is open again, not what it says.
    return {
        "id": sheet.pk,
        "nomination_id": sheet.nomination_id,
        "juror_id": sheet.assignment.juror_id,
        "juror_name": sheet.assignment.juror.full_name,
        "scores": [],
        "comment": "",
        "submitted_at": sheet.submitted_at,
        "weighted_score": None,
    }


@router.post(
    "/awards/nominations/{nomination_id}/conflicts",
    response={201: schemas.ConflictOut, 422: dict},
    summary="Declare my conflict of interest with a nomination",
)
def nomination_conflict(request: HttpRequest, nomination_id: int, payload: schemas.ReasonIn):
    nomination, assignment = permissions.get_nomination_for_jury(request.user, nomination_id)
    data = validated(forms.ConflictForm(payload.dict()))
    conflict = services.declare_conflict(
        assignment=assignment, nomination=nomination, reason=data["reason"]
    )
    return Status(
        201,
        {
            "id": conflict.pk,
            "nomination_id": conflict.nomination_id,
            "reason": conflict.reason,
            "declared_at": conflict.declared_at,
        },
    )


def _jury_seat_out(assignment) -> dict:
    return {
        "id": assignment.pk,
        "category_id": assignment.category_id,
        "juror_id": assignment.juror_id,
        "juror_name": assignment.juror.full_name,
        "is_chair": assignment.is_chair,
    }


@router.get(
    "/awards/categories/{category_id}/jury",
    response=list[schemas.JurySeatOut],
    summary="The jury of a category (staff)",
)
def category_jury(request: HttpRequest, category_id: int):
    category = permissions.get_category_for_award_staff(request.user, category_id)
    return [_jury_seat_out(a) for a in category.jury.select_related("juror")]


@router.post(
    "/awards/categories/{category_id}/jury",
    response={201: schemas.JurySeatOut, 422: dict},
    summary="Give a jury member a seat in a category (staff)",
)
def category_jury_add(request: HttpRequest, category_id: int, payload: schemas.JurySeatIn):
    category = permissions.get_category_for_award_staff(request.user, category_id)
    seated = category.jury.values("juror_id")
    form = forms.JuryAssignmentForm(
        {"juror": payload.juror_id, "is_chair": "on" if payload.is_chair else ""},
        candidates=queries.jury_candidates(category.edition).exclude(pk__in=seated),
    )
    data = validated(form)
    assignment = services.assign_juror(
        category=category, juror=data["juror"], is_chair=data["is_chair"], by=request.user
    )
    return Status(201, _jury_seat_out(assignment))


@router.delete(
    "/awards/categories/{category_id}/jury",
    response={204: None},
    summary="Remove a jury member's seat before she starts scoring (staff)",
)
def category_jury_remove(request: HttpRequest, category_id: int, juror_id: int):
    category = permissions.get_category_for_award_staff(request.user, category_id)
    assignment = category.jury.filter(juror_id=juror_id).first()
    if assignment is None:
        raise Http404
    services.remove_juror(assignment=assignment, by=request.user)
    return Status(204, None)


def _results_out(edition, groups) -> dict:
    combined = edition.winner_method == edition.WinnerMethod.COMBINED
    return {
        "edition_id": edition.pk,
        "name": edition.name,
        "published": edition.are_results_published,
        "published_at": edition.results_published_at,
        "winner_method": edition.winner_method,
        "public_weight_percent": edition.public_weight_percent if combined else 0,
        "jury_weight_percent": edition.jury_weight_percent,
        "finalists_per_category": edition.finalists_per_category,
        "finalist_rule": str(queries.FINALIST_RULE % {"count": edition.finalists_per_category}),
        "tie_rule": str(queries.TIE_RULE),
        "categories": [
            {
                "id": group.category.pk,
                "name": group.category.name,
                "winner_nomination_id": group.winner.nomination.pk if group.winner else None,
                "results": [
                    {
                        "nomination_id": s.nomination.pk,
                        "nominee": s.name,
                        "votes": s.votes,
                        "is_finalist": s.is_finalist,
                        "public_share": s.public_share,
                        "jury_score": s.jury_score,
                        "jury_sheets": s.jury_sheets,
                        "final_score": s.final_score,
                        "rank": s.rank,
                        "is_winner": s.is_winner,
                    }
                    for s in group.standings
                ],
            }
            for group in groups
        ],
    }


@router.get(
    "/awards/editions/{edition_id}/results",
    response=EditionResultsOut,
    summary="The published results; for award staff, the standings before publishing",
)
def edition_results(request: HttpRequest, edition_id: int):
    edition = get_edition_results_for_viewer(request.user, edition_id)
    if edition.are_results_published:
        return _results_out(edition, queries.published_results(edition))
    return _results_out(edition, queries.compute_results(edition))


@router.post(
    "/awards/editions/{edition_id}/results/publish",
    response=EditionResultsOut,
    summary="Publish the results (award staff, once the jury has closed)",
)
def publish_edition_results(request: HttpRequest, edition_id: int):
    edition = get_edition_results_for_viewer(request.user, edition_id, publishing=True)
    edition = services.publish_results(edition=edition, by=request.user)
    return _results_out(edition, queries.published_results(edition))
