from django import forms
from django.utils.translation import gettext_lazy as _

from daks.accounts.models import User
from daks.profile.models import FieldOfAction
from daks.strategy.models import Actor

from .models import Goal, MeasureStatus, Priority, TargetGroup

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConflictMixin:
    """Keep the user's input, remember what is stored now, accept the next save."""

    conflict = None

    def show_conflict(self, current) -> None:
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict = current


class PlanTextForm(ConflictMixin, forms.Form):
    vision = forms.CharField(
        label=_("Guiding statement (vision)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where does the municipality want to be in 15 years? Markdown: **bold**, lists with -."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Occasion, process and how the plan is updated. Markdown: ## heading, **bold**, lists with -."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)


def _fields_of(plan):
    return FieldOfAction.objects.filter(process_id=plan.process_id).order_by("priority", "id")


class FieldChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}" if getattr(obj, "number", "") else obj.title


class GoalForm(ConflictMixin, forms.Form):
    field_of_action = forms.ModelChoiceField(label=_("Field of action"), queryset=FieldOfAction.objects.none())
    title = forms.CharField(label=_("Goal"), max_length=300)
    description = forms.CharField(
        label=_("Description (optional)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator_code = forms.ChoiceField(
        label=_("Official indicator"),
        required=False,
        help_text=_("From the statistics of the demography engine; its latest value is shown in the monitoring."),
    )
    indicator_name = forms.CharField(
        label=_("Or own indicator"),
        max_length=200,
        required=False,
        help_text=_("If no official indicator fits, e.g. “Places in day care for senior citizens”."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False, help_text=_("e.g. %, places, persons"))
    baseline_value = forms.DecimalField(label=_("Baseline value"), required=False, max_digits=14, decimal_places=3)
    baseline_year = forms.IntegerField(label=_("Baseline year"), required=False, min_value=1950, max_value=2100)
    target_value = forms.DecimalField(label=_("Target value"), required=False, max_digits=14, decimal_places=3)
    target_year = forms.IntegerField(label=_("Target year"), required=False, min_value=1950, max_value=2100)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, **kwargs):
        from daks.profile.selectors import evidence_indicators

        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = _fields_of(plan)
        self.fields["indicator_code"].choices = [("", _("– none –")), *evidence_indicators()]

    def service_data(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "version"}

    @staticmethod
    def initial_for(goal: Goal) -> dict:
        return {
            "field_of_action": goal.field_of_action_id,
            "title": goal.title,
            "description": goal.description,
            "indicator_code": goal.indicator_code,
            "indicator_name": goal.indicator_name,
            "unit": goal.unit,
            "baseline_value": goal.baseline_value,
            "baseline_year": goal.baseline_year,
            "target_value": goal.target_value,
            "target_year": goal.target_year,
            "version": goal.version,
        }


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}" if getattr(obj, "number", "") else obj.title


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class MeasureForm(ConflictMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    field_of_action = forms.ModelChoiceField(label=_("Field of action"), queryset=FieldOfAction.objects.none())
    goals = GoalChoiceField(
        label=_("Goals served"), queryset=Goal.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown."),
    )
    responsible_unit = forms.CharField(
        label=_("Responsible unit"), max_length=200, required=False, help_text=_("e.g. Office for social affairs")
    )
    responsible_person = PersonChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False, empty_label=_("– nobody yet –")
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Actor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the actors register of the municipality."),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End"), required=False, widget=DATE_WIDGET)
    budget_own = forms.DecimalField(
        label=_("Own funds (EUR)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    budget_third_party = forms.DecimalField(
        label=_("Third-party funding (EUR)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    budget_secured = forms.DecimalField(
        label=_("Of which secured (EUR)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("The part of the budget that is approved or granted."),
    )
    funding_programme = forms.CharField(label=_("Funding programme"), max_length=300, required=False)
    funding_url = forms.URLField(
        label=_("Link to the funding programme"), max_length=500, required=False, assume_scheme="https"
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.IDEA)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = _fields_of(plan)
        goal_field = self.fields["goals"]
        goal_field.queryset = Goal.objects.filter(plan=plan).order_by(
            "field_of_action__priority", "field_of_action_id", "position", "id"
        )
        if goals is not None:  # numbered goals for the labels (no extra query per choice)
            goal_field.choices = [(goal.pk, f"{goal.number} {goal.title}") for goal in goals]
        self.fields["responsible_person"].queryset = (
            User.objects.filter(memberships__municipality_id=plan.municipality_id).order_by("name", "id").distinct()
        )
        self.fields["partners"].queryset = Actor.objects.filter(municipality_id=plan.municipality_id).order_by("name")

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "version"}
        for key in ("budget_own", "budget_third_party", "budget_secured"):
            data[key] = data[key] or 0
        data["goals"] = list(data["goals"])
        data["partners"] = list(data["partners"])
        return data

    @staticmethod
    def initial_for(measure) -> dict:
        return {
            "title": measure.title,
            "field_of_action": measure.field_of_action_id,
            "goals": [goal.pk for goal in measure.goals.all()],
            "description": measure.description,
            "responsible_unit": measure.responsible_unit,
            "responsible_person": measure.responsible_person_id,
            "partners": [actor.pk for actor in measure.partners.all()],
            "target_groups": measure.target_groups,
            "start_date": measure.start_date,
            "end_date": measure.end_date,
            "budget_own": measure.budget_own,
            "budget_third_party": measure.budget_third_party,
            "budget_secured": measure.budget_secured,
            "funding_programme": measure.funding_programme,
            "funding_url": measure.funding_url,
            "priority": measure.priority,
            "status": measure.status,
            "progress": measure.progress,
            "version": measure.version,
        }


class MilestoneRowForm(forms.Form):
    """One optional milestone row of the new-measure form."""

    title = forms.CharField(label=_("Milestone"), max_length=300, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("due_date"):
            self.add_error("due_date", _("Please enter the due date."))
        if data.get("due_date") and not data.get("title"):
            self.add_error("title", _("Please name the milestone."))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneRowForm, extra=3, max_num=3)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=MeasureStatus.choices)
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)
