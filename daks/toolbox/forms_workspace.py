"""Forms of the toolbox inside the workspace of a Kommune (plain forms; the services check the rules)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from daks.strategy.models import Step

from .models import Level, SizeClass, ToolType, TopicField

BODY_HELP = _(
    "Markdown: ## Heading, ### Subheading, - list item, 1. numbered item, **bold**, *italic*, "
    "[link text](https://…). An empty line starts a new paragraph."
)


class SubmissionForm(forms.Form):
    """Best practice a Kommune submits to the editorial office of the Werkzeugkoffer."""

    title = forms.CharField(label=_("Title"), max_length=200)
    teaser = forms.CharField(
        label=_("Teaser"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences for the result list."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=format_lazy(
            "{} {}",
            _("What did you do, how did you go about it, what did it achieve, what would you do differently?"),
            BODY_HELP,
        ),
    )
    tool_type = forms.ChoiceField(label=_("Type"), choices=ToolType.choices, initial=ToolType.BEST_PRACTICE)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topic fields"),
        queryset=TopicField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one topic field.")},
    )
    steps = forms.MultipleChoiceField(
        label=_("Process steps"),
        choices=Step.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one process step.")},
    )
    sizes = forms.MultipleChoiceField(
        label=_("Sizes of municipality (optional)"),
        choices=SizeClass.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    effort = forms.ChoiceField(label=_("Effort"), choices=Level.choices, initial=Level.MEDIUM)
    cost = forms.ChoiceField(label=_("Cost"), choices=Level.choices, initial=Level.LOW)
    target_groups = forms.CharField(
        label=_("Target groups (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One target group per line."),
    )
    contact = forms.CharField(
        label=_("Contact (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who can other municipalities ask about it? Shown on the published tool."),
    )
    credit_name = forms.BooleanField(
        label=_("Mention me by name"),
        required=False,
        help_text=_("Otherwise only the name of your municipality is shown."),
    )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "teaser": data["teaser"],
            "body": data["body"],
            "tool_type": data["tool_type"],
            "topics": list(data["topics"]),
            "steps": list(data["steps"]),
            "sizes": list(data["sizes"]),
            "effort": data["effort"],
            "cost": data["cost"],
            "target_groups": data["target_groups"].splitlines(),
            "contact": data["contact"].strip(),
        }


class ToolSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the toolbox"), max_length=200, required=False)


class ToolChoiceForm(forms.Form):
    tool = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False, max_length=500)
