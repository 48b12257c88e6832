"""Who may open a pulse check-in (only the person it asks: anyone else gets 404) and
resolve a pair's flag (staff of the pair's programme; anyone else gets 404)."""

from __future__ import annotations

from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff

from .models import PairFlag, PulseCheck


def get_pulse_for_respondent(user: User, pulse_id: int) -> PulseCheck:
    pulse = (
        PulseCheck.objects.select_related("mentorship__mentee", "mentorship__mentor")
        .filter(pk=pulse_id)
        .first()
    )
    if pulse is None or not user.is_authenticated or pulse.respondent_id != user.pk:
        raise Http404
    return pulse


def get_flag_for_staff(user: User, flag_id: int) -> PairFlag:
    flag = PairFlag.objects.select_related("mentorship__cohort").filter(pk=flag_id).first()
    if flag is None or not is_programme_staff(user, flag.mentorship.cohort.programme_id):
        raise Http404
    return flag
