"""Forms of the actors register: they only parse and check input; the services write."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .actor_selectors import DEFAULT_SORT
from .models import SCORE_CHOICES, Actor, ActorKind, Sector

FORM_FIELDS = (
    "kind",
    "name",
    "organisation",
    "sector",
    "role_in_process",
    "influence",
    "interest",
    "contact_consent",
    "email",
    "phone",
    "notes",
)


class ActorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActorKind.choices, initial=ActorKind.ORGANISATION)
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        help_text=_("For persons only: the organisation they belong to."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.OTHER)
    role_in_process = forms.CharField(
        label=_("Role in the process"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1 = low, 5 = high)"), choices=SCORE_CHOICES, coerce=int, initial=3
    )
    interest = forms.TypedChoiceField(
        label=_("Interest (1 = low, 5 = high)"), choices=SCORE_CHOICES, coerce=int, initial=3
    )
    contact_consent = forms.BooleanField(
        label=_("The actor has consented to the storage of their contact data"),
        required=False,
        help_text=_("E-mail address and phone number may only be stored with consent. The date is recorded."),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    # The version the editor started from; a concurrent save by somebody else is detected with it.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts: list[tuple[str, str]] = []

    @classmethod
    def initial_for(cls, actor: Actor) -> dict:
        return {"version": actor.version, **{field: getattr(actor, field) for field in FORM_FIELDS}}

    def service_kwargs(self) -> dict:
        return {field: self.cleaned_data[field] for field in FORM_FIELDS}

    def show_conflict(self, current: Actor) -> None:
        """After an edit conflict: keep the user's input, show what is stored now, accept the next save."""
        data = self.data.copy()
        data["version"] = current.version
        self.data = data
        self.conflicts = []
        for field in FORM_FIELDS:
            mine, theirs = self.cleaned_data.get(field), getattr(current, field)
            if (mine or "") != (theirs or ""):
                self.conflicts.append((self[field].label, display_value(current, field)))


def display_value(actor: Actor, field: str) -> str:
    if field in ("kind", "sector"):
        return str(getattr(actor, f"get_{field}_display")())
    if field == "contact_consent":
        if not actor.contact_consent:
            return str(_("no"))
        return str(_("yes, on %(date)s")) % {
            "date": date_format(actor.consent_date, "SHORT_DATE_FORMAT") if actor.consent_date else "–"
        }
    return str(getattr(actor, field) or "–")


class ActorFilterForm(forms.Form):
    """Filters and sorting of the list (GET parameters); invalid values are ignored."""

    SORT_CHOICES = [
        ("name", _("Name")),
        ("sektor", _("Sector")),
        ("einfluss", _("Influence (highest first)")),
        ("interesse", _("Interest (highest first)")),
        ("prioritaet", _("Influence and interest (highest first)")),
    ]

    suche = forms.CharField(label=_("Search"), required=False, max_length=100)
    sektor = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All")), *Sector.choices])
    art = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ActorKind.choices])
    sortierung = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data.get("suche") or "",
            "sector": data.get("sektor") or "",
            "kind": data.get("art") or "",
            "sort": data.get("sortierung") or DEFAULT_SORT,
        }


class ActorImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX, at most 2 MB)"),
        help_text=_(
            "First row with the headers name;art;organisation;sektor;rolle;einfluss;interesse;email;telefon;"
            "einwilligung. CSV separated by semicolons, UTF-8."
        ),
    )
