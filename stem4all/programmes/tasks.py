"""Background work for programmes: e-mails that must not slow a page down."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_application_decision(*, participation_id: int) -> None:
    from .models import Participation

    participation = (
        Participation.objects.select_related("user", "cohort__programme")
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        return
    user = participation.user
    with translation.override(user.preferred_language):
        context = {"participation": participation, "user": user}
        subject = render_to_string("programmes/email/decision_subject.txt", context).strip()
        body = render_to_string("programmes/email/decision_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
