"""Meeting pages: a pair's meetings with a proposal form, one meeting with its
answer/log/feedback forms, its .ics download, and the personal calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stem4all.core.public import public

from . import services
from .calendar import feed_ics, meeting_ics
from .forms import FeedbackForm, LogMeetingForm, MeetingTimeForm
from .models import CalendarFeed, Meeting, MeetingFeedback, PrivateMeetingNote
from .permissions import get_meeting_for_member, get_mentorship_for_member

ICS_TYPE = "text/calendar; charset=utf-8"


def mentorship_meetings(request, mentorship_id: int):
    mentorship = get_mentorship_for_member(request.user, mentorship_id)
    form = MeetingTimeForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": request.user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.propose_meeting(
                mentorship=mentorship, by=request.user, **form.cleaned_data
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your proposal has been sent."))
            return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
    meetings = mentorship.meetings.select_related("proposed_by").order_by("-starts_at", "pk")[:100]
    context = {
        "mentorship": mentorship,
        "meetings": meetings,
        "form": form,
        "viewer_zone": request.user.time_zone,
        "can_propose": mentorship.status == mentorship.Status.ACTIVE,
    }
    return render(request, "meetings/mentorship_meetings.html", context)


def meeting_detail(request, meeting_id: int):
    meeting = get_meeting_for_member(request.user, meeting_id)
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    other_form = MeetingTimeForm(
        request.POST if action == "other_time" else None,
        initial={
            "time_zone": user.time_zone,
            "duration_minutes": meeting.duration_minutes,
            "online_link": meeting.online_link,
            "place": meeting.place,
            "agenda": meeting.agenda,
        },
    )
    log_form = LogMeetingForm(request.POST if action == "log" else None)
    feedback_form = FeedbackForm(request.POST if action == "feedback" else None)
    if request.method == "POST":
        form = {"other_time": other_form, "log": log_form, "feedback": feedback_form}.get(action)
        try:
            if action == "accept":
                services.accept_meeting(meeting=meeting, by=user)
                messages.success(request, _("You accepted the meeting."))
                return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
            if action == "cancel":
                services.cancel_meeting(meeting=meeting, by=user)
                messages.success(request, _("The meeting is cancelled."))
                return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
            if form is not None and form.is_valid():
                data = form.cleaned_data
                if action == "other_time":
                    new = services.propose_other_time(meeting=meeting, by=user, **data)
                    messages.success(request, _("You proposed another time."))
                    return redirect("meetings:meeting_detail", meeting_id=new.pk)
                if action == "log":
                    services.log_meeting(meeting=meeting, by=user, **data)
                    messages.success(request, _("The meeting is logged."))
                else:
                    services.give_feedback(meeting=meeting, by=user, **data)
                    messages.success(request, _("Thank you for your feedback."))
                return redirect("meetings:meeting_detail", meeting_id=meeting.pk)
            if form is None:
                messages.error(request, _("Unknown action."))
        except services.MeetingError as error:
            if form is not None:
                form.add_error(None, str(error))
            else:
                messages.error(request, str(error))
        meeting.refresh_from_db()
    is_proposed = meeting.status == Meeting.Status.PROPOSED
    context = {
        "meeting": meeting,
        "other": meeting.other_member(user),
        "viewer_zone": user.time_zone,
        "local_start": meeting.local_start(user.time_zone),
        "proposer_start": meeting.local_start(meeting.time_zone),
        "can_answer": is_proposed and meeting.proposed_by_id != user.pk,
        "can_cancel": meeting.status in Meeting.CALENDAR_STATUSES,
        "can_log": meeting.status == Meeting.Status.ACCEPTED and not meeting.outcome,
        "can_give_feedback": meeting.outcome == Meeting.Outcome.HAPPENED
        and not MeetingFeedback.objects.filter(meeting=meeting, author=user).exists(),
        "private_note": PrivateMeetingNote.objects.filter(meeting=meeting, author=user).first(),
        "other_form": other_form,
        "log_form": log_form,
        "feedback_form": feedback_form,
    }
    return render(request, "meetings/meeting_detail.html", context)


def meeting_download(request, meeting_id: int):
    meeting = get_meeting_for_member(request.user, meeting_id)
    response = HttpResponse(meeting_ics(meeting, for_user=request.user), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed(request):
    """Her feed URL: start a new one (the old one stops working) or stop it."""
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_feed(user=request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("meetings:calendar_feed")
        token = services.create_calendar_feed(user=request.user)
        # Shown once: only its hash is stored.
        new_url = request.build_absolute_uri(reverse("meetings:public_feed", args=[token]))
    has_feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).exists()
    return render(
        request, "meetings/calendar_feed.html", {"new_url": new_url, "has_feed": has_feed}
    )


@public
def public_feed(request, token: str):
    # Calendar apps cannot sign in: the secret token in the URL is the credential.
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=services.hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(feed_ics(feed.user), content_type=ICS_TYPE)
    response["Cache-Control"] = "private, max-age=900"
    return response
