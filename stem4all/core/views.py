from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from stem4all.accounts.permissions import is_any_programme_staff
from stem4all.matching import queries as matching_queries
from stem4all.programmes import queries as programme_queries
from stem4all.programmes.models import Participation
from stem4all.reports.permissions import funded_cohorts
from stem4all.reports.surveys import open_surveys_for

from .public import public


@public
def landing(request):
    programme = programme_queries.featured_programme()
    context = {
        "programme": programme,
        "open_cohorts": programme_queries.open_cohorts(programme) if programme else [],
    }
    return render(request, "core/landing.html", context)


def dashboard(request):
    user = request.user
    context = {
        "participations": programme_queries.participations_of(user),
        "is_staff_member": is_any_programme_staff(user),
        "staff_cohorts": programme_queries.cohorts_with_counts_for_staff(user),
        "open_cohorts": programme_queries.open_cohorts(None),
        "has_mentee_profile": hasattr(user, "mentee_profile"),
        "has_mentor_profile": hasattr(user, "mentor_profile"),
        "waiting_proposals": matching_queries.waiting_proposals_for_dashboard(user),
        "mentorships_as_mentor": matching_queries.mentorships_as_mentor(user),
        "match_statuses": matching_queries.match_status_of_mentee(user),
        "funded_cohorts": list(funded_cohorts(user)),
        "open_surveys": open_surveys_for(user),
        "is_partner": user.participations.filter(
            role=Participation.Role.PARTNER, status=Participation.Status.ACCEPTED
        ).exists(),
    }
    return render(request, "core/dashboard.html", context)


@public
@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
def switch_language(request):
    """Set the interface language (a plain form post, no JavaScript needed) and remember
    it on the account of a signed-in person."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(status=400, content=b"Unknown language")
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    translation.activate(language)
    if request.user.is_authenticated and request.user.preferred_language != language:
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response
