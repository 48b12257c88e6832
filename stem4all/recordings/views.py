"""Recordings pages: staff's list, publishing and editing, access codes; the viewer's
recording page and video stream; the public page where a code is exchanged.

Pages touching codes or videos send ``Cache-Control: no-store`` and a referrer policy
that never lets an address leave the site: ``same-origin`` on pages (with
``no-referrer`` a browser sends ``Origin: null`` on the page's own form posts, which
CSRF protection rightly refuses) and ``no-referrer`` on the video itself. A code only
ever travels in a POST body, and the exchange view hides it from error reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from stem4all.core.client_ip import client_ip
from stem4all.core.public import public
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .errors import NoAccess, RecordingError
from .forms import AccessCodeForm, EnterCodeForm, RecordingForm
from .permissions import get_code_for_staff, get_recording_for_staff, get_recording_for_viewer
from .streaming import file_response

PAGE_SIZE = 50


def _private(response, *, referrer_policy: str = "same-origin"):
    response["Referrer-Policy"] = referrer_policy
    response["Cache-Control"] = "no-store"
    return response


@public
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enter_code(request):
    form = EnterCodeForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            recording = services.exchange_access_code(
                session=request.session,
                ip=client_ip(request) or "unknown",
                code_text=form.cleaned_data["code"],
            )
        except RecordingError as exc:
            status, error = exc.status, str(exc)
            form = EnterCodeForm()  # never echo a code back into the page
        else:
            return _private(redirect("recordings:watch", recording_id=recording.pk))
    elif request.method == "POST":
        status = 400
    response = render(
        request, "recordings/enter_code.html", {"form": form, "error": error}, status=status
    )
    return _private(response)


def _unavailable(request, error: RecordingError):
    response = render(
        request, "recordings/unavailable.html", {"error": str(error)}, status=error.status
    )
    return _private(response)


@public
@require_http_methods(["GET", "HEAD"])
def watch(request, recording_id: int):
    try:
        recording = get_recording_for_viewer(request, recording_id, now=timezone.now())
    except NoAccess:
        return _private(redirect("recordings:enter_code"))
    except RecordingError as error:
        return _unavailable(request, error)
    response = render(request, "recordings/watch.html", {"recording": recording})
    return _private(response)


@public
@require_http_methods(["GET", "HEAD"])
def stream(request, recording_id: int):
    # Re-authorised on every request: a player fetches a video in many ranges, and a
    # revoked code or an ended period must stop the next one.
    try:
        recording = get_recording_for_viewer(request, recording_id, now=timezone.now())
    except NoAccess:
        raise Http404 from None
    except RecordingError as error:
        return _unavailable(request, error)
    if not recording.file:
        raise Http404
    try:
        response = file_response(
            recording.file,
            content_type=recording.content_type or "application/octet-stream",
            range_header=request.headers.get("Range", ""),
            head=request.method == "HEAD",
        )
    except FileNotFoundError:
        raise Http404 from None
    response["Content-Disposition"] = "inline"
    return _private(response, referrer_policy="no-referrer")


def my_recordings(request):
    rows = queries.recordings_for_participant(request.user, now=timezone.now())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recordings/my_recordings.html", {"page": page})


def staff_recordings(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    page = Paginator(queries.recordings_of_cohort(cohort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"cohort": cohort, "page": page, "now": timezone.now()}
    return render(request, "recordings/staff_list.html", context)


def create_recording(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    start, end = services.default_period()
    form = RecordingForm(
        request.POST or None,
        request.FILES or None,
        cohort=cohort,
        initial={
            "available_from": timezone.localtime(start),
            "available_until": timezone.localtime(end),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            recording = services.publish_recording(
                cohort=cohort, by=request.user, **form.service_arguments()
            )
        except RecordingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recording is published."))
            return redirect("recordings:codes", recording_id=recording.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "cancel_url": reverse("recordings:staff_list", args=[cohort.pk]),
    }
    return render(request, "recordings/recording_form.html", context)


def edit_recording(request, recording_id: int):
    recording = get_recording_for_staff(request.user, recording_id)
    initial = {
        "title": recording.title,
        "description": recording.description,
        "external_url": recording.external_url,
        "training": recording.training_id,
        "available_from": timezone.localtime(recording.available_from),
        "available_until": timezone.localtime(recording.available_until),
    }
    form = RecordingForm(
        request.POST or None, request.FILES or None, initial=initial, recording=recording
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_recording(
                recording=recording, by=request.user, **form.service_arguments()
            )
        except RecordingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The recording is saved."))
            return redirect("recordings:staff_list", cohort_id=recording.cohort_id)
    context = {
        "cohort": recording.cohort,
        "recording": recording,
        "form": form,
        "cancel_url": reverse("recordings:staff_list", args=[recording.cohort_id]),
    }
    return render(request, "recordings/recording_form.html", context)


@require_http_methods(["GET", "POST"])
def access_codes(request, recording_id: int):
    recording = get_recording_for_staff(request.user, recording_id)
    form = AccessCodeForm(request.POST or None)
    new_code = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                code, new_code = services.create_access_code(
                    recording=recording, by=request.user, label=form.cleaned_data["label"]
                )
            except RecordingError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                # Shown in this answer only: no redirect, nothing stored in clear.
                form = AccessCodeForm()
        else:
            status = 400
    context = {
        "recording": recording,
        "cohort": recording.cohort,
        "form": form,
        "new_code": new_code,
        "codes": queries.codes_of(recording),
        "enter_code_url": request.build_absolute_uri(reverse("recordings:enter_code")),
    }
    response = render(request, "recordings/codes.html", context, status=status)
    return _private(response)


@require_POST
def revoke_code(request, code_id: int):
    code = get_code_for_staff(request.user, code_id)
    try:
        services.revoke_access_code(code=code, by=request.user)
    except RecordingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The code is revoked: it no longer opens the recording."))
    return redirect("recordings:codes", recording_id=code.recording_id)
