"""Writing funding (争取上级资金) and savings (节约资金) records through the generic record
forms (``projects.services.record_save``). A record without a project is the center's own and
only administrators may keep it (the generic save enforces that)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def amount_validate(instance, m2m=None):
    if instance.amount is not None and instance.amount <= 0:
        raise ValidationError({"amount": _("金额必须大于0。")})
