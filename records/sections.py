"""A record type's card on a project's record page (``/records/project/<pk>/``), built from its
registry entry: a title, the project's rows (one query), the cells of a row
(``templates/records/rows/<slug>.html``) and the 新增 / 修改 / 删除 links the generic section adds.
"""
from dataclasses import dataclass
from typing import Callable


class Delete:
    """Who sees a row's delete link."""

    EVERY_ROW = "every_row"
    LAST_FOR_ADMIN = "last_for_admin"   # 阶段变更: only the latest, only an administrator (撤销)


@dataclass
class Section:
    title: str
    rows: Callable
    """``rows(project)``: the project's records of this type, in the order shown (one query)."""
    html_id: str
    column: int = 0
    """0: the left column of the page, 1: the right one."""
    add_label: str = ""
    delete: str = Delete.EVERY_ROW
    delete_label: str = "删除"
    template: str = ""
    """A card body of its own instead of the generic table (节点计划: the timeline)."""

    def row_template(self, record_type):
        return f"records/rows/{record_type.slug}.html"


def project_sections(registry, *, project):
    """[(record type, section, rows)] of the registry for one project's page, by column."""
    columns = ([], [])
    for record_type in registry:
        section = record_type.section
        if section is None:
            continue
        rows = list(section.rows(project)) if not section.template else []
        columns[section.column].append({"type": record_type, "section": section, "rows": rows,
                                        "row_template": section.row_template(record_type)})
    return columns
