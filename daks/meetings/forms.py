"""Forms of the meetings: they only parse and check input; the services write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from daks.strategy.group_forms import WorkingGroupChoiceField
from daks.strategy.models import Step

from .models import Meeting

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
FORM_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "description",
    "process",
    "step",
    "working_group",
)


class NameChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "name", "") or obj.email


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    process = forms.ModelChoiceField(
        label=_("Strategy process"), required=False, queryset=None, empty_label=_("No process")
    )
    step = forms.ChoiceField(label=_("Step"), required=False, choices=[("", _("No step")), *Step.choices])
    working_group = WorkingGroupChoiceField(
        label=_("Working group"),
        required=False,
        empty_label=_("No working group"),
        help_text=_("Without a chosen process the meeting belongs to the process of the group."),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = municipality.processes.order_by("-start_date", "title")
        self.fields["working_group"].set_municipality(municipality)

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {"version": meeting.version, **{field: getattr(meeting, field) for field in FORM_FIELDS}}

    def service_kwargs(self) -> dict:
        return {field: self.cleaned_data[field] for field in FORM_FIELDS}


class MeetingFilterForm(forms.Form):
    """The working group filter of the meeting list (GET parameter ``working_group``); invalid values are ignored."""

    working_group = WorkingGroupChoiceField(label=_("Working group"), required=False, empty_label=_("All"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].set_municipality(municipality)

    def selected_group(self):
        return self.cleaned_data.get("working_group") if self.is_valid() else None


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    time = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    owner = forms.CharField(label=_("Responsible"), max_length=200, required=False)


class InviteForm(forms.Form):
    members = NameChoiceField(
        label=_("Members of the team"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    actors = NameChoiceField(
        label=_("Actors"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only actors with an e-mail address and consent to contact are listed."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = meeting.invitations.values_list("email", flat=True)
        municipality = meeting.municipality
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(memberships__municipality=municipality)
            .exclude(email__in=invited)
            .order_by("name", "email")
        )
        self.fields["actors"].queryset = (
            municipality.actors.filter(contact_consent=True).exclude(email="").exclude(email__in=invited)
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = forms.CharField(
        label=_("Agreed next steps"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One step per line: “Title – e-mail of a team member – date”, e.g. “Invite the youth council – "
            "anna@example.org – 31.12.2026”. Person and date are optional. Each line becomes a task."
        ),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)
