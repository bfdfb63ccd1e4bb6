"""Forms of the toolbox inside the workspace of a Kommune (plain forms; the services check the rules)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .forms import BODY_HELP, ToolContentForm
from .models import Level, ToolType


class SubmissionForm(ToolContentForm):
    """Best practice a Kommune submits to the editorial office of the Werkzeugkoffer."""

    credit_name = forms.BooleanField(
        label=_("Mention me by name"),
        required=False,
        help_text=_("Otherwise only the name of your municipality is shown."),
    )

    #: The stored state of a returned submission being revised (optimistic locking, see ``submission_resubmit``).
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, tool) -> dict:
        """The content of a returned submission, to revise it."""
        return {
            "title": tool.title,
            "teaser": tool.teaser,
            "body": tool.body,
            "tool_type": tool.tool_type,
            "topics": [topic.pk for topic in tool.topics.all()],
            "steps": [link.step for link in tool.step_links.all()],
            "sizes": [link.size for link in tool.size_links.all()],
            "effort": tool.effort,
            "cost": tool.cost,
            "target_groups": "\n".join(tool.target_groups or []),
            "contact": tool.contact,
            "credit_name": "," in (tool.credit or ""),
            "version": tool.version,
        }

    def show_conflict(self, current) -> None:
        """Keep the user's input and accept the next save after they have seen the conflict message."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["body"].widget.attrs["rows"] = 14
        fields["body"].help_text = format_lazy(
            "{} {}",
            _("What did you do, how did you go about it, what did it achieve, what would you do differently?"),
            BODY_HELP,
        )
        fields["tool_type"].initial = ToolType.BEST_PRACTICE
        fields["sizes"].label = _("Sizes of municipality (optional)")
        fields["effort"].initial = Level.MEDIUM
        fields["cost"].initial = Level.LOW
        fields["contact"].help_text = _("Who can other municipalities ask about it? Shown on the published tool.")


class ToolSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the toolbox"), max_length=200, required=False)


class ToolChoiceForm(forms.Form):
    tool = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False, max_length=500)
