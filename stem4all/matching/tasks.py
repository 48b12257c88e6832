"""Background work for matching: e-mails, and the cascade that re-matches a mentee
after her proposed mentor declined or did not answer in time."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

logger = logging.getLogger(__name__)


def _send(user, template: str, context: dict) -> None:
    if not user.is_active:
        return
    with translation.override(user.preferred_language):
        context = {**context, "user": user}
        subject = render_to_string(f"matching/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"matching/email/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _notify_in_app(user, **fields) -> None:
    # The e-mail above is this event's e-mail: the notification is only shown on the site.
    from stem4all.notifications.services import notify

    notify(recipient=user, email=False, **fields)


@task()
def send_proposal_to_mentor(*, proposal_id: int) -> None:
    from .models import Proposal

    proposal = (
        Proposal.objects.select_related("mentor", "cohort")
        .filter(pk=proposal_id, status=Proposal.Status.PROPOSED)
        .first()
    )
    if proposal is not None:
        _send(proposal.mentor, "proposal", {"proposal": proposal})
        _notify_in_app(
            proposal.mentor,
            kind="proposal",
            key=f"proposal:{proposal.pk}",
            url=reverse("matching:my_proposals"),
            params={"cohort": proposal.cohort.name},
        )


@task()
def send_mentorship_started(*, mentorship_id: int) -> None:
    """Tell the mentee who her mentor is."""
    from stem4all.mentorships.models import Mentorship

    mentorship = (
        Mentorship.objects.select_related("mentee", "mentor__mentor_profile", "cohort")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is not None:
        _send(mentorship.mentee, "matched", {"mentorship": mentorship})
        url = reverse("mentorships:mentorship", args=[mentorship.pk])
        for person, other in (
            (mentorship.mentee, mentorship.mentor),
            (mentorship.mentor, mentorship.mentee),
        ):
            _notify_in_app(
                person,
                kind="mentorship_started",
                key=f"mentorship-started:{mentorship.pk}",
                url=url,
                params={"name": other.full_name, "cohort": mentorship.cohort.name},
            )


@task()
def send_rematch_news(*, mentee_id: int, cohort_id: int, found_mentor: bool) -> None:
    """Tell a mentee that a new mentor is proposed to her, or that we are still looking.
    Never who declined her."""
    from stem4all.accounts.models import User
    from stem4all.programmes.models import Cohort

    mentee = User.objects.filter(pk=mentee_id).first()
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if mentee is not None and cohort is not None:
        _send(mentee, "rematch", {"cohort": cohort, "found_mentor": found_mentor})


@task()
def rematch_after_refusal(*, proposal_id: int) -> None:
    """The cascade: her proposal was declined, expired, or superseded because its mentor
    filled up; find her the next mentor."""
    from .models import Proposal
    from .services import MatchingError, rematch_mentee

    proposal = (
        Proposal.objects.select_related("cohort", "mentee")
        .filter(pk=proposal_id, status__in=[*Proposal.REFUSED, Proposal.Status.SUPERSEDED])
        .first()
    )
    if proposal is None:
        return
    try:
        rematch_mentee(
            cohort=proposal.cohort, mentee=proposal.mentee, exclude_mentors=[proposal.mentor_id]
        )
    except MatchingError as error:
        # She has a mentor or a proposal meanwhile, or may not be matched now: staff see
        # her on the cohort's matching page either way.
        logger.info("No re-match for proposal %s: %s", proposal_id, error)
