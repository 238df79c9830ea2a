"""Funding and savings record pages: configuration of the generic ``portfolio.editing`` views."""
from portfolio.editing import RecordType

from . import record_services
from .models import Funding, Saving

FUNDING = RecordType(
    slug="funding", model=Funding, fields=["project", "source", "amount", "received_on", "note"],
    validate=record_services.amount_validate,
)
SAVING = RecordType(
    slug="saving", model=Saving, fields=["project", "kind", "amount", "recorded_on", "description"],
    validate=record_services.amount_validate,
)

RECORD_TYPES = [FUNDING, SAVING]
