from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SUGGESTED_TOPICS, Quadrant, SwotItem


class SwotItemForm(forms.Form):
    text = forms.CharField(label=_("Statement"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Data, interview or source the statement rests on."),
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence (optional)"), max_length=500, required=False, assume_scheme="https"
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"text": data["text"], "evidence": data["evidence"], "evidence_url": data["evidence_url"]}

    def show_conflict(self, current: SwotItem) -> None:
        """Keep the user's input, remember what is stored now, accept the next save."""
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict = current


class QuadrantForm(forms.Form):
    quadrant = forms.ChoiceField(choices=Quadrant.choices)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class SuggestionForm(forms.Form):
    topic = forms.ChoiceField(choices=[(topic, topic) for topic in SUGGESTED_TOPICS])


class FieldOfActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    swot_items = forms.ModelMultipleChoiceField(
        label=_("Supporting SWOT entries"),
        queryset=SwotItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, process, swot_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["swot_items"].queryset = SwotItem.objects.filter(process=process).order_by(
            "quadrant", "position", "id"
        )
        self.conflict = None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "description": data["description"], "swot_items": data["swot_items"]}

    def show_conflict(self, current) -> None:
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflict = current


class InterpretationForm(forms.Form):
    """The interpretation of one statistics section (prefix: the section)."""

    text = forms.CharField(
        label=_("Interpretation"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What do these figures mean for your municipality? Leave empty to remove the text."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None

    def show_conflict(self, current) -> None:
        """Keep the user's input, remember what is stored now, accept the next save."""
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict = current
