from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupExtraForm(forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown to the other members of your teams."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        language = getattr(request, "LANGUAGE_CODE", "") or ""
        update_fields = ["name"]
        if language in dict(settings.LANGUAGES):
            user.language = language
            update_fields.append("language")
        user.save(update_fields=update_fields)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]
        labels = {"name": _("Your name"), "language": _("Language")}
        help_texts = {
            "name": _("Shown to the other members of your teams."),
            "language": _("Language of the pages and of the e-mails DAKS sends you."),
        }
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("For your security we check your password once more."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and the data listed above will be deleted irrevocably at the end of "
            "the grace period unless I cancel the deletion."
        ),
        required=True,
        error_messages={"required": _("Please confirm that you want to delete your account.")},
    )
