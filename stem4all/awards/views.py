"""The award's pages. Views are thin: the first line fetches and authorises, then a
form, a service or a query, then a template (or a redirect after a POST)."""

from __future__ import annotations

import copy
import datetime as dt
import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.accounts.permissions import is_any_programme_staff, staff_programme_ids
from stem4all.core.client_ip import client_ip
from stem4all.core.exports import FORMATS, download
from stem4all.core.public import public
from stem4all.programmes.models import Programme

from . import exports, forms, models, permissions, queries, services
from .errors import AwardError, EmailNotVerified
from .forms import (
    CategoryForm,
    CategoryMoveForm,
    EditionForm,
    NominationFilterForm,
    NominationForm,
    NominationResponseForm,
    NominationReviewForm,
    ReceiptLookupForm,
)
from .models import Edition, Nomination, Phase
from .pdf import render_award_certificate, winner_name
from .permissions import (
    get_category_for_nominating,
    get_category_for_staff,
    get_edition_for_award_staff,
    get_edition_with_results,
    get_nomination_for_award_staff,
    get_nomination_for_nominee,
    get_nomination_for_viewer,
    get_own_vote,
    get_programme_for_award_staff,
    get_public_category,
    get_public_edition,
    get_verifiable_winner,
    get_votable_nomination,
    get_winner_certificate,
    is_award_staff,
)

EDITIONS_PAGE_SIZE = 20
DEFAULT_ZONE = "Asia/Bishkek"


def _viewer_zone(request) -> str:
    if request.user.is_authenticated and request.user.time_zone:
        return request.user.time_zone
    return DEFAULT_ZONE


def _timeline(edition, now) -> list[dict]:
    phase = edition.phase_at(now)
    rows = [
        (Phase.NOMINATIONS, edition.nominations_open_at, edition.nominations_close_at),
        (Phase.VOTING, edition.voting_open_at, edition.voting_close_at),
        (Phase.JURY, edition.jury_open_at, edition.jury_close_at),
        (Phase.RESULTS, edition.results_published_at or edition.results_at, None),
    ]
    order = list(Phase)
    items = []
    for row_phase, opens, closes in rows:
        if row_phase == phase:
            state = "now"
        elif order.index(row_phase) < order.index(phase):
            state = "done"
        else:
            state = "later"
        items.append(
            {
                "phase": row_phase,
                "label": row_phase.label,
                "opens": opens,
                "closes": closes,
                "state": state,
            }
        )
    return items


@public
def index(request):
    now = timezone.now()
    current = [
        (edition, Phase(edition.phase_at(now)).label)
        for edition in queries.visible_editions().filter(results_published_at__isnull=True)
    ]
    past = Paginator(
        queries.visible_editions().filter(results_published_at__isnull=False), EDITIONS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "current": current,
        "past": past,
        "programmes": _award_programmes(request.user),
    }
    return render(request, "awards/index.html", context)


def _award_programmes(user):
    """The programmes whose award ``user`` runs (to offer a new edition)."""
    if not is_any_programme_staff(user):
        return []
    if user.is_superuser:
        return list(Programme.objects.order_by("name"))
    return list(Programme.objects.filter(pk__in=staff_programme_ids(user)).order_by("name"))


@public
def edition(request, slug: str):
    edition = get_public_edition(slug)
    now = timezone.now()
    phase = edition.phase_at(now)
    nominating = edition.is_nominating_open(now)
    categories = [
        {
            "category": category,
            "url": category.get_absolute_url(),
            "nominate_url": reverse("awards:nominate", args=[category.pk]) if nominating else None,
        }
        for category in edition.categories.all()
    ]
    is_staff = is_award_staff(request.user, edition)
    staff_links = []
    if is_staff:
        staff_links = [
            (label, reverse(name, args=[edition.slug]))
            for label, name in (
                (_("Manage the edition"), "awards:edition_manage"),
                (_("Review nominations"), "awards:review"),
                (_("Integrity of the votes"), "awards:integrity"),
                (_("Jury"), "awards:jury_admin"),
                (_("Preview the results"), "awards:results_preview"),
            )
        ]
    context = {
        "edition": edition,
        "phase": Phase(phase),
        "timeline": _timeline(edition, now),
        "categories": categories,
        "viewer_zone": _viewer_zone(request),
        "results_url": reverse("awards:results", args=[edition.slug])
        if edition.are_results_published
        else None,
        "staff_links": staff_links,
    }
    return render(request, "awards/edition.html", context)


def _edition_initial(now) -> dict:
    """A sensible first layout: nominations from tomorrow 09:00 in Bishkek, then two
    weeks for each phase."""
    zone = zoneinfo.ZoneInfo(DEFAULT_ZONE)
    start = (now.astimezone(zone) + dt.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0, tzinfo=None
    )
    week = dt.timedelta(days=7)
    return {
        "year": start.year,
        "nominations_open_at": start,
        "nominations_close_at": start + 2 * week,
        "voting_open_at": start + 2 * week,
        "voting_close_at": start + 4 * week,
        "jury_open_at": start + 4 * week,
        "jury_close_at": start + 6 * week,
        "results_at": start + 6 * week,
    }


def _form_status(form) -> int:
    return 400 if form.is_bound and not form.is_valid() else 200


def edition_create(request, programme_id: int):
    programme = get_programme_for_award_staff(request.user, programme_id)
    now = timezone.now()
    form = EditionForm(
        request.POST or None,
        instance=Edition(programme=programme),
        initial=_edition_initial(now),
        now=now,
    )
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.create_edition(
                programme=programme, by=request.user, **form.cleaned_data
            )
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The edition is created. Now add its categories."))
            return redirect("awards:edition_manage", slug=edition.slug)
    context = {"form": form, "programme": programme, "edition": None}
    return render(request, "awards/edition_form.html", context, status=_form_status(form))


def edition_edit(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    now = timezone.now()
    form = EditionForm(request.POST or None, instance=copy.copy(edition), now=now)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.update_edition(
                edition=edition, by=request.user, now=now, **form.cleaned_data
            )
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The edition is saved."))
            return redirect("awards:edition_manage", slug=edition.slug)
    context = {"form": form, "programme": edition.programme, "edition": edition}
    return render(request, "awards/edition_form.html", context, status=_form_status(form))


def edition_manage(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    categories = edition.categories.annotate(nominations_count=Count("nominations")).order_by(
        "position", "pk"
    )
    context = {
        "edition": edition,
        "phase": Phase(edition.phase_at()),
        "categories": categories,
        "viewer_zone": _viewer_zone(request),
    }
    return render(request, "awards/edition_manage.html", context)


def category_create(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    form = CategoryForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_category(edition=edition, by=request.user, **form.cleaned_data)
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The category is added."))
            return redirect("awards:edition_manage", slug=edition.slug)
    context = {"form": form, "edition": edition, "category": None}
    return render(request, "awards/edition_category_form.html", context, status=_form_status(form))


def category_edit(request, category_id: int):
    category = get_category_for_staff(request.user, category_id)
    edition = category.edition
    form = CategoryForm(request.POST or None, instance=copy.copy(category), edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_category(category=category, by=request.user, **form.cleaned_data)
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The category is saved."))
            return redirect("awards:edition_manage", slug=edition.slug)
    context = {"form": form, "edition": edition, "category": category}
    return render(request, "awards/edition_category_form.html", context, status=_form_status(form))


@require_POST
def category_move(request, category_id: int):
    category = get_category_for_staff(request.user, category_id)
    form = CategoryMoveForm(request.POST)
    if form.is_valid():
        services.move_category(
            category=category, by=request.user, up=form.cleaned_data["direction"] == "up"
        )
    return redirect("awards:edition_manage", slug=category.edition.slug)


@require_POST
def category_delete(request, category_id: int):
    category = get_category_for_staff(request.user, category_id)
    try:
        services.delete_category(category=category, by=request.user)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The category %(name)s is deleted.") % {"name": category.name})
    return redirect("awards:edition_manage", slug=category.edition.slug)


NOMINATION_LIST_PAGE_SIZE = 25


def _posted(request):
    # Bound on every POST, an empty one included, so that it shows its errors.
    return request.POST if request.method == "POST" else None


def nominate(request, category_id: int):
    category = get_category_for_nominating(request.user, category_id)
    edition = category.edition
    form = NominationForm(_posted(request), category=category, nominator=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(
                category=category, nominated_by=request.user, **form.nominee_arguments()
            )
        except AwardError as error:
            messages.error(request, str(error))
            return redirect("awards:nominate", category_id=category.pk)
        messages.success(
            request,
            _("Thank you: your nomination is saved. The programme staff will review it."),
        )
        return redirect("awards:nomination", nomination_id=nomination.pk)
    context = {
        "category": category,
        "edition": edition,
        "form": form,
        "is_open": edition.is_nominating_open(),
    }
    return render(
        request, "awards/nomination_form.html", context, status=400 if form.is_bound else 200
    )


@public
def nomination(request, nomination_id: int):
    nomination = get_nomination_for_viewer(request.user, nomination_id)
    context = {
        "nomination": nomination,
        "category": nomination.category,
        "statements": queries.statements_of(nomination),
        "evidence": queries.evidence_of(nomination),
        "is_nominee": request.user.is_authenticated
        and nomination.nominee_user_id == request.user.pk,
        "is_staff": is_award_staff(request.user, nomination.category.edition),
    }
    return render(request, "awards/nomination_detail.html", context)


def nomination_respond(request, nomination_id: int):
    nomination = get_nomination_for_nominee(request.user, nomination_id)
    initial = {
        "answer": NominationResponseForm.AGREE,
        "shows_meetings": nomination.shows_meetings,
        "shows_roadmap_steps": nomination.shows_roadmap_steps,
        "shows_trainings": nomination.shows_trainings,
    }
    form = NominationResponseForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_to_nomination(
                nomination=nomination, nominee=request.user, **form.cleaned_data
            )
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your answer is saved."))
        return redirect("awards:nomination_respond", nomination_id=nomination.pk)
    context = {
        "nomination": nomination,
        "category": nomination.category,
        "statements": queries.statements_of(nomination),
        "form": form,
        "is_open": nomination.status in (Nomination.Status.PENDING, Nomination.Status.APPROVED),
    }
    return render(
        request,
        "awards/nomination_respond.html",
        context,
        status=400 if form.is_bound else 200,
    )


def my_nominations(request):
    made = Paginator(queries.nominations_made_by(request.user), NOMINATION_LIST_PAGE_SIZE)
    mine = Paginator(queries.nominations_of(request.user), NOMINATION_LIST_PAGE_SIZE)
    context = {
        "made": made.get_page(request.GET.get("made")),
        "received": mine.get_page(request.GET.get("received")),
    }
    return render(request, "awards/nomination_mine.html", context)


def nomination_queue(request, slug: str):
    edition = get_edition_for_award_staff(request.user, slug=slug)
    form = NominationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = Paginator(
        queries.nominations_for_review(edition, status), NOMINATION_LIST_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/review_queue.html",
        {"edition": edition, "form": form, "page": page},
    )


def nomination_review(request, nomination_id: int):
    nomination = get_nomination_for_award_staff(request.user, nomination_id)
    form = NominationReviewForm(_posted(request), nomination=nomination)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_nomination(nomination=nomination, by=request.user, **form.cleaned_data)
        except AwardError as error:
            messages.error(request, str(error))
            return redirect("awards:review_nomination", nomination_id=nomination.pk)
        messages.success(request, _("The decision is saved."))
        return redirect("awards:review", slug=nomination.category.edition.slug)
    context = {
        "nomination": nomination,
        "category": nomination.category,
        "edition": nomination.category.edition,
        "statements": queries.statements_of(nomination),
        "evidence": queries.evidence_of(nomination),
        "form": form,
        "is_pending": nomination.status == Nomination.Status.PENDING,
    }
    return render(
        request,
        "awards/review_nomination.html",
        context,
        status=400 if form.is_bound else 200,
    )


NOMINATIONS_PAGE_SIZE = 50
MY_VOTES_PAGE_SIZE = 50


@public
def category(request, slug: str, category_slug: str):
    category = get_public_category(slug, category_slug)
    edition = category.edition
    standing = queries.standing_vote_of(request.user, category)
    page = Paginator(queries.votable_nominations(category), NOMINATIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "category": category,
        "edition": edition,
        "phase": Phase(edition.phase_at()).label,
        "voting_open": edition.is_voting_open(),
        "page": page,
        "standing": standing,
        "may_change": standing is None or edition.votes_changeable,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}",
    }
    return render(request, "awards/category.html", context)


@require_POST
def vote(request, nomination_id: int):
    nomination = get_votable_nomination(nomination_id)
    back = nomination.category.get_absolute_url()
    try:
        cast, is_new = services.vote_for_nomination(
            voter=request.user,
            nomination=nomination,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except EmailNotVerified as error:
        messages.error(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                str(error),
                reverse("account_email"),
                _("Confirm your e-mail address"),
            ),
        )
        return redirect(back)
    except AwardError as error:
        messages.error(request, str(error))
        return redirect(back)
    if is_new:
        messages.success(request, _("Your vote is recorded. Keep your receipt."))
    else:
        messages.info(request, _("You had already voted for this nominee: that vote stands."))
    return redirect("awards:vote_receipt", vote_id=cast.pk)


def vote_receipt(request, vote_id: int):
    vote = get_own_vote(request.user, vote_id)
    context = {"vote": vote, "receipt": services.format_receipt(vote.receipt)}
    return render(request, "awards/vote_receipt.html", context)


def my_votes(request):
    page = Paginator(queries.votes_of(request.user), MY_VOTES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for vote in page.object_list:
        vote.formatted_receipt = services.format_receipt(vote.receipt)
    return render(request, "awards/my_votes.html", {"page": page})


@public
def receipt(request):
    """A POST form, so that a receipt never lands in an address or a server log."""
    form = ReceiptLookupForm(request.POST or None)
    found, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            found = services.look_up_receipt(
                receipt=form.cleaned_data["receipt"], ip=client_ip(request)
            )
        except services.TooManyLookups as error:
            form.add_error(None, str(error))
            status = 429
        except AwardError as error:
            form.add_error("receipt", str(error))
    context = {
        "form": form,
        "vote": found,
        "receipt": services.format_receipt(found.receipt) if found else "",
    }
    return render(request, "awards/receipt.html", context, status=status)


INTEGRITY_PAGE_SIZE = 50


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def integrity(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    report = queries.anomaly_report(edition)
    flagged = Paginator(report.flagged, INTEGRITY_PAGE_SIZE).get_page(request.GET.get("page"))
    clusters = Paginator(report.clusters, INTEGRITY_PAGE_SIZE).get_page(request.GET.get("clusters"))
    context = {
        "edition": edition,
        "report": report,
        "flagged": flagged,
        "clusters": clusters,
        "form": forms.VoidingRequestForm(edition=edition),
        "thresholds": {
            "crowd": queries.NETWORK_CROWD_VOTERS,
            "signup": queries.FAST_SIGNUP_SECONDS,
            "browser": queries.SHARED_BROWSER_VOTERS,
            "burst_votes": queries.BURST_VOTES,
            "burst_minutes": int(queries.BURST_WINDOW.total_seconds() // 60),
        },
    }
    return render(request, "awards/integrity.html", context)


@require_POST
def request_voiding(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    form = forms.VoidingRequestForm(request.POST, edition=edition)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("awards:integrity", slug=edition.slug)
    done = 0
    for vote in form.cleaned_data["votes"]:
        try:
            services.request_voiding(vote=vote, by=request.user, reason=form.cleaned_data["reason"])
            done += 1
        except AwardError as error:
            messages.error(request, f"{services.format_receipt(vote.receipt)}: {error}")
    if done:
        messages.success(
            request,
            translation.ngettext(
                "Voiding requested for %(count)d vote. Another staff member must confirm it.",
                "Voiding requested for %(count)d votes. Another staff member must confirm them.",
                done,
            )
            % {"count": done},
        )
    return redirect("awards:voidings", slug=edition.slug)


def voidings(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    page = Paginator(queries.voidings_of(edition), INTEGRITY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "awards/integrity_voidings.html", {"edition": edition, "page": page})


@require_POST
def confirm_voiding(request, voiding_id: int):
    voiding = permissions.get_voiding_for_award_staff(request.user, voiding_id)
    try:
        services.confirm_voiding(voiding=voiding, by=request.user)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The voiding is confirmed: the vote no longer counts."))
    return redirect("awards:voidings", slug=voiding.vote.category.edition.slug)


@require_POST
def withdraw_voiding(request, voiding_id: int):
    voiding = permissions.get_voiding_for_award_staff(request.user, voiding_id)
    try:
        services.withdraw_voiding_request(voiding=voiding, by=request.user)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("awards:voidings", slug=voiding.vote.category.edition.slug)


# Jury: staff -------------------------------------------------------------------------


def _jury_admin_context(request, edition, forms_by_category=None):
    forms_by_category = forms_by_category or {}
    candidates = queries.jury_candidates(edition)
    closed = edition.has_jury_closed()
    categories = []
    for category in edition.categories.prefetch_related("criteria"):
        seated = category.jury.values("juror_id")
        criteria = list(category.criteria.all())
        categories.append(
            {
                "category": category,
                "progress": queries.jury_progress(category),
                "criteria": criteria,
                "assign_form": forms_by_category.get(("assign", category.pk))
                or forms.JuryAssignmentForm(
                    candidates=candidates.exclude(pk__in=seated), prefix=f"seat{category.pk}"
                ),
                "criterion_form": forms_by_category.get(("criterion", category.pk))
                or forms.JuryCriterionForm(prefix=f"criterion{category.pk}"),
                # Who submitted which sheet (for reopening), never the scores.
                "submitted": models.ScoreSheet.objects.filter(
                    assignment__category=category, submitted_at__isnull=False
                )
                .select_related("assignment__juror", "nomination__nominee_user")
                .order_by("nomination_id", "assignment__juror__full_name", "pk")
                if not closed
                else [],
                "sheets": list(queries.visible_sheets(request.user, category)) if closed else [],
            }
        )
    return {"edition": edition, "categories": categories, "jury_closed": closed}


def jury_admin(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    return render(request, "awards/jury_admin.html", _jury_admin_context(request, edition))


@require_POST
def assign_juror(request, category_id: int):
    category = permissions.get_category_for_award_staff(request.user, category_id)
    edition = category.edition
    seated = category.jury.values("juror_id")
    form = forms.JuryAssignmentForm(
        request.POST,
        candidates=queries.jury_candidates(edition).exclude(pk__in=seated),
        prefix=f"seat{category.pk}",
    )
    if form.is_valid():
        try:
            services.assign_juror(
                category=category,
                juror=form.cleaned_data["juror"],
                is_chair=form.cleaned_data["is_chair"],
                by=request.user,
            )
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("She is on the jury of this category."))
        return redirect("awards:jury_admin", slug=edition.slug)
    context = _jury_admin_context(request, edition, {("assign", category.pk): form})
    return render(request, "awards/jury_admin.html", context, status=422)


@require_POST
def remove_juror(request, assignment_id: int):
    assignment = permissions.get_assignment_for_award_staff(request.user, assignment_id)
    try:
        services.remove_juror(assignment=assignment, by=request.user)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The seat is removed."))
    return redirect("awards:jury_admin", slug=assignment.category.edition.slug)


@require_POST
def add_criterion(request, category_id: int):
    category = permissions.get_category_for_award_staff(request.user, category_id)
    form = forms.JuryCriterionForm(request.POST, prefix=f"criterion{category.pk}")
    if form.is_valid():
        try:
            services.add_jury_criterion(category=category, by=request.user, **form.cleaned_data)
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The criterion is added."))
        return redirect("awards:jury_admin", slug=category.edition.slug)
    context = _jury_admin_context(request, category.edition, {("criterion", category.pk): form})
    return render(request, "awards/jury_admin.html", context, status=422)


@require_POST
def remove_criterion(request, criterion_id: int):
    criterion = permissions.get_criterion_for_award_staff(request.user, criterion_id)
    try:
        services.remove_jury_criterion(criterion=criterion, by=request.user)
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("awards:jury_admin", slug=criterion.category.edition.slug)


# Jury: members -----------------------------------------------------------------------


def jury_home(request):
    seats, past = [], []
    for assignment in queries.my_jury_assignments(request.user):
        category = assignment.category
        if category.edition.are_results_published:
            # Finished work: a link to the results, not the whole score tables again.
            past.append(assignment)
            continue
        closed = category.edition.has_jury_closed()
        seats.append(
            {
                "assignment": assignment,
                "finalists": queries.my_finalists(assignment),
                "jury_open": category.edition.is_jury_open(),
                "jury_closed": closed,
                "criteria": list(category.criteria.all()),
                "sheets": list(queries.visible_sheets(request.user, category)) if closed else [],
                "submitted": models.ScoreSheet.objects.filter(
                    assignment__category=category, submitted_at__isnull=False
                )
                .select_related("assignment__juror", "nomination__nominee_user")
                .order_by("nomination_id", "assignment__juror__full_name", "pk")
                if assignment.is_chair and not closed
                else [],
            }
        )
    return render(request, "awards/jury_home.html", {"seats": seats, "past": past})


def _score_context(request, nomination, assignment, form=None):
    category = nomination.category
    criteria = list(category.criteria.all())
    sheet = (
        models.ScoreSheet.objects.filter(assignment=assignment, nomination=nomination)
        .prefetch_related(queries.sheet_scores())
        .order_by("pk")
        .first()
    )
    if form is None:
        initial = {}
        if sheet is not None:
            initial = {f"criterion_{s.criterion_id}": s.score for s in sheet.scores.all()}
            initial["comment"] = sheet.comment
        form = forms.JuryScoreForm(initial=initial, criteria=criteria)
    blocked = nomination.pk in queries.conflicted_nomination_ids(assignment, [nomination])
    declared = models.ConflictOfInterest.objects.filter(
        assignment=assignment, nomination=nomination
    ).first()
    return {
        "nomination": nomination,
        "assignment": assignment,
        "category": category,
        "sheet": sheet,
        "form": form,
        "criteria": criteria,
        "is_conflicted": blocked,
        "declared_conflict": declared,
        "is_finalist": nomination.pk in {n.pk for n in queries.finalists(category)},
        "jury_open": category.edition.is_jury_open(),
        "conflict_form": forms.ConflictForm(),
        "weighted": queries.weighted_score(sheet, criteria) if sheet else None,
    }


def jury_nomination(request, nomination_id: int):
    nomination, assignment = permissions.get_nomination_for_jury(request.user, nomination_id)
    context = _score_context(request, nomination, assignment)
    return render(request, "awards/jury_score.html", context)


@require_POST
def score_nomination(request, nomination_id: int):
    nomination, assignment = permissions.get_nomination_for_jury(request.user, nomination_id)
    criteria = list(nomination.category.criteria.all())
    form = forms.JuryScoreForm(request.POST, criteria=criteria)
    template = "awards/jury_score.html#score-panel" if _htmx(request) else "awards/jury_score.html"
    if not form.is_valid():
        context = _score_context(request, nomination, assignment, form=form)
        return render(request, template, context, status=422)
    try:
        sheet = services.submit_jury_score(
            nomination=nomination, juror=request.user, **form.score_data()
        )
    except AwardError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your scores are submitted.") if sheet.is_submitted else _("Your draft is saved."),
        )
    if _htmx(request):
        return render(request, template, _score_context(request, nomination, assignment))
    return redirect("awards:jury_nomination", nomination_id=nomination.pk)


@require_POST
def declare_conflict(request, nomination_id: int):
    nomination, assignment = permissions.get_nomination_for_jury(request.user, nomination_id)
    form = forms.ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.declare_conflict(
                assignment=assignment, nomination=nomination, reason=form.cleaned_data["reason"]
            )
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your conflict of interest is recorded."))
    else:
        messages.error(request, _("Say what the conflict is."))
    return redirect("awards:jury_nomination", nomination_id=nomination.pk)


@require_POST
def reopen_sheet(request, sheet_id: int):
    sheet = permissions.get_sheet_for_reopening(request.user, sheet_id)
    form = forms.ReopenSheetForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_score_sheet(
                sheet=sheet, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The scores are reopened."))
    else:
        messages.error(request, _("Give the reason for reopening the scores."))
    edition = sheet.assignment.category.edition
    if permissions.is_award_staff(request.user, edition):
        return redirect("awards:jury_admin", slug=edition.slug)
    return redirect("awards:jury_home")


def _results_rules(edition) -> dict:
    """The rule the results page states, from the edition and the code's tie rule."""
    return {
        "method": edition.get_winner_method_display(),
        "is_combined": edition.winner_method == edition.WinnerMethod.COMBINED,
        "public_weight": (
            edition.public_weight_percent
            if edition.winner_method == edition.WinnerMethod.COMBINED
            else 0
        ),
        "jury_weight": edition.jury_weight_percent,
        "tie_rule": queries.TIE_RULE,
        "finalist_rule": queries.FINALIST_RULE % {"count": edition.finalists_per_category},
    }


def results_preview(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    jury_closed = edition.has_jury_closed()
    context = {
        "edition": edition,
        "jury_closed": jury_closed,
        "may_publish": jury_closed and edition.may_publish_results(),
        "groups": queries.compute_results(edition) if jury_closed else [],
        "rules": _results_rules(edition),
        "exports": [
            (what, label, fmt)
            for what, label in (
                ("nominations", _("Nominations")),
                ("votes", _("Votes per nominee")),
                ("jury", _("Jury scores")),
            )
            for fmt in FORMATS
        ],
    }
    return render(request, "awards/results_preview.html", context)


@require_POST
def results_publish(request, slug: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    try:
        services.publish_results(edition=edition, by=request.user)
    except AwardError as error:
        messages.error(request, str(error))
        return redirect("awards:results_preview", slug=edition.slug)
    messages.success(request, _("The results are published."))
    return redirect("awards:results", slug=edition.slug)


@public
def results(request, slug: str):
    edition = get_edition_with_results(slug)
    context = {
        "edition": edition,
        "groups": queries.published_results(edition),
        "rules": _results_rules(edition),
    }
    return render(request, "awards/results.html", context)


@public
def results_csv(request, slug: str):
    edition = get_edition_with_results(slug)
    header, rows = exports.public_results_table(edition)
    return download(
        name=f"{edition.slug}-results", fmt="csv", title=_("Results"), header=header, rows=rows
    )


def export(request, slug: str, what: str, fmt: str):
    edition = permissions.get_edition_for_award_staff(request.user, slug=slug)
    if what not in exports.TABLES or fmt not in FORMATS:
        raise Http404
    if what == "jury" and not edition.has_jury_closed():
        raise Http404  # scores are private to the jury until the jury closes
    if what == "votes" and not edition.has_voting_closed():
        raise Http404  # no running count while people still vote
    header, rows = exports.TABLES[what](edition)
    return download(name=f"{edition.slug}-{what}", fmt=fmt, title=what, header=header, rows=rows)


def award_certificate(request, code: str):
    result = get_winner_certificate(request.user, code)
    verify_url = request.build_absolute_uri(reverse("awards:verify", args=[code]))
    with translation.override(request.user.preferred_language or None):
        content = render_award_certificate(result, verify_url=verify_url)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="award-certificate-{code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@public
def verify(request, code: str):
    result = get_verifiable_winner(code)
    shown = (
        result is not None
        and queries.shown_in_public(Nomination.objects.filter(pk=result.nomination_id)).exists()
    )
    context = {"result": result, "shown": shown, "name": winner_name(result) if shown else ""}
    response = render(request, "awards/results_verify.html", context, status=200 if result else 404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
