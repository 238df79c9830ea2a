"""Checks on values that every app's models use (the ground floor: knows no app)."""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def refuse_future_dates(instance, *field_names):
    """A record of something that has happened cannot be dated after today (the local date):
    raises one Chinese message per such field."""
    today = timezone.localdate()
    errors = {}
    for name in field_names:
        value = getattr(instance, name)
        if value is not None and value > today:
            label = instance._meta.get_field(name).verbose_name
            errors[name] = _("%(label)s不能晚于今天（%(today)s）：记录的是已经发生的事。") % {
                "label": label, "today": today.isoformat()}
    if errors:
        raise ValidationError(errors)
