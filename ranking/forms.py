"""The exemption form of the 红黑榜 page: which row (an area or a unit of the month's ranking)
and why. Input parsing only; the rules are the model's and the service's."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Exemption


class ExemptionForm(forms.Form):
    subject = forms.ChoiceField(label=_("片区或责任单位"),
                                error_messages={"required": _("请选择片区或责任单位。"),
                                                "invalid_choice": _("所选片区或责任单位不在本月排名中。")})
    reason = forms.CharField(label=_("免于排名理由"), max_length=300,
                             help_text=Exemption._meta.get_field("reason").help_text,
                             error_messages={"required": _("请填写免于排名的理由。"),
                                             "max_length": _("理由不超过300字。")})

    def __init__(self, *args, subjects, **kwargs):
        """``subjects``: {"area:<id>" | "unit:<id>": (label, Area | Organisation)}."""
        super().__init__(*args, **kwargs)
        self.subjects = subjects
        self.fields["subject"].choices = [("", "——")] + [(key, label) for key, (label, _obj) in subjects.items()]

    def subject_kwargs(self):
        """``area=`` or ``organisation=`` for ``exemption_create``."""
        key = self.cleaned_data["subject"]
        obj = self.subjects[key][1]
        return {"area": obj} if key.startswith("area:") else {"organisation": obj}
