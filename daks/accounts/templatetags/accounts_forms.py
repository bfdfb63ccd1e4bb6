"""Form rendering helpers: widgets linked to their help text and error messages."""

from django import template

register = template.Library()


@register.simple_tag
def described_widget(field):
    """Render ``field``'s widget with ``aria-describedby`` pointing at its help text and errors.

    The ids match the snippet ``accounts/includes/field.html``: ``<auto_id>_helptext`` and ``<auto_id>_error``.
    """
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
