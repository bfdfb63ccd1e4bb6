from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Please write a comment."),
            "max_length": _("A comment can be at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, anchor: str = "comment", **kwargs):
        super().__init__(*args, auto_id=f"{anchor}-%s", **kwargs)
        self.anchor = anchor
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        """Link the textarea to the list of handles and (if any) to its error message."""
        attrs = self.fields["body"].widget.attrs
        described = [f"{self.anchor}-handles"]
        if self.is_bound and hasattr(self, "_errors") and self._errors and "body" in self._errors:
            described.insert(0, f"{self.anchor}-body_error")
            attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = " ".join(described)
