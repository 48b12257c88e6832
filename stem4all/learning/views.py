"""Pages of the learning library: the lecture library and a lecture, the trainings
and a training (register, cancel, check in, .ics), staff pages to write lectures and
trainings and to take attendance, and certificates of attendance."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stem4all.core.public import public
from stem4all.programmes.permissions import programmes_staffed_by

from . import queries, services
from .calendar import training_ics
from .forms import CheckInForm, LectureFilterForm, LectureForm, MaterialForm, TrainingForm
from .models import LectureMaterial, Registration
from .pdf import render_attendance_certificate
from .permissions import (
    get_lecture_for_staff,
    get_lecture_for_viewer,
    get_own_certificate,
    get_programme_for_participant,
    get_programme_for_staff,
    get_training_for_staff,
    get_training_for_viewer,
    may_join,
)

PAGE_SIZE = 20
ICS_TYPE = "text/calendar; charset=utf-8"


def index(request):
    context = {
        "staffed": programmes_staffed_by(request.user).order_by("name"),
        "upcoming": queries.trainings_for(request.user)[:5],
    }
    return render(request, "learning/index.html", context)


# Lectures -------------------------------------------------------------------------


def lecture_list(request):
    form = LectureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    lectures = queries.lectures_for(
        request.user,
        topic=filters.get("topic", ""),
        field=filters.get("field", ""),
        language=filters.get("language", ""),
        saved=filters.get("saved", False),
    )
    page = Paginator(lectures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "learning/lecture_list.html", context)


def lecture_detail(request, lecture_id: int):
    lecture = get_lecture_for_viewer(request.user, lecture_id)
    context = {
        "lecture": lecture,
        "materials": lecture.materials.all(),
        "progress": queries.progress_of(request.user, lecture),
        "may_edit": request.user.is_authenticated
        and lecture.programme_id in {p.pk for p in programmes_staffed_by(request.user)},
    }
    return render(request, "learning/lecture_detail.html", context)


@require_POST
def lecture_progress(request, lecture_id: int):
    lecture = get_lecture_for_viewer(request.user, lecture_id)
    action = request.POST.get("action", "")
    try:
        if action in ("save", "unsave"):
            services.save_lecture_for_later(
                lecture=lecture, user=request.user, saved=action == "save"
            )
            messages.success(
                request, _("Saved.") if action == "save" else _("Removed from your saved list.")
            )
        elif action in ("watched", "unwatched"):
            services.mark_lecture_watched(
                lecture=lecture, user=request.user, watched=action == "watched"
            )
            messages.success(request, _("Your progress is saved."))
        else:
            messages.error(request, _("Choose what to do."))
    except services.LearningError as error:
        messages.error(request, str(error))
    return redirect("learning:lecture_detail", lecture_id=lecture.pk)


def material_download(request, material_id: int):
    material = LectureMaterial.objects.filter(pk=material_id).first()
    if material is None or not material.file:
        raise Http404
    get_lecture_for_viewer(request.user, material.lecture_id)
    response = FileResponse(
        material.file.open("rb"), content_type="application/pdf", as_attachment=True
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def lecture_create(request, programme_id: int):
    programme = get_programme_for_staff(request.user, programme_id)
    form = LectureForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        lecture = services.save_lecture(
            by=request.user, programme=programme, data=form.cleaned_data
        )
        messages.success(request, _("The lecture is saved."))
        return redirect("learning:lecture_edit", lecture_id=lecture.pk)
    return render(request, "learning/lecture_form.html", {"form": form, "programme": programme})


def lecture_edit(request, lecture_id: int):
    lecture = get_lecture_for_staff(request.user, lecture_id)
    form = LectureForm(
        request.POST if request.method == "POST" else None,
        instance=lecture,
        programme=lecture.programme,
    )
    if request.method == "POST" and form.is_valid():
        services.save_lecture(by=request.user, lecture=lecture, data=form.cleaned_data)
        messages.success(request, _("The lecture is saved."))
        return redirect("learning:lecture_edit", lecture_id=lecture.pk)
    context = {
        "form": form,
        "programme": lecture.programme,
        "lecture": lecture,
        "materials": lecture.materials.all(),
        "material_form": MaterialForm(),
    }
    return render(request, "learning/lecture_form.html", context)


@require_POST
def material_add(request, lecture_id: int):
    lecture = get_lecture_for_staff(request.user, lecture_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_lecture_material(
            lecture=lecture,
            by=request.user,
            title=form.cleaned_data["title"],
            url=form.cleaned_data.get("url") or "",
            file=form.cleaned_data.get("file"),
        )
        messages.success(request, _("The material is added."))
        return redirect("learning:lecture_edit", lecture_id=lecture.pk)
    context = {
        "form": LectureForm(instance=lecture, programme=lecture.programme),
        "programme": lecture.programme,
        "lecture": lecture,
        "materials": lecture.materials.all(),
        "material_form": form,
    }
    return render(request, "learning/lecture_form.html", context, status=422)


@require_POST
def material_remove(request, material_id: int):
    material = LectureMaterial.objects.filter(pk=material_id).first()
    if material is None:
        raise Http404
    lecture = get_lecture_for_staff(request.user, material.lecture_id)
    services.remove_lecture_material(material=material, by=request.user)
    messages.success(request, _("The material is removed."))
    return redirect("learning:lecture_edit", lecture_id=lecture.pk)


# Trainings ------------------------------------------------------------------------


def training_list(request):
    past = request.GET.get("when") == "past"
    trainings = queries.trainings_for(request.user, upcoming=not past)
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "past": past, "viewer_zone": request.user.time_zone}
    return render(request, "learning/training_list.html", context)


def _training_context(request, training, checkin_form=None):
    registration = queries.registration_of(request.user, training)
    now = timezone.now()
    opens, closes = services.checkin_window(training)
    return {
        "training": training,
        "registration": registration,
        "seats_taken": queries.seats_taken(training),
        "viewer_zone": request.user.time_zone,
        "local_start": training.local_start(request.user.time_zone),
        "has_started": training.starts_at <= now,
        "may_check_in": registration is not None
        and registration.status == Registration.Status.REGISTERED
        and not registration.attended
        and opens <= now <= closes,
        "checkin_form": checkin_form or CheckInForm(),
        "may_manage": training.programme_id in {p.pk for p in programmes_staffed_by(request.user)},
    }


def training_detail(request, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    return render(request, "learning/training_detail.html", _training_context(request, training))


@require_POST
def training_register(request, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    try:
        registration = services.register_for_training(training=training, user=request.user)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You have a seat. See you there!"))
        else:
            messages.success(
                request,
                _("All seats are taken: you are number %(position)d on the waitlist.")
                % {"position": registration.position},
            )
    return redirect("learning:training_detail", training_id=training.pk)


@require_POST
def training_cancel(request, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    try:
        services.cancel_registration(training=training, user=request.user)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("learning:training_detail", training_id=training.pk)


@require_POST
def training_checkin(request, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_to_training(
                training=training, user=request.user, code=form.cleaned_data["code"]
            )
        except services.LearningError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("You are checked in. Enjoy the training!"))
            return redirect("learning:training_detail", training_id=training.pk)
    context = _training_context(request, training, checkin_form=form)
    context["may_check_in"] = True
    return render(request, "learning/training_detail.html", context, status=422)


def training_download(request, training_id: int):
    training = get_training_for_viewer(request.user, training_id)
    ics = training_ics(training, with_link=may_join(request.user, training))
    response = HttpResponse(ics, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="training-{training.pk}.ics"'
    return response


def training_create(request, programme_id: int):
    programme = get_programme_for_staff(request.user, programme_id)
    form = TrainingForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.save_training(
                by=request.user, programme=programme, data=form.cleaned_data
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The training is saved."))
            return redirect("learning:training_staff", training_id=training.pk)
    return render(request, "learning/training_form.html", {"form": form, "programme": programme})


def training_edit(request, training_id: int):
    training = get_training_for_staff(request.user, training_id)
    initial = {
        "title": training.title,
        "description": training.description,
        "trainer_name": training.trainer_name,
        "cohort": training.cohort_id,
        "starts_at_local": training.local_start().replace(tzinfo=None),
        "time_zone": training.time_zone,
        "duration_minutes": training.duration_minutes,
        "online_link": training.online_link,
        "venue": training.venue,
        "capacity": training.capacity,
        "is_published": training.is_published,
    }
    form = TrainingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        programme=training.programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_training(by=request.user, training=training, data=form.cleaned_data)
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The training is saved."))
            return redirect("learning:training_staff", training_id=training.pk)
    context = {"form": form, "programme": training.programme, "training": training}
    return render(request, "learning/training_form.html", context)


def training_staff(request, training_id: int):
    """The roster: who has a seat, who waits, attendance checkboxes, the code."""
    training = get_training_for_staff(request.user, training_id)
    if request.method == "POST":
        if request.POST.get("action") == "renew_code":
            services.renew_checkin_code(training=training, by=request.user)
            messages.success(request, _("A new check-in code is ready."))
        else:
            changed = services.record_attendance(
                training=training,
                by=request.user,
                attended_ids=[v for v in request.POST.getlist("attended") if v.isdigit()],
            )
            messages.success(
                request, _("Attendance is saved (%(count)d changes).") % {"count": changed}
            )
        return redirect("learning:training_staff", training_id=training.pk)
    rows = list(queries.roster(training))
    opens, closes = services.checkin_window(training)
    context = {
        "training": training,
        "registered": [r for r in rows if r.status == Registration.Status.REGISTERED],
        "waitlisted": [r for r in rows if r.status == Registration.Status.WAITLISTED],
        "viewer_zone": request.user.time_zone,
        "local_start": training.local_start(request.user.time_zone),
        "checkin_opens": opens,
        "checkin_closes": closes,
    }
    return render(request, "learning/training_staff.html", context)


# Certificates ---------------------------------------------------------------------


def certificates(request):
    context = {"rows": queries.certificate_overview(request.user)}
    return render(request, "learning/certificates.html", context)


@require_POST
def certificate_issue(request, programme_id: int):
    programme = get_programme_for_participant(request.user, programme_id)
    try:
        services.issue_attendance_certificate(user=request.user, programme=programme)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your certificate of attendance is ready."))
    return redirect("learning:certificates")


def certificate_pdf(request, code: str):
    certificate = get_own_certificate(request.user, code)
    verify_url = request.build_absolute_uri(
        reverse("learning:verify_attendance", args=[certificate.code])
    )
    trainings = list(
        Registration.objects.filter(
            user=certificate.user,
            attended=True,
            status=Registration.Status.REGISTERED,
            training__programme_id=certificate.programme_id,
            attended_at__lte=certificate.issued_at,
        )
        .order_by("training__starts_at")
        .values_list("training__title", flat=True)
    )
    with translation.override(request.user.preferred_language or None):
        content = render_attendance_certificate(
            certificate, verify_url=verify_url, trainings=trainings
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attendance-certificate-{certificate.code}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@public
def verify_attendance(request, code: str):
    certificate = queries.valid_attendance_certificate(code)
    status = 200 if certificate else 404
    response = render(request, "learning/verify.html", {"certificate": certificate}, status=status)
    # A participant may be a minor: her name is shown to whoever has the code, never
    # to a search engine that found a link.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
