"""Writing the 红黑榜's exemptions (the rankings themselves are computed, never stored).

Administrators only (``projects.permissions``); each write in a transaction with ``full_clean``,
so a missing reason or a second exemption of the same row and month is refused with the model's
Chinese message and nothing is saved.
"""
from django.db import transaction
from django.utils import timezone

from projects.services import require_admin

from .models import Exemption


def exemption_create(*, user, year, month, reason, area=None, organisation=None):
    """Take an area or a responsible unit out of the month's ranking, with the reason."""
    require_admin(user)
    exemption = Exemption(year=year, month=month, area=area, organisation=organisation,
                          reason=(reason or "").strip(), by=user, at=timezone.now())
    with transaction.atomic():
        exemption.full_clean()
        exemption.save()
    return exemption


def exemption_delete(*, user, exemption):
    """Put the row back into the month's ranking."""
    require_admin(user)
    with transaction.atomic():
        exemption.delete()
