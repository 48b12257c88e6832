"""JSON API of the peergroups app: the same accessors, forms and services as the pages."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .forms import GroupFilterForm, GroupMeetingForm, PeerGroupForm
from .permissions import current_group_membership, get_group_for_viewer, participant_programmes
from .schemas import (
    AlumniConversionOut,
    GroupDetailOut,
    GroupIn,
    GroupOut,
    MeetingIn,
    MeetingOut,
    MembershipOut,
)

router = Router(tags=["peergroups"])


class GroupFilters(Schema):
    q: str = ""
    region: str = ""
    language: str = ""


def _group(group, member_count: int) -> dict:
    return {
        **{name: getattr(group, name) for name in GroupOut.model_fields if name != "member_count"},
        "member_count": member_count,
    }


def _detail(request, group) -> dict:
    members = list(queries.current_members(group)[:500])
    membership = current_group_membership(request.user, group)
    return {
        **_group(group, len(members)),
        "members": [
            {"user_id": m.user_id, "name": m.user.full_name, "joined_at": m.joined_at}
            for m in members
        ],
        "is_member": membership is not None and membership.is_current,
    }


def _meeting(meeting) -> dict:
    return {
        **{name: getattr(meeting, name) for name in MeetingOut.model_fields if name != "ics_url"},
        "ics_url": reverse("peergroups:meeting_download", args=[meeting.pk]),
    }


@router.get("/peer-groups", response=list[GroupOut], summary="Groups of your programmes")
@paginate(PageNumberPagination)
def list_groups(request: HttpRequest, filters: Query[GroupFilters]):
    form = GroupFilterForm(filters.dict())
    validated(form)
    # The rows carry ``member_count`` from the query: one query a page.
    return queries.groups_for_viewer(request.user, **form.filters())


@router.get("/peer-groups/{group_id}", response=GroupDetailOut, summary="A group and its members")
def get_group(request: HttpRequest, group_id: int):
    return _detail(request, get_group_for_viewer(request.user, group_id))


@router.post("/peer-groups", response={201: GroupDetailOut}, summary="Start a group")
def create_group(request: HttpRequest, payload: GroupIn):
    data = payload.dict()
    data["programme"] = data.pop("programme_id")
    form = PeerGroupForm(data, programmes=participant_programmes(request.user))
    group = services.create_group(creator=request.user, **validated(form))
    return Status(201, _detail(request, group))


@router.post("/peer-groups/{group_id}/join", response=MembershipOut, summary="Join or ask to join")
def join_group(request: HttpRequest, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    member = services.join_group(group=group, user=request.user)
    return {"group_id": group.pk, "status": member.status}


@router.post("/peer-groups/{group_id}/leave", response=MembershipOut, summary="Leave a group")
def leave_group(request: HttpRequest, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    services.leave_group(group=group, user=request.user)
    return {"group_id": group.pk, "status": "left"}


@router.get(
    "/peer-groups/{group_id}/meetings", response=list[MeetingOut], summary="Upcoming meetings"
)
def list_meetings(request: HttpRequest, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    return [_meeting(meeting) for meeting in queries.upcoming_meetings(group, limit=100)]


@router.post(
    "/peer-groups/{group_id}/meetings",
    response={201: MeetingOut},
    summary="Propose a group meeting (members)",
)
def propose_meeting(request: HttpRequest, group_id: int, payload: MeetingIn):
    group = get_group_for_viewer(request.user, group_id)
    data = validated(GroupMeetingForm(payload.dict()))
    meeting = services.propose_group_meeting(group=group, by=request.user, **data)
    return Status(201, _meeting(meeting))


@router.post(
    "/cohorts/{cohort_id}/alumni-groups",
    response=AlumniConversionOut,
    summary="Turn a cohort in closure into alumni groups, one per region (staff)",
)
def create_alumni_groups(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    report = services.create_alumni_groups(cohort=cohort, by=request.user)
    return {
        "groups_created": [group.pk for group in report.groups_created],
        "members_added": report.members_added,
        "skipped": len(report.skipped),
    }
