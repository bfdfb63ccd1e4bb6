from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH

MARKDOWN_HELP = _("Formatting with Markdown: **bold**, *italic*, lists with -, links as [text](https://…).")


class ConflictMixin:
    def show_conflict(self, current) -> None:
        """Keep the person's input, remember what is stored now, accept the next save."""
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict = current


class QuestionForm(ConflictMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Please enter a title.")},
        help_text=_("One sentence: what would you like to know?"),
    )
    body = forms.CharField(
        label=_("Your question"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Please describe your question.")},
        help_text=MARKDOWN_HELP,
    )
    municipality = forms.ModelChoiceField(
        label=_("Asked for the municipality (optional)"),
        queryset=None,
        required=False,
        empty_label=_("– no municipality shown –"),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    @classmethod
    def initial_for(cls, question) -> dict:
        return {
            "title": question.title,
            "body": question.body,
            "municipality": question.municipality_id,
            "version": question.version,
        }


class AnswerForm(ConflictMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write an answer.")},
        help_text=MARKDOWN_HELP,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the moderation look at this post?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please give a reason.")},
        help_text=_("Only the editorial office of the network sees your report."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search questions by title"), max_length=100, required=False)
