"""Forms of the working groups (Arbeitsgruppen): they only parse and check input; the services write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import WorkingGroup

SCALAR_FIELDS = ("title", "description", "process", "field_of_action", "lead")
FORM_FIELDS = (*SCALAR_FIELDS, "members", "actors")


def _person(user) -> str:
    return user.name or user.email


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class FieldOfActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.process.title})"


class ActorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation})" if obj.organisation else obj.name


class WorkingGroupChoiceField(forms.ModelChoiceField):
    """A Kommune's working groups, labelled with their process (used by the meeting and task forms)."""

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, queryset=None, **kwargs)
        if municipality is not None:
            self.set_municipality(municipality)

    def set_municipality(self, municipality) -> None:
        self.queryset = municipality.working_groups.select_related("process").order_by(
            "-process__start_date", "process__title", "title", "pk"
        )

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.process.title})"


def initial_for_group(municipality, value) -> dict:
    """Form initial values for ``?working_group=<pk>``: the group and its process (nothing for a foreign pk)."""
    value = value or ""
    group = municipality.working_groups.select_related("process").filter(pk=value).first() if value.isdigit() else None
    return {"working_group": group, "process": group.process} if group else {}


def team_members(municipality):
    return get_user_model().objects.filter(memberships__municipality=municipality).order_by("name", "email")


class WorkingGroupForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group works on and what it is to deliver."),
    )
    process = forms.ModelChoiceField(label=_("Strategy process"), queryset=None, empty_label=None)
    field_of_action = FieldOfActionChoiceField(
        label=_("Field of action"),
        required=False,
        queryset=None,
        empty_label=_("No field of action"),
        help_text=_("Only fields of action of the chosen process fit."),
    )
    lead = PersonChoiceField(
        label=_("Lead"),
        required=False,
        queryset=None,
        empty_label=_("Nobody yet"),
        help_text=_("The lead is always a member of the group."),
    )
    members = PeopleChoiceField(
        label=_("Members of the team"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    actors = ActorChoiceField(
        label=_("Actors"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Organisations and people from the actors register who take part."),
    )
    # The version the editor started from; a concurrent save by somebody else is detected with it.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = municipality.processes.order_by("-start_date", "title")
        self.fields["field_of_action"].queryset = municipality.fields_of_action.select_related("process").order_by(
            "-process__start_date", "process__title", "priority", "pk"
        )
        self.fields["lead"].queryset = team_members(municipality)
        self.fields["members"].queryset = team_members(municipality)
        self.fields["actors"].queryset = municipality.actors.order_by("name", "pk")
        self.conflicts: list[tuple[str, str]] = []

    @classmethod
    def initial_for(cls, group: WorkingGroup) -> dict:
        return {
            "version": group.version,
            **{field: getattr(group, field) for field in SCALAR_FIELDS},
            "members": list(group.members.all()),
            "actors": list(group.actors.all()),
        }

    def service_kwargs(self) -> dict:
        return {field: self.cleaned_data[field] for field in FORM_FIELDS}

    def show_conflict(self, current: WorkingGroup) -> None:
        """After an edit conflict: keep the user's input, show what is stored now, accept the next save."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflicts = []
        for field in SCALAR_FIELDS:
            mine, theirs = self.cleaned_data.get(field), getattr(current, field)
            if (mine or "") != (theirs or ""):
                shown = _person(theirs) if field == "lead" and theirs else str(theirs or "–")
                self.conflicts.append((self[field].label, shown))
        for field in ("members", "actors"):
            theirs = list(getattr(current, field).all())
            if {obj.pk for obj in self.cleaned_data.get(field) or []} != {obj.pk for obj in theirs}:
                names = [_person(obj) if field == "members" else obj.name for obj in theirs]
                self.conflicts.append((self[field].label, ", ".join(names) or "–"))


class GroupFilterForm(forms.Form):
    """The process filter of the list (GET parameter ``process``); an invalid value is ignored."""

    process = forms.ModelChoiceField(label=_("Strategy process"), required=False, queryset=None, empty_label=_("All"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = municipality.processes.order_by("-start_date", "title")

    def selected_process(self):
        return self.cleaned_data.get("process") if self.is_valid() else None
