from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .importer import max_archive_bytes


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=_("Workspace archive (ZIP)"),
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={"required": _("Please choose the ZIP file of a workspace export.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["archive"].help_text = _(
            "The ZIP file that the coordination downloaded under “Data portability” in DAKS, at most %(max)s."
        ) % {"max": filesizeformat(max_archive_bytes())}

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > max_archive_bytes():
            raise forms.ValidationError(
                _("The file is too large (%(size)s). At most %(max)s are allowed."),
                code="too_large",
                params={"size": filesizeformat(archive.size), "max": filesizeformat(max_archive_bytes())},
            )
        return archive
