"""Forms of the survey pages, shared with the JSON API: the staff builder's survey,
question and choice forms, and a participant's answer form built from the survey's
questions in her language."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ANSWER_TEXT_MAX, SCALE_MAX, SCALE_MIN, Choice, Question, Survey

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


def _moment(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"],
        help_text=_("In the programme's time zone."),
        error_messages={
            "required": _("Give a date and a time."),
            "invalid": _("Give a date and a time, like 2025-03-01 09:00."),
        },
    )


class SurveyForm(forms.ModelForm):
    opens_at = _moment(_("Opens at"))
    closes_at = _moment(_("Closes at (the survey is closed from this moment)"))

    class Meta:
        model = Survey
        fields = list(Survey.EDITABLE_FIELDS)

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort or self.instance.cohort
        self.fields["title_en"].error_messages["required"] = _("Give the survey a title.")

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("A survey must close after it opens."))
        kind, audience = data.get("kind"), data.get("audience")
        twins = Survey.objects.filter(cohort=self.cohort, kind=kind, audience=audience)
        if kind and audience and twins.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This cohort already has a survey of this kind for this audience.")
            )
        return data


def _key_field():
    return forms.SlugField(
        label=_("Key"),
        max_length=50,
        help_text=_("Letters, numbers, hyphens or underscores, e.g. stem_confidence."),
        error_messages={
            "required": _("Give a short key."),
            "invalid": _("Use only letters, numbers, hyphens or underscores."),
        },
    )


class QuestionForm(forms.ModelForm):
    key = _key_field()

    class Meta:
        model = Question
        fields = list(Question.EDITABLE_FIELDS)
        widgets = {
            "text_en": forms.Textarea(attrs={"rows": 2}),
            "text_ru": forms.Textarea(attrs={"rows": 2}),
            "text_ky": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["text_en"].error_messages["required"] = _("Write the question in English.")
        self.fields["key"].help_text = _(
            "A short name: use the same key in the baseline and the endline for the same "
            "question, so that the report can compare the answers."
        )

    def clean_key(self):
        key = self.cleaned_data["key"]
        twins = Question.objects.filter(survey=self.survey, key=key).exclude(pk=self.instance.pk)
        if twins.exists():
            raise forms.ValidationError(_("Another question of this survey has this key."))
        return key


class ChoiceForm(forms.ModelForm):
    key = _key_field()

    class Meta:
        model = Choice
        fields = list(Choice.EDITABLE_FIELDS)

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["label_en"].error_messages["required"] = _("Write the answer in English.")

    def clean_key(self):
        key = self.cleaned_data["key"]
        twins = Choice.objects.filter(question=self.question, key=key).exclude(pk=self.instance.pk)
        if twins.exists():
            raise forms.ValidationError(_("Another answer of this question has this key."))
        return key


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


SCALE_CHOICES = [(value, str(value)) for value in range(SCALE_MIN, SCALE_MAX + 1)]


def field_name(question: Question) -> str:
    return f"q-{question.key}"


def _answer_field(question: Question) -> forms.Field:
    required = question.is_required
    errors = {"required": _("Please answer this question.")}
    if question.kind == Question.Kind.SCALE:
        help_text = ""
        if question.scale_low and question.scale_high:
            help_text = _("1 means “%(low)s”, 5 means “%(high)s”.") % {
                "low": question.scale_low,
                "high": question.scale_high,
            }
        return forms.TypedChoiceField(
            label=question.text,
            help_text=help_text,
            choices=SCALE_CHOICES,
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect,
            error_messages={**errors, "invalid_choice": _("Choose a number from 1 to 5.")},
        )
    if question.kind == Question.Kind.TEXT:
        return forms.CharField(
            label=question.text,
            help_text=_("Please do not write anyone's name."),
            required=required,
            max_length=ANSWER_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                **errors,
                "max_length": _("Please keep your answer under %(limit_value)d characters."),
            },
        )
    choices = [(choice.key, choice.label) for choice in question.choices.all()]
    invalid = {"invalid_choice": _("Choose one of the answers shown.")}
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=question.text,
            help_text=_("Choose all that apply."),
            choices=choices,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            error_messages={**errors, **invalid, "invalid_list": invalid["invalid_choice"]},
        )
    return forms.ChoiceField(
        label=question.text,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={**errors, **invalid},
    )


class AnswerForm(forms.Form):
    """One field per question (``q-<key>``), labelled in the active language. A
    question offering choices but with none yet is left out: it cannot be answered."""

    def __init__(self, *args, questions: list[Question], unknown_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if not q.has_choices or q.choices.all()]
        self.unknown_keys = sorted(unknown_keys)
        for question in self.questions:
            self.fields[field_name(question)] = _answer_field(question)

    def clean(self):
        data = super().clean()
        if self.unknown_keys:
            raise forms.ValidationError(
                _("These questions are not in the survey: %(keys)s.")
                % {"keys": ", ".join(self.unknown_keys)}
            )
        return data

    def answers(self) -> dict:
        """The cleaned answers as ``{question key: value}`` for ``submit_response``."""
        return {q.key: self.cleaned_data.get(field_name(q)) for q in self.questions}
