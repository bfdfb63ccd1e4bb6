"""Forms of the events app: they parse and check input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from daks.core.uploads import SLIDE_KINDS, validate_document
from daks.network.models import MunicipalityGroup
from daks.toolbox.models import Tool, ToolStatus

from .models import Event, EventKind
from .services import EVENT_FIELDS

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
SLIDE_EXTENSIONS = ("pdf", "pptx", "odp")
MAX_SLIDES_BYTES = 30 * 1024 * 1024


def _datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class RegistrationForm(forms.Form):
    """The public registration; ``homepage`` is a honeypot that people leave empty (hidden by CSS)."""

    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the confirmation and your personal link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation or municipality (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name, e-mail address and organisation are stored and used to organise this event. "
            "I can cancel my registration at any time."
        ),
        error_messages={"required": _("Please agree to the processing of your data.")},
    )
    homepage = forms.CharField(
        label=_("Please leave empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), ""))


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        required=False,
        help_text=_("Part of the web address (/veranstaltungen/…/). Empty: made from the title."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Only confirmed participants see it: in their confirmation e-mail and on their personal page."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Empty: no limit. When all places are taken, new registrations go to the waiting list."),
    )
    registration_deadline = _datetime_field(
        _("Registration deadline"), required=False, help_text=_("Empty: registration until the start.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        help_text=_("Markdown: headings, lists, bold, links."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    contact = forms.CharField(
        label=_("Organiser contact"),
        required=False,
        max_length=1000,
        help_text=_("Shown on the event page, e.g. the name and e-mail address of the organising office."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    group = forms.ModelChoiceField(
        label=_("Group of municipalities"),
        queryset=MunicipalityGroup.objects.none(),
        required=False,
        empty_label=_("– none –"),
        help_text=_(
            "For a regional workshop meeting of a group (e.g. a regional cluster): the meeting is then listed on "
            "the group's page."
        ),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = MunicipalityGroup.objects.order_by("name")

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {"version": event.version, "slug": event.slug, **{f: getattr(event, f) for f in EVENT_FIELDS}}

    def service_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in EVENT_FIELDS}
        data["slug"] = self.cleaned_data["slug"]
        for field in ("place", "online_url", "description", "contact"):
            data[field] = data[field] or ""
        return data


class ToolChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class MaterialForm(forms.Form):
    recording_url = forms.URLField(label=_("Recording (link)"), max_length=500, required=False, assume_scheme="https")
    slides_url = forms.URLField(label=_("Slides (link)"), max_length=500, required=False, assume_scheme="https")
    slides_file = forms.FileField(
        label=_("Slides (file)"),
        required=False,
        help_text=_("PDF, PowerPoint or OpenDocument presentation, at most 30 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.pptx,.odp"}),
    )
    remove_slides = forms.BooleanField(label=_("Remove the uploaded slides"), required=False)
    tools = ToolChoiceField(
        label=_("Tools of the toolbox"),
        queryset=Tool.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown as material on the event page after the event."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tools"].queryset = Tool.objects.filter(status=ToolStatus.PUBLISHED).order_by("title")

    def clean_slides_file(self):
        upload = self.cleaned_data.get("slides_file")
        if not upload:
            return None
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in SLIDE_EXTENSIONS:
            raise forms.ValidationError(_("Please upload a PDF, PowerPoint or OpenDocument presentation."))
        if upload.size > MAX_SLIDES_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 30 MB)."))
        # By content, not by name: an HTML page or a program named ".pdf" is refused (as are macros).
        return validate_document(upload, allowed=SLIDE_KINDS, max_bytes=MAX_SLIDES_BYTES).as_file()


class CancelEventForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the registered people (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
