"""Forms of the strategy app: they only parse input; the services check the rules and write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import StepStatus, StrategyProcess

PROCESS_FORM_FIELDS = ("title", "scope", "region_key", "start_date", "coordinators")


class CoordinatorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class ProcessForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Musterstadt 2040” or “Quartier Nord”."),
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the process is about: the whole municipality, a neighbourhood, a topic."),
    )
    region_key = forms.CharField(
        label=_("Region key (optional)"),
        required=False,
        max_length=12,
        help_text=_("Official key of the region whose statistics the process uses; empty: the municipality."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    coordinators = CoordinatorField(
        label=_("Coordinating team"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the municipality who coordinate this process."),
    )
    # The version the editor started from; a concurrent save by somebody else is detected with it.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = []
        self.fields["coordinators"].queryset = (
            get_user_model().objects.filter(memberships__municipality=municipality).order_by("name", "email")
        )

    @classmethod
    def initial_for(cls, process: StrategyProcess) -> dict:
        return {
            "version": process.version,
            "title": process.title,
            "scope": process.scope,
            "region_key": process.region_key,
            "start_date": process.start_date,
            "coordinators": list(process.coordinators.all()),
        }

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROCESS_FORM_FIELDS}

    def show_conflict(self, current: StrategyProcess) -> None:
        """After an edit conflict: keep the input, list (field, your input, saved value), accept the next save."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        saved = self.initial_for(current)
        for name in PROCESS_FORM_FIELDS:
            mine, theirs = self.cleaned_data.get(name), saved[name]
            if name == "coordinators":
                mine_text = ", ".join(sorted(u.name or u.email for u in mine or []))
                theirs_text = ", ".join(sorted(u.name or u.email for u in theirs))
            elif name == "start_date":
                mine_text, theirs_text = (mine.isoformat() if mine else ""), theirs.isoformat()
            else:
                mine_text, theirs_text = str(mine or ""), str(theirs or "")
            if mine_text != theirs_text:
                self.conflicts.append((self[name].label, mine_text or "–", theirs_text or "–"))


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=StepStatus.choices)


class ChecklistToggleForm(forms.Form):
    item = forms.IntegerField()
    ticked = forms.BooleanField(required=False)
