"""What every app's forms share."""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model

from .validators import parse_id


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


class IdChoiceField(forms.ModelChoiceField):
    """A row chosen by its id: a posted value that is no id (``parse_id``: "²", 40 digits) is an
    invalid choice before the database sees it (past 64 bits SQLite overflows inside the lookup)."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, Model) and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by their ids, each checked as ``IdChoiceField`` checks one (past 32 bits
    PostgreSQL refuses an id of a 32-bit column in the ``__in`` lookup)."""

    def _check_values(self, value):
        for v in value:
            if not isinstance(v, Model) and parse_id(v) is None:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": str(v)[:20]})
        return super()._check_values(value)
