"""Writing project records: the generic save/delete every record form uses, phase transitions,
category changes, node plans (milestone templates) and the monthly red-flag scores.

Every write runs in ``transaction.atomic()``, checks the user's rights through
``projects.permissions`` (a crafted POST for someone else's project raises PermissionDenied →
403), calls ``full_clean()`` and raises ``ValidationError`` with Chinese messages keyed by field.
Audit: every model has simple-history; ``HistoryRequestMiddleware`` records the user.
"""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from investment.models import PlanEntry

from .milestone_templates import MILESTONE_TEMPLATES
from .models import CategoryChange, Milestone, Phase, PhaseTransition, Project
from .permissions import editable_projects, is_admin


# --- rights ---------------------------------------------------------------------------------

def require_editable(user, projects):
    """PermissionDenied unless ``user`` may edit every one of ``projects`` (ids or objects)."""
    ids = {getattr(p, "pk", p) for p in projects if p is not None}
    if not ids:
        return
    allowed = set(editable_projects(user).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise PermissionDenied(_("您没有修改该项目的权限。"))


def require_admin(user):
    if not is_admin(user):
        raise PermissionDenied(_("只有管理员可以进行此操作。"))


def record_projects(instance, m2m=None):
    """The projects a record belongs to: its ``project`` or its ``projects`` (land batches)."""
    if m2m and "projects" in m2m:
        return list(m2m["projects"])
    if hasattr(instance, "project_id"):
        return [instance.project_id] if instance.project_id else []
    if instance.pk and hasattr(instance, "projects"):
        return list(instance.projects.values_list("pk", flat=True))
    return []


def _require_record_rights(user, instance, m2m=None):
    """The user must be able to edit the record's projects — before and after the change, so
    nobody moves a record out of (or into) a project that is not theirs. A record without a
    project (a center-level funding, say) is the administrators'."""
    projects = record_projects(instance, m2m)
    if instance.pk:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        projects += record_projects(stored)
    if not projects:
        require_admin(user)
    require_editable(user, projects)


# --- the generic write ----------------------------------------------------------------------

def record_save(*, user, instance, m2m=None, validate=None):
    """Create or update one record: rights, ``validate(instance, m2m)`` (checks across
    relations, raising ValidationError), ``full_clean()``, save, then many-to-many values."""
    with transaction.atomic():
        _require_record_rights(user, instance, m2m)
        if validate:
            validate(instance, m2m or {})
        instance.full_clean()
        if instance.pk is None:
            _refuse_duplicate(instance)
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
    return instance


def _refuse_duplicate(instance):
    """A new record equal in every field to one already kept is a double click, a second tab or the
    browser's resend, not a second payment or a second sum received: refused, so no figure counts
    it twice. A real second one says so in its note."""
    values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if not f.primary_key}
    same = type(instance)._default_manager.filter(**values).values_list("pk", flat=True).first()
    if same:
        raise ValidationError(_("已有完全相同的%(type)s记录（#%(pk)s），未重复保存；如确需再录一笔，请在备注或说明中注明。")
                              % {"type": instance._meta.verbose_name, "pk": same})


def record_delete(*, user, instance, validate=None):
    with transaction.atomic():
        _require_record_rights(user, instance)
        if validate:
            validate(instance)
        try:
            instance.delete()
        except ProtectedError as error:  # e.g. a tender its contract refers to: say so, not a 500
            names = "、".join(sorted({f"{o._meta.verbose_name}“{o}”" for o in error.protected_objects})[:5])
            raise ValidationError(_("该记录已被%(names)s引用，不能删除；请先删除或修改这些记录。") % {"names": names})


# --- phase transitions ----------------------------------------------------------------------

def _transitions(project, exclude=None):
    qs = PhaseTransition.objects.filter(project=project).order_by("occurred_on", "id")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs)


def _sync_phase(project):
    """Keep ``Project.phase`` = the ``to_phase`` of the latest transition (前期 when none)."""
    latest = PhaseTransition.objects.filter(project=project).order_by("-occurred_on", "-id").first()
    phase = latest.to_phase if latest else Phase.PRELIMINARY
    if project.phase != phase:
        project.phase = phase
        project.save(update_fields=["phase"])


def phase_transition_create(*, user, project, to_phase, occurred_on, reason=""):
    """Move a project to ``to_phase`` on ``occurred_on``. Phases move forward (前期 → 在建 → 完工
    → 交付); only an administrator may move one back, and must say why. The date may not be
    earlier than the previous transition."""
    reason = (reason or "").strip()
    with transaction.atomic():
        require_editable(user, [project])
        project = Project.objects.select_for_update().get(pk=project.pk)
        previous = _transitions(project)
        latest = previous[-1] if previous else None
        current = latest.to_phase if latest else project.phase
        errors = {}
        if latest and occurred_on and occurred_on < latest.occurred_on:
            errors["occurred_on"] = _("日期不能早于上一次阶段变更（%(date)s）。") % {"date": latest.occurred_on}
        if to_phase == current:
            errors["to_phase"] = _("项目当前已处于“%(phase)s”阶段。") % {"phase": Phase(current).label}
        elif Phase.rank(to_phase) < Phase.rank(current):
            if not is_admin(user):
                errors["to_phase"] = _("阶段只能向前推进；退回到“%(phase)s”须由管理员操作并说明原因。") % {
                    "phase": Phase(to_phase).label}
            elif not reason:
                errors["reason"] = _("退回阶段须填写原因。")
        if errors:
            raise ValidationError(errors)
        transition = PhaseTransition(project=project, from_phase=current, to_phase=to_phase,
                                     occurred_on=occurred_on, reason=reason)
        transition.full_clean()
        transition.save()
        _sync_phase(project)
    return transition


def phase_transition_update(*, user, instance, **_ignored):
    """Correct a transition's date or note; its phases stay (record a new transition instead).
    The date must stay between the neighbouring transitions."""
    with transaction.atomic():
        require_editable(user, [instance.project_id])
        others = _transitions(instance.project, exclude=instance)
        stored = PhaseTransition.objects.get(pk=instance.pk)
        if (instance.from_phase, instance.to_phase) != (stored.from_phase, stored.to_phase):
            raise ValidationError({"to_phase": _("阶段不能修改；如需调整请新增一条阶段变更。")})
        before = [t for t in others if (t.occurred_on, t.id) < (stored.occurred_on, stored.id)]
        after = [t for t in others if (t.occurred_on, t.id) > (stored.occurred_on, stored.id)]
        if before and instance.occurred_on < before[-1].occurred_on:
            raise ValidationError({"occurred_on": _("日期不能早于上一次阶段变更（%(date)s）。") % {
                "date": before[-1].occurred_on}})
        if after and instance.occurred_on > after[0].occurred_on:
            raise ValidationError({"occurred_on": _("日期不能晚于下一次阶段变更（%(date)s）。") % {
                "date": after[0].occurred_on}})
        instance.full_clean()
        instance.save()
    return instance


def phase_transition_delete(*, user, instance):
    """Undo the latest transition (an administrator's correction); the project's phase goes back."""
    with transaction.atomic():
        require_admin(user)
        latest = PhaseTransition.objects.filter(project=instance.project_id).order_by("-occurred_on", "-id").first()
        if latest is None or latest.pk != instance.pk:
            raise ValidationError(_("只能撤销该项目最近一次阶段变更。"))
        project = instance.project
        instance.delete()
        _sync_phase(project)


# --- category changes -----------------------------------------------------------------------

def category_before(*, project, year, on, exclude=None):
    """The project's plan category in ``year`` just before ``on``: the latest earlier change,
    else the category as planned. None when the project is not in that year's plan."""
    earlier = CategoryChange.objects.filter(project=project, year=year, changed_on__lte=on)
    if exclude is not None and exclude.pk:
        earlier = earlier.exclude(pk=exclude.pk)
    latest = earlier.order_by("-changed_on", "-id").first()
    if latest:
        return latest.to_category
    entry = PlanEntry.objects.filter(project=project, plan__year=year).first()
    return entry.category if entry else None


def category_change_validate(instance, m2m=None):
    """The change starts from the project's category at that date (filled in, not typed), the
    project must be in that year's plan, and a reason is required (the model requires it)."""
    if not (instance.project_id and instance.year and instance.changed_on):
        return
    current = category_before(project=instance.project_id, year=instance.year, on=instance.changed_on,
                              exclude=instance)
    if current is None:
        raise ValidationError({"year": _("该项目未列入%(year)s年度计划，不能调整类别。") % {"year": instance.year}})
    instance.from_category = current
    if instance.to_category == current:
        raise ValidationError({"to_category": _("项目当时已是该类别，无需调整。")})


# --- node plans -----------------------------------------------------------------------------

def milestone_validate(instance, m2m=None):
    if instance.done_on and instance.done_on > timezone.localdate():
        raise ValidationError({"done_on": _("实际完成日期不能晚于今天。")})


def milestones_apply_template(*, user, project, start, finish, kind=None):
    """Create the standard nodes of the project's kind (``MILESTONE_TEMPLATES``) in one step,
    their planned dates spread between ``start`` and ``finish`` by each node's share of the
    schedule. Nodes the project already has (same name) are left as they are."""
    kind = kind or project.kind
    template = MILESTONE_TEMPLATES.get(kind)
    with transaction.atomic():
        require_editable(user, [project])
        errors = {}
        if not template:
            errors["kind"] = _("该项目类型没有标准节点模板。")
        if start and finish and finish <= start:
            errors["finish"] = _("计划完工日期必须晚于起始日期。")
        if errors:
            raise ValidationError(errors)
        existing = set(Milestone.objects.filter(project=project).values_list("name", flat=True))
        last_order = max(Milestone.objects.filter(project=project).values_list("order", flat=True), default=0)
        span = (finish - start).days
        created = []
        for order, (name, share) in enumerate(template, start=last_order + 1):
            name = str(name)
            if name in existing:
                continue
            milestone = Milestone(project=project, name=name, order=order,
                                  planned_on=start + dt.timedelta(days=round(span * share)))
            milestone.full_clean()
            milestone.save()
            created.append(milestone)
    return created


# --- red-flag scores ------------------------------------------------------------------------

def score_validate(instance, m2m=None):
    """An area's score has no project; a project's score is filed under the project's area."""
    if instance.project_id:
        instance.area_id = Project.objects.filter(pk=instance.project_id).values_list("area_id", flat=True).first()


def score_save(*, user, instance, **_ignored):
    """Monthly 流动红旗 scores are given by administrators only."""
    with transaction.atomic():
        require_admin(user)
        score_validate(instance)
        if not instance.scored_by_id:
            instance.scored_by = user
        instance.full_clean()
        instance.save()
    return instance


def score_delete(*, user, instance):
    with transaction.atomic():
        require_admin(user)
        instance.delete()

