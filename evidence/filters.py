"""FilterSet of the 本月无形象进度照片 list."""
from portfolio.filters import PeriodFilterSet
from projects.filters import area_filter


class MissingPhotoFilterSet(PeriodFilterSet):
    area = area_filter()
