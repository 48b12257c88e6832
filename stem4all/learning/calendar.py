"""A training as an iCalendar file (built with ``stem4all.core.ics``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stem4all.core.ics import new_event, single_event_file

from .models import Training


def training_ics(training: Training, *, with_link: bool, cancelled: bool = False) -> bytes:
    """``with_link``: the online link is written only for people who may join."""
    description = training.description
    if training.trainer_name:
        description = _("Trainer: %(name)s") % {"name": training.trainer_name} + (
            "\n\n" + description if description else ""
        )
    event = new_event(
        key=f"training-{training.pk}",
        starts_at=training.starts_at,
        ends_at=training.ends_at,
        summary=training.title,
        place=training.venue,
        online_link=training.online_link if with_link else "",
        description=description,
        status="CANCELLED" if cancelled else "CONFIRMED",
        sequence=training.sequence,
    )
    return single_event_file(_("STEM4ALL training"), event)
