"""Peer group pages: the list with filters, a group's page (members, meetings, join
and leave), the create form, the meeting form and its .ics file, and the staff page
that turns a finished cohort into alumni groups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.programmes.models import Cohort
from stem4all.programmes.permissions import cohorts_staffed_by, get_cohort_for_staff

from . import queries, services
from .calendar import group_meeting_ics
from .forms import GroupFilterForm, GroupMeetingForm, PeerGroupForm
from .models import PeerGroupMember
from .permissions import (
    current_group_membership,
    get_group_for_viewer,
    get_group_meeting_for_viewer,
    is_group_organiser,
    is_programme_participant,
    participant_programmes,
)

PAGE_SIZE = 20
ICS_TYPE = "text/calendar; charset=utf-8"


def group_list(request):
    filters = GroupFilterForm(request.GET or None)
    rows = queries.groups_for_viewer(request.user, **filters.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "can_create": participant_programmes(request.user).exists(),
        # Staff reach the alumni conversion of their finished cohorts from here.
        "closing_cohorts": cohorts_staffed_by(request.user)
        .filter(phase=Cohort.Phase.CLOSURE)
        .order_by("-starts_on")[:20],
    }
    return render(request, "peergroups/group_list.html", context)


def group_create(request):
    programmes = participant_programmes(request.user)
    if not programmes.exists():
        raise Http404
    form = PeerGroupForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(creator=request.user, **form.cleaned_data)
        except services.PeerGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your group is ready."))
            return redirect("peergroups:group_detail", group_id=group.pk)
    return render(request, "peergroups/group_create.html", {"form": form})


def group_detail(request, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    membership = current_group_membership(request.user, group)
    is_member = membership is not None and membership.is_current
    has_requested = (
        membership is not None
        and membership.left_at is None
        and membership.status == PeerGroupMember.Status.REQUESTED
    )
    members = list(queries.current_members(group)[:500])
    organiser = is_group_organiser(request.user, group)
    context = {
        "group": group,
        "members": members,
        "meetings": queries.upcoming_meetings(group),
        "is_member": is_member,
        "has_requested": has_requested,
        "can_join": not is_member
        and not has_requested
        and is_programme_participant(request.user, group.programme_id),
        "is_full": group.member_limit is not None and len(members) >= group.member_limit,
        "requests": list(queries.pending_requests(group)) if organiser else [],
        "viewer_zone": request.user.time_zone,
    }
    return render(request, "peergroups/group_detail.html", context)


@require_POST
def group_join(request, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    try:
        member = services.join_group(group=group, user=request.user)
    except services.PeerGroupError as error:
        messages.error(request, str(error))
    else:
        if member.status == PeerGroupMember.Status.REQUESTED:
            messages.success(request, _("You asked to join; the organiser will answer."))
        else:
            messages.success(request, _("You joined the group."))
    return redirect("peergroups:group_detail", group_id=group.pk)


@require_POST
def group_leave(request, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    try:
        services.leave_group(group=group, user=request.user)
    except services.PeerGroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You left the group."))
    return redirect("peergroups:group_detail", group_id=group.pk)


@require_POST
def accept_request(request, group_id: int, member_id: int):
    group = get_group_for_viewer(request.user, group_id)
    if not is_group_organiser(request.user, group):
        raise PermissionDenied
    member = PeerGroupMember.objects.filter(pk=member_id, group=group).first()
    if member is None:
        raise Http404
    try:
        services.accept_join_request(group=group, member=member, by=request.user)
    except services.PeerGroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The request is accepted."))
    return redirect("peergroups:group_detail", group_id=group.pk)


def meeting_propose(request, group_id: int):
    group = get_group_for_viewer(request.user, group_id)
    membership = current_group_membership(request.user, group)
    if membership is None or not membership.is_current:
        raise PermissionDenied
    form = GroupMeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": request.user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_group_meeting(group=group, by=request.user, **form.cleaned_data)
        except services.PeerGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting is in the group's calendar."))
            return redirect("peergroups:group_detail", group_id=group.pk)
    return render(request, "peergroups/meeting_propose.html", {"group": group, "form": form})


def meeting_download(request, meeting_id: int):
    meeting = get_group_meeting_for_viewer(request.user, meeting_id)
    response = HttpResponse(group_meeting_ics(meeting), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="group-meeting-{meeting.pk}.ics"'
    return response


def alumni_groups(request, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    if request.method == "POST":
        try:
            report = services.create_alumni_groups(cohort=cohort, by=request.user)
        except services.PeerGroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(groups)s new groups, %(members)s people added.")
                % {"groups": len(report.groups_created), "members": report.members_added},
            )
        return redirect("peergroups:alumni_groups", cohort_id=cohort.pk)
    by_region, skipped = services.alumni_members_by_region(cohort)
    existing = queries.groups_for_viewer(request.user).filter(cohort=cohort, kind="alumni")
    context = {
        "cohort": cohort,
        "plan": [
            (services.region_label(region), len(people))
            for region, people in sorted(by_region.items())
        ],
        "skipped": len(skipped),
        "existing": existing,
        "can_convert": cohort.phase == cohort.Phase.CLOSURE,
    }
    return render(request, "peergroups/alumni_groups.html", context)
