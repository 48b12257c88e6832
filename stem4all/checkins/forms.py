from django import forms
from django.utils.translation import gettext_lazy as _


class PulseForm(forms.Form):
    SCORES = [
        (5, _("5 — very well")),
        (4, _("4 — well")),
        (3, _("3 — all right")),
        (2, _("2 — not so well")),
        (1, _("1 — badly")),
    ]

    score = forms.TypedChoiceField(
        label=_("How is your mentorship going?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell the programme team? (optional)"),
        help_text=_("Only programme staff read this, not the other member of your pair."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
