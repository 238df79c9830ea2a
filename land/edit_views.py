"""Land record pages: configuration of the generic ``portfolio.editing`` views."""
from portfolio.editing import RecordType

from . import services
from .models import Acquisition, LandBatch

LAND_BATCH = RecordType(
    slug="land-batch", model=LandBatch,
    fields=["year", "number", "name", "submitted_on", "approved_on", "area_mu", "projects"],
    validate=services.land_batch_validate, initial_from_get=["year"],
)
ACQUISITION = RecordType(
    slug="acquisition", model=Acquisition,
    fields=["project", "year", "acquired_mu", "buildings_signed", "full_access_on", "note"],
    validate=services.acquisition_validate, initial_from_get=["project", "year"],
)

RECORD_TYPES = [LAND_BATCH, ACQUISITION]
