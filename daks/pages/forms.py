"""The feedback form of the accessibility statement: report a barrier (name and e-mail address optional)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DESCRIPTION_MAX_LENGTH = 5000


class BarrierReportForm(forms.Form):
    """``homepage`` is a honeypot that people leave empty (hidden in the template, skipped by the Tab key)."""

    description = forms.CharField(
        label=_("Which barrier did you come across?"),
        min_length=10,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX_LENGTH}),
        help_text=_(
            "Describe what did not work, e.g. a button you cannot reach with the keyboard or a text your screen "
            "reader does not read out. If you like, name your browser and assistive technology. At most 5000 "
            "characters."
        ),
    )
    page_url = forms.CharField(
        label=_("Page with the barrier (optional)"),
        required=False,
        max_length=500,
        help_text=_("Filled in when you come from a page of this website. You may change or delete it."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only if you would like an answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    homepage = forms.CharField(
        label=_("Please leave empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if description.lower().count("http") > 3:
            raise ValidationError(_("Please send at most three links."))
        return description

    def clean_name(self):
        return self.cleaned_data["name"].strip()
