"""Forms of news and newsletter (plain forms; the services check the rules)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from daks.core.uploads import accept_attribute, allowed_help_text, validate_document

from .models import NewsItem, NewsKind

IMAGE_KINDS = ("png", "jpeg", "webp")
IMAGE_MAX_BYTES = 5 * 1024 * 1024
#: A publication's document: the kinds (and the size limit, DAKS_DOCUMENT_MAX_BYTES) of toolbox attachments.
DOCUMENT_KINDS = ("pdf", "odt", "docx")
MARKDOWN_HELP = _("Markdown: ## heading, **bold**, *italic*, - list, [link text](https://…).")


class NewsForm(forms.Form):
    """A news item: written by the editorial office or submitted by a Kommune."""

    title = forms.CharField(label=_("Title"), max_length=200)
    teaser = forms.CharField(
        label=_("Teaser"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 400}),
        help_text=_("One or two sentences; shown in the list, the feeds and link previews."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=NewsKind.choices, initial=NewsKind.NEWS)
    image = forms.FileField(label=_("Image (optional)"), required=False)
    image_alt = forms.CharField(
        label=_("Image description"),
        max_length=250,
        required=False,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    document = forms.FileField(label=_("Document of the publication (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = accept_attribute(IMAGE_KINDS)
        self.fields["image"].help_text = allowed_help_text(allowed=IMAGE_KINDS, max_bytes=IMAGE_MAX_BYTES)
        self.fields["document"].widget.attrs["accept"] = accept_attribute(DOCUMENT_KINDS)
        self.fields["document"].help_text = "{} {}".format(
            _("Only for the kind “Publication”: offered for download."), allowed_help_text(allowed=DOCUMENT_KINDS)
        )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        try:
            return validate_document(upload, allowed=IMAGE_KINDS, max_bytes=IMAGE_MAX_BYTES)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        try:
            return validate_document(upload, allowed=DOCUMENT_KINDS)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "teaser": data["teaser"],
            "body": data["body"],
            "kind": data["kind"],
            "image": data.get("image"),
            "image_alt": data["image_alt"],
            "document": data.get("document"),
        }


class EditorialNewsForm(NewsForm):
    publish = forms.BooleanField(label=_("Publish at once"), required=False)


class NewsEditForm(NewsForm):
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    remove_document = forms.BooleanField(label=_("Remove the current document"), required=False)
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, item: NewsItem) -> dict:
        fields = ("title", "teaser", "body", "kind", "image_alt")
        return {"version": item.version, **{name: getattr(item, name) for name in fields}}

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "remove_image": self.cleaned_data["remove_image"],
            "remove_document": self.cleaned_data["remove_document"],
        }

    def show_conflict(self, current) -> None:
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflict = current


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the municipality"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the news item is not published; the submitter receives it by e-mail."),
    )


class SubscribeForm(forms.Form):
    """The newsletter subscription; ``homepage`` is a honeypot that people leave empty (hidden in the template)."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    consent = forms.BooleanField(
        label=_("Yes, I would like to receive the DAKS newsletter by e-mail. I can unsubscribe at any time."),
        error_messages={"required": _("Please agree to receive the newsletter.")},
    )
    homepage = forms.CharField(
        label=_("Please leave empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage"), ""))


class NewsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        date = obj.published_at.strftime("%d.%m.%Y") if obj.published_at else ""
        return f"{obj.title} ({date})"


class IssueForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=50000, widget=forms.Textarea(attrs={"rows": 16}), help_text=MARKDOWN_HELP
    )
    news_items = NewsChoiceField(
        label=_("Recent news to list (optional)"),
        queryset=NewsItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, news_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if news_choices is not None:
            self.fields["news_items"].queryset = news_choices

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"subject": data["subject"], "body": data["body"], "news_items": list(data["news_items"])}

    def show_conflict(self, current) -> None:
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflict = current


class SendForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, send this issue to all confirmed subscribers now."),
        error_messages={"required": _("Please confirm that the issue is to be sent.")},
    )
