"""Pages of the community: the public gallery, practice and partner pages; the
representatives' pages (their organisation, its practices); the staff review queue.

Images (logos, photos) are stored through Django's default storage with random names
and served by the ``image`` view, which answers only for a file that belongs to a
public practice or organisation, or to one the viewer represents or reviews. This works
the same in development and production (no separate media server, no MEDIA_URL).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.accounts.permissions import is_any_programme_staff
from stem4all.core.public import public

from . import queries, services
from .forms import (
    DecisionForm,
    GalleryFilterForm,
    OrganisationForm,
    PhotoForm,
    PracticeForm,
    cleaned_results,
    result_formset,
)
from .models import PartnerOrganisation, Practice, PracticePhoto
from .permissions import (
    get_organisation_for_representative,
    get_organisation_for_staff,
    get_practice_for_representative,
    get_practice_for_staff,
    get_public_organisation,
    get_public_practice,
    is_organisation_staff,
    is_representative,
    partner_programmes,
)

GALLERY_PAGE_SIZE = 12
PAGE_SIZE = 25


# Public pages -------------------------------------------------------------------------


@public
def gallery(request):
    form = GalleryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    practices = queries.gallery(
        kind=filters.get("kind", ""),
        field=filters.get("field", ""),
        region=filters.get("region", ""),
    )
    page = Paginator(practices, GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/gallery.html", {"form": form, "page": page})


@public
def practice(request, slug: str):
    practice = get_public_practice(slug)
    return render(request, "community/practice.html", {"practice": practice})


@public
def partners(request):
    page = Paginator(queries.public_partner_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "community/partners.html", {"page": page})


@public
def partner(request, slug: str):
    organisation = get_public_organisation(slug)
    page = Paginator(queries.public_practices_of(organisation), GALLERY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "community/partner.html", {"organisation": organisation, "page": page})


IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


@public
def image(request, name: str):
    photo = (
        PracticePhoto.objects.select_related("practice__organisation").filter(image=name).first()
    )
    if photo is not None:
        organisation, is_public = photo.practice.organisation, photo.practice.is_public
    else:
        organisation = PartnerOrganisation.objects.filter(logo=name).first()
        if organisation is None:
            raise Http404
        is_public = organisation.is_approved
    if not is_public and not (
        is_representative(request.user, organisation)
        or is_organisation_staff(request.user, organisation)
    ):
        raise Http404
    content_type = IMAGE_TYPES.get(name.rsplit(".", 1)[-1])
    if content_type is None or not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400" if is_public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Representatives ----------------------------------------------------------------------


class OrganisationCreateForm(OrganisationForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = partner_programmes(user)
        self.fields["programme"].queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0]


def my_organisations(request):
    organisations = queries.organisations_of_representative(request.user)
    context = {
        "organisations": organisations,
        "may_create": partner_programmes(request.user).exists(),
    }
    return render(request, "community/my_organisations.html", context)


def organisation_create(request):
    if not partner_programmes(request.user).exists():
        messages.error(
            request, _("Only partners taking part in a programme can create an organisation.")
        )
        return redirect("community:my_organisations")
    form = OrganisationCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("remove_logo", None)
        try:
            organisation = services.create_partner_organisation(by=request.user, **data)
        except services.CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The organisation is created; programme staff will review it.")
            )
            return redirect("community:organisation", organisation_id=organisation.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "community/organisation_form.html",
        {"form": form, "organisation": None},
        status=status,
    )


def organisation(request, organisation_id: int):
    organisation = get_organisation_for_representative(request.user, organisation_id)
    page = Paginator(queries.practices_of(organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "community/organisation.html", {"organisation": organisation, "page": page}
    )


def organisation_edit(request, organisation_id: int):
    organisation = get_organisation_for_representative(request.user, organisation_id)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_partner_organisation(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except services.CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The organisation's profile is saved."))
            return redirect("community:organisation", organisation_id=organisation.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    organisation.refresh_from_db()
    return render(
        request,
        "community/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


def practice_create(request, organisation_id: int):
    organisation = get_organisation_for_representative(request.user, organisation_id)
    form = PracticeForm(request.POST or None)
    results = result_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and results.is_valid():
        try:
            practice = services.create_practice(
                organisation=organisation,
                by=request.user,
                results=cleaned_results(results),
                **form.cleaned_data,
            )
        except services.CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The practice is saved as a draft. Add photos below."))
            return redirect("community:practice_edit", practice_id=practice.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "community/practice_form.html",
        {"organisation": organisation, "practice": None, "form": form, "results": results},
        status=status,
    )


def practice_edit(request, practice_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    form = PracticeForm(request.POST or None, instance=practice)
    results = result_formset(request.POST or None, practice=practice)
    if request.method == "POST" and form.is_valid() and results.is_valid():
        try:
            services.update_practice(
                practice=practice,
                by=request.user,
                results=cleaned_results(results),
                **form.cleaned_data,
            )
        except services.CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The practice is saved."))
        return redirect("community:practice_edit", practice_id=practice.pk)
    return _practice_edit_page(
        request, practice, form=form, results=results, status=400 if form.is_bound else 200
    )


def _practice_edit_page(request, practice, *, form=None, results=None, photo_form=None, status):
    practice.refresh_from_db()
    context = {
        "organisation": practice.organisation,
        "practice": practice,
        "form": form or PracticeForm(instance=practice),
        "results": results or result_formset(practice=practice),
        "photo_form": photo_form or PhotoForm(),
        "photos": practice.photos.all(),
    }
    return render(request, "community/practice_form.html", context, status=status)


def _done(request, practice: Practice, call, success: str, *, to=None):
    try:
        call()
    except services.CommunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return to or redirect("community:practice_edit", practice_id=practice.pk)


@require_POST
def practice_photo_add(request, practice_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _practice_edit_page(request, practice, photo_form=form, status=400)
    return _done(
        request,
        practice,
        lambda: services.add_practice_photo(
            practice=practice, by=request.user, **form.cleaned_data
        ),
        _("The photo is added."),
    )


@require_POST
def practice_photo_remove(request, practice_id: int, photo_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    photo = get_object_or_404(PracticePhoto, pk=photo_id, practice=practice)
    return _done(
        request,
        practice,
        lambda: services.remove_practice_photo(photo=photo, by=request.user),
        _("The photo is removed."),
    )


@require_POST
def practice_submit(request, practice_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    return _done(
        request,
        practice,
        lambda: services.submit_practice(practice=practice, by=request.user),
        _("The practice is submitted; programme staff will review it."),
    )


@require_POST
def practice_delete(request, practice_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    try:
        services.delete_practice(practice=practice, by=request.user)
    except services.CommunityError as error:
        messages.error(request, str(error))
        return redirect("community:practice_edit", practice_id=practice.pk)
    messages.success(request, _("The practice is deleted."))
    return redirect("community:organisation", organisation_id=practice.organisation_id)


# Staff --------------------------------------------------------------------------------


def review(request):
    if not is_any_programme_staff(request.user):
        raise PermissionDenied
    organisations = Paginator(queries.organisations_to_review(request.user), PAGE_SIZE).get_page(
        request.GET.get("organisations")
    )
    practices = Paginator(queries.practices_to_review(request.user), PAGE_SIZE).get_page(
        request.GET.get("practices")
    )
    return render(
        request,
        "community/review.html",
        {"organisations": organisations, "practices": practices},
    )


def _decide(request, form, call, success: str):
    try:
        call(approve=form.cleaned_data["decision"] == "approve", reason=form.cleaned_data["reason"])
    except services.CommunityError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def review_organisation(request, organisation_id: int):
    organisation = get_organisation_for_staff(request.user, organisation_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _decide(
            request,
            form,
            lambda **decision: services.decide_partner_organisation(
                organisation=organisation, by=request.user, **decision
            ),
            _("The decision is saved."),
        )
        return redirect("community:review")
    return render(
        request,
        "community/review_organisation.html",
        {
            "organisation": organisation,
            "representatives": organisation.representatives.select_related("user"),
            "form": form,
            "is_pending": organisation.status == PartnerOrganisation.Status.PENDING,
        },
        status=400 if form.is_bound else 200,
    )


def review_practice(request, practice_id: int):
    practice = get_practice_for_staff(request.user, practice_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _decide(
            request,
            form,
            lambda **decision: services.decide_practice(
                practice=practice, by=request.user, **decision
            ),
            _("The decision is saved."),
        )
        return redirect("community:review")
    return render(
        request,
        "community/review_practice.html",
        {
            "practice": practice,
            "results": practice.results.all(),
            "photos": practice.photos.all(),
            "form": form,
            "is_submitted": practice.status == Practice.Status.SUBMITTED,
        },
        status=400 if form.is_bound else 200,
    )
