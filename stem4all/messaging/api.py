"""Messaging in the JSON API: the same accessors, forms and services as the pages.
Recipients never see held or rejected messages; a staff read of a minor's pair
conversation is recorded as on the page."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Status

from stem4all.accounts.api import validated
from stem4all.accounts.schemas import ErrorOut, ValidationErrorOut
from stem4all.accounts.services import record_staff_access

from . import queries, services
from .forms import CloseConcernForm, ConcernForm, MessageForm, ModerationForm
from .permissions import (
    get_concern_for_safeguarding,
    get_conversation_for_reader,
    get_held_message_for_moderator,
    get_message_for_reporter,
    get_person_for_reporter,
    posting_refusal,
    require_safeguarding_staff,
    staff_audit_subjects,
    visible_messages,
)
from .schemas import (
    CloseConcernIn,
    ConcernIn,
    ConcernOut,
    ConcernReceiptOut,
    ConversationOut,
    HeldMessageOut,
    MessageIn,
    MessageOut,
    MessagePageOut,
    ModeratedOut,
    ModerationIn,
)

router = Router(tags=["messaging"])

PAGE_SIZE = 50


def _message_out(message, viewer, others_read_at) -> dict:
    return {
        "id": message.pk,
        "conversation_id": message.conversation_id,
        "sender_id": message.sender_id,
        "sender_name": message.sender.full_name,
        "text": message.text,
        "status": message.status,
        "created_at": message.created_at,
        "is_read": bool(
            message.sender_id == viewer.pk
            and others_read_at is not None
            and others_read_at >= message.created_at
        ),
    }


def _fields(obj, schema) -> dict:
    return {name: getattr(obj, name) for name in schema.model_fields}


@router.get(
    "/conversations", response=list[ConversationOut], summary="My conversations, unread counts"
)
def list_conversations(request: HttpRequest, page: int = 1):
    rows = Paginator(queries.my_conversations(request.user), PAGE_SIZE).get_page(page)
    return [
        {
            "id": row.conversation_id,
            "kind": row.conversation.kind,
            "title": queries.conversation_title(row.conversation, request.user),
            "mentorship_id": row.conversation.mentorship_id,
            "unread": row.unread,
            "last_message_at": row.last_message_at,
        }
        for row in rows
    ]


@router.get(
    "/conversations/{conversation_id}/messages",
    response=MessagePageOut,
    summary="The last 100 messages of a conversation (before a message id), oldest first",
)
def list_messages(request: HttpRequest, conversation_id: int, before: int | None = None):
    conversation, membership = get_conversation_for_reader(request.user, conversation_id)
    if membership is None:
        for subject in staff_audit_subjects(conversation):
            record_staff_access(
                staff=request.user, subject=subject, action="read conversation", path=request.path
            )
    rows = visible_messages(request.user, conversation, is_member=membership is not None)
    page, has_earlier = queries.message_page(rows, before=before)
    others = queries.others_read_at(conversation, request.user)
    refusal = (
        posting_refusal(conversation=conversation, sender=request.user, membership=membership)
        if membership is not None
        else ""
    )
    return {
        "messages": [_message_out(message, request.user, others) for message in page],
        "has_earlier": has_earlier,
        "can_post": membership is not None and not refusal,
        "posting_closed_reason": refusal,
    }


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Post a message; status 'held' means it waits for a safeguarding moderator",
)
def post_message(request: HttpRequest, conversation_id: int, payload: MessageIn):
    conversation, membership = get_conversation_for_reader(request.user, conversation_id)
    if membership is None:
        raise PermissionDenied
    data = validated(MessageForm(payload.dict()))
    message = services.post_message(
        conversation=conversation, sender=request.user, text=data["text"]
    )
    return Status(201, _message_out(message, request.user, None))


@router.post(
    "/conversations/{conversation_id}/read",
    response={204: None},
    summary="Mark a conversation read",
)
def mark_read(request: HttpRequest, conversation_id: int):
    conversation, membership = get_conversation_for_reader(request.user, conversation_id)
    if membership is None:
        raise PermissionDenied
    services.mark_conversation_read(conversation=conversation, user=request.user)
    return Status(204, None)


@router.post(
    "/concerns",
    response={201: ConcernReceiptOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Report a concern about a message or a person to safeguarding staff",
)
def report_concern(request: HttpRequest, payload: ConcernIn):
    form = ConcernForm({"text": payload.text})
    data = validated(form)
    message = person = None
    if payload.message_id is not None:
        message = get_message_for_reporter(request.user, payload.message_id)
    elif payload.person_id is not None:
        person = get_person_for_reporter(request.user, payload.person_id)
    report = services.report_concern(
        reporter=request.user, text=data["text"], message=message, about_user=person
    )
    # The reporter gets a receipt, not the report: it is safeguarding staff's record.
    return Status(
        201,
        {
            "detail": "Your report has reached the safeguarding staff.",
            "created_at": report.created_at,
        },
    )


# ---------------------------------------------------------------- safeguarding staff


@router.get(
    "/moderation/messages",
    response=list[HeldMessageOut],
    summary="Held messages waiting for review (safeguarding staff)",
)
def held_messages(request: HttpRequest, page: int = 1):
    require_safeguarding_staff(request.user)
    rows = Paginator(queries.held_messages_for(request.user), PAGE_SIZE).get_page(page)
    return [
        {
            "id": message.pk,
            "conversation_id": message.conversation_id,
            "conversation_kind": message.conversation.kind,
            "cohort_id": message.conversation.cohort_id,
            "sender_id": message.sender_id,
            "sender_name": message.sender.full_name,
            "text": message.text,
            "created_at": message.created_at,
        }
        for message in rows
    ]


def _moderate(request, message_id: int, payload: ModerationIn, decision: str):
    message = get_held_message_for_moderator(request.user, message_id)
    data = validated(ModerationForm({"decision": decision, "note": payload.note}))
    decide = services.release_message if decision == "release" else services.reject_message
    decided = decide(message=message, by=request.user, note=data["note"])
    return _fields(decided, ModeratedOut) | {"id": decided.pk}


@router.post(
    "/moderation/messages/{message_id}/release",
    response={200: ModeratedOut, 409: ErrorOut},
    summary="Release a held message: it is delivered (safeguarding staff)",
)
def release_message(request: HttpRequest, message_id: int, payload: ModerationIn):
    return _moderate(request, message_id, payload, "release")


@router.post(
    "/moderation/messages/{message_id}/reject",
    response={200: ModeratedOut, 409: ErrorOut},
    summary="Reject a held message: it is never delivered (safeguarding staff)",
)
def reject_message(request: HttpRequest, message_id: int, payload: ModerationIn):
    return _moderate(request, message_id, payload, "reject")


@router.get("/concerns", response=list[ConcernOut], summary="Concern reports (safeguarding staff)")
def list_concerns(request: HttpRequest, status: str = "", page: int = 1):
    require_safeguarding_staff(request.user)
    rows = Paginator(queries.concerns_for(request.user, status=status), PAGE_SIZE).get_page(page)
    return [_fields(report, ConcernOut) | {"id": report.pk} for report in rows]


@router.post(
    "/concerns/{report_id}/close",
    response={200: ConcernOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Close a concern with what was done (safeguarding staff)",
)
def close_concern(request: HttpRequest, report_id: int, payload: CloseConcernIn):
    report = get_concern_for_safeguarding(request.user, report_id)
    data = validated(CloseConcernForm(payload.dict()))
    closed = services.close_concern(report=report, by=request.user, note=data["note"])
    return _fields(closed, ConcernOut) | {"id": closed.pk}
