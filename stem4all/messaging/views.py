"""Messaging pages: the inbox, one conversation (with its htmx-polled message list and
the message box), reporting a concern, and the safeguarding staff's moderation queue
and concern list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stem4all.accounts.services import record_staff_access
from stem4all.mentorships.permissions import get_mentorship_for_participant_or_staff

from . import queries, services
from .forms import CloseConcernForm, ConcernForm, MessageForm, ModerationForm
from .models import ConcernReport, Conversation, Message
from .permissions import (
    get_concern_for_safeguarding,
    get_conversation_for_reader,
    get_held_message_for_moderator,
    get_message_for_reporter,
    get_person_for_reporter,
    is_known_adult,
    needs_staff_audit,
    posting_refusal,
    require_safeguarding_staff,
    staff_audit_subjects,
    visible_messages,
)

INBOX_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 20
HELD_NOTICE = gettext_lazy(
    "Your message is waiting for review by the programme's safeguarding staff, because it "
    "seems to contain contact details. It is delivered once they release it."
)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def inbox(request):
    rows = queries.my_conversations(request.user)
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.title = queries.conversation_title(row.conversation, request.user)
    return render(request, "messaging/inbox.html", {"page": page})


def mentorship_conversation(request, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    conversation = Conversation.objects.filter(mentorship=mentorship).first()
    if conversation is None:
        if not mentorship.is_open:
            raise Http404
        conversation = services.conversation_for_mentorship(mentorship)
    return redirect("messaging:conversation", conversation_id=conversation.pk)


def _read(request, conversation, membership) -> None:
    """A member's read state moves on; a staff reader of a minor's pair is recorded."""
    if membership is not None:
        services.mark_conversation_read(conversation=conversation, user=request.user)
    else:
        for subject in staff_audit_subjects(conversation):
            record_staff_access(
                staff=request.user, subject=subject, action="read conversation", path=request.path
            )


def _list_context(request, conversation, membership) -> dict:
    before = _int_or_none(request.GET.get("before"))
    rows = visible_messages(request.user, conversation, is_member=membership is not None)
    page_messages, has_earlier = queries.message_page(rows, before=before)
    return {
        "conversation": conversation,
        "membership": membership,
        "page_messages": page_messages,
        "has_earlier": has_earlier,
        "earliest_id": page_messages[0].pk if page_messages else None,
        "before": before,
        "poll": membership is not None and before is None,
        "others_read_at": queries.others_read_at(conversation, request.user),
    }


def conversation(request, conversation_id: int):
    conversation, membership = get_conversation_for_reader(request.user, conversation_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if membership is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                message = services.post_message(
                    conversation=conversation, sender=request.user, text=form.cleaned_data["text"]
                )
            except services.MessagingError as error:
                form.add_error(None, str(error))
            else:
                if message.status == Message.Status.HELD:
                    messages.info(request, HELD_NOTICE)
                if not request.htmx:
                    return redirect("messaging:conversation", conversation_id=conversation.pk)
                form = MessageForm()
    _read(request, conversation, membership)
    context = _list_context(request, conversation, membership) | {
        "title": queries.conversation_title(conversation, request.user),
        "form": form,
        "refusal": posting_refusal(
            conversation=conversation, sender=request.user, membership=membership
        )
        if membership is not None
        else "",
        "audited": membership is None and needs_staff_audit(conversation),
        "mentorship": conversation.mentorship,
    }
    template = "messaging/conversation.html"
    if request.htmx and request.method == "POST":
        template += "#conversation-panel"
    return render(request, template, context)


def conversation_messages(request, conversation_id: int):
    """Only the message list: what the conversation page polls every 15 seconds."""
    conversation, membership = get_conversation_for_reader(request.user, conversation_id)
    _read(request, conversation, membership)
    context = _list_context(request, conversation, membership)
    return render(request, "messaging/conversation.html#message-list", context)


def report_concern(request):
    message_id = _int_or_none(request.GET.get("message"))
    person_id = _int_or_none(request.GET.get("person"))
    message = person = None
    if message_id is not None:
        message = get_message_for_reporter(request.user, message_id)
    elif person_id is not None:
        person = get_person_for_reporter(request.user, person_id)
    else:
        raise Http404
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_concern(
                reporter=request.user,
                text=form.cleaned_data["text"],
                message=message,
                about_user=person,
            )
        except services.MessagingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("messaging:concern_reported")
    context = {"form": form, "reported_message": message, "person": person}
    return render(request, "messaging/report_concern.html", context)


def concern_reported(request):
    return render(request, "messaging/concern_reported.html")


def moderation(request):
    require_safeguarding_staff(request.user)
    rows = queries.held_messages_for(request.user)
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for held in page:
        held.context = queries.context_before(held)
        held.form = ModerationForm(auto_id=f"id_held{held.pk}_%s")
        held.title = queries.conversation_title(held.conversation, request.user)
    return render(request, "messaging/moderation.html", {"page": page})


@require_POST
def moderate(request, message_id: int):
    message = get_held_message_for_moderator(request.user, message_id)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to release or reject the message."))
        return redirect("messaging:moderation")
    decide = (
        services.release_message
        if form.cleaned_data["decision"] == "release"
        else services.reject_message
    )
    try:
        decided = decide(message=message, by=request.user, note=form.cleaned_data["note"])
    except services.MessagingError as error:
        messages.error(request, str(error))
    else:
        conversation = message.conversation
        if conversation.mentorship_id and not is_known_adult(conversation.mentorship.mentee):
            record_staff_access(
                staff=request.user,
                subject=conversation.mentorship.mentee,
                action="moderate message",
                path=request.path,
            )
        messages.success(
            request,
            _("Message from %(sender)s: %(status)s.")
            % {"sender": decided.sender.full_name, "status": decided.get_status_display()},
        )
    return redirect("messaging:moderation")


def concerns(request):
    require_safeguarding_staff(request.user)
    status = request.GET.get("status", ConcernReport.Status.OPEN)
    if status not in ConcernReport.Status.values:
        status = ""
    rows = queries.concerns_for(request.user, status=status)
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page:
        report.form = CloseConcernForm(auto_id=f"id_concern{report.pk}_%s")
    context = {"page": page, "status": status, "statuses": ConcernReport.Status.choices}
    return render(request, "messaging/concerns.html", context)


@require_POST
def close_concern(request, report_id: int):
    report = get_concern_for_safeguarding(request.user, report_id)
    form = CloseConcernForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down what was done."))
        return redirect("messaging:concerns")
    try:
        services.close_concern(report=report, by=request.user, note=form.cleaned_data["note"])
    except services.MessagingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The concern is closed."))
    return redirect("messaging:concerns")
