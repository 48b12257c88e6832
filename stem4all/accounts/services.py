"""Writes about people: profiles, languages, consent, tokens, and the staff audit trail."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import (
    ApiToken,
    GuardianConsent,
    LanguageSkill,
    MenteeProfile,
    MentorProfile,
    StaffAccessLog,
    User,
    hash_token,
)


def record_staff_access(*, staff: User, subject: User, action: str, path: str = "") -> None:
    """Audit: staff opened private data of someone other than themselves."""
    if staff.pk == subject.pk:
        return
    StaffAccessLog.objects.create(staff=staff, subject=subject, action=action, path=path[:300])


@transaction.atomic
def save_language_skills(*, user: User, skills: Iterable[tuple[str, str]]) -> None:
    """Replace a person's languages with the given (language, level) pairs."""
    wanted = dict(skills)
    LanguageSkill.objects.filter(user=user).exclude(language__in=wanted).delete()
    for language, level in wanted.items():
        LanguageSkill.objects.update_or_create(
            user=user, language=language, defaults={"level": level}
        )


@transaction.atomic
def record_guardian_consent(
    *,
    mentee: User,
    recorded_by: User,
    guardian_name: str,
    relation: str,
    consent_date,
    method: str,
) -> GuardianConsent:
    consent = GuardianConsent(
        mentee=mentee,
        recorded_by=recorded_by,
        guardian_name=guardian_name,
        relation=relation,
        consent_date=consent_date,
        method=method,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def revoke_guardian_consent(*, consent: GuardianConsent) -> None:
    GuardianConsent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and the raw key, which is shown once and never stored."""
    raw = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[4 : 4 + ApiToken.PREFIX_LENGTH],
        key_hash=hash_token(raw),
        auth_hash=user.get_session_auth_hash(),
    )
    return token, raw


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate_api_token(raw: str) -> User | None:
    """The token's owner, if the token is known, not revoked, the account is active and
    the password has not changed since the token was made."""
    if not raw or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not token.is_active:
        return None
    now = timezone.now()
    # One write per minute at most, not one per request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def get_or_build_mentee_profile(user: User) -> MenteeProfile:
    try:
        return user.mentee_profile
    except MenteeProfile.DoesNotExist:
        return MenteeProfile(user=user)


def get_or_build_mentor_profile(user: User) -> MentorProfile:
    try:
        return user.mentor_profile
    except MentorProfile.DoesNotExist:
        return MentorProfile(user=user)


@transaction.atomic
def update_personal_details(*, user: User, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    if user.country != "KG":
        user.region = user.district = ""
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def save_mentee_profile(*, user: User, **fields) -> MenteeProfile:
    profile = get_or_build_mentee_profile(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.education_level != MenteeProfile.EducationLevel.SCHOOL:
        profile.school_grade = None
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def save_mentor_profile(*, user: User, **fields) -> MentorProfile:
    """A mentor's own edits; screening status and the minors' clearance are staff's."""
    profile = get_or_build_mentor_profile(user)
    for name, value in fields.items():
        if name in {"screening_status", "is_cleared_for_minors"}:
            raise ValueError(f"{name} is set by staff, not by the mentor")
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def set_mentor_screening(
    *, profile: MentorProfile, screening_status: str, is_cleared_for_minors: bool, staff: User
) -> MentorProfile:
    profile.screening_status = screening_status
    profile.is_cleared_for_minors = is_cleared_for_minors
    profile.full_clean()
    profile.save(update_fields=["screening_status", "is_cleared_for_minors", "updated_at"])
    record_staff_access(staff=staff, subject=profile.user, action="set mentor screening")
    return profile
