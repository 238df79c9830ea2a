from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .numbers import Period


class PeriodForm(forms.Form):
    """Year and month of a report period; bad values fall back to the default with an error."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12,
                               error_messages={"min_value": _("月份必须在1到12之间。"),
                                               "max_value": _("月份必须在1到12之间。")})

    def __init__(self, data=None, *, default=None):
        """``default``: the Period used without (valid) input, or a callable giving it — then it is
        only computed when needed (``latest_period`` scans the monthly rows)."""
        self._default = default
        super().__init__(data)

    @cached_property
    def default(self):
        return self._default() if callable(self._default) else self._default

    def period(self):
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["year"], self.cleaned_data["month"])
        return self.default
