"""Chinese names of the OC4IDS fields the package uses, for the validator's messages and pages.

``field_label("projects/3/contractingProcesses/0/summary/status")`` →
"合同过程第1项 · 摘要 · 状态（status）": the array positions of a project's inner lists are told as
"第N项", the project itself is named separately (``validation._project_label``).
"""

FIELDS = {
    "version": "标准版本", "uri": "数据包网址", "publishedDate": "发布时间", "publisher": "发布者",
    "projects": "项目", "id": "标识", "identifiers": "项目代码", "scheme": "代码体系",
    "title": "名称", "description": "说明", "status": "状态", "type": "项目类型", "sector": "行业",
    "purpose": "建设目的", "period": "计划工期", "startDate": "开始日期", "endDate": "结束日期",
    "durationInDays": "天数", "budget": "总投资", "amount": "金额", "currency": "币种",
    "approvalDate": "批准日期", "parties": "相关单位", "name": "名称", "roles": "角色",
    "publicAuthority": "业主单位", "locations": "地点", "address": "地址", "locality": "区县",
    "region": "省市", "countryName": "国家", "contractingProcesses": "合同过程", "summary": "摘要",
    "nature": "合同性质", "tender": "招标", "procurementMethod": "采购方式",
    "procurementMethodDetails": "采购方式说明", "datePublished": "公告日期",
    "procuringEntity": "招标人", "administrativeEntity": "合同管理单位", "suppliers": "中标/合同单位",
    "contractValue": "合同价", "contractPeriod": "合同期限", "finalValue": "最终金额",
    "modifications": "变更", "date": "日期", "rationale": "原因", "oldContractValue": "变更前合同价",
    "newContractValue": "变更后合同价", "oldContractPeriod": "变更前合同期限",
    "newContractPeriod": "变更后合同期限", "completion": "竣工", "endDateDetails": "竣工日期说明",
    "finalValueDetails": "最终金额说明", "finalScope": "竣工规模", "metrics": "进度指标",
    "observations": "观测值", "measure": "数值", "unit": "单位", "value": "金额", "notes": "备注",
    "externalReference": "外部编号", "updated": "更新时间", "language": "语言",
}

TYPES = {"string": "文字", "number": "数字", "integer": "整数", "array": "数组（列表）",
         "object": "对象", "boolean": "布尔值", "null": "空值"}


def type_label(name):
    return TYPES.get(name, name)


def field_label(path):
    """A JSON path inside the package → its Chinese name, the last key in brackets."""
    parts = [p for p in str(path).strip("/").split("/") if p != ""]
    if len(parts) >= 2 and parts[0] == "projects" and parts[1].isdecimal():
        parts = parts[2:]  # the project is named on its own
    if not parts:
        return "整个项目" if str(path).startswith("projects") else "数据包"
    words = []
    for part in parts:
        if part.isdecimal():
            if words:
                words[-1] += f"第{int(part) + 1}项"
            continue
        words.append(FIELDS.get(part, part))
    last = next((p for p in reversed(parts) if not p.isdecimal()), "")
    return f"{' · '.join(words)}（{last}）"
