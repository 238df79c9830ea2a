"""Setting which projects are published as open data (administrators only)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Project
from projects.permissions import is_admin

from .models import Publication


@transaction.atomic
def publications_set(*, user, project_ids, publishable_ids):
    """Set the flag of each project in ``project_ids``: on for those in ``publishable_ids``, off for
    the others. Returns the number of projects whose flag changed."""
    if not is_admin(user):
        raise PermissionDenied(_("只有管理员可以设置开放数据发布。"))
    project_ids, publishable_ids = set(project_ids), set(publishable_ids)
    if not publishable_ids <= project_ids:
        raise ValidationError(_("所选项目不在本页列出的项目中，请刷新页面后重试。"))
    found = set(Project.objects.filter(pk__in=project_ids).values_list("pk", flat=True))
    if found != project_ids:
        raise ValidationError(_("部分项目已不存在，请刷新页面后重试。"))
    current = {p.project_id: p for p in Publication.objects.select_for_update().filter(project_id__in=project_ids)}
    changed = 0
    for project_id in sorted(project_ids):
        wanted = project_id in publishable_ids
        publication = current.get(project_id)
        if publication is None:
            if not wanted:
                continue
            publication = Publication(project_id=project_id)
        elif publication.publishable == wanted:
            continue
        publication.publishable = wanted
        publication.changed_by = user
        publication.full_clean()
        publication.save()
        changed += 1
    return changed
