from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Statistikstelle – Import”.")
    )
    municipality = forms.ChoiceField(label=_("Municipality"))
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_(
            "Read only is enough for reports and dashboards. Choose read and write only for tools that change data."
        ),
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this day the token stops working. Leave empty for no expiry."),
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.municipality.pk): m.municipality for m in memberships}
        self.fields["municipality"].choices = [(key, m.name) for key, m in self.municipalities.items()]

    def clean_municipality(self):
        return self.municipalities[self.cleaned_data["municipality"]]
