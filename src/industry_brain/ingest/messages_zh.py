"""Error messages in Chinese, for the analysts' report and the error list sent back to a
department: one template per catalogue code, with the same placeholders as the English one.
Details that the steps write in English (suggestions, reasons) are put into Chinese here."""

from __future__ import annotations

import re
from typing import Any

from industry_brain.ingest.errors import OPTIONAL

TEMPLATES = {
    "F101": "文件无法读取：{detail}",
    "F102": "CSV 文件既不是 UTF-8 也不是 GB18030/GBK 编码：{detail}",
    "F103": "工作表「{sheet}」前 {rows} 行中没有与「{title}」表头相符的行（应含 {expected}）",
    "F104": "缺少必填列「{title}」（{field}）{suggestion}",
    "F105": "文件没有年度列，请在导入时填写年度",
    "F106": "列「{column}」标注的单位「{unit}」不是{dimension}单位",
    "F107": "{rows} 行中拒收 {rejected} 行（{share:.1%}），超过上限 {limit:.0%}，整个文件未入库",
    "F108": "工作表有表头但没有数据行",
    "F109": "列 {columns} 都对应字段 {field}",
    "F110": (
        "列「{column}」没有注明单位，按{unit}读取数值不合理（中位数 {median}），"
        "更像是以{likely}填报：请在表头注明单位后重新提交"
    ),
    "F111": (
        "文件解压后为 {unpacked} MB（压缩比 {ratio} 倍），超过上限 {limit} MB，未读取："
        "请拆分文件或另存为 CSV 后重新提交"
    ),
    "F112": (
        "工作表「{sheet}」的范围为 {rows} 行 × {columns} 列，超过 {limit} 个单元格，未读取："
        "请删除远离数据区的零散单元格，或另存为 CSV 后重新提交"
    ),
    "R201": "统一社会信用代码为空",
    "R202": "「{value}」不是18位统一社会信用代码（{detail}）",
    "R203": "统一社会信用代码 {value} 的校验位是「{actual}」，应为「{expected}」",
    "R204": "「{value}」不是有效的行政区划代码或名称{suggestion}",
    "R205": "「{value}」不是 GB/T 4754-2017 行业代码{suggestion}",
    "R206": "「{field}」的值「{value}」不是数字",
    "R207": "「{field}」= {value}{in_unit}，{reason}",
    "R208": "「{field}」= {value}，疑似以{likely}而非{unit}填报（{reason}）",
    "R209": "与第 {first} 行重复（{key} 相同），本行未入库",
    "R210": "{key} 在第 {rows} 行重复出现且数值不同，均未入库",
    "R211": "必填项「{title}」为空",
    "R212": "「{field}」的值「{value}」不是日期",
    "R213": "「{field}」的值「{value}」不在允许范围内（{choices}）",
    "R214": "本行年度 {value} 与批次年度 {year} 不一致",
    "R215": "「{value}」不是规划 {plan} 的指标{suggestion}",
    "R216": "{value} 不在您的管辖范围 {region} 内（该企业所在地：{where}）",
    "R217": (
        "统一社会信用代码「{value}」被 Excel 存成了数字，只保留了前15位，后几位已丢失{suggestion}"
    ),
    "R218": "各月合计为 {sum}，与合计列的 {value} 不符",
    "R219": "「{other}」与「{title}」均为空，无法确定供应商",
    "R220": "购方「{value}」不是企业的统一社会信用代码（{detail}），只有企业的采购可以入库",
    "R221": (
        "「{field}」的值「{value}」不是有效的地名：请填写行政区划代码、省市县名称，或境外、进口"
    ),
    "R222": "{key} 第 {rows} 行的金额冲减后合计为 {net} 万元，不是一笔采购，均未入库",
    "W301": "「{value}」已规范化为 {normalised}",
    "W302": (
        "「{field}」本文件为「{value}」，{other_source}（批次 {batch}）为「{other}」；以{kept}为准"
    ),
    "W303": "园区「{value}」未在本工作区登记{suggestion}，已置空",
    "W304": "第 {label} 列「{column}」未能确定对应字段，未读入：相近字段 {candidates}",
    "W305": "「{title}」只填报了 {count} 个月（缺 {missing}），全年按已报月份合计",
    "W306": (
        "宗地 {value} 为租赁，但文件中既未写明出租方，也没有同一宗地编号的自有宗地："
        "出租方的用地可能被重复计算"
    ),
}

_PHRASES = [
    (re.compile(r"^ \(did you mean (.+)\?\)$"), r"（是否为 \1？）"),
    (re.compile(r"^is above the maximum (.+)$"), r"超过上限 \1"),
    (re.compile(r"^above the maximum (.+)$"), r"超过上限 \1"),
    (re.compile(r"^is below the minimum (.+)$"), r"低于下限 \1"),
    (re.compile(r"^is outside the plan period (\d+)–(\d+)$"), r"不在规划期 \1—\2 年内"),
    (
        re.compile(r"^(?:fails )?(.+?): (.+) = (\S+) not in \[(.+)\]$"),
        r"不符合「\1」：\2 = \3，不在 [\4] 内",
    ),
    (re.compile(r"^the register's$"), "登记信息"),
    (re.compile(r"^a resident ID card number \(a person\)$"), "居民身份证号，购方为个人"),
    (re.compile(r"^an old (\d+)-character 纳税人识别号$"), r"\1位旧版纳税人识别号"),
    (re.compile(r"^(\d+) characters$"), r"长度为 \1 位"),
    (re.compile(r"^invalid character: .*$"), "含有无效字符"),
    (re.compile(r"^wrong check digit: (\S) should be (\S)$"), r"校验位「\1」应为「\2」"),
    (re.compile(r"^register$"), "企业登记"),
    (re.compile(r"^not registered$"), "未登记"),
    (
        re.compile(r"^ \(the register has (\S+) under the same name: please confirm\)$"),
        r"（登记信息中同名企业的代码为 \1，请核对）",
    ),
]


def _unplaced(value: str) -> str:
    """'; headers not placed: 'X' (营业收入 0.76), 'Y' (no close field)' in Chinese."""
    text = value.removeprefix("; headers not placed: ")
    text = re.sub(r"'([^']*)' \(", r"「\1」（", text).replace("no close field", "无相近字段")
    return "；未能识别的列：" + text.replace("), ", "）、").removesuffix(")") + "）"


def _percent(text: str) -> str:
    """Confidences as percentages: '营业收入 0.57' → '营业收入 57%'."""
    return re.sub(r"(?<= )([01]\.\d\d)\b", lambda m: f"{float(m.group(1)):.0%}", text)


def _zh(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.startswith("; headers not placed: "):
        return _unplaced(value)
    for pattern, replacement in _PHRASES:
        if pattern.match(value):
            return pattern.sub(replacement, value)
    return value


NUMBERS = {"R207": ("value",), "R208": ("value",), "R218": ("value", "sum")}


def _number(text: Any) -> Any:
    """'25443122.0' → '25,443,122'; '0.123456' stays; a year ('2031') and text that is not a
    number stay."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return text
    if value == int(value) and 1900 <= value <= 2100:
        return f"{value:.0f}"
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 1000 else f"{value:,.10g}"


def message_zh(code: str, **details: Any) -> str:
    """The Chinese message of an error; the English details are translated where known."""
    shown = {k: _zh(v) for k, v in details.items()}
    for key in NUMBERS.get(code, ()):
        if key in shown:
            shown[key] = _number(shown[key])
    for key in ("candidates", "suggestion"):
        if isinstance(shown.get(key), str):
            shown[key] = _percent(shown[key]).replace(", ", "、")
    return TEMPLATES[code].format(**(OPTIONAL | shown))
