"""Offline validation of the OC4IDS package (opendata.validation): the repository's 0.9.5 schema
and codelists, no network (sockets raise while validating), 0 errors on the demo package, and a
broken package's errors told in Chinese — which project, which field, what is wrong."""
import datetime as dt
from copy import deepcopy

import pytest
from libcoveoc4ids.api import oc4ids_json_output

from opendata import demo as opendata_demo
from opendata.package import build_package
from opendata.validation import validate_package
from tests.opendata_support import NetworkUsed, no_network  # noqa: F401 (fixture)

_BUILT = {}


@pytest.fixture
def demo_package(demo_2020):
    """The 2020 demo package, built once per module."""
    if "package" not in _BUILT:
        opendata_demo.load()
        _BUILT["package"] = build_package(2020, published_at=dt.datetime(2021, 1, 5, tzinfo=dt.timezone.utc))
    return deepcopy(_BUILT["package"])


def test_the_guard_catches_the_validators_own_downloads(no_network):
    """Left to itself libcoveoc4ids fetches the schema from the internet: the guard stops it, so the
    tests below would notice a request."""
    with pytest.raises(NetworkUsed):
        oc4ids_json_output(json_data={"version": "0.9", "projects": [{"id": "x"}]})


def test_the_demo_package_has_no_error_and_no_warning_offline(demo_package, no_network):
    result = validate_package(demo_package)
    assert [str(e) for e in result.errors] == []
    assert [str(w) for w in result.warnings] == []
    assert result.raw["validation_errors_count"] == 0
    assert len(demo_package["projects"]) == 48


def test_a_broken_package_lists_each_error_in_chinese(demo_package, no_network):
    broken = demo_package
    first, second, third = broken["projects"][:3]
    del first["id"]
    second["status"] = "building"
    third["budget"]["amount"]["amount"] = "12万"
    result = validate_package(broken)
    messages = sorted(str(e) for e in result.errors)
    label = lambda i, p: f"第{i}个项目（{p['identifiers'][0]['id']} {p['title']}）"  # noqa: E731
    assert messages == sorted([
        f"{label(1, first)}：标识（id） — 缺少此必填字段。（位置 /projects/0/id）",
        f"{label(2, second)}：状态（status） — 取值“building”不在封闭代码表 projectStatus.csv 中，只能是："
        "identification、preparation、implementation、completion、maintenance、decommissioning、decommissioned、"
        "cancelled。（位置 /projects/1/status）",
        f"{label(3, third)}：总投资 · 金额 · 金额（amount） — 类型错误：应为数字，实际是文字“12万”。"
        "（位置 /projects/2/budget/amount/amount）",
    ])
    assert not result.valid


def test_package_level_errors_name_the_package(demo_package, no_network):
    broken = demo_package
    del broken["publisher"]
    broken["version"] = "zero"
    broken["projects"][0]["id"] = "2020-430112-48-01-000001"  # no publisher prefix
    messages = sorted(str(e) for e in validate_package(broken).errors)
    assert "数据包：发布者（publisher） — 缺少此必填字段。（位置 /publisher）" in messages
    assert "数据包：标准版本（version） — 格式不符合要求（实际是文字“zero”）。（位置 /version）" in messages
    assert any("项目标识“2020-430112-48-01-000001”没有可识别的发布者前缀" in m for m in messages)
    assert len(messages) == 3


def test_an_empty_field_and_a_missing_currency_are_warnings(demo_package, no_network):
    project = demo_package["projects"][0]
    project["title"] = " "
    del project["budget"]["amount"]["currency"]
    result = validate_package(demo_package)
    assert result.errors == ()
    warnings = sorted(str(w) for w in result.warnings)
    assert any("名称（title） — 字段为空或只有空格" in w for w in warnings)
    assert any("总投资 · 金额（amount） — 金额缺少币种（currency）。" in w for w in warnings)


@pytest.mark.parametrize("package, message", [
    ([], "数据包应为 JSON 对象（{…}），实际不是。"),
    ({"projects": [1, "a", None]}, "结构严重不符合标准（例如项目列表中有非对象的项），校验器无法逐项检查"),
    ({"projects": "x"}, "项目（projects） — 类型错误：应为数组（列表），实际是文字“x”。"),
])
def test_a_hostile_package_is_refused_in_chinese_not_with_a_crash(package, message, no_network):
    result = validate_package(package)
    assert not result.valid
    assert any(message in str(e) for e in result.errors), [str(e) for e in result.errors]
