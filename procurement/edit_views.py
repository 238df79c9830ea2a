"""Tender and permit record pages: configuration of the generic ``portfolio.editing`` views."""
from portfolio.editing import RecordType

from . import services
from .models import Permit, Tender

TENDER = RecordType(
    slug="tender", model=Tender,
    fields=["project", "kind", "title", "published_on", "bid_opened_on", "winner", "amount"],
    validate=services.tender_validate,
)
PERMIT = RecordType(slug="permit", model=Permit, fields=["project", "kind", "number", "issued_on"])

RECORD_TYPES = [TENDER, PERMIT]
