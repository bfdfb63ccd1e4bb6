"""Forms of the surveys: they only parse and check input; the services in ``surveys.py`` write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from daks.meetings.forms import NameChoiceField

from . import surveys
from .models import Question, QuestionKind, Survey

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown above the questionnaire: why you ask and how long it takes."),
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous survey"),
        required=False,
        help_text=_(
            "Responses are never linked to the invited person; results never show who answered. "
            "Cannot be changed once responses exist."
        ),
    )
    opens_at = _datetime_field(_("Open from"), _("Empty: open immediately."))
    closes_at = _datetime_field(_("Open until"), _("Empty: open until you close it."))
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    FIELDS = ("title", "introduction", "anonymous", "opens_at", "closes_at")

    @classmethod
    def initial_for(cls, survey: Survey) -> dict:
        return {"version": survey.version, **{name: getattr(survey, name) for name in cls.FIELDS}}

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class SurveyCreateForm(SurveyForm):
    with_default_questionnaire = forms.BooleanField(
        label=_("Start with the default questionnaire on barriers and enablers"),
        required=False,
        help_text=_(
            "Seven sections (administration, actors, resources, political backing, participation, communication, "
            "data) with statements on a scale from 1 to 5 and a free-text question each. You can change everything."
        ),
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)
    version = forms.CharField(required=False, widget=forms.HiddenInput)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question or statement"), max_length=500)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("Answer options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for single and multiple choice: one option per line."),
    )
    help_text = forms.CharField(label=_("Hint below the question"), max_length=500, required=False)
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False, empty_label=_("No section"))
    required = forms.BooleanField(label=_("Answer required"), required=False)
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        self.fields["kind"].help_text = _(
            "Scale 1–5: from “does not apply at all” to “fully applies”. Free text: a text field."
        )

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "text": question.text,
            "kind": question.kind,
            "options": "\n".join(question.options or []),
            "help_text": question.help_text,
            "section": question.section_id,
            "required": question.required,
            "version": surveys.question_version(question),
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "kind": data["kind"],
            "options": data["options"],
            "help_text": data["help_text"],
            "section": data["section"],
            "required": data["required"],
        }


class InviteForm(forms.Form):
    members = NameChoiceField(
        label=_("Members of the team"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )
    actors = NameChoiceField(
        label=_("Actors"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only actors with an e-mail address and consent to contact are listed."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = surveys.invitable_members(survey)
        self.fields["actors"].queryset = surveys.invitable_actors(survey)


# --- Answering (public) ---------------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    """The questionnaire: one field ``q<pk>`` per question, validated with German messages per field."""

    nonce = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.name_of(question)] = self._field(question)

    @staticmethod
    def name_of(question: Question) -> str:
        return f"q{question.pk}"

    def _field(self, question: Question) -> forms.Field:
        messages = {
            "required": _("Please answer this question."),
            "invalid_choice": _("Please choose one of the given answers."),
            "invalid_list": _("Please choose one of the given answers."),
        }
        common = {"label": question.text, "required": question.required, "help_text": question.help_text}
        if question.kind == QuestionKind.LIKERT:
            choices = [(str(value), f"{value} – {label}") for value, label in surveys.LIKERT_CHOICES]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=messages, **common)
        if question.kind == QuestionKind.SINGLE:
            choices = [(str(index), option) for index, option in enumerate(question.options)]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=messages, **common)
        if question.kind == QuestionKind.MULTIPLE:
            choices = [(str(index), option) for index, option in enumerate(question.options)]
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, error_messages=messages, **common
            )
        return forms.CharField(
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={**messages, "max_length": _("Please write at most 5000 characters.")},
            **common,
        )

    def values(self) -> dict:
        """{question pk: cleaned value} for ``surveys.response_submit``."""
        return {question.pk: self.cleaned_data.get(self.name_of(question)) for question in self.questions}

    def add_answer_errors(self, errors: dict) -> None:
        for question in self.questions:
            if question.pk in errors:
                self.add_error(self.name_of(question), errors[question.pk])


class NetworkSurveyForm(forms.Form):
    """A survey of the network office; its questionnaire is then edited with the survey builder."""

    title = SurveyForm.base_fields["title"]
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the municipalities and above every copy of the questionnaire."),
    )
    closes_at = _datetime_field(_("Open until"), _("Empty: open until you close it."))
    with_default_questionnaire = forms.BooleanField(
        label=_("Start with the default questionnaire on barriers and enablers"),
        required=False,
        initial=True,
        help_text=_(
            "Seven sections with statements on a scale from 1 to 5 and a free-text question each; its stable "
            "question keys keep the answers comparable with the municipalities' own survey rounds. You can change "
            "and add questions before the municipalities take part."
        ),
    )
