"""FilterSet of the 本月无形象进度照片 list."""
import django_filters
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet
from projects.models import Area


class MissingPhotoFilterSet(PeriodFilterSet):
    area = django_filters.ModelChoiceFilter(label=_("片区"), field_name="project__area", queryset=Area.objects.all())
