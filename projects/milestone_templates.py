"""Standard node plans (节点计划模板) by project kind.

A constant rather than a model: the nodes are the center's standing practice for each kind of
project, they change perhaps once a year and then together with the code that reads them (the
report, the overdue list), and a change should be reviewed like code. A table would need its own
admin screens and data migrations for the same six rows per kind. Turn this into a model only when
users need to edit templates themselves.

Each node is (name, share): its planned date is ``start + share × (finish − start)`` where
``start`` is when the plan is applied from (usually the start of design review) and ``finish``
the planned completion (交工/竣工验收).
"""
from django.utils.translation import gettext_lazy as _

from .models import ProjectKind

MILESTONE_TEMPLATES = {
    ProjectKind.ROAD: [
        (_("施工图审查"), 0.05), (_("招标"), 0.15), (_("开工"), 0.25),
        (_("路基"), 0.55), (_("路面"), 0.85), (_("交工验收"), 1.0),
    ],
    ProjectKind.SCHOOL: [
        (_("施工图审查"), 0.05), (_("招标"), 0.12), (_("开工"), 0.2),
        (_("主体封顶"), 0.6), (_("装饰装修"), 0.85), (_("竣工验收"), 1.0),
    ],
    ProjectKind.BUILDING: [
        (_("施工图审查"), 0.05), (_("招标"), 0.12), (_("开工"), 0.2),
        (_("主体封顶"), 0.6), (_("装饰装修"), 0.85), (_("竣工验收"), 1.0),
    ],
    ProjectKind.PARK: [
        (_("施工图审查"), 0.05), (_("招标"), 0.15), (_("开工"), 0.25),
        (_("地形整理"), 0.45), (_("绿化种植"), 0.8), (_("竣工验收"), 1.0),
    ],
    ProjectKind.UTILITY: [
        (_("施工图审查"), 0.05), (_("招标"), 0.15), (_("开工"), 0.25),
        (_("管线敷设"), 0.7), (_("试运行"), 0.9), (_("竣工验收"), 1.0),
    ],
    ProjectKind.OTHER: [
        (_("施工图审查"), 0.05), (_("招标"), 0.15), (_("开工"), 0.25), (_("竣工验收"), 1.0),
    ],
}
