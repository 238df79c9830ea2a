from django.utils.translation import gettext_lazy as _

from portfolio.generic import ObjectListView

from . import selectors
from .filters import AcquisitionFilterSet, LandBatchFilterSet
from .tables import AcquisitionTable, LandBatchTable


class LandBatchListView(ObjectListView):
    selector = staticmethod(selectors.land_batches_in_period)
    filterset_class = LandBatchFilterSet
    table_class = LandBatchTable
    record_type = "land-batch"
    title = _("用地报批批次")


class AcquisitionListView(ObjectListView):
    selector = staticmethod(selectors.acquisitions_in_period)
    filterset_class = AcquisitionFilterSet
    table_class = AcquisitionTable
    record_type = "acquisition"
    title = _("征地拆迁")
