from django import forms
from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from daks.core.uploads import accept_attribute, allowed_help_text

from .models import (
    SUGGESTED_TOPICS,
    FieldOfAction,
    Interview,
    InterviewStatus,
    InventoryItem,
    InventoryKind,
    InventoryStatus,
    Quadrant,
    SwotItem,
)

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def interview_label(interview: Interview) -> str:
    """ "Seniorenbeirat (12.03.2026)" — the interviewee and, if known, the date."""
    name = interview.interviewee or (interview.actor.name if interview.actor_id else "")
    if interview.actor_id and interview.interviewee:
        name = f"{interview.actor.name}: {interview.interviewee}"
    return f"{name} ({date_format(interview.date, 'SHORT_DATE_FORMAT')})" if interview.date else name


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
    evidence_indicator = forms.ChoiceField(label=_("Indicator (optional)"), required=False)
    evidence_inventory = forms.TypedChoiceField(
        label=_("Inventory entry (optional)"), required=False, coerce=int, empty_value=None
    )
    evidence_interview = forms.TypedChoiceField(
        label=_("Interview (optional)"), required=False, coerce=int, empty_value=None
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, evidence=None, **kwargs):
        """``evidence``: the ``selectors.EvidenceOptions`` of the process (indicators, inventory, interviews);
        only these can be cited, any other value is a form error."""
        super().__init__(*args, **kwargs)
        self.evidence = evidence
        none = [("", _("– none –"))]
        indicators = evidence.indicators if evidence else []
        inventory = evidence.inventory if evidence else {}
        interviews = evidence.interviews if evidence else {}
        self.fields["evidence_indicator"].choices = none + list(indicators)
        self.fields["evidence_inventory"].choices = none + [(pk, item.title) for pk, item in inventory.items()]
        self.fields["evidence_interview"].choices = none + [(pk, interview_label(i)) for pk, i in interviews.items()]

    @classmethod
    def initial_for(cls, item: SwotItem) -> dict:
        return {
            "text": item.text,
            "evidence": item.evidence,
            "evidence_url": item.evidence_url,
            "evidence_indicator": item.evidence_indicator,
            "evidence_inventory": item.evidence_inventory_id,
            "evidence_interview": item.evidence_interview_id,
            "version": item.version,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        inventory = self.evidence.inventory if self.evidence else {}
        interviews = self.evidence.interviews if self.evidence else {}
        return {
            "text": data["text"],
            "evidence": data["evidence"],
            "evidence_url": data["evidence_url"],
            "evidence_indicator": data.get("evidence_indicator") or "",
            "evidence_inventory": inventory.get(data.get("evidence_inventory")),
            "evidence_interview": interviews.get(data.get("evidence_interview")),
        }

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


# --- Inventory (Bestandsaufnahme) -------------------------------------------------------------------------------

INVENTORY_FIELDS = (
    "title",
    "kind",
    "field_of_action",
    "topic",
    "owner",
    "status",
    "start_year",
    "end_year",
    "url",
    "notes",
)


class InventoryItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InventoryKind.choices, initial=InventoryKind.PROJECT)
    field_of_action = forms.ModelChoiceField(
        label=_("Field of action (optional)"),
        queryset=FieldOfAction.objects.none(),
        required=False,
        empty_label=_("– none –"),
    )
    topic = forms.CharField(
        label=_("Topic (optional)"),
        max_length=200,
        required=False,
        help_text=_("Topic field, if no field of action fits yet."),
    )
    owner = forms.CharField(
        label=_("Responsible (optional)"),
        max_length=200,
        required=False,
        help_text=_("Office, organisation or person."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=InventoryStatus.choices, initial=InventoryStatus.RUNNING)
    start_year = forms.IntegerField(label=_("From (year, optional)"), required=False, min_value=1900, max_value=2100)
    end_year = forms.IntegerField(label=_("Until (year, optional)"), required=False, min_value=1900, max_value=2100)
    url = forms.URLField(label=_("Link (optional)"), max_length=500, required=False, assume_scheme="https")
    document = forms.FileField(label=_("Document (optional)"), required=False)
    remove_document = forms.BooleanField(label=_("Remove the stored document"), required=False)
    notes = forms.CharField(
        label=_("Notes (optional)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, process, item: InventoryItem | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = FieldOfAction.objects.filter(process=process).order_by(
            "priority", "id"
        )
        self.fields["document"].widget.attrs["accept"] = accept_attribute()
        self.fields["document"].help_text = allowed_help_text()
        if item is None or not item.document:
            del self.fields["remove_document"]
        self.conflicts = []

    @classmethod
    def initial_for(cls, item: InventoryItem) -> dict:
        return {"version": item.version, **{name: getattr(item, name) for name in INVENTORY_FIELDS}}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in INVENTORY_FIELDS}
        kwargs["document"] = data.get("document") or None
        if "remove_document" in self.fields:
            kwargs["remove_document"] = bool(data.get("remove_document"))
        return kwargs

    def show_conflict(self, current: InventoryItem) -> None:
        """After an edit conflict: keep the input, list what is stored now, accept the next save."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflicts = []
        for name in INVENTORY_FIELDS:
            mine, theirs = self.cleaned_data.get(name), getattr(current, name)
            if (mine or "") != (theirs or ""):
                self.conflicts.append((self[name].label, _inventory_display(current, name)))


def _inventory_display(item: InventoryItem, name: str) -> str:
    if name in ("kind", "status"):
        return str(getattr(item, f"get_{name}_display")())
    value = getattr(item, name)
    return str(value) if value not in (None, "") else "–"


class InventoryFilterForm(forms.Form):
    """The filters of the inventory list (GET; German parameter names as in the address bar)."""

    handlungsfeld = forms.ModelChoiceField(
        label=_("Field of action"), queryset=FieldOfAction.objects.none(), required=False, empty_label=_("All")
    )
    art = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlungsfeld"].queryset = FieldOfAction.objects.filter(process=process).order_by("priority", "id")
        self.fields["art"].choices = [("", _("All")), *InventoryKind.choices]
        self.fields["status"].choices = [("", _("All")), *InventoryStatus.choices]

    def selector_kwargs(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"field_of_action": data["handlungsfeld"], "kind": data["art"], "status": data["status"]}


# --- Interviews -------------------------------------------------------------------------------------------------

INTERVIEW_FIELDS = ("actor", "interviewee", "status", "date", "interviewer", "summary", "key_statements")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class InterviewForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Actor from the register (optional)"),
        queryset=None,
        required=False,
        empty_label=_("– not in the register –"),
    )
    interviewee = forms.CharField(
        label=_("Interviewee (name or role)"),
        max_length=200,
        required=False,
        help_text=_("Needed if the person or organisation is not in the actors register."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=InterviewStatus.choices, initial=InterviewStatus.PLANNED)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Planned or actual date; required once the interview is done."),
    )
    interviewer = MemberChoiceField(
        label=_("Interviewer (optional)"), queryset=None, required=False, empty_label=_("Nobody yet")
    )
    summary = forms.CharField(
        label=_("Summary (optional)"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    key_statements = forms.CharField(
        label=_("Key statements (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One statement per line."),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = municipality.actors.order_by("name", "id")
        self.fields["interviewer"].queryset = (
            get_user_model().objects.filter(memberships__municipality=municipality).order_by("name", "email")
        )
        self.conflicts = []

    @classmethod
    def initial_for(cls, interview: Interview) -> dict:
        return {"version": interview.version, **{name: getattr(interview, name) for name in INTERVIEW_FIELDS}}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in INTERVIEW_FIELDS if name != "actor"}
        kwargs["interviewee_actor"] = data["actor"]
        return kwargs

    def show_conflict(self, current: Interview) -> None:
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflicts = []
        for name in INTERVIEW_FIELDS:
            mine, theirs = self.cleaned_data.get(name), getattr(current, name)
            if (mine or "") != (theirs or ""):
                self.conflicts.append((self[name].label, _interview_display(current, name)))


def _interview_display(interview: Interview, name: str) -> str:
    if name == "status":
        return str(interview.get_status_display())
    if name == "date":
        return date_format(interview.date, "SHORT_DATE_FORMAT") if interview.date else "–"
    if name == "interviewer":
        return (interview.interviewer.name or interview.interviewer.email) if interview.interviewer else "–"
    value = getattr(interview, name)
    return str(value) if value not in (None, "") else "–"
