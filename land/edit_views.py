"""Land record pages: configuration of the generic ``portfolio.editing`` views."""
from portfolio.editing import RecordForm, RecordType
from projects.permissions import editable_projects

from . import services
from .models import Acquisition, AcquisitionProgress, LandBatch

LAND_BATCH = RecordType(
    slug="land-batch", model=LandBatch,
    fields=["year", "number", "name", "submitted_on", "approved_on", "area_mu", "projects"],
    validate=services.land_batch_validate, initial_from_get=["year"],
)
ACQUISITION = RecordType(
    slug="acquisition", model=Acquisition,
    fields=["project", "year", "acquired_mu", "buildings_signed", "full_access_on", "note"],
    validate=services.acquisition_validate, initial_from_get=["project", "year"],
    create=services.acquisition_save, update=services.acquisition_save,
)


class AcquisitionProgressForm(RecordForm):
    """Offers only the acquisition tasks of the user's own projects."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["acquisition"].queryset = (
            Acquisition.objects.filter(project__in=editable_projects(user))
            .select_related("project").order_by("-year", "project__code"))


ACQUISITION_PROGRESS = RecordType(
    slug="acquisition-progress", model=AcquisitionProgress,
    fields=["acquisition", "recorded_on", "acquired_mu", "buildings_signed", "note"],
    validate=services.acquisition_progress_validate, initial_from_get=["acquisition"],
    create=services.acquisition_progress_save, update=services.acquisition_progress_save,
    delete=services.acquisition_progress_delete, form_class=AcquisitionProgressForm,
)

RECORD_TYPES = [LAND_BATCH, ACQUISITION, ACQUISITION_PROGRESS]
