"""Forms of the versions (Fassungen) and of the measure import."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import importer

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CURRENT = "current"


class VersionForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the version"),
        max_length=200,
        help_text=_("For example “Beschluss Stadtrat 03/2026”."),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, help_text=_("For example the date of the decision."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class CompareForm(forms.Form):
    """Two versions (or the current plan) to compare: ``a`` is the older, ``b`` the newer state."""

    a = forms.ChoiceField(label=_("Earlier version"))
    b = forms.ChoiceField(label=_("Later version"))

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(version.pk), str(version)) for version in versions]
        self.fields["a"].choices = choices
        self.fields["b"].choices = [(CURRENT, _("Current plan (not frozen)")), *choices]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,.csv,{importer.XLSX_MIME},text/csv"},
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most 2 MB and %(rows)s rows. CSV: separated by semicolons or commas, UTF-8 or Windows-1252."
        ) % {"rows": formats.number_format(importer.MAX_ROWS, force_grouping=True)}


class MappingForm(forms.Form):
    """For each field of a measure: the column of the file that holds it (or none)."""

    def __init__(self, *args, header: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [
            (str(index), f"{_column_letter(index)}: {heading or '–'}") for index, heading in enumerate(header)
        ]
        for key, heading, required in importer.COLUMNS:
            guessed = initial_mapping.get(key)
            self.fields[key] = forms.ChoiceField(
                label=importer.column_label(key),
                choices=choices,
                required=required,
                initial="" if guessed is None else str(guessed),
                help_text=_("Column in the template: “%(heading)s”") % {"heading": heading},
            )

    def mapping(self) -> dict[str, int | None]:
        return {
            key: (int(self.cleaned_data[key]) if self.cleaned_data.get(key) not in (None, "") else None)
            for key, _heading, _required in importer.COLUMNS
        }


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
