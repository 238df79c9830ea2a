"""The 红黑榜 in the 2020 demo: the rankings of every month (November and December shown in the
tour) are computed from the data set; only the exemptions are stored — here one, with its reason.
Called by ``manage.py load_demo``; safe to run again (keyed by month and unit)."""
import datetime as dt

from django.utils import timezone

from projects.models import Organisation

from .models import Exemption

EXEMPTIONS = [
    # (year, month, unit, reason, recorded on)
    (2020, 12, "望城区城市管理和综合执法局",
     "12月中下旬持续低温雨雪冰冻天气，绿化种植和沥青路面施工按规范暂停（不可抗力），经中心主任办公会研究同意本月免于排名。",
     dt.date(2021, 1, 5)),
]


def load():
    """Store the demo's exemptions (skipping a unit the data set does not have)."""
    units = Organisation.objects.in_bulk([name for _y, _m, name, _r, _d in EXEMPTIONS], field_name="name")
    for year, month, name, reason, recorded_on in EXEMPTIONS:
        if name not in units:
            continue
        at = timezone.make_aware(dt.datetime.combine(recorded_on, dt.time(9, 30)))
        Exemption.objects.update_or_create(year=year, month=month, organisation=units[name],
                                           defaults={"reason": reason, "at": at})
