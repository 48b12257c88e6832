"""Meetings in the JSON API: only the two members of a pair see or change its
meetings (404 for anyone else, staff included), through the same forms and services
as the pages."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated

from . import services
from .calendar import meeting_ics
from .forms import FeedbackForm, LogMeetingForm, MeetingTimeForm, PrivateNoteForm
from .models import Meeting, MeetingFeedback, PrivateMeetingNote
from .permissions import get_meeting_for_member, get_mentorship_for_member
from .schemas import (
    FeedbackIn,
    LogIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    PrivateNoteIn,
    PrivateNoteOut,
)
from .views import ICS_TYPE

router = Router(tags=["meetings"])


def detail(request: HttpRequest, meeting: Meeting) -> dict:
    meeting = Meeting.objects.get(pk=meeting.pk)
    note = PrivateMeetingNote.objects.filter(meeting=meeting, author=request.user).first()
    return {
        **{name: getattr(meeting, name) for name in MeetingOut.model_fields},
        "replaced_by_id": Meeting.objects.filter(replaces=meeting)
        .values_list("pk", flat=True)
        .first(),
        "my_feedback_given": MeetingFeedback.objects.filter(
            meeting=meeting, author=request.user
        ).exists(),
        "my_private_note": note.text if note else "",
    }


def _time(payload: MeetingIn) -> dict:
    return validated(MeetingTimeForm(payload.dict()))


@router.get(
    "/mentorships/{mentorship_id}/meetings",
    response=list[MeetingOut],
    summary="A pair's meetings, latest first (the pair)",
)
@paginate(PageNumberPagination)
def list_meetings(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_member(request.user, mentorship_id)
    return mentorship.meetings.order_by("-starts_at", "pk")


@router.post(
    "/mentorships/{mentorship_id}/meetings",
    response={201: MeetingDetailOut},
    summary="Propose a meeting: a wall-clock time in a time zone (the pair)",
)
def propose(request: HttpRequest, mentorship_id: int, payload: MeetingIn):
    mentorship = get_mentorship_for_member(request.user, mentorship_id)
    meeting = services.propose_meeting(mentorship=mentorship, by=request.user, **_time(payload))
    return Status(201, detail(request, meeting))


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="A meeting (the pair)")
def get_meeting(request: HttpRequest, meeting_id: int):
    return detail(request, get_meeting_for_member(request.user, meeting_id))


@router.post(
    "/meetings/{meeting_id}/accept",
    response=MeetingDetailOut,
    summary="Accept the other member's proposal",
)
def accept(request: HttpRequest, meeting_id: int):
    meeting = get_meeting_for_member(request.user, meeting_id)
    return detail(request, services.accept_meeting(meeting=meeting, by=request.user))


@router.post(
    "/meetings/{meeting_id}/other-time",
    response={201: MeetingDetailOut},
    summary="Answer a proposal with another time: the first one is superseded",
)
def other_time(request: HttpRequest, meeting_id: int, payload: MeetingIn):
    meeting = get_meeting_for_member(request.user, meeting_id)
    new = services.propose_other_time(meeting=meeting, by=request.user, **_time(payload))
    return Status(201, detail(request, new))


@router.post(
    "/meetings/{meeting_id}/cancel",
    response=MeetingDetailOut,
    summary="Cancel a proposed or accepted meeting that has not started",
)
def cancel(request: HttpRequest, meeting_id: int):
    meeting = get_meeting_for_member(request.user, meeting_id)
    return detail(request, services.cancel_meeting(meeting=meeting, by=request.user))


@router.post(
    "/meetings/{meeting_id}/log",
    response=MeetingDetailOut,
    summary="Log whether an accepted meeting happened",
)
def log(request: HttpRequest, meeting_id: int, payload: LogIn):
    meeting = get_meeting_for_member(request.user, meeting_id)
    data = validated(LogMeetingForm(payload.dict()))
    return detail(request, services.log_meeting(meeting=meeting, by=request.user, **data))


@router.post(
    "/meetings/{meeting_id}/feedback",
    response={201: MeetingDetailOut},
    summary="Rate a meeting that happened, once per person",
)
def feedback(request: HttpRequest, meeting_id: int, payload: FeedbackIn):
    meeting = get_meeting_for_member(request.user, meeting_id)
    data = validated(FeedbackForm(payload.dict()))
    services.give_feedback(meeting=meeting, by=request.user, **data)
    return Status(201, detail(request, meeting))


@router.put(
    "/meetings/{meeting_id}/private-note",
    response=PrivateNoteOut,
    summary="Your private note on a meeting (empty text deletes it); only you read it",
)
def private_note(request: HttpRequest, meeting_id: int, payload: PrivateNoteIn):
    meeting = get_meeting_for_member(request.user, meeting_id)
    data = validated(PrivateNoteForm(payload.dict()))
    note = services.save_private_note(meeting=meeting, by=request.user, text=data["text"])
    return {"text": note.text if note else ""}


@router.get(
    "/meetings/{meeting_id}/ics",
    summary="The meeting as an iCalendar file (text/calendar)",
)
def ics(request: HttpRequest, meeting_id: int):
    meeting = get_meeting_for_member(request.user, meeting_id)
    response = HttpResponse(meeting_ics(meeting, for_user=request.user), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
