"""Forms of the participation link (workspace) and of the public participation pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class LinkForm(forms.Form):
    opens_at = _datetime_field(_("Open from"))
    closes_at = _datetime_field(_("Open until"), _("After this time the link accepts nothing any more."))
    use_pin = forms.BooleanField(
        label=_("Protect with a PIN"),
        required=False,
        initial=True,
        help_text=_("A random PIN of 4 to 6 digits; show it in the room so that only people present take part."),
    )
    moderate_ideas = forms.BooleanField(
        label=_("Check ideas before they are shown"),
        required=False,
        initial=True,
        help_text=_("New ideas wait in the moderation queue until somebody of the team approves them."),
    )


class JoinForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN"),
        max_length=8,
        required=False,
        help_text=_("The PIN is shown in the room."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )

    def __init__(self, *args, needs_pin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_pin:
            self.fields["pin"].required = True
        else:
            del self.fields["pin"]


class FieldOfActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class PublicIdeaForm(forms.Form):
    """An idea of a participant; ``homepage`` is a honeypot that people leave empty (see the template)."""

    text = forms.CharField(
        label=_("Your idea"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_("At most 1000 characters."),
    )
    field_of_action = FieldOfActionChoiceField(
        label=_("Field of action"), queryset=None, required=False, empty_label=_("— no particular field —")
    )
    author_name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=100,
        required=False,
        help_text=_("Leave it empty to take part anonymously."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    homepage = forms.CharField(
        label=_("Please leave empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, fields_of_action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = fields_of_action
        if fields_of_action is None or not fields_of_action.exists():
            del self.fields["field_of_action"]

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), ""))
