"""Who may see a roadmap: the pair and staff of the cohort's programme; anyone else
gets 404. Only the pair writes (the mentee her steps, the mentor comments and
sign-offs); staff read only. A completed or early-ended mentorship's roadmap stays
readable to the same people (what she achieved is hers to look back on); the services
refuse every write to it.

Roadmap templates: staff of their programme write them; a mentee sees the published
templates of the programme of her mentorship."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Programme

from .models import RoadmapTemplate


def is_mentee_of(user: User, mentorship: Mentorship) -> bool:
    return user.is_authenticated and user.is_active and user.pk == mentorship.mentee_id


def is_mentor_of(user: User, mentorship: Mentorship) -> bool:
    return user.is_authenticated and user.is_active and user.pk == mentorship.mentor_id


def can_read_roadmap(user: User, mentorship: Mentorship) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (mentorship.mentee_id, mentorship.mentor_id):
        return True
    return is_programme_staff(user, mentorship.cohort.programme_id)


def get_mentorship_for_roadmap_reader(user: User, mentorship_id: int) -> Mentorship:
    mentorship = (
        Mentorship.objects.select_related("cohort__programme", "mentee", "mentor")
        .filter(pk=mentorship_id)
        .first()
    )
    if mentorship is None or not can_read_roadmap(user, mentorship):
        raise Http404
    return mentorship


def is_roadmap_staff(user: User, mentorship: Mentorship) -> bool:
    return is_programme_staff(user, mentorship.cohort.programme_id)


def get_mentorship_for_roadmap_member(user: User, mentorship_id: int) -> Mentorship:
    """For the pair's writes: staff of the programme may read (403 here), others 404."""
    mentorship = get_mentorship_for_roadmap_reader(user, mentorship_id)
    if user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise PermissionDenied
    return mentorship


def get_programme_for_template_staff(user: User, programme_id: int) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not is_programme_staff(user, programme.pk):
        raise Http404
    return programme


def get_template_for_staff(user: User, template_id: int) -> RoadmapTemplate:
    template = RoadmapTemplate.objects.select_related("programme").filter(pk=template_id).first()
    if template is None or not is_programme_staff(user, template.programme_id):
        raise Http404
    return template


def published_templates_for(mentorship: Mentorship):
    return RoadmapTemplate.objects.filter(
        programme_id=mentorship.cohort.programme_id, is_published=True
    ).prefetch_related("steps")


def get_template_for_mentee(user: User, mentorship: Mentorship, template_id: int):
    """A published template of her programme, for her to copy (404 otherwise)."""
    if not is_mentee_of(user, mentorship):
        raise PermissionDenied
    template = published_templates_for(mentorship).filter(pk=template_id).first()
    if template is None:
        raise Http404
    return template
