"""Forms for the award."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from stem4all.meetings.forms import TIME_ZONE_CHOICES, TimeZoneSelect

from .models import (
    MAX_SCORE,
    MAX_STATEMENT,
    MIN_SCORE,
    Category,
    Edition,
    JuryCriterion,
    Nomination,
    Vote,
)


class NomineeChoiceField(forms.ModelChoiceField):
    """Names only: a person's full name, an organisation's name, a practice's title."""

    def label_from_instance(self, obj) -> str:
        if hasattr(obj, "full_name"):
            return obj.full_name
        if hasattr(obj, "title"):
            return f"{obj.title} — {obj.organisation.name}"
        return obj.name


NOMINEE_LABELS = {
    Category.NomineeKind.MENTOR: _("Mentor"),
    Category.NomineeKind.MENTEE: _("Mentee"),
    Category.NomineeKind.ORGANISATION: _("Organisation"),
    Category.NomineeKind.PRACTICE: _("Practice"),
}


class NominationForm(forms.Form):
    nominee = NomineeChoiceField(queryset=None, empty_label=_("Choose…"))
    statement = forms.CharField(
        label=_("Why do they deserve the award?"),
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Shown on the nomination's page. At most 3000 characters."),
    )

    def __init__(self, *args, category: Category, nominator, **kwargs):
        from .queries import offered_nominees

        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["nominee"].queryset = offered_nominees(category, nominator)
        self.fields["nominee"].label = NOMINEE_LABELS[category.nominee_kind]

    def nominee_arguments(self) -> dict:
        """The keyword argument of ``services.nominate`` that names the nominee."""
        kind = self.category.nominee_kind
        name = (
            "nominee_user"
            if self.category.is_for_people
            else "nominee_organisation"
            if kind == Category.NomineeKind.ORGANISATION
            else "nominee_practice"
        )
        return {name: self.cleaned_data["nominee"], "statement": self.cleaned_data["statement"]}


class NominationResponseForm(forms.Form):
    AGREE, WITHDRAW, DECLINE = "agree", "withdraw", "decline"

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (AGREE, _("I agree to appear in the award")),
            (WITHDRAW, _("I take back my agreement for now")),
            (DECLINE, _("I decline the nomination")),
        ],
        widget=forms.RadioSelect,
    )
    shows_meetings = forms.BooleanField(
        label=_("Show how many mentoring sessions I held"), required=False
    )
    shows_roadmap_steps = forms.BooleanField(
        label=_("Show how many roadmap steps I completed"), required=False
    )
    shows_trainings = forms.BooleanField(
        label=_("Show how many trainings I attended"), required=False
    )


class NominationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Do not accept")),
            ("merge", _("Merge into another nomination of the same nominee")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you do not accept it; the nominator sees it."),
    )
    merge_into = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Nomination.objects.none(), required=False
    )

    def __init__(self, *args, nomination: Nomination, **kwargs):
        from .queries import merge_targets

        super().__init__(*args, **kwargs)
        field = self.fields["merge_into"]
        field.queryset = merge_targets(nomination)
        field.label_from_instance = lambda n: f"#{n.pk} · {n.get_status_display()}"

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for not accepting the nomination."))
        if decision == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("Choose the nomination to merge this one into."))
        return data


class NominationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *Nomination.Status.choices],
        required=False,
    )


class ReceiptLookupForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt"),
        max_length=40,
        help_text=_("12 letters and digits, as shown when you voted; dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_receipt(self) -> str:
        from .services import RECEIPT_LENGTH, normalise_receipt

        receipt = normalise_receipt(self.cleaned_data["receipt"])
        if len(receipt) != RECEIPT_LENGTH:
            raise forms.ValidationError(
                _("A receipt has 12 letters and digits."), code="receipt_length"
            )
        return receipt


class VoidingRequestForm(forms.Form):
    votes = forms.ModelMultipleChoiceField(
        label=_("Votes to void"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Why these votes should not count"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["votes"].queryset = Vote.objects.filter(category__edition=edition)


class VoidingReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this vote should not count"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JuryAssignmentForm(forms.Form):
    juror = forms.ModelChoiceField(label=_("Jury member"), queryset=None)
    is_chair = forms.BooleanField(label=_("Chairs the jury of this category"), required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = candidates
        self.fields["juror"].label_from_instance = lambda user: user.full_name


class JuryCriterionForm(forms.ModelForm):
    class Meta:
        model = JuryCriterion
        fields = ["name", "description", "weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("What the conflict is"), max_length=500)


class ReopenSheetForm(forms.Form):
    reason = forms.CharField(label=_("Why the scores are reopened"), max_length=500)


UNKNOWN_CRITERION = _("A score is for a criterion of another category.")


class JuryScoreForm(forms.Form):
    """One 1-10 field per criterion of the category, a comment, and whether to submit
    (final) or save a draft. ``score_data()`` is what submit_jury_score takes."""

    comment = forms.CharField(
        label=_("Comment for the jury"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submit = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                help_text=criterion.description,
                min_value=MIN_SCORE,
                max_value=MAX_SCORE,
                required=False,
            )
        # The comment comes after the scores.
        self.order_fields([f"criterion_{c.pk}" for c in self.criteria] + ["comment"])

    def clean(self):
        data = super().clean()
        if data.get("submit"):
            for criterion in self.criteria:
                name = f"criterion_{criterion.pk}"
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Score every criterion before you submit."))
        return data

    def score_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {
                c.pk: data[f"criterion_{c.pk}"]
                for c in self.criteria
                if data.get(f"criterion_{c.pk}") is not None
            },
            "comment": data.get("comment", ""),
            "submit": bool(data.get("submit")),
        }


DEFAULT_TIME_ZONE = "Asia/Bishkek"
_TIME_FIELDS = (
    "nominations_open_at",
    "nominations_close_at",
    "voting_open_at",
    "voting_close_at",
    "jury_open_at",
    "jury_close_at",
    "results_at",
)


def reserved_category_slugs() -> set[str]:
    """The fixed path segments of an edition's own pages (``editions/<slug>/jury/``...):
    a category with such a short name would be hidden behind those pages."""
    from . import urls

    prefix = "editions/<slug:slug>/"
    names = set()
    for pattern in urls.urlpatterns:
        route = str(pattern.pattern)
        if route.startswith(prefix):
            segment = route[len(prefix) :].split("/", 1)[0]
            if segment and "<" not in segment:
                names.add(segment.split(".", 1)[0])
    return names


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as typed. A value without an offset is a wall-clock time, which
    the form reads in its ``time_zone``; a value with an offset (from the API) is taken
    as it is. Django's own field would read the former in the server's zone."""

    input_formats = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed
        # The formats above, without Django's reading in the server's time zone.
        return super(forms.DateTimeField, self).to_python(value)


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EditionForm(forms.ModelForm):
    """An edition's settings. Once public voting has opened, the nomination and voting
    times that have passed are fixed and the others cannot move before now; once the
    jury has started, how the winner is chosen is fixed (``edition_change_errors``)."""

    time_zone = forms.ChoiceField(
        label=_("Time zone of the times below"),
        choices=TIME_ZONE_CHOICES,
        widget=TimeZoneSelect,
        initial=DEFAULT_TIME_ZONE,
        help_text=_("The times are read as wall-clock times in this time zone."),
    )

    class Meta:
        model = Edition
        fields = [
            "name",
            "slug",
            "year",
            "description",
            "time_zone",
            *_TIME_FIELDS,
            "public_may_nominate",
            "votes_changeable",
            "finalists_per_category",
            "winner_method",
            "public_weight_percent",
        ]
        field_classes = dict.fromkeys(_TIME_FIELDS, LocalDateTimeField)
        widgets = {
            **{field: _datetime_widget() for field in _TIME_FIELDS},
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "slug": _("Lower-case letters, digits and dashes, as in stem4all-award-2026."),
            "nominations_close_at": _(
                "Each phase is open from its opening time up to, not including, its "
                "closing time. The next phase may open at the same moment."
            ),
        }

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import JURY_FIXED_RULES, VOTING_FIXED_TIMES

        self.now = now or timezone.now()
        self.is_new = self.instance.pk is None
        self.stored = {} if self.is_new else {f: getattr(self.instance, f) for f in _TIME_FIELDS}
        zone = zoneinfo.ZoneInfo(self.initial.get("time_zone") or DEFAULT_TIME_ZONE)
        for field in _TIME_FIELDS:
            value = self.initial.get(field)
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                self.initial[field] = value.astimezone(zone).replace(tzinfo=None)
        # Say on the form what can no longer change, and why.
        self.lock_notes = []
        if not self.is_new and self.now >= self.instance.voting_open_at:
            self.lock_notes.append(
                _(
                    "Public voting has opened: the nomination and voting times that have "
                    "passed can no longer change, and the others cannot move earlier than now."
                )
            )
            for field in VOTING_FIXED_TIMES:
                if self.stored[field] <= self.now:
                    self.fields[field].help_text = _("Fixed: this time has passed.")
        if not self.is_new and self.now >= self.instance.jury_open_at:
            self.lock_notes.append(
                _(
                    "The jury has started: how the winner is chosen, the weight of the "
                    "public vote and the number of finalists can no longer change."
                )
            )
            for field in JURY_FIXED_RULES:
                self.fields[field].help_text = _("Fixed: the jury has started.")

    def clean(self):
        from .services import edition_change_errors

        data = super().clean()
        zone_name = data.get("time_zone")
        if not zone_name:
            # Without a time zone the times cannot be read: keep the stored ones.
            for field in _TIME_FIELDS:
                data.pop(field, None)
            return data
        zone = zoneinfo.ZoneInfo(zone_name)
        for field in _TIME_FIELDS:
            value = data.get(field)
            if value is None:
                continue
            if timezone.is_naive(value):
                local = value.replace(tzinfo=zone, fold=0)
                # A wall time the clocks skip does not survive the round trip.
                if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
                    self.add_error(
                        field,
                        _("This time does not exist in %(zone)s: the clocks skip it.")
                        % {"zone": zone_name},
                    )
                    continue
                value = local
            stored = self.stored.get(field)
            # The page shows minutes: an untouched field keeps the stored seconds.
            if stored is not None and value == stored.replace(second=0, microsecond=0):
                value = stored
            data[field] = value
        if not self.is_new:
            for field, message in edition_change_errors(self.instance, data, self.now).items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "slug",
            "description",
            "nominee_kind",
            "outside_bishkek_only",
            "organisation_kind",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "slug": _("Lower-case letters, digits and dashes, as in best-mentor."),
        }

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.instance.edition = edition
        self.has_nominations = self.instance.pk is not None and self.instance.nominations.exists()
        if self.has_nominations:
            for field in ("nominee_kind", "outside_bishkek_only", "organisation_kind"):
                self.fields[field].help_text = _("Fixed: the category has nominations already.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in reserved_category_slugs():
            raise forms.ValidationError(
                _("The award's own pages use this short name: choose another.")
            )
        taken = Category.objects.filter(edition=self.edition, slug=slug)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another category of this edition already uses this short name.")
            )
        return slug

    def clean(self):
        data = super().clean()
        if self.has_nominations:
            for field in ("nominee_kind", "outside_bishkek_only", "organisation_kind"):
                if field in data and data[field] != getattr(self.instance, field):
                    self.add_error(
                        field,
                        _(
                            "The category has nominations: who may be nominated can no "
                            "longer change."
                        ),
                    )
        return data


class CategoryMoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )
