"""The content fields of a tool, shared by the editorial form and the submission form of a Kommune."""

from django import forms
from django.utils.translation import gettext_lazy as _

from daks.strategy.models import Step

from .models import Level, SizeClass, ToolType, TopicField

BODY_HELP = _(
    "Markdown: ## Heading, ### Subheading, - list item, 1. numbered item, **bold**, *italic*, "
    "[link text](https://…). An empty line starts a new paragraph."
)


class ToolContentForm(forms.Form):
    """Title, texts and classification of a tool; subclasses add their own fields and set ``field_order``."""

    title = forms.CharField(label=_("Title"), max_length=200)
    teaser = forms.CharField(
        label=_("Teaser"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences for the result list."),
    )
    body = forms.CharField(
        label=_("Text"), max_length=50000, widget=forms.Textarea(attrs={"rows": 18}), help_text=BODY_HELP
    )
    tool_type = forms.ChoiceField(label=_("Type"), choices=ToolType.choices)
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
        label=_("Sizes of municipality"), choices=SizeClass.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    effort = forms.ChoiceField(label=_("Effort"), choices=Level.choices)
    cost = forms.ChoiceField(label=_("Cost"), choices=Level.choices)
    target_groups = forms.CharField(
        label=_("Target groups (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One target group per line."),
    )
    contact = forms.CharField(
        label=_("Contact (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_data(self) -> dict:
        """The cleaned content in the shape ``services.tool_create``/``tool_update``/``tool_submit…`` take."""
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
