"""Tables people open: CSV with a UTF-8 byte-order mark (Excel on Chinese Windows reads it as
UTF-8, not GBK), and the same tables as sheets of one ``tables.xlsx`` workbook.  In Chinese
(``lang="zh"``) the column headers are Chinese; the values (ids, units, numbers) are unchanged."""
from __future__ import annotations

import io
from typing import Mapping

import pandas as pd

from .files import atomic_write

__all__ = ["HEADERS_ZH", "SHEETS_ZH", "headers", "write_tables"]

HEADERS_ZH = {
    "indicator": "指标", "units": "单位", "year": "年份", "q05": "5%分位", "q25": "25%分位", "q50": "中位数",
    "q75": "75%分位", "q95": "95%分位", "mean": "均值", "target_id": "目标编号", "comparator": "比较方式",
    "value": "目标值", "unit": "目标单位", "base_year": "基年", "measure": "统计口径", "source": "来源",
    "clause": "条款", "probability": "达成概率", "median": "中位数", "p05": "5%分位", "p95": "95%分位",
    "first_year_median": "中位运行首次达到年份", "model_target": "模型单位目标值", "status": "状态",
    "set_by_policy": "由政策设定的原因", "scenario": "情景", "outlook": "判断", "plan": "规划",
    "name": "名称", "lever": "杠杆", "factor": "因素", "output": "输出", "method": "方法",
    # the variance split of each target's outcome (analysis/uncertainty.py)
    "variance": "方差", "share_parameters": "参数所占方差份额", "share_residual": "其余（模型误差等）方差份额",
    "share_scenario": "情景所占方差份额", "deciding_parameter": "决定性参数",
    "deciding_rank_corr2": "决定性参数秩相关平方",
    "deciding_is_assumption": "决定性参数是否为假设",
}
SHEETS_ZH = {"summary": "指标汇总", "attainment": "目标达成", "comparison": "情景比较", "indices": "敏感性指数"}


def _header_zh(column: str) -> str:
    if column in HEADERS_ZH:
        return HEADERS_ZH[column]
    for prefix, zh in (("p[", "达成概率["), ("median[", "中位数["), ("dp[", "概率差[")):
        if column.startswith(prefix):
            return zh + column[len(prefix):]
    return column


def headers(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``df`` with its column headers in the language (English headers are the field names)."""
    return df.rename(columns=_header_zh) if lang == "zh" else df


def write_tables(folder, tables: Mapping[str, pd.DataFrame], lang: str = "en", workbook: str = "tables.xlsx"):
    """Write each table as ``<name>.csv`` (UTF-8 with BOM) and all of them as sheets of ``workbook``."""
    shown = {name: headers(df, lang) for name, df in tables.items()}
    for name, df in shown.items():
        text = df.to_csv(index=False)
        atomic_write(folder.path(f"{name}.csv"), lambda fh, t=text: fh.write(t.encode("utf-8-sig")))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in shown.items():
            sheet = SHEETS_ZH.get(name, name) if lang == "zh" else name
            df.to_excel(xl, sheet_name=sheet[:31], index=False)
            ws = xl.sheets[sheet[:31]]
            ws.freeze_panes = "A2"
            for col in ws.columns:  # wide enough to read the header
                ws.column_dimensions[col[0].column_letter].width = max(10, min(40, len(str(col[0].value)) * 2))
    atomic_write(folder.path(workbook), lambda fh: fh.write(buf.getvalue()))
