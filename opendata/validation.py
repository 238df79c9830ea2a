"""Validating an OC4IDS package offline, with the errors told in Chinese.

The validator is libcoveoc4ids (pinned in pyproject.toml). Left alone it downloads the schema and
the codelists on every call and, when it cannot, silently skips the closed-codelist checks — so a
package with ``"status": "building"`` would pass on a machine without internet. Here it reads the
schema and codelists of the release it validates against, kept in ``opendata/schema/<version>/``
(see the README there): ``LocalSchema`` is libcoveoc4ids's schema class with every way it loads a
file pointed at that folder — the two schemas, the ``$ref`` between them (jsonref for the
codelist paths, jsonschema's registry for validation) and the codelist CSVs. No request is made;
``tests/test_opendata_validation.py`` forbids sockets while validating.

We call ``libcoveoc4ids.common_checks.common_checks_oc4ids`` — what
``libcoveoc4ids.api.oc4ids_json_output`` calls — because the API function builds its own schema
object and cannot be given ours.

What counts as an **error** (the package is not valid OC4IDS): a schema error, a value outside a
closed codelist, a project id without a registered-looking prefix (the conformance check). The
additional checks (empty fields, amounts without currency, organisation references that name no
party) are **warnings**: good practice, not validity.
"""
import csv
import functools
import json
import os
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

import jsonref
from libcove.lib.common import get_schema_codelist_paths
from libcoveoc4ids.common_checks import common_checks_oc4ids
from libcoveoc4ids.config import LibCoveOC4IDSConfig
from libcoveoc4ids.schema import SchemaOC4IDS

from .labels import field_label, type_label

SCHEMA_VERSION = "0.9.5"
SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / SCHEMA_VERSION
CODELIST_DIR = SCHEMA_DIR / "codelists"


class SchemaFileMissing(RuntimeError):
    """A schema file the validator asked for is not in the repository's copy."""


def _local_path(uri):
    """Any reference to a schema file (a URL of standard.open-contracting.org, a relative name, a
    path) → the file of that name in our copy."""
    path = SCHEMA_DIR / os.path.basename(urlparse(str(uri)).path)
    if not path.is_file():
        raise SchemaFileMissing(f"{path.name} 不在 {SCHEMA_DIR} 中")
    return path


def _load_local(uri, **kwargs):
    return json.loads(_local_path(uri).read_text(encoding="utf-8"), **kwargs)


@functools.lru_cache(maxsize=4)
def _dereferenced(schema_str):
    obj = jsonref.loads(schema_str, loader=_load_local)
    repr(obj)  # resolve every reference now, as libcove's own _deref_schema does
    return obj


@functools.lru_cache(maxsize=1)
def local_codelists():
    """{file name: {code: title}} for every codelist CSV of the release."""
    codelists = {}
    for path in sorted(CODELIST_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            codelists[path.name] = {row["Code"]: row.get("Title", "") for row in csv.DictReader(handle)}
    return codelists


class LocalSchema(SchemaOC4IDS):
    """libcoveoc4ids's schema, read from ``SCHEMA_DIR`` only."""

    def __init__(self):
        host = SCHEMA_DIR.as_posix() + "/"
        super().__init__(LibCoveOC4IDSConfig({
            "schema_version": SCHEMA_VERSION,
            "schema_version_choices": {SCHEMA_VERSION: (SCHEMA_VERSION, host)},
            # jsonschema's registry (libcove's CustomRefResolver) joins a $ref's file name to this
            # and opens it as a file when it does not start with "http".
            "schema_host": host,
            "schema_codelists": {"0.9": CODELIST_DIR.as_posix() + "/"},
        }))

    @cached_property
    def schema_str(self):
        return _local_path(self.schema_name).read_text(encoding="utf-8")

    @cached_property
    def pkg_schema_str(self):
        return _local_path(self.pkg_schema_name).read_text(encoding="utf-8")

    def deref_schema(self, schema_str):
        return _dereferenced(schema_str)

    def process_codelists(self):
        self.core_codelist_schema_paths = get_schema_codelist_paths(self, use_extensions=False)
        self.extended_codelist_schema_paths = get_schema_codelist_paths(self, use_extensions=True)
        self.core_codelists = deepcopy(local_codelists())
        self.extended_codelists = deepcopy(self.core_codelists)


@dataclass(frozen=True)
class Problem:
    """One finding, in Chinese: which project, which field, what is wrong."""

    project: str   # "项目 2020-430112-48-01-000123 金坪路" or "数据包"
    field: str     # "项目状态（status）"
    message: str   # the sentence
    path: str      # the JSON path, for whoever fixes the data
    error: bool = True

    def __str__(self):
        return f"{self.project}：{self.field} — {self.message}（位置 /{self.path}）"


@dataclass(frozen=True)
class ValidationResult:
    errors: tuple
    warnings: tuple
    raw: dict

    @property
    def valid(self):
        return not self.errors


def run_libcove(package):
    """The validator's own result (a dict), offline."""
    return common_checks_oc4ids({"file_type": "json"}, "", package, LocalSchema(), cache=False)


def validate_package(package):
    """Validate an OC4IDS project package (a dict) against the repository's schema and codelists."""
    if not isinstance(package, dict):
        return ValidationResult(errors=(Problem("数据包", "数据包", "数据包应为 JSON 对象（{…}），实际不是。", ""),),
                                warnings=(), raw={})
    try:
        raw = run_libcove(package)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError) as exc:
        # libcove's extra checks assume objects where the schema says objects; a package broken
        # that badly (e.g. numbers in the projects list) stops them before any list is made.
        return ValidationResult(errors=(Problem(
            "数据包", "数据包", f"结构严重不符合标准（例如项目列表中有非对象的项），校验器无法逐项检查：{type(exc).__name__}: {exc}",
            ""),), warnings=(), raw={})
    errors = []
    for key, locations in raw.get("validation_errors", []):
        details = json.loads(key)
        for location in locations:
            errors.append(_schema_problem(package, details, location))
    for info in raw.get("additional_closed_codelist_values", {}).values():
        errors.extend(_codelist_problems(package, info))
    warnings = []
    for check in raw.get("conformance_checks", []):
        if check.get("check_id") == "invalid-project-ids":
            for item in check.get("path_values", []):
                path = item["path"].lstrip("/")
                errors.append(Problem(
                    _project_label(package, path), field_label(path),
                    f"项目标识“{item['value']}”没有可识别的发布者前缀（应形如 oc4ids-xxxxxx-…，"
                    "xxxxxx 为登记的六位前缀）。", path))
    for check in raw.get("additional_checks", []):
        warnings.extend(_additional_problems(package, check))
    return ValidationResult(errors=tuple(errors), warnings=tuple(warnings), raw=raw)


# --- the messages in Chinese ------------------------------------------------------------------

def _project_label(package, path):
    parts = path.split("/")
    if len(parts) >= 2 and parts[0] == "projects" and parts[1].isdecimal():
        index = int(parts[1])
        projects = package.get("projects") if isinstance(package, dict) else None
        project = projects[index] if isinstance(projects, list) and index < len(projects) else None
        if isinstance(project, dict):
            code = next((i.get("id") for i in project.get("identifiers") or [] if isinstance(i, dict)), "")
            name = project.get("title") if isinstance(project.get("title"), str) else ""
            label = " ".join(str(x) for x in (code, name) if x) or str(project.get("id", ""))
            return f"第{index + 1}个项目（{label}）" if label else f"第{index + 1}个项目"
        return f"第{index + 1}个项目"
    return "数据包"


def _schema_problem(package, details, location):
    path = location.get("path", "")
    validator = details.get("validator")
    value = location.get("value")
    if validator == "required":
        missing = details.get("header") or ""
        full = f"{path}/{missing}" if path else missing
        return Problem(_project_label(package, full), field_label(full), "缺少此必填字段。", full)
    field = field_label(path)
    if validator == "type":
        expected = details.get("validator_value")
        expected = expected if isinstance(expected, list) else [expected]
        wanted = "或".join(type_label(t) for t in expected if t != "null")
        message = f"类型错误：应为{wanted}，实际是{_shown(value, location)}。"
    elif validator == "format":
        kind = details.get("message_type")
        message = {"date-time": "日期时间格式错误，应为 ISO 8601 格式，如 2020-03-01T00:00:00+08:00",
                   "uri": "不是有效的网址（URI）", "email": "不是有效的电子邮箱"}.get(kind, "格式错误")
        message += f"（实际是{_shown(value, location)}）。"
    elif validator == "enum":
        message = f"取值{_shown(value, location)}不在允许的取值范围内。"
    elif validator in ("minItems", "minProperties"):
        message = "不能为空，至少应有一项。"
    elif validator == "minLength":
        message = "不能为空字符串。"
    elif validator == "pattern":
        message = f"格式不符合要求（实际是{_shown(value, location)}）。"
    elif validator == "uniqueItems":
        message = "含有完全相同的重复项。"
    elif validator in ("minimum", "maximum"):
        message = f"数值超出允许范围（实际是{_shown(value, location)}）。"
    else:
        message = f"不符合标准的要求（{validator}）：{details.get('message', '')}"
    return Problem(_project_label(package, path), field, message, path)


def _shown(value, location):
    if "value" not in location:
        return "对象或数组"
    if isinstance(value, str):
        return f"文字“{value}”"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if value is None:
        return "空值 null"
    return str(value)


def _locate(data, keys, path=()):
    """(concrete path, value) for every value at the key path ``keys`` (list indexes skipped)."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _locate(item, keys, path + (str(index),))
        return
    if not keys:
        yield "/".join(path), data
        return
    if isinstance(data, dict) and keys[0] in data:
        yield from _locate(data[keys[0]], keys[1:], path + (keys[0],))


def _codelist_problems(package, info):
    keys = tuple(k for k in (info["path"].split("/") if info["path"] else [])) + (info["field"],)
    allowed = list(local_codelists().get(info["codelist"], {}))
    bad = set(info["values"])
    problems = []
    for path, value in _locate(package, keys):
        values = value if isinstance(value, list) else [value]
        for item in values:
            if str(item) in bad:
                problems.append(Problem(
                    _project_label(package, path), field_label(path),
                    f"取值“{item}”不在封闭代码表 {info['codelist']} 中，只能是：{'、'.join(allowed)}。", path))
    return problems


def _additional_problems(package, check):
    check_id = check.get("check_id")
    text = {
        "missing-values": "字段为空或只有空格：不用的字段应整个省略。",
        "missing-currency": "金额缺少币种（currency）。",
        "missing-org-refs": "引用的单位在 parties（相关单位）中找不到相同 id 的条目。",
    }.get(check_id, check.get("message", ""))
    return [Problem(_project_label(package, p), field_label(p), text, p, error=False)
            for p in (str(x).lstrip("/") for x in check.get("paths", []))]
