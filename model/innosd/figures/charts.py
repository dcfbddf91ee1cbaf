"""Charts of ensemble results: fan charts, scenario comparisons, attainment heatmaps.

Every function returns a :class:`matplotlib.figure.Figure` drawn on the Agg canvas and writes
nothing (:func:`innosd.outputs.files.save_figure` saves one as PNG and SVG). Figures are built
with the object-oriented API (no pyplot state, no change of the global backend), so the module
works in scripts, servers and notebooks.

Language: ``lang="en"`` or ``"zh"``. Chinese figures use an installed CJK font found by
:func:`cjk_font`; without one a single ``UserWarning`` says how to install it (see
``docs/fonts.md``) and the Chinese text is kept (it renders as empty boxes).

This module reads results only: it imports numpy, pandas, xarray and matplotlib, never the
engine or the scenario code.
"""
from __future__ import annotations

import contextlib
import os
import re
import warnings

import matplotlib
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..inputs.targets import LEVEL_COMPARATORS
from .format import format_number

__all__ = ["display_units", "is_count", "is_share", "english_label", "measure_name", "plan_key", "plan_title",
           "PLAN_TITLES", "source_tag", "cjk_font", "fan_chart", "comparison_chart", "attainment_heatmap",
           "new_figure", "draw_in_parallel", "LEVEL_COMPARATORS"]

COMPARATOR_SYMBOL = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}

# --- units -------------------------------------------------------------------------------

# base unit -> (English label, Chinese label)
_UNIT_LABELS = {
    "firm": ("firms", "家"),
    "person": ("persons", "人"),
    "county": ("counties", "个"),
    "platform": ("platforms", "个"),
    "complex": ("complexes", "个"),
    "project": ("projects", "项"),
    "patent": ("patents", "件"),
    "hundred_million_CNY": ("100M CNY", "亿元"),
    "ten_thousand_CNY": ("10k CNY", "万元"),
    "CNY": ("CNY", "元"),
    "ten_thousand_person": ("10k persons", "万人"),
    "year": ("yr", "年"),
    "team": ("teams", "个"),
}
# units of things counted: a median of them is rounded to whole ones
COUNT_UNITS = {"firm", "person", "county", "platform", "complex", "project", "patent", "team"}
# whole unit strings whose label is not the composition of its parts
_SPECIAL_UNITS = {
    "patent/ten_thousand_person": (1.0, ("per 10k residents", "件/万人")),
    "meter**2": (1.0, ("m²", "平方米")),
    "dimensionless": (100.0, ("%", "%")),
    "dmnl": (100.0, ("%", "%")),
    "": (100.0, ("%", "%")),
    "1/year": (100.0, ("%/yr", "%/年")),
    "dimensionless/year": (100.0, ("%/yr", "%/年")),
    "dmnl/year": (100.0, ("%/yr", "%/年")),
}


def _norm_units(units) -> str:
    text = "" if units is None or (isinstance(units, float) and np.isnan(units)) else str(units)
    return re.sub(r"\s+", "", text)


def is_share(units, typical=None) -> bool:
    """A dimensionless quantity is a share (shown in percent) unless its values reach 2 or more,
    which no share does: then it is a count whose units were left dimensionless (consortia)."""
    if _norm_units(units) not in ("dimensionless", "dmnl", ""):
        return False
    try:
        return typical is None or not abs(float(typical)) >= 2
    except (TypeError, ValueError):
        return True


def is_count(units, typical=None) -> bool:
    """Things counted one by one (firms, counties, consortia), whose values are rounded when shown."""
    key = _norm_units(units)
    if key in ("dimensionless", "dmnl", ""):
        return not is_share(units, typical)
    return key in COUNT_UNITS


def display_units(units, lang: str = "en", typical=None) -> tuple[float, str]:
    """How to show a value in ``units`` (a pint string): ``(scale, label)``.

    Multiply the model value by ``scale`` and write ``label`` after it. Shares
    (``dimensionless``) become percent: ``(100, "%")``, unless ``typical`` (a value of the
    quantity) is 2 or more: a count with no unit, shown as a plain number. A yearly change of a
    yearly flow (``X/year**2``) reads as the flow's label. Unknown units are shown as written.

    >>> display_units("hundred_million_CNY / year", "zh")
    (1.0, '亿元/年')
    """
    i = 1 if lang == "zh" else 0
    key = _norm_units(units)
    if key in ("dimensionless", "dmnl", "") and not is_share(units, typical):
        return 1.0, ""
    if key.endswith("/year**2"):
        return display_units(key[: -len("**2")], lang)
    if key in _SPECIAL_UNITS:
        scale, labels = _SPECIAL_UNITS[key]
        return scale, labels[i]
    parts = key.split("/")
    if "*" not in key and len(parts) <= 3 and all(p in _UNIT_LABELS for p in parts):
        return 1.0, "/".join(_UNIT_LABELS[p][i] for p in parts)
    return 1.0, str(units).strip() if units is not None else ""


# the seeds' documents: (English title, Chinese title with its document number)
PLAN_TITLES = {
    "000": ("Xingtai action plan for S&T innovation complexes 2020-2022 (Xing Ke Chuang Ling Ban [2020] 18)",
            "《邢台市科技创新综合体建设行动计划（2020-2022年）》（邢科创领办〔2020〕18号）"),
    "001": ("Action plan for an innovative Xingtai 2023-2027 (Xing Ke Chuang Ling Zi [2023] 2)",
            "《加快建设创新型邢台行动方案（2023—2027年）》（邢科创领字〔2023〕2号）"),
    "002": ("Xingtai 14th Five-Year Plan for S&T innovation (Xing Zheng Ban Zi [2022] 3)",
            "《邢台市科技创新“十四五”规划》（邢政办字〔2022〕3号）"),
    "003": ("Shijiazhuang county S&T innovation leap plan 2022-2025 (Shi Zheng Ban Han [2022] 17)",
            "《石家庄市县域科技创新跃升计划工作方案（2022—2025年）》（石政办函〔2022〕17号）"),
    "004": ("Taizhou action plan for industrial innovation service complexes 2018-2020 (Tai Ke [2018] 85)",
            "《台州市产业创新服务综合体建设行动计划（2018—2020年）》（台科〔2018〕85号）"),
}


def plan_key(source, clause=None) -> str:
    """The document a target comes from, as a key: a seed's number (``002``), an official
    document number quoted in the clause, or the source as written."""
    text = "" if source is None or (isinstance(source, float) and np.isnan(source)) else str(source).strip()
    m = re.match(r"(?:.*/)?(\d{3})(?:_|\b)", text)
    if m and m.group(1) in PLAN_TITLES:
        return m.group(1)
    doc = re.search(r"\S+〔\d{4}〕\d+号", "" if clause is None or clause != clause else str(clause))
    return doc.group(0) if doc else text


def safe_key(key: str) -> str:
    """A plan key as part of a file name."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "plan"


def plan_title(source, lang: str = "en", clause=None) -> str:
    """A target's source document by its title (and document number), never a file path; a web
    page without a known title by its document number or host name."""
    key = plan_key(source, clause)
    if key in PLAN_TITLES:
        return PLAN_TITLES[key][1 if lang == "zh" else 0]
    return source_tag(source, lang, clause)


_SOURCE_TAGS = {
    "000": ("Complexes plan 2020-22", "综合体方案"),
    "001": ("Innovative Xingtai 2023-27", "创新型邢台方案"),
    "002": ("14th FYP", "十四五规划"),
    "003": ("SJZ county plan", "石家庄县域跃升计划"),
    "004": ("Taizhou complexes", "台州综合体方案"),
}


def source_tag(source, lang: str = "en", clause=None) -> str:
    """Short name of a target's source document: a seed (``seeds/002_….txt`` -> "14th FYP" /
    "十四五规划"), an official document number quoted in ``clause`` (邢政发〔2018〕6号), or a web
    page's host name."""
    def text_of(v):
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
    text = text_of(source)
    m = re.match(r"(?:.*/)?(\d{3})(?:_|\b)", text)
    if m and m.group(1) in _SOURCE_TAGS:
        return _SOURCE_TAGS[m.group(1)][1 if lang == "zh" else 0]
    doc = re.search(r"\S+〔(\d{4})〕(\d+)号", text_of(clause))
    if doc:
        return doc.group(0) if lang == "zh" else f"doc. [{doc.group(1)}] No. {doc.group(2)}"
    url = re.match(r"https?://(?:www\.)?([^/]+)", text)
    return url.group(1) if url else text


# --- language ----------------------------------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
_ENGLISH_TERMS = {"专精特新": "SRDI"}   # terms English names quote in Chinese, and their English


def english_label(text) -> str:
    """An English name without the Chinese it quotes: "(科技领军企业)" dropped, 专精特新 as SRDI,
    so an English chart needs no CJK glyph."""
    text = "" if text is None else str(text)
    for zh, en in _ENGLISH_TERMS.items():
        text = text.replace(zh, en)
    if not _CJK.search(text):
        return text
    text = re.sub(r"\s*[(（][^()（）]*[\u2e80-\u9fff][^()（）]*[)）]", "", text)  # a quoted Chinese term
    text = re.sub(r"\s*[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*", " ", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,:;")


# how each measure of an observation is named in a legend
MEASURE_NAMES = {
    "bureau_yearend": ("S&T bureau, year end", "科技局年末数"),
    "fyp_table": ("14th FYP table", "十四五规划表"),
    "fyp_table_operating_revenue": ("14th FYP table (operating revenue)", "十四五规划表（营业收入）"),
    "fyp_text": ("14th FYP text", "十四五规划正文"),
    "fyp_text_table": ("14th FYP text and table", "十四五规划正文与表"),
    "fyp_text_cumulative": ("14th FYP text, cumulative", "十四五规划正文（累计）"),
    "cumulative_2016_2020": ("cumulative 2016-2020", "2016—2020年累计"),
    "registered_value": ("registered value", "登记额"),
    "eval_named_year": ("evaluation, year named", "评价（所评年度）"),
    "eval_pub_year": ("evaluation, year published", "评价（发布年度）"),
    "hte_in_statistics_h1": ("HTEs in statistics, first half", "纳统高企（上半年）"),
    "implied_by_targets": ("implied by targets", "由目标推算"),
    "implied_by_statement": ("implied by a statement", "由表述推算"),
    "bureau_yearend_ge3000m2": ("S&T bureau, year end (≥3,000 m²)", "科技局年末数（3000平方米以上）"),
    "progress_award_only": ("progress awards only", "仅科技进步奖"),
    "existing_at_writing": ("existing when written", "成文时已有"),
    "first_half_year": ("first half year", "上半年"),
    "aggregator_approx": ("aggregator, approximate", "汇总网站（近似）"),
    "sample_survey_1pct": ("1 % sample survey", "1%抽样调查"),
    "pre_census_estimate": ("estimate before the census", "普查前估计"),
    "census_7th": ("7th census", "第七次人口普查"),
    "yearbook": ("statistical yearbook", "统计年鉴"),
}


def measure_name(measure, lang: str = "en") -> str:
    """An observation's measure in words (its code with spaces when it has no name yet)."""
    code = "" if measure is None else str(measure)
    if code in MEASURE_NAMES:
        return MEASURE_NAMES[code][1 if lang == "zh" else 0]
    return code.replace("_", " ")

_UI = {
    "en": {
        "year": "Year", "median": "Median", "band50": "50 % of runs", "band90": "90 % of runs",
        "observed": "Observed: {measure}", "target": "Target", "runs": "Bands: quantiles across {n} runs.",
        "one_run": "1 run: no uncertainty bands.", "low_conf": "Hollow markers: low-confidence observations.",
        "beyond": "{n} target(s) outside the chart period not shown.",
        "compare_title": "{name}: scenarios", "compare_runs": "Median and 90 % of runs; runs: {runs}.",
        "scenario_band": "{name} (90 %)", "heat_title": "Probability of meeting each target",
        "heat_x": "Scenario", "heat_y": "Target", "heat_cbar": "Probability", "na": "n/a",
    },
    "zh": {
        "year": "年份", "median": "中位数", "band50": "50% 运行区间", "band90": "90% 运行区间",
        "observed": "观测值：{measure}", "target": "目标", "runs": "区间：{n} 次运行的分位数。",
        "one_run": "仅 1 次运行：无不确定性区间。", "low_conf": "空心标记：低可信度观测值。",
        "beyond": "{n} 个目标超出图表时段，未显示。",
        "compare_title": "{name}：情景比较", "compare_runs": "中位数与 90% 运行区间；运行次数：{runs}。",
        "scenario_band": "{name}（90%）", "heat_title": "各目标的达成概率",
        "heat_x": "情景", "heat_y": "目标", "heat_cbar": "概率", "na": "n/a",
    },
}


def _ui(lang: str) -> dict:
    return _UI["zh" if lang == "zh" else "en"]


# --- CJK font ----------------------------------------------------------------------------

_CJK_NAMES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP",
    "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
    "SimHei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti",
    "Noto Serif CJK SC", "Noto Serif CJK JP", "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN",
)
_CJK_FILE = re.compile(r"(notosanscjk|notoserifcjk|notosanssc|sourcehansans|wqy|wenquanyi|simhei|msyh|"
                       r"pingfang|droidsansfallback|uming|ukai)", re.I)
_cjk_cache: list = []  # [name or None] once detected
_warned = False


def _installed_cjk() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    for cand in _CJK_NAMES:
        if cand in names:
            return cand
    return None


def cjk_font() -> str | None:
    """Name of an installed font that has Chinese glyphs, or None.

    Looks in matplotlib's font list first, then in the system font folders (fonts installed
    after matplotlib built its cache are added), preferring Simplified Chinese faces.
    """
    if _cjk_cache:
        return _cjk_cache[0]
    found = _installed_cjk()
    if found is None:
        try:
            for path in font_manager.findSystemFonts():
                if _CJK_FILE.search(os.path.basename(path)):
                    try:
                        font_manager.fontManager.addfont(path)
                    except Exception:  # an unreadable font file: skip it
                        continue
            found = _installed_cjk()
        except Exception:
            found = None
    _cjk_cache.append(found)
    return found


def _warn_no_cjk() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            "no Chinese (CJK) font: Chinese text in the charts shows as boxes; install one with "
            "`apt-get install fonts-noto-cjk` (Debian/Ubuntu; see docs/fonts.md)", UserWarning, stacklevel=3)


def _families(lang: str) -> list[str] | None:
    if lang != "zh":  # English charts hold no Chinese (english_label, measure_name, source_tag)
        return None
    name = cjk_font()
    if name is None:
        _warn_no_cjk()
        return None
    return [name, "DejaVu Sans"]


@contextlib.contextmanager
def _lang_context(lang: str):
    """Build a figure with the language's font: text objects keep the explicit family names."""
    fams = _families(lang)
    if fams is None:
        yield None
        return
    with matplotlib.rc_context({"font.family": fams, "axes.unicode_minus": False}):
        yield fams


def _apply_font(fig: Figure, fams) -> None:
    if fams:
        for t in fig.findobj(Text):
            t.set_fontfamily(fams)


class Chart(Figure):
    """A Figure that displays itself in Jupyter (as PNG) without pyplot or ``%matplotlib``."""

    def _repr_png_(self) -> bytes:
        import io
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=100, bbox_inches="tight", facecolor="white")
        return buf.getvalue()


def new_figure(size, layout: str | None = "constrained") -> Chart:
    """A figure on the Agg canvas (no pyplot state, no change of the global backend)."""
    fig = Chart(figsize=size, layout=layout)
    FigureCanvasAgg(fig)
    return fig


# --- data helpers ------------------------------------------------------------------------

_QS = (0.05, 0.25, 0.5, 0.75, 0.95)


def _runs_by_time(da: xr.DataArray) -> tuple[np.ndarray, np.ndarray]:
    """(years, values[run, time]) of one indicator; a missing run dimension means one run."""
    if "run" not in da.dims:
        da = da.expand_dims(run=[0])
    da = da.transpose("run", "time")
    return np.asarray(da["time"].values, dtype=float), np.asarray(da.values, dtype=float)


def _typical(values: np.ndarray) -> float:
    """The largest value of a quantity: tells a count without units from a share (see is_share)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.nanmax(np.abs(values))) if np.size(values) else float("nan")


def _quantiles(values: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, _QS, axis=0)


def _name(da: xr.DataArray, indicator: str, lang: str) -> str:
    if lang == "zh":
        return str(da.attrs.get("long_name_zh") or da.attrs.get("long_name") or indicator)
    return english_label(da.attrs.get("long_name") or indicator)


def _rows_for(df: pd.DataFrame | None, indicator: str) -> pd.DataFrame:
    if df is None or len(df) == 0 or "indicator" not in df:
        return pd.DataFrame()
    return df[df["indicator"] == indicator]


_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")
_OBS_COLORS = ("#1b1b1b", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d")


def _draw_observations(ax, obs: pd.DataFrame, scale: float, lang: str, colors=_OBS_COLORS) -> tuple[int, bool]:
    """One marker style per measure; low-confidence points hollow. Returns (points drawn, any hollow)."""
    if obs.empty:
        return 0, False
    ui = _ui(lang)
    obs = obs.dropna(subset=["year", "model_value"])
    measure = obs["measure"].fillna("?").astype(str) if "measure" in obs else pd.Series("?", index=obs.index)
    conf = obs["confidence"].fillna("").astype(str).str.lower() if "confidence" in obs else \
        pd.Series("", index=obs.index)
    n, hollow_any = 0, False
    for k, m in enumerate(sorted(measure.unique())):
        sel = measure == m
        marker, color = _MARKERS[k % len(_MARKERS)], colors[k % len(colors)]
        labelled = False
        for hollow in (False, True):
            part = obs[sel & ((conf == "low") == hollow)]
            if part.empty:
                continue
            (line,) = ax.plot(part["year"].astype(float).values, part["model_value"].astype(float).values * scale,
                              linestyle="none", marker=marker, markersize=7, color=color,
                              markerfacecolor="none" if hollow else color, markeredgewidth=1.4, zorder=5,
                              label="_nolegend_" if labelled else ui["observed"].format(measure=measure_name(m, lang)))
            line.set_gid(f"observation:{m}")
            labelled = True
            hollow_any |= hollow
            n += len(part)
    return n, hollow_any


def _draw_targets(ax, tg: pd.DataFrame, scale: float, lang: str, years: np.ndarray,
                  unit_label: str = "") -> tuple[int, int]:
    """Level targets as stars with a source tag; returns (targets drawn, targets outside the period)."""
    if tg.empty:
        return 0, 0
    suffix = " %" if unit_label == "%" else ""
    ui = _ui(lang)
    tg = tg[tg["comparator"].isin(LEVEL_COMPARATORS)].dropna(subset=["year", "model_value"])
    lo, hi = float(np.nanmin(years)), float(np.nanmax(years))
    inside = tg[(tg["year"].astype(float) >= lo) & (tg["year"].astype(float) <= hi)]
    beyond = len(tg) - len(inside)
    mid = (lo + hi) / 2
    stacked: dict[float, int] = {}
    for i, (_, t) in enumerate(inside.sort_values(["year", "model_value"]).iterrows()):
        x, y = float(t["year"]), float(t["model_value"]) * scale
        (pt,) = ax.plot([x], [y], linestyle="none", marker="*", markersize=15, color="#ffb000",
                        markeredgecolor="#6b3d00", markeredgewidth=1.0, zorder=6,
                        label=ui["target"] if i == 0 else "_nolegend_")
        pt.set_gid(f"target:{t.get('target_id', i)}")
        k = stacked.get(x, 0)
        stacked[x] = k + 1
        text = (f"{source_tag(t.get('source'), lang, t.get('clause'))} {int(x)}: "
                f"{COMPARATOR_SYMBOL[t['comparator']]}{format_number(y)}{suffix}")
        right = x > mid
        ann = ax.annotate(text, (x, y), xytext=(-9 if right else 9, 7 + 12 * k), textcoords="offset points",
                          ha="right" if right else "left", va="bottom", fontsize=8, color="#6b3d00", zorder=7,
                          bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.75))
        ann.set_gid(f"target-label:{t.get('target_id', i)}")
    return len(inside), beyond


def _footnote(fig: Figure, lines: list[str]) -> None:
    text = " ".join(s for s in lines if s)
    if text:
        fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
        fig.text(0.01, 0.012, text, fontsize=8, color="#555555", ha="left", va="bottom", gid="footnote")


def _style_axes(ax, xlabel: str, ylabel: str) -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fmt = matplotlib.ticker.ScalarFormatter(useOffset=False)
    fmt.set_scientific(False)
    ax.yaxis.set_major_formatter(fmt)


# --- charts ------------------------------------------------------------------------------

def fan_chart(ds: xr.Dataset, indicator: str, observations: pd.DataFrame | None = None,
              targets: pd.DataFrame | None = None, lang: str = "en", title: str | None = None) -> Figure:
    """Median, 50 % and 90 % bands across runs, observed history and level targets of one indicator."""
    if indicator not in ds:
        raise KeyError(f"indicator '{indicator}' is not in the ensemble")
    ui = _ui(lang)
    da = ds[indicator]
    years, values = _runs_by_time(da)
    scale, unit_label = display_units(da.attrs.get("units", ""), lang, typical=_typical(values))
    values = values * scale
    n_runs = values.shape[0]
    with _lang_context(lang) as fams:
        fig = new_figure((9.5, 5.4))
        ax = fig.add_subplot()
        q = _quantiles(values)
        if n_runs > 1:
            b90 = ax.fill_between(years, q[0], q[4], color="#2b6cb0", alpha=0.15, linewidth=0, label=ui["band90"])
            b50 = ax.fill_between(years, q[1], q[3], color="#2b6cb0", alpha=0.32, linewidth=0, label=ui["band50"])
            b90.set_gid("band90")
            b50.set_gid("band50")
        (med,) = ax.plot(years, q[2], color="#1a4f8b", linewidth=2.2, label=ui["median"], zorder=4)
        med.set_gid("median")
        _, hollow = _draw_observations(ax, _rows_for(observations, indicator), scale, lang)
        _, beyond = _draw_targets(ax, _rows_for(targets, indicator), scale, lang, years, unit_label)
        ax.set_title(title if title is not None else _name(da, indicator, lang), loc="left", fontsize=13)
        _style_axes(ax, ui["year"], unit_label)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        _footnote(fig, [ui["runs"].format(n=n_runs) if n_runs > 1 else ui["one_run"],
                        ui["low_conf"] if hollow else "", ui["beyond"].format(n=beyond) if beyond else ""])
        _apply_font(fig, fams)
    return fig


_SCENARIO_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def comparison_chart(ensembles: dict[str, xr.Dataset], indicator: str, observations: pd.DataFrame | None = None,
                     targets: pd.DataFrame | None = None, lang: str = "en", title: str | None = None) -> Figure:
    """Median and 90 % band of one indicator for each scenario, with history and level targets."""
    if not ensembles:
        raise ValueError("comparison_chart needs at least one ensemble")
    ui = _ui(lang)
    first = next((d for d in ensembles.values() if indicator in d), None)
    if first is None:
        raise KeyError(f"indicator '{indicator}' is in none of the ensembles")
    da0 = first[indicator]
    scale, unit_label = display_units(da0.attrs.get("units", ""), lang, typical=_typical(_runs_by_time(da0)[1]))
    runs, all_years = [], []
    with _lang_context(lang) as fams:
        fig = new_figure((9.5, 5.4))
        ax = fig.add_subplot()
        for k, (name, ds) in enumerate(ensembles.items()):
            if indicator not in ds:
                continue
            years, values = _runs_by_time(ds[indicator])
            all_years.append(years)
            q = _quantiles(values * scale)
            color = _SCENARIO_COLORS[k % len(_SCENARIO_COLORS)]
            if values.shape[0] > 1:
                band = ax.fill_between(years, q[0], q[4], color=color, alpha=0.14, linewidth=0)
                band.set_gid(f"band90:{name}")
            (line,) = ax.plot(years, q[2], color=color, linewidth=2.2, label=str(name), zorder=4)
            line.set_gid(f"median:{name}")
            runs.append(f"{name} {values.shape[0]}")
        years = np.concatenate(all_years)
        _, hollow = _draw_observations(ax, _rows_for(observations, indicator), scale, lang,
                                       colors=("#1b1b1b", "#555555", "#888888"))
        _, beyond = _draw_targets(ax, _rows_for(targets, indicator), scale, lang, years, unit_label)
        name0 = _name(da0, indicator, lang)
        ax.set_title(title if title is not None else ui["compare_title"].format(name=name0), loc="left", fontsize=13)
        _style_axes(ax, ui["year"], unit_label)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        _footnote(fig, [ui["compare_runs"].format(runs=", ".join(runs)), ui["low_conf"] if hollow else "",
                        ui["beyond"].format(n=beyond) if beyond else ""])
        _apply_font(fig, fams)
    return fig


def _wrap(text: str, width: int) -> str:
    text = str(text)
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    cut = cut if cut > width // 2 else width
    rest = text[cut:].strip()
    rest = rest if len(rest) <= width else rest[: width - 1] + "…"
    return text[:cut].rstrip() + "\n" + rest


def attainment_heatmap(table: pd.DataFrame, lang: str = "en", title: str | None = None) -> Figure:
    """Targets (rows) × scenarios (columns), cells coloured red (0) to green (1) with the probability."""
    ui = _ui(lang)
    for col in ("target_id", "scenario", "probability"):
        if col not in table:
            raise KeyError(f"attainment_heatmap needs a '{col}' column")
    t = table.drop_duplicates(["target_id", "scenario"])
    row_ids = list(dict.fromkeys(t["target_id"]))
    cols = list(dict.fromkeys(t["scenario"]))
    grid = (t.pivot(index="target_id", columns="scenario", values="probability")
            .reindex(index=row_ids, columns=cols).astype(float).values)
    if "label" in t:
        labels = t.drop_duplicates("target_id").set_index("target_id")["label"].reindex(row_ids)
        row_labels = [str(lb) if pd.notna(lb) and str(lb) else str(r) for r, lb in zip(row_ids, labels)]
    else:
        row_labels = [str(r) for r in row_ids]
    wrap_at = 26 if lang == "zh" else 48
    row_labels = [_wrap(s, wrap_at) for s in row_labels]
    n_rows, n_cols = len(row_ids), len(cols)
    two_line = any("\n" in s for s in row_labels)
    longest = max((max(len(x) for x in s.split("\n")) for s in row_labels), default=4)
    label_w = min(5.5, 0.5 + longest * (0.13 if lang == "zh" else 0.075))
    width = label_w + 1.6 + max(1.2, 1.15 * n_cols)
    height = 1.6 + n_rows * (0.42 if two_line else 0.32)
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#bdbdbd")
    with _lang_context(lang) as fams:
        fig = new_figure((width, height))
        ax = fig.add_subplot()
        im = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto",
                       interpolation="nearest")
        im.set_gid("heatmap")
        for i in range(n_rows):
            for j in range(n_cols):
                p = grid[i, j]
                if np.isfinite(p):
                    txt, color = f"{100 * p:.0f} %", ("white" if p < 0.12 or p > 0.88 else "black")
                else:
                    txt, color = ui["na"], "#333333"
                ax.text(j, i, txt, ha="center", va="center", fontsize=9, color=color, gid=f"cell:{i}:{j}")
        ax.set_xticks(range(n_cols), [_wrap(c, 18) for c in map(str, cols)])
        ax.set_yticks(range(n_rows), row_labels, fontsize=8.5)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xlabel(ui["heat_x"])
        ax.tick_params(length=0)
        ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        for s in ax.spines.values():
            s.set_visible(False)
        cb = fig.colorbar(im, ax=ax, shrink=min(1.0, 6.0 / max(height, 1e-9)) if height > 6 else 0.9,
                          fraction=0.06, pad=0.02)
        cb.set_label(ui["heat_cbar"])
        cb.set_ticks([0, 0.25, 0.5, 0.75, 1.0], labels=["0 %", "25 %", "50 %", "75 %", "100 %"])
        fig.suptitle(title if title is not None else ui["heat_title"], x=0.02, ha="left", fontsize=12)
        _apply_font(fig, fams)
    return fig


# --- drawing many charts -----------------------------------------------------------------

def _warm_up() -> None:
    """Draw one small figure to PNG and SVG: the first figure of a process loads the backends
    and fonts (about a second); done before forking, every worker inherits them."""
    import io
    fig = new_figure((2, 1))
    fig.add_subplot().set_title("0")
    for fmt in ("png", "svg"):
        fig.savefig(io.BytesIO(), format=fmt)


def draw_in_parallel(draw, jobs: list) -> list:
    """``[draw(job) for job in jobs]``, on every core when there are enough charts to pay for it.

    Rendering text is what takes time and charts are independent, so workers are forked
    (Linux), and only from a process with no other threads, where forking is safe; otherwise
    the charts are drawn one after another. Results keep the order of ``jobs``."""
    import multiprocessing as mp
    import sys
    import threading
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cores, len(jobs) // 2)
    if workers < 2 or sys.platform != "linux" or threading.active_count() > 1:
        return [draw(job) for job in jobs]
    _warm_up()
    # Leaving the block terminates the workers, also on Ctrl-C or SIGTERM: no orphan, no wait for the
    # queued charts. Workers ignore SIGINT (the parent decides) and die on SIGTERM.
    with mp.get_context("fork").Pool(workers, initializer=_worker_signals) as pool:
        return pool.map(draw, jobs, chunksize=max(1, len(jobs) // (4 * workers)))


def _worker_signals() -> None:
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Drawn:
    """The charts of :func:`drawing`: ``result()`` is ``[draw(job) for job in jobs]`` in order."""

    def __init__(self, draw, jobs):
        self._draw, self._jobs, self._futures, self._values = draw, jobs, None, None

    def result(self) -> list:
        if self._values is None:
            self._values = ([f.get() for f in self._futures] if self._futures is not None
                            else [self._draw(job) for job in self._jobs])
        return self._values


@contextlib.contextmanager
def drawing(draw, jobs: list):
    """Draw charts in worker processes while the body of the ``with`` computes something else:
    ``with drawing(draw, jobs) as charts: ...`` then ``charts.result()``.  Workers are forked as
    in :func:`draw_in_parallel`; where that is not possible the charts are drawn after the body."""
    import multiprocessing as mp
    import sys
    import threading
    drawn = _Drawn(draw, jobs)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cores, len(jobs))
    if workers < 1 or len(jobs) < 3 or sys.platform != "linux" or threading.active_count() > 1:
        yield drawn
        drawn.result()
        return
    _warm_up()
    pool = mp.get_context("fork").Pool(workers, initializer=_worker_signals)
    try:
        drawn._futures = [pool.apply_async(draw, (job,)) for job in jobs]
        yield drawn
        drawn.result()
    finally:  # every chart is drawn by now; on an error, Ctrl-C or SIGTERM no worker is left behind
        pool.terminate()
        pool.join()
