"""People in the JSON API. Input is validated by the same forms as the pages and
written by the same services."""

from django.http import HttpRequest
from ninja import Router

from . import services
from .forms import LanguageSkillsForm, MenteeProfileForm, MentorProfileForm, PersonalDetailsForm
from .models import User
from .permissions import ProfileAccess, can_be_matched_or_contacted, get_person_for_viewer
from .schemas import (
    LanguageSkillSchema,
    MenteeProfileSchema,
    MentorProfileSchema,
    MeOut,
    PersonalDetailsIn,
    PersonOut,
    ValidationErrorOut,
)

router = Router(tags=["people"])


class FormInvalid(Exception):
    def __init__(self, form):
        self.form = form


def validated(form):
    if not form.is_valid():
        raise FormInvalid(form)
    return form.cleaned_data


def serialise_person(user: User) -> dict:
    mentee = getattr(user, "mentee_profile", None)
    mentor = getattr(user, "mentor_profile", None)
    data = {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "date_of_birth": user.date_of_birth,
        "country": user.country,
        "region": user.region,
        "district": user.district,
        "time_zone": user.time_zone,
        "is_minor": user.is_minor,
        "can_be_matched_or_contacted": can_be_matched_or_contacted(user),
        "languages": [
            {"language": skill.language, "level": skill.level} for skill in user.languages.all()
        ],
        "mentee_profile": None,
        "mentor_profile": None,
    }
    if mentee is not None:
        data["mentee_profile"] = {
            field: getattr(mentee, field) for field in MenteeProfileSchema.model_fields
        }
    if mentor is not None:
        data["mentor_profile"] = {
            field: getattr(mentor, field) for field in MentorProfileSchema.model_fields
        } | {
            "screening_status": mentor.screening_status,
            "is_cleared_for_minors": mentor.is_cleared_for_minors,
            "is_regional": mentor.is_regional,
        }
    return data


def fresh(user: User) -> User:
    return User.objects.select_related("mentee_profile", "mentor_profile").get(pk=user.pk)


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request: HttpRequest):
    return serialise_person(fresh(request.user))


@router.put(
    "/me", response={200: MeOut, 422: ValidationErrorOut}, summary="Update personal details"
)
def update_me(request: HttpRequest, payload: PersonalDetailsIn):
    data = payload.dict()
    data["date_of_birth"] = data["date_of_birth"].isoformat() if data["date_of_birth"] else ""
    form = PersonalDetailsForm(data, instance=request.user)
    services.update_personal_details(user=request.user, **validated(form))
    return serialise_person(fresh(request.user))


@router.put(
    "/me/languages", response={200: MeOut, 422: ValidationErrorOut}, summary="Replace languages"
)
def update_languages(request: HttpRequest, payload: list[LanguageSkillSchema]):
    form = LanguageSkillsForm({f"lang_{skill.language}": skill.level for skill in payload})
    unknown = {skill.language for skill in payload} - {
        name.removeprefix("lang_") for name in form.fields
    }
    if unknown:
        form.is_valid()
        form.add_error(None, f"Unknown language codes: {', '.join(sorted(unknown))}")
        raise FormInvalid(form)
    validated(form)
    services.save_language_skills(user=request.user, skills=form.skills())
    return serialise_person(fresh(request.user))


@router.put(
    "/me/mentee-profile", response={200: MeOut, 422: ValidationErrorOut}, summary="Mentee profile"
)
def update_mentee_profile(request: HttpRequest, payload: MenteeProfileSchema):
    instance = services.get_or_build_mentee_profile(request.user)
    form = MenteeProfileForm(_form_data(payload.dict()), instance=instance)
    services.save_mentee_profile(user=request.user, **validated(form))
    return serialise_person(fresh(request.user))


@router.put(
    "/me/mentor-profile", response={200: MeOut, 422: ValidationErrorOut}, summary="Mentor profile"
)
def update_mentor_profile(request: HttpRequest, payload: MentorProfileSchema):
    instance = services.get_or_build_mentor_profile(request.user)
    form = MentorProfileForm(_form_data(payload.dict()), instance=instance)
    services.save_mentor_profile(user=request.user, **validated(form))
    return serialise_person(fresh(request.user))


def _form_data(data: dict):
    from django.utils.datastructures import MultiValueDict

    lists = {k: v for k, v in data.items() if isinstance(v, list)}
    plain = {k: [("" if v is None else v)] for k, v in data.items() if k not in lists}
    return MultiValueDict({**plain, **lists})


@router.get("/people/{person_id}", response=PersonOut, summary="A person, as far as you may see")
def person(request: HttpRequest, person_id: int):
    subject, access = get_person_for_viewer(request.user, person_id)
    if access == ProfileAccess.FULL:
        if subject != request.user:
            services.record_staff_access(
                staff=request.user, subject=subject, action="view profile (API)", path=request.path
            )
        return {"access": access, "full": serialise_person(subject)}
    mentor = subject.mentor_profile
    return {
        "access": access,
        "card": {
            "id": subject.pk,
            "full_name": subject.full_name,
            "organisation": mentor.organisation,
            "job_title": mentor.job_title,
            "stem_fields": mentor.stem_fields,
            "bio": mentor.bio,
            "is_regional": mentor.is_regional,
        },
    }
