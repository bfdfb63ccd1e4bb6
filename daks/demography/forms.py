"""Forms of the demography app: they only parse and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

#: Largest accepted upload (the service checks it again).
OWN_DATA_MAX_BYTES = 5 * 1024 * 1024


class OwnDataUploadForm(forms.Form):
    """A Kommune's own population figures as CSV (columns ``alter;geschlecht;anzahl[;ortsteil]``)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("For example “Residents' register, 31 December 2024”."),
    )
    reference_date = forms.DateField(
        label=_("Reference date"),
        help_text=_("The date the figures refer to."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns alter;geschlecht;anzahl and optionally ortsteil (or age,sex,count,district), one header row. "
            "Sex: m, w, d or insgesamt; “d” counts towards the total only. Age: 37, 0-2, 75+ or insgesamt."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > OWN_DATA_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        return upload


class ScenarioForm(forms.Form):
    """A Kommune's own projection scenario: a name and three assumptions relative to the medium preset.

    Only parses the numbers; the ranges are checked by the services (``daks.demography.scenarios``), the widgets
    merely offer them to the browser.
    """

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("For example “New housing estate in the north”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the scenario assumes and why (optional)."),
    )
    fertility_factor = forms.FloatField(
        label=_("Fertility factor"),
        initial=1.0,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0.5", "max": "1.5"}),
        help_text=_("Births relative to today's level: 1 = unchanged, 1.1 = 10 % more births (0.5 to 1.5)."),
    )
    life_expectancy_shift = forms.FloatField(
        label=_("Gain in life expectancy (years)"),
        initial=2.0,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "-2", "max": "6"}),
        help_text=_("Additional years of life expectancy reached by the end of the projection (−2 to +6)."),
    )
    migration_factor = forms.FloatField(
        label=_("Migration factor"),
        initial=1.0,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "-1", "max": "3"}),
        help_text=_(
            "Net migration relative to the past average: 1 = unchanged, 0 = no net migration, "
            "2 = twice as much, negative values reverse it (−1 to 3)."
        ),
    )
