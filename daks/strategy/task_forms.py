"""Forms of the tasks (Aufgaben): they only parse and check input; the services write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .group_forms import WorkingGroupChoiceField
from .models import Step, Task, TaskStatus

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
FORM_FIELDS = ("title", "description", "process", "step", "working_group", "assignee", "due_date", "status")


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


def _members(municipality):
    return get_user_model().objects.filter(memberships__municipality=municipality).order_by("name", "email")


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    process = forms.ModelChoiceField(
        label=_("Strategy process"), required=False, queryset=None, empty_label=_("No process")
    )
    step = forms.ChoiceField(label=_("Step"), required=False, choices=[("", _("No step")), *Step.choices])
    working_group = WorkingGroupChoiceField(
        label=_("Working group"),
        required=False,
        empty_label=_("No working group"),
        help_text=_("Without a chosen process the task belongs to the process of the group."),
    )
    assignee = AssigneeChoiceField(
        label=_("Assigned to"),
        required=False,
        queryset=None,
        empty_label=_("Nobody yet"),
        help_text=_("Only members of the team can be chosen. They receive an e-mail."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices, initial=TaskStatus.OPEN)
    # The version the editor started from; a concurrent save by somebody else is detected with it.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipality, with_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = municipality.processes.order_by("-start_date", "title")
        self.fields["working_group"].set_municipality(municipality)
        self.fields["assignee"].queryset = _members(municipality)
        if not with_status:  # a new task starts open
            del self.fields["status"]
        self.conflicts = []

    @classmethod
    def initial_for(cls, task: Task) -> dict:
        return {"version": task.version, **{field: getattr(task, field) for field in FORM_FIELDS}}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {field: data[field] for field in FORM_FIELDS if field in self.fields}

    def show_conflict(self, current: Task) -> None:
        """After an edit conflict: keep the user's input, show what is stored now, accept the next save."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflicts = []
        for field in FORM_FIELDS:
            mine, theirs = self.cleaned_data.get(field), getattr(current, field)
            if (mine or "") != (theirs or ""):
                self.conflicts.append((self[field].label, _display(current, field)))


def _display(task: Task, field: str) -> str:
    from django.utils.formats import date_format

    if field in ("step", "status"):
        return str(getattr(task, f"get_{field}_display")()) or "–"
    if field == "working_group":
        return str(task.working_group or "–")
    if field == "assignee":
        return (task.assignee.name or task.assignee.email) if task.assignee else "–"
    if field == "due_date":
        return date_format(task.due_date, "SHORT_DATE_FORMAT") if task.due_date else "–"
    return str(getattr(task, field) or "–")


class TaskFilterForm(forms.Form):
    """The filters of the task list (GET parameters); invalid values are ignored."""

    OVERDUE_CHOICES = [("", _("All")), ("ja", _("Only overdue")), ("nein", _("Not overdue"))]

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *TaskStatus.choices])
    assignee = AssigneeChoiceField(label=_("Assigned to"), required=False, queryset=None, empty_label=_("All"))
    process = forms.ModelChoiceField(label=_("Strategy process"), required=False, queryset=None, empty_label=_("All"))
    overdue = forms.ChoiceField(label=_("Due date"), required=False, choices=OVERDUE_CHOICES)
    working_group = WorkingGroupChoiceField(label=_("Working group"), required=False, empty_label=_("All"))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = municipality.processes.order_by("-start_date", "title")
        self.fields["assignee"].queryset = _members(municipality)
        self.fields["working_group"].set_municipality(municipality)

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "assignee": data.get("assignee"),
            "process": data.get("process"),
            "overdue": {"ja": True, "nein": False}.get(data.get("overdue") or ""),
            "working_group": data.get("working_group"),
        }


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
