"""Background work at the end of a mentorship, enqueued after its transaction commits."""

from django.urls import reverse
from django_tasks import task


@task()
def start_closure(*, mentorship_id: int) -> None:
    """When a mentorship ends: ask both members for their exit survey and, for a planned
    completion, issue the mentee's certificate. Safe to run twice (the certificate and
    each notification are idempotent)."""
    from stem4all.mentorships.models import Mentorship
    from stem4all.notifications.models import Notification
    from stem4all.notifications.services import notify

    from .services import issue_certificate

    mentorship = (
        Mentorship.objects.select_related("mentee", "mentor", "cohort")
        .filter(pk=mentorship_id)
        .first()
    )
    ended = (Mentorship.Status.COMPLETED, Mentorship.Status.ENDED_EARLY)
    if mentorship is None or mentorship.status not in ended:
        return
    if mentorship.status == Mentorship.Status.COMPLETED:
        issue_certificate(mentorship=mentorship)
    url = reverse("closure:exit_survey", args=[mentorship.pk])
    for person in (mentorship.mentee, mentorship.mentor):
        other = mentorship.mentor if person == mentorship.mentee else mentorship.mentee
        notify(
            recipient=person,
            kind=Notification.Kind.EXIT_SURVEY_DUE,
            key=f"exit-survey-due:{mentorship.pk}",
            url=url,
            params={"cohort": mentorship.cohort.name, "other": other.full_name},
        )
