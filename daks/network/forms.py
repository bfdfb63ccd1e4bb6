"""Forms of the network: the portrait (Koordination), the public contact form, groups (editorial office)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from daks.core.uploads import accept_attribute, allowed_help_text, validate_document
from daks.municipalities.models import Municipality
from daks.toolbox.models import TopicField

from .models import GroupKind

IMAGE_KINDS = ("png", "jpeg", "webp")
IMAGE_MAX_BYTES = 5 * 1024 * 1024


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class PortraitForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    is_public = forms.BooleanField(
        label=_("Show our portrait publicly in the network"),
        required=False,
        help_text=_("The portrait then appears in the directory and on the map of the network."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who you are and what you are working on. Markdown: headings, lists, bold, links."),
    )
    image = forms.FileField(
        label=_("Photo or logo"),
        required=False,
        help_text=allowed_help_text(allowed=IMAGE_KINDS, max_bytes=IMAGE_MAX_BYTES)
        + " "
        + _("Location and camera data (EXIF) are removed."),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(IMAGE_KINDS)}),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    image_alt = forms.CharField(
        label=_("Description of the image"),
        required=False,
        max_length=300,
        help_text=_("For people who cannot see the image, e.g. “Marktplatz mit Rathaus”."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topic fields"),
        queryset=TopicField.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The topics your municipality works on; others find you by them."),
    )
    share_stage = forms.BooleanField(
        label=_("Share our process stage with the network office"),
        required=False,
        help_text=_(
            "The network office and the pages of groups we belong to then show which step of the strategy "
            "process we are at."
        ),
    )
    contacts = PersonChoiceField(
        label=_("Contact persons"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only members who agreed themselves are listed. Their names are shown; messages from the contact "
            "form reach them by e-mail, their addresses are never shown."
        ),
    )

    def __init__(self, *args, consenting=None, has_image: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = consenting
        if not has_image:
            del self.fields["remove_image"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return validate_document(upload, allowed=IMAGE_KINDS, max_bytes=IMAGE_MAX_BYTES)


class ContactForm(forms.Form):
    """A visitor's message to a Kommune; ``homepage`` is a honeypot people leave empty (hidden in the template)."""

    name = forms.CharField(label=_("Your name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The contact persons answer you at this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        min_length=10,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": 3000}),
        help_text=_("At most 3000 characters."),
    )
    homepage = forms.CharField(
        label=_("Please leave empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    privacy = forms.BooleanField(
        label=_(
            "I agree that my name, address and message are passed on by e-mail to the contact persons of this "
            "municipality. DAKS does not store the message."
        ),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if message.lower().count("http") > 3:
            raise ValidationError(_("Please send at most three links."))
        return message


class GroupForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: headings, lists, bold, links."),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
