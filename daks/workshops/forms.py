"""Forms of the Zukunftswerkstatt: they only parse and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from daks.meetings.forms import DATETIME_INPUT_FORMATS

from .models import Cluster, Idea, IdeaStatus, Phase, VotingScope, Workshop
from .services import IDEA_MAX_LENGTH, MEETING_FIELDS, REASON_MAX_LENGTH

SETTINGS_FORM_FIELDS = (
    "critique_minutes",
    "fantasy_minutes",
    "realisation_minutes",
    "votes_per_participant",
    "voting_scope",
    "moderator_notes",
)


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _minutes_field(label):
    return forms.IntegerField(label=label, min_value=5, max_value=600, help_text=_("Minutes"))


class WorkshopForm(forms.Form):
    """Meeting fields and the method settings of a workshop (create and edit)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    critique_minutes = _minutes_field(_("Critique phase"))
    fantasy_minutes = _minutes_field(_("Fantasy phase"))
    realisation_minutes = _minutes_field(_("Realisation phase"))
    current_phase = forms.ChoiceField(label=_("Current phase"), choices=Phase.choices, required=False)
    votes_per_participant = forms.IntegerField(label=_("Points per participant"), min_value=1, max_value=50)
    voting_scope = forms.ChoiceField(label=_("What is voted on"), choices=VotingScope.choices)
    voting_open = forms.BooleanField(label=_("Voting is open"), required=False)
    moderator_notes = forms.CharField(
        label=_("Notes for the moderation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only visible to the team, not on the projector."),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    meeting_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if not editing:
            for name in ("current_phase", "voting_open", "version", "meeting_version"):
                del self.fields[name]

    @classmethod
    def initial_create(cls) -> dict:
        defaults = Workshop()
        return {name: getattr(defaults, name) for name in SETTINGS_FORM_FIELDS}

    @classmethod
    def initial_for(cls, workshop: Workshop) -> dict:
        meeting = workshop.meeting
        return {
            **{name: getattr(meeting, name) for name in MEETING_FIELDS},
            **{name: getattr(workshop, name) for name in SETTINGS_FORM_FIELDS},
            "current_phase": workshop.current_phase,
            "voting_open": workshop.voting_open,
            "version": workshop.version,
            "meeting_version": meeting.version,
        }

    def meeting_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEETING_FIELDS}

    def settings_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in SETTINGS_FORM_FIELDS}
        if self.editing:
            data["current_phase"] = self.cleaned_data["current_phase"] or Phase.CRITIQUE
            data["voting_open"] = self.cleaned_data["voting_open"]
        return data

    def show_conflict(self, workshop: Workshop) -> None:
        """Keep the user's input, take over the stored versions, accept the next save."""
        data = self.data.copy()
        data[self.add_prefix("version")] = workshop.version
        data[self.add_prefix("meeting_version")] = workshop.meeting.version
        self.data = data


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Phase.choices)


class CurrentPhaseForm(forms.Form):
    current_phase = forms.ChoiceField(label=_("Current phase"), choices=Phase.choices)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class IdeaForm(forms.Form):
    text = forms.CharField(
        label=_("Idea"),
        max_length=IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One idea per card, at most 1000 characters."),
    )
    field_of_action = forms.TypedChoiceField(label=_("Field of action"), required=False, coerce=int, empty_value=None)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, workshop: Workshop, fields=None, with_phase: bool = False, **kwargs):
        """``fields``: the fields of action of the workshop's process (loaded once per page for all forms);
        only these can be chosen, any other value is a form error."""
        super().__init__(*args, **kwargs)
        if fields is None:
            from .selectors import fields_of_action

            fields = fields_of_action(workshop)
        self.fields_of_action = {field.pk: field for field in fields}
        self.fields["field_of_action"].choices = [("", _("– no field of action –"))] + [
            (field.pk, field.title) for field in fields
        ]
        if with_phase:
            self.fields["phase"] = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
            self.order_fields(["text", "phase", "field_of_action", "version"])

    def clean_field_of_action(self):
        pk = self.cleaned_data.get("field_of_action")
        return self.fields_of_action.get(pk) if pk is not None else None

    @classmethod
    def initial_for(cls, idea: Idea) -> dict:
        return {
            "text": idea.text,
            "phase": idea.phase,
            "field_of_action": idea.field_of_action_id,
            "version": idea.version,
        }

    def show_conflict(self, current: Idea) -> None:
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict = current


class ClusterChoiceForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), required=False, queryset=None, empty_label=_("– none –"))

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(workshop_id=idea.workshop_id, phase=idea.phase)


class ClusterForm(forms.Form):
    title = forms.CharField(label=_("Title of the cluster"), max_length=200)
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ModerationForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(IdeaStatus.VISIBLE, IdeaStatus.VISIBLE.label), (IdeaStatus.HIDDEN, IdeaStatus.HIDDEN.label)]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=_("Required for hiding, e.g. “personal attack” or “advertising”."),
    )
