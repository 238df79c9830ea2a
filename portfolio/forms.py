"""What every app's forms share."""
from django.core.exceptions import NON_FIELD_ERRORS


def add_service_errors(form, error, label=None):
    """Show a service's ValidationError beside the form's fields, the rest above the form. With
    ``label`` (field name → its name for people), an error of a field the form does not show is
    prefixed with that name."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif label is None or name == NON_FIELD_ERRORS:
            form.add_error(None, errors)
        else:
            form.add_error(None, [f"{label(name)}：{m}" for e in errors for m in e.messages])
