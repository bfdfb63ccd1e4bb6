from django import forms


def apply_domain_error(form: forms.Form, error) -> None:
    """Show a DomainError on its form field (or on the whole form when the field is not in the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
