"""Forms of the Kommunen app: they only parse and check input; the services write."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from daks.core.uploads import validate_document

from .models import Membership, Municipality, MunicipalityKind, Role
from .regions import STATES_BY_COUNTRY, Country

LOGO_KINDS = ("png", "jpeg", "gif", "webp")


def state_choices():
    """States grouped by country; the group labels stay lazy so they follow the active language."""
    return [("", _("Please choose"))] + [
        (country.label, list(states.items())) for country, states in STATES_BY_COUNTRY.items()
    ]


def role_choices():
    return list(Role.choices)


IDENTITY_FIELDS = ("name", "kind", "country", "state", "official_key", "website", "description")


class MunicipalityForm(forms.Form):
    """Name, kind, region, official key and public details of a Kommune (registration and settings)."""

    name = forms.CharField(label=_("Name of the municipality"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Please choose")), *MunicipalityKind.choices])
    country = forms.ChoiceField(
        label=_("Country"),
        choices=Country.choices,
        initial=Country.GERMANY,
        help_text=_("German-speaking municipalities from Austria and Switzerland are welcome, too."),
    )
    state = forms.ChoiceField(label=_("Federal state / canton"), choices=state_choices)
    official_key = forms.CharField(
        label=_("Official key"),
        max_length=20,
        required=False,
        help_text=_(
            "Germany: Amtlicher Gemeindeschlüssel (AGS, 8 digits, districts 5 digits); Austria: "
            "Gemeindekennziffer (5 digits); Switzerland: BFS number. Optional for neighbourhoods, regions "
            "and associations."
        ),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "If your e-mail address belongs to the website's domain, the municipality is verified automatically."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    description = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )

    field_order = ["name", "kind", "country", "state", "official_key", "website", "description", "logo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["logo"].help_text = _("PNG, JPEG, GIF or WebP, at most %(size)s.") % {
            "size": filesizeformat(settings.DAKS_LOGO_MAX_BYTES)
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > settings.DAKS_LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is too large (%(size)s). At most %(max)s are allowed."),
                code="too_large",
                params={"size": filesizeformat(logo.size), "max": filesizeformat(settings.DAKS_LOGO_MAX_BYTES)},
            )
        if not logo:
            return logo
        # Checked by content and re-encoded: EXIF data and anything appended to the image are dropped.
        checked = validate_document(logo, allowed=LOGO_KINDS, max_bytes=settings.DAKS_LOGO_MAX_BYTES)
        return checked.as_file()

    def identity_fields(self):
        return [self[name] for name in IDENTITY_FIELDS]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {field: data[field] for field in IDENTITY_FIELDS}
        if data.get("logo"):
            kwargs["logo"] = data["logo"]
        return kwargs


def _display(municipality: Municipality, field: str) -> str:
    if field in ("kind", "country", "state"):
        return str(getattr(municipality, f"get_{field}_display")())
    return getattr(municipality, field) or "–"


class MunicipalitySettingsForm(MunicipalityForm):
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    require_mfa_for_coordination = forms.BooleanField(
        label=_("Require two-factor authentication for the coordination"),
        required=False,
        help_text=_(
            "Members with the coordination role can then open the workspace only with an authenticator app "
            "(two-factor authentication). Set it up for your own account first."
        ),
    )
    # The version the editor started from; a concurrent save by somebody else is detected with it.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, municipality: Municipality) -> dict:
        return {
            "version": municipality.version,
            "require_mfa_for_coordination": municipality.require_mfa_for_coordination,
            **{field: getattr(municipality, field) for field in IDENTITY_FIELDS},
        }

    def show_conflict(self, current: Municipality) -> None:
        """After an edit conflict: keep the user's input, show what is stored now, accept the next save."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflicts = [
            (self[field].label, _display(current, field))
            for field in IDENTITY_FIELDS
            if str(self.cleaned_data.get(field) or "") != str(getattr(current, field) or "")
        ]

    def service_kwargs(self) -> dict:
        kwargs = super().service_kwargs()
        if not kwargs.get("logo") and self.cleaned_data.get("remove_logo"):
            kwargs["logo"] = ""
        kwargs["require_mfa_for_coordination"] = self.cleaned_data.get("require_mfa_for_coordination", False)
        return kwargs


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordination (optional)"),
        required=False,
        max_length=1000,
        help_text=_("For example your department or why you would like to join."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,  # the column's length (the form field alone would accept 320)
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=role_choices,
        initial=Role.CONTRIBUTOR,
        help_text=_("The roles are explained below."),
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Appears in the invitation e-mail as plain text."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.name or obj.user.email} ({obj.get_role_display()})"


class HandOverForm(forms.Form):
    member = MemberChoiceField(
        label=_("New coordinator"),
        queryset=Membership.objects.none(),
        empty_label=_("Please choose"),
    )

    def __init__(self, *args, municipality: Municipality, exclude_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            municipality.memberships.exclude(user=exclude_user).select_related("user").order_by("user__name")
        )


class DeletionRequestForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Name of the municipality"),
        max_length=200,
        help_text=_("Type the exact name to confirm."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("For your security we check your password once more."),
    )
