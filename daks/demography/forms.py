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
