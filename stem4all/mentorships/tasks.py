"""Background work for mentorships: e-mails sent after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_mentorship_ended(*, mentorship_id: int) -> None:
    """Tell the mentee and the mentor that their mentorship ended early (not the person
    who ended it: she knows)."""
    from .models import Mentorship

    mentorship = (
        Mentorship.objects.select_related("mentee", "mentor", "cohort")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None:
        return
    for person in (mentorship.mentee, mentorship.mentor):
        if person.pk == mentorship.ended_by_id or not person.is_active:
            continue
        with translation.override(person.preferred_language):
            context = {"mentorship": mentorship, "user": person}
            subject = render_to_string("mentorships/email/ended_subject.txt", context).strip()
            body = render_to_string("mentorships/email/ended_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
