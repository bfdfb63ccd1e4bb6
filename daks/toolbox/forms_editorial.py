"""Forms of the editorial office of the Werkzeugkoffer (plain forms; the services check the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from daks.core.uploads import accept_attribute, allowed_help_text
from daks.municipalities.models import Municipality

from .forms import ToolContentForm
from .models import Tool
from .services import ATTACHMENT_KINDS, TRANSITIONS

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]

#: Labels of the fields of a tool (form labels and the "changed fields" of the history).
FIELD_LABELS = {
    "title": _("Title"),
    "slug": _("Address"),
    "teaser": _("Teaser"),
    "body": _("Text"),
    "tool_type": _("Type"),
    "topics": _("Topic fields"),
    "steps": _("Process steps"),
    "sizes": _("Sizes of municipality"),
    "effort": _("Effort"),
    "cost": _("Cost"),
    "target_groups": _("Target groups"),
    "origin_municipality": _("Originating municipality"),
    "contact": _("Contact"),
    "video_url": _("External video"),
    "related": _("Related tools"),
    "last_reviewed": _("Last reviewed"),
}


class ToolForm(ToolContentForm):
    field_order = [
        "title",
        "slug",
        "teaser",
        "body",
        "tool_type",
        "topics",
        "steps",
        "sizes",
        "effort",
        "cost",
        "target_groups",
        "origin_municipality",
        "contact",
        "video_url",
        "related",
        "last_reviewed",
    ]

    slug = forms.SlugField(
        label=_("Address (optional)"),
        max_length=120,
        required=False,
        help_text=_("Lower-case letters, digits and hyphens; derived from the title when left empty."),
    )
    origin_municipality = forms.ModelChoiceField(
        label=_("Originating municipality (optional)"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("– none –"),
    )
    video_url = forms.URLField(
        label=_("External video (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Link to a video on YouTube or Vimeo; it is only loaded after the visitor agrees."),
    )
    related = forms.ModelMultipleChoiceField(
        label=_("Related tools (optional)"),
        queryset=Tool.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Mac: Cmd) to choose several tools."),
    )
    last_reviewed = forms.DateField(
        label=_("Last reviewed (optional)"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tool: Tool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.conflict = None
        others = Tool.objects.only("title", "slug").order_by("title")
        self.fields["related"].queryset = others.exclude(pk=tool.pk) if tool else others
        if tool is not None:
            del self.fields["slug"]

    @classmethod
    def initial_for(cls, tool: Tool) -> dict:
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
            "origin_municipality": tool.origin_municipality_id,
            "contact": tool.contact,
            "video_url": tool.video_url,
            "related": [other.pk for other in tool.related.all()],
            "last_reviewed": tool.last_reviewed,
            "version": tool.version,
        }

    def service_data(self) -> dict:
        data = self.cleaned_data
        result = {
            **super().service_data(),
            "origin_municipality": data["origin_municipality"],
            "video_url": data["video_url"],
            "related": list(data["related"]),
            "last_reviewed": data["last_reviewed"],
        }
        if "slug" in self.fields:
            result["slug"] = data.get("slug") or ""
        return result

    def show_conflict(self, current: Tool) -> None:
        """Keep the user's input, remember what is stored now, accept the next save."""
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data
        self.conflict = current


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(action, action) for action in TRANSITIONS])
    note = forms.CharField(max_length=2000, required=False)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the attachment"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(ATTACHMENT_KINDS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit may be changed by the settings: compute the help text per form, not at import.
        self.fields["file"].help_text = allowed_help_text(allowed=ATTACHMENT_KINDS)


class VideoForm(forms.Form):
    video_file = forms.FileField(
        label=_("Video file"),
        help_text=_("MP4 or WebM, at most 200 MB. Please add subtitles or a transcript to the text."),
        widget=forms.ClearableFileInput(attrs={"accept": ".mp4,.m4v,.webm,video/mp4,video/webm"}),
    )


class TopicFieldForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
