"""Forms of the Zwischenbilanz (review): parse input only; the rules are in ``services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daks.plans.models import Goal, Measure

from .models import AdjustmentKind, Assessment, ConsolidationKey, FactorKind, FactorSource

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionMixin(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)


def _survey_field(surveys):
    return forms.ModelMultipleChoiceField(
        label=_("Linked surveys"),
        queryset=surveys,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their results appear in the report of the interim review."),
    )


class ReviewCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example “Zwischenbilanz Herbst 2026”."))
    date = forms.DateField(label=_("Date of the interim review"), widget=DATE_WIDGET)

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["surveys"] = _survey_field(surveys)
        self.fields["date"].initial = timezone.localdate()


class ReviewForm(VersionMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date of the interim review"), widget=DATE_WIDGET)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the interim review found, in a few sentences."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happens next: one step per line."),
    )

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["surveys"] = _survey_field(surveys)
        self.order_fields(["title", "date", "surveys", "summary", "next_steps", "version"])


class GoalReviewForm(VersionMixin):
    latest_value = forms.DecimalField(
        label=_("Latest value"), required=False, max_digits=14, decimal_places=3, localize=True
    )
    latest_year = forms.IntegerField(
        label=_("Year of the latest value"), required=False, min_value=1950, max_value=2100
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=300,
        help_text=_("For example the official statistics, an own count or a report."),
    )
    source_date = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        choices=[("", _("Suggestion of the rule")), *Assessment.choices],
        help_text=_("Leave “Suggestion of the rule” to take the traffic light computed from the values."),
    )
    comment = forms.CharField(
        label=_("Short assessment"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MeasureCheckForm(VersionMixin):
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Assessment.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class FactorForm(VersionMixin):
    kind = forms.ChoiceField(label=_("Kind"), choices=FactorKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Description"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.ChoiceField(label=_("Source"), choices=FactorSource.choices, initial=FactorSource.DISCUSSION)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"] = forms.ModelMultipleChoiceField(
            label=_("Linked measures"),
            queryset=measures,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("The measures this factor hinders or helps."),
        )


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=AdjustmentKind.choices)
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none(), required=False)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    description = forms.CharField(label=_("What changes"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)

    def __init__(self, *args, measures, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["goal"].queryset = goals
        self.fields["measure"].help_text = _("For changing, pausing or dropping a measure.")
        self.fields["goal"].help_text = _("Or the goal the decision concerns.")
        self.fields["decided_on"].initial = timezone.localdate()


class VersionLinkForm(forms.Form):
    name = forms.CharField(label=_("Name of the new plan version"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)


class ConsolidationForm(VersionMixin):
    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"{row.key}_done"] = forms.BooleanField(label=_("Done"), required=False, initial=row.done)
            self.fields[f"{row.key}_note"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                initial=row.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def items(self) -> dict:
        return {
            key: {"done": self.cleaned_data.get(f"{key}_done"), "note": self.cleaned_data.get(f"{key}_note")}
            for key in ConsolidationKey.values
        }


class NextCycleForm(forms.Form):
    title = forms.CharField(label=_("Title of the new process"), max_length=200)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()
