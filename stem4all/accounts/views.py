from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.programmes.permissions import get_participation_for_staff

from . import services
from .forms import (
    ApiTokenForm,
    GuardianConsentForm,
    LanguageSkillsForm,
    MenteeProfileForm,
    MentorProfileForm,
    MentorScreeningForm,
    PersonalDetailsForm,
)
from .models import ApiToken, MentorProfile
from .permissions import ProfileAccess, get_person_for_viewer, has_current_guardian_consent


def my_profile(request):
    user = request.user
    context = {
        "person": user,
        "access": ProfileAccess.FULL,
        "languages": list(user.languages.all()),
        "is_self": True,
        "has_consent": has_current_guardian_consent(user) if user.is_minor else None,
    }
    return render(request, "accounts/person_detail.html", context)


def person_detail(request, person_id: int):
    person, access = get_person_for_viewer(request.user, person_id)
    if access == ProfileAccess.FULL and person != request.user:
        services.record_staff_access(
            staff=request.user, subject=person, action="view profile", path=request.path
        )
    context = {
        "person": person,
        "access": access,
        "languages": list(person.languages.all()),
        "is_self": person == request.user,
        "consents": list(person.guardian_consents.all()) if access == ProfileAccess.FULL else [],
        "has_consent": has_current_guardian_consent(person) if person.is_minor else None,
    }
    return render(request, "accounts/person_detail.html", context)


def edit_personal_details(request):
    form = PersonalDetailsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_personal_details(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:my_profile")
    return render(request, "accounts/edit_personal_details.html", {"form": form})


def edit_languages(request):
    current = dict(request.user.languages.values_list("language", "level"))
    form = LanguageSkillsForm(request.POST or None, initial_levels=current)
    if request.method == "POST" and form.is_valid():
        services.save_language_skills(user=request.user, skills=form.skills())
        messages.success(request, _("Your languages are saved."))
        return redirect("accounts:my_profile")
    return render(request, "accounts/edit_languages.html", {"form": form})


def edit_mentee_profile(request):
    profile = services.get_or_build_mentee_profile(request.user)
    form = MenteeProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_mentee_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your mentee profile is saved."))
        return redirect("accounts:my_profile")
    return render(request, "accounts/edit_mentee_profile.html", {"form": form})


def edit_mentor_profile(request):
    profile = services.get_or_build_mentor_profile(request.user)
    form = MentorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_mentor_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your mentor profile is saved."))
        return redirect("accounts:my_profile")
    return render(request, "accounts/edit_mentor_profile.html", {"form": form})


def record_consent(request, participation_id: int):
    """Staff record a guardian's consent for an under-18 mentee of their cohort."""
    participation = get_participation_for_staff(request.user, participation_id)
    mentee = participation.user
    form = GuardianConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        services.record_guardian_consent(mentee=mentee, recorded_by=request.user, **data)
        services.record_staff_access(
            staff=request.user, subject=mentee, action="record guardian consent", path=request.path
        )
        messages.success(request, _("The guardian's consent is recorded."))
        return redirect("programmes:staff_application", participation_id=participation.pk)
    return render(
        request,
        "accounts/record_consent.html",
        {"form": form, "participation": participation, "mentee": mentee},
    )


def screen_mentor(request, participation_id: int):
    participation = get_participation_for_staff(request.user, participation_id)
    profile = get_object_or_404(MentorProfile, user=participation.user)
    form = MentorScreeningForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.set_mentor_screening(profile=profile, staff=request.user, **form.cleaned_data)
        messages.success(request, _("The mentor's screening is saved."))
        return redirect("programmes:staff_application", participation_id=participation.pk)
    return render(
        request,
        "accounts/screen_mentor.html",
        {"form": form, "participation": participation},
    )


def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@require_POST
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:api_tokens")
