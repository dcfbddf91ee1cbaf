"""Charts and the HTML report: what they draw, what they write, and that a browser shows the charts."""
from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from innosd.figures import charts as ch
from innosd.figures.format import format_number
from innosd.outputs.files import save_figure
from innosd.outputs.report import write_report

HTE, RD = "high_tech_enterprises", "rd_intensity"
RUNS = 200


def ensemble(runs=RUNS, seed=1, shift=0.0) -> xr.Dataset:
    rng = np.random.default_rng(seed)
    years = np.arange(2015, 2031, dtype=float)
    t = years - 2015
    hte = 300 * np.exp(rng.normal(0.08 + shift, 0.02, size=(runs, 1)) * t)
    rd = 0.012 + rng.normal(0.001, 0.0004, size=(runs, 1)) * t
    return xr.Dataset(
        {HTE: (("run", "time"), hte, {"units": "firm", "long_name": "High-tech enterprises",
                                      "long_name_zh": "高新技术企业数量", "kind": "stock"}),
         RD: (("run", "time"), rd, {"units": "dimensionless", "long_name": "R&D intensity",
                                    "long_name_zh": "研发投入强度", "kind": "auxiliary"})},
        coords={"run": np.arange(runs), "time": years})


@pytest.fixture(scope="module")
def ds():
    return ensemble()


OBS = pd.DataFrame([
    # HTE 2020 is a conflicting pair: two measures, two values
    dict(indicator=HTE, year=2018, model_value=380.0, measure="bureau_yearend", source="b.txt", confidence="high"),
    dict(indicator=HTE, year=2020, model_value=530.0, measure="fyp_table", source="002_a.txt", confidence="high"),
    dict(indicator=HTE, year=2020, model_value=450.0, measure="bureau_yearend", source="b.txt", confidence="medium"),
    dict(indicator=RD, year=2019, model_value=0.016, measure="yearbook", source="y.txt", confidence="low"),
])
TARGETS = pd.DataFrame([
    dict(target_id="T1", indicator=HTE, year=2025, comparator="ge", model_value=800.0,
         source="002_ad46470e37436375.txt", clause="高新技术企业达到800家", value=800, unit="家"),
    dict(target_id="T2", indicator=HTE, year=2027, comparator="ge", model_value=1000.0,
         source="001_0f.txt", clause="高新技术企业突破1000家", value=1000, unit="家"),
    dict(target_id="T3", indicator=HTE, year=2025, comparator="growth_per_year", model_value=0.1,
         source="002_ad46470e37436375.txt", clause="年均增长10%", value=10, unit="%"),
    dict(target_id="T4", indicator=RD, year=2025, comparator="ge", model_value=0.025,
         source="city_plan.txt", clause="R&D <2.5%>", value=2.5, unit="%"),
])


def gids(fig: Figure, prefix: str):
    return [a for a in fig.findobj() if (a.get_gid() or "").startswith(prefix)]


# --- display_units -----------------------------------------------------------------------

@pytest.mark.parametrize("units, lang, expected", [
    ("dimensionless", "en", (100.0, "%")),
    ("dimensionless", "zh", (100.0, "%")),
    ("hundred_million_CNY / year", "en", (1.0, "100M CNY/yr")),
    ("hundred_million_CNY / year", "zh", (1.0, "亿元/年")),
    ("firm", "en", (1.0, "firms")), ("firm", "zh", (1.0, "家")),
    ("person", "en", (1.0, "persons")), ("person", "zh", (1.0, "人")),
    ("patent / ten_thousand_person", "en", (1.0, "per 10k residents")),
    ("patent / ten_thousand_person", "zh", (1.0, "件/万人")),
    ("county", "en", (1.0, "counties")), ("county", "zh", (1.0, "个")),
    ("platform", "en", (1.0, "platforms")), ("complex", "en", (1.0, "complexes")),
    ("project", "en", (1.0, "projects")), ("project", "zh", (1.0, "项")),
    ("firm / year", "zh", (1.0, "家/年")),
    ("furlong", "en", (1.0, "furlong")),
])
def test_display_units(units, lang, expected):
    assert ch.display_units(units, lang) == expected


def test_source_tags():
    assert ch.source_tag("002_ad46470e37436375.txt") == "14th FYP"
    assert ch.source_tag("002_ad46470e37436375.txt", "zh") == "十四五规划"
    assert ch.source_tag("000_x.txt", "zh") == "综合体方案"
    assert ch.source_tag("city_plan.txt") == "city_plan.txt"
    assert ch.source_tag("seeds/001_9988081a3013b02a.txt") == "Innovative Xingtai 2023-27"
    assert ch.source_tag("https://example.cn/a/b.html", "zh", clause="邢政发〔2018〕6号 (section not captured)") \
        == "邢政发〔2018〕6号"
    # an English chart needs no Chinese glyph
    assert ch.source_tag("https://example.cn/a/b.html", clause="邢政发〔2018〕6号 (section not captured)") \
        == "doc. [2018] No. 6"
    assert ch.source_tag("https://www.example.cn/a/b.html") == "example.cn"


# --- charts ------------------------------------------------------------------------------

def test_fan_chart_draws_bands_history_and_targets(ds):
    fig = ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS)
    ax = fig.axes[0]
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == 2
    assert {a.get_gid() for a in gids(fig, "band")} == {"band50", "band90"}
    median = gids(fig, "median")[0]
    assert np.allclose(median.get_ydata(), np.median(ds[HTE].values, axis=0))
    # three HTE observations, two measures with different markers, both in the legend
    obs = gids(fig, "observation:")
    assert sum(len(line.get_xdata()) for line in obs) == 3
    assert len({line.get_marker() for line in obs}) == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Observed: 14th FYP table" in legend and "Observed: S&T bureau, year end" in legend  # words, not codes
    # the two level targets are stars with a source tag; the growth target is not drawn
    stars = gids(fig, "target:")
    assert sorted(s.get_gid() for s in stars) == ["target:T1", "target:T2"]
    assert all(s.get_marker() == "*" for s in stars)
    notes = sorted(a.get_text() for a in ax.texts if isinstance(a, Annotation))
    assert len(notes) == 2
    assert notes[0].startswith("14th FYP 2025") and "800" in notes[0]
    assert notes[1].startswith("Innovative Xingtai 2023-27 2027")
    assert f"{RUNS} runs" in gids(fig, "footnote")[0].get_text()


def test_fan_chart_share_in_percent_and_single_run(ds):
    fig = ch.fan_chart(ds, RD, observations=OBS, targets=TARGETS)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "%"
    assert np.isclose(gids(fig, "observation:")[0].get_ydata()[0], 1.6)
    assert np.isclose(gids(fig, "target:")[0].get_ydata()[0], 2.5)
    one = ch.fan_chart(ds.isel(run=[0]), HTE, observations=OBS, targets=TARGETS)
    assert not [c for c in one.axes[0].collections if isinstance(c, PolyCollection)]
    assert np.allclose(gids(one, "median")[0].get_ydata(), ds[HTE].values[0])
    assert "1 run" in gids(one, "footnote")[0].get_text()


def test_fan_chart_chinese(ds):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS, lang="zh")
        fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "高新技术企业数量"
    assert ax.get_xlabel() == "年份" and ax.get_ylabel() == "家"
    assert any(a.get_text().startswith("十四五规划 2025") for a in ax.texts)
    messages = [str(w.message) for w in caught]
    if ch.cjk_font() is None:
        assert any("fonts-noto-cjk" in m for m in messages)
    else:
        assert not [m for m in messages if "missing from font" in m], messages
        assert ax.title.get_fontfamily()[0] == ch.cjk_font()


def test_missing_cjk_font_warns_once_and_keeps_chinese(ds, monkeypatch):
    monkeypatch.setattr(ch, "_cjk_cache", [None])
    monkeypatch.setattr(ch, "_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = ch.fan_chart(ds, HTE, lang="zh")
        ch.fan_chart(ds, RD, lang="zh")
    ours = [w for w in caught if "CJK" in str(w.message)]
    assert len(ours) == 1 and issubclass(ours[0].category, UserWarning)
    assert "apt-get install fonts-noto-cjk" in str(ours[0].message)
    assert fig.axes[0].get_title(loc="left") == "高新技术企业数量"


def test_comparison_chart(ds):
    ens = {"baseline": ds, "push": ensemble(seed=2, shift=0.03)}
    fig = ch.comparison_chart(ens, HTE, observations=OBS, targets=TARGETS)
    ax = fig.axes[0]
    medians = gids(fig, "median:")
    assert len(medians) == 2 and len({m.get_color() for m in medians}) == 2
    assert len(gids(fig, "band90:")) == 2
    assert sum(len(line.get_xdata()) for line in gids(fig, "observation:")) == 3
    assert len(gids(fig, "target:")) == 2
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "baseline" in legend and "push" in legend


def test_attainment_heatmap_readable_with_40_targets():
    rows = [dict(target_id=f"T{i:02d}", scenario=s, probability=np.nan if i == 3 else (i % 10) / 10 + 0.03,
                 label=f"T{i:02d} high-tech enterprises by 2025") for i in range(40) for s in ("a", "b")]
    fig = ch.attainment_heatmap(pd.DataFrame(rows))
    texts = [a.get_text() for a in gids(fig, "cell:")]
    assert len(texts) == 80
    assert texts.count("n/a") == 2 and "83 %" in texts and "3 %" in texts
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 40
    assert fig.get_figheight() >= 40 * 0.3  # about a quarter inch or more per row
    small = ch.attainment_heatmap(pd.DataFrame(rows[:4]).drop(columns="label"))
    assert small.get_figheight() < 4 and [t.get_text() for t in small.axes[0].get_yticklabels()] == ["T00", "T01"]


def test_save_writes_png_and_svg_atomically(ds, tmp_path):
    fig = ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS)
    paths = save_figure(fig, tmp_path / "charts", "fan-hte")
    assert [p.name for p in paths] == ["fan-hte.png", "fan-hte.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text()
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == ["fan-hte.png", "fan-hte.svg"]
    # the same chart saved again gives the same SVG (no date, fixed ids): a manifest's hashes are stable
    again = save_figure(ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS), tmp_path / "again", "fan-hte")
    assert again[1].read_bytes() == paths[1].read_bytes()


def test_charts_write_nothing(ds, tmp_path, monkeypatch):
    """Drawing is not saving: a chart function leaves the folder it runs in untouched."""
    monkeypatch.chdir(tmp_path)
    ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS).canvas.draw()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, text", [
    (1234.5, "1,234"), (800.0, "800"), (12.34, "12.3"), (12.0, "12"), (2.5, "2.5"), (0.123, "0.12"),
    (0.0123, "0.0123"), (0.0, "0"), (-0.0, "0"), (np.nan, "—"), (None, "—"), (float("inf"), "—")])
def test_one_number_formatter(value, text):
    """Charts, the report and messages write numbers the same way: precision by magnitude."""
    assert format_number(value) == text


def test_number_formatter_with_significant_digits():
    assert format_number(0.123456, digits=4) == "0.1235" and format_number(1234.5, digits=3) == "1,234"
    assert format_number(12.3456, digits=4) == "12.35" and format_number(-0.5, digits=2) == "-0.5"


def test_target_labels_use_the_formatter(ds):
    fig = ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS)
    labels = [a.get_text() for a in fig.findobj(Annotation)]
    assert any(text.endswith(": ≥" + format_number(1000.0)) for text in labels), labels


# --- report ------------------------------------------------------------------------------

ATTAINMENT = pd.DataFrame([
    dict(target_id="T1", indicator=HTE, year=2025, comparator="ge", value=800, unit="家", source=TARGETS.source[0],
         clause="高新技术企业达到800家", probability=0.83, median=870.0, p05=700.0, p95=1040.0,
         first_year_median=2024.0, status="modelled"),
    dict(target_id="T3", indicator=HTE, year=2025, comparator="growth_per_year", value=10, unit="%", base_year=2020,
         source=TARGETS.source[0], clause="年均增长10%", probability=0.2, median=0.08, p05=0.05, p95=0.11,
         first_year_median=np.nan, status="modelled"),
    dict(target_id="T4", indicator=RD, year=2025, comparator="ge", value=2.5, unit="%", source="city_plan.txt",
         clause="R&D <2.5%>", probability=0.5, median=0.025, p05=0.02, p95=0.03, first_year_median=2025.0,
         status="modelled"),
    dict(target_id="T9", indicator="tech_contracts", year=2025, comparator="ge", value=50, unit="亿元",
         source="003_b.txt", clause="技术合同成交额50亿元", probability=np.nan, median=np.nan, p05=np.nan,
         p95=np.nan, first_year_median=np.nan, status="not an output of this run"),
])


def summary_of(ds):
    rows = []
    for n in ds.data_vars:
        q = np.quantile(ds[n].values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        for j, y in enumerate(ds.time.values):
            rows.append(dict(indicator=n, units=ds[n].attrs["units"], year=float(y), q05=q[0, j], q25=q[1, j],
                             q50=q[2, j], q75=q[3, j], q95=q[4, j], mean=ds[n].values[:, j].mean()))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def reports(ds, tmp_path_factory):
    """One English and one Chinese report with two charts each."""
    folder = tmp_path_factory.mktemp("report")
    out = {}
    for lang in ("en", "zh"):
        figures = []
        for n in (HTE, RD):
            name = ds[n].attrs["long_name_zh" if lang == "zh" else "long_name"]
            png, _ = save_figure(ch.fan_chart(ds, n, OBS, TARGETS, lang=lang), folder / "charts", f"fan-{n}-{lang}")
            figures.append((name, png))
        meta = {"scenario": "baseline", "description": "current policies", "region": "Xingtai 邢台", "runs": RUNS,
                "seed": 42, "parameter source": "posterior draws (calibrated 2024)", "version": "0.1.0",
                "created": "2025-01-01 10:00"}
        path = write_report(folder / f"report-{lang}.html", title="Xingtai: baseline", subtitle="<b>baseline</b>",
                            meta=meta, attainment=ATTAINMENT, summary=summary_of(ds), figures=figures,
                            notes=["HTE 2020: fyp_table 530 vs bureau_yearend 450", "<script>alert(1)</script>"],
                            lang=lang, indicator_names={n: ds[n].attrs["long_name"] for n in ds.data_vars})
        out[lang] = (path, figures)
    return out


def test_report_is_self_contained(reports):
    path, figures = reports["en"]
    text = path.read_text(encoding="utf-8")
    assert sorted(p.name for p in path.parent.iterdir() if p.is_file()) == ["report-en.html", "report-zh.html"]
    uris = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(uris) == len(figures) == 2
    assert [base64.b64decode(u) for u in uris] == [png.read_bytes() for _, png in figures]
    assert not re.search(r'(src|href)="(?!data:)', text)  # nothing loaded from elsewhere
    # one inline script (sorting and filtering the table), no other; text that looks like a script is escaped
    assert text.count("<script") == 1 and "<script>" in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;baseline&lt;/b&gt;" in text and "R&amp;D &lt;2.5%&gt;" in text
    for caption, _ in figures:
        assert f"<figcaption>{html.escape(caption)}</figcaption>" in text


def test_report_attainment_and_key_tables(reports):
    text = reports["en"][0].read_text(encoding="utf-8")
    for tid in ("T1", "T3", "T4", "T9"):
        assert f'data-target="{tid}"' in text
    table = re.search(r'<table class="attainment" id="targets">.*?</table>', text, re.S).group(0)
    row = re.search(r'<tr data-target="T1".*?</tr>', table, re.S).group(0)
    assert "83 %" in row and "870 firms" in row and "700–1,040" in row and "2024" in row
    assert "P(count ≥ 800)" in row  # a count target: the probability of a whole count
    assert "Xingtai 14th Five-Year Plan for S&amp;T innovation" in row and "≥ 800 家" in row and "background:#" in row
    assert "002_ad46470e37436375.txt" not in text  # sources by title, not file
    t4 = re.search(r'<tr data-target="T4".*?</tr>', table, re.S).group(0)
    assert "2.5 %" in t4 and "2–3" in t4  # shares shown in percent
    t3 = re.search(r'<tr data-target="T3".*?</tr>', table, re.S).group(0)
    assert "8 %/yr" in t3 and "not reached" in t3
    # sorted by probability, most likely first
    assert [m for m in re.findall(r'<tr data-target="(T\d)"', table)] == ["T1", "T4", "T3"]
    nm = re.search(r'<table class="not-modelled">.*?</table>', text, re.S).group(0)
    assert "T9" in nm and "not an output of this run" in nm and "Shijiazhuang county S&amp;T innovation leap" in nm
    key = re.search(r'<table class="key">.*?</table>', text, re.S).group(0)
    for y in (2020, 2022, 2025, 2027, 2030):
        assert f"<th>{y}</th>" in key
    assert "High-tech enterprises" in key and "Scenario" in text and "posterior draws (calibrated 2024)" in text


def test_report_opens_with_the_answer(reports):
    text = reports["en"][0].read_text(encoding="utf-8")
    glance = text[text.index('<section id="glance">'):text.index('<section id="about">')]
    assert text.index('<section id="glance">') < text.index('<table class="attainment"')
    assert "Likely met: probability ≥ 80 %" in glance and "Unlikely: ≤ 20 %" in glance
    totals = re.search(r'<p class="totals"[^>]*>', glance).group(0)
    assert 'data-likely="1"' in totals and 'data-uncertain="1"' in totals and 'data-unlikely="1"' in totals
    # grouped by plan: the 14th FYP's T1 (likely) and T3 (unlikely); the city plan's T4 (uncertain)
    plans = re.findall(r'<div class="plan" data-plan="([^"]+)">', glance)
    assert plans == ["002", "city_plan.txt"]
    assert re.search(r'data-target="T1" data-outlook="likely">.*?High-tech enterprises ≥ 800 家 in 2025', glance)
    assert 'data-target="T3" data-outlook="unlikely"' in glance


def test_report_in_chinese(reports):
    text = reports["zh"][0].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text
    for label in ("如何阅读本报告", "概览", "全部目标", "未建模的目标", "主要指标", "达成概率", "运行次数",
                  "本次运行未输出该指标", "《邢台市科技创新“十四五”规划》", "未达到", "可能达成", "不太可能"):
        assert label in text


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


PROBE = """<img id="probe-broken" src="data:image/png;base64,AAAA" alt="">
<script>
window.addEventListener('load', function () {
  var ok = Array.prototype.map.call(document.images, function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute('data-images', JSON.stringify(ok));
});
</script>
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_browser_displays_every_chart(reports, tmp_path, lang):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is needed to check that report.html displays its charts: "
                        "install it (`apt-get install -y chromium`).")
        pytest.skip("chromium not installed")
    path, figures = reports[lang]
    # a copy of the report with a probe: it records, after load, whether each image decoded; the
    # last image is deliberately broken so the probe is shown to tell a broken image from a good one
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--run-all-compositor-stages-before-draw",
           "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    found = re.search(r'data-images="([^"]*)"', done.stdout)
    assert found, f"no probe result in the dumped DOM (exit {done.returncode}): {done.stderr[-2000:]}"
    shown = json.loads(html.unescape(found.group(1)))
    assert shown == [True] * len(figures) + [False]


def test_charts_show_themselves_in_notebooks(ds):
    """Without pyplot or %matplotlib, Jupyter displays a chart through _repr_png_."""
    png = ch.fan_chart(ds, HTE, observations=OBS, targets=TARGETS)._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


FIRST_SCREEN_PROBE = """<script>
window.addEventListener('load', function () {
  var totals = document.getElementById('totals'), box = totals.getBoundingClientRect();
  var look = document.getElementById('outlook-filter');
  look.value = 'unlikely'; look.dispatchEvent(new Event('change'));
  var shown = document.getElementById('shown').textContent;
  look.value = ''; look.dispatchEvent(new Event('change'));
  document.querySelector('#targets thead th:nth-child(4)').click();  // probability, ascending
  var first = document.querySelector('#targets tbody tr').getAttribute('data-target');
  document.body.setAttribute('data-probe', JSON.stringify({top: box.top, height: window.innerHeight,
    text: totals.textContent, shown: shown, first: first,
    unlikely: document.querySelectorAll('.group.unlikely li').length}));
});
</script>
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_browser_first_screen_answers(reports, tmp_path, lang):
    """A planner opening the report sees the count of targets likely met, uncertain and unlikely on
    the first screen; the table filters and sorts."""
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is needed to check report.html's first screen: `apt-get install -y chromium`.")
        pytest.skip("chromium not installed")
    path, _ = reports[lang]
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", FIRST_SCREEN_PROBE + "</body>"),
                     encoding="utf-8")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1280,800",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, f"no probe result in the dumped DOM (exit {done.returncode}): {done.stderr[-2000:]}"
    seen = json.loads(html.unescape(found.group(1)))
    assert 0 <= seen["top"] < seen["height"]  # on the first screen
    expected = ("Of the 3 targets the model forecasts, 1 are likely met, 1 uncertain and 1 unlikely" if lang == "en"
                else "模型预测的 3 项目标中，1 项可能达成，1 项不确定，1 项不太可能达成")
    assert expected in seen["text"]
    assert seen["shown"] == "1" and seen["first"] == "T3" and seen["unlikely"] == 1


def test_without_a_cjk_font_one_line_and_no_glyph_flood(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(ch, "_cjk_cache", [None])
    monkeypatch.setattr(ch, "_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in (HTE, RD):
            save_figure(ch.fan_chart(ds, n, OBS, TARGETS, lang="zh"), tmp_path, f"zh-{n}", formats=("png",))
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "\n" not in messages[0] and "apt-get install fonts-noto-cjk" in messages[0]


def test_english_charts_need_no_cjk_glyph(ds, tmp_path, monkeypatch):
    """English charts name measures and sources in English: no Chinese character is drawn."""
    fig = ch.fan_chart(ds, HTE, OBS, TARGETS.assign(clause="邢政发〔2018〕6号", source="https://example.cn/x"))
    drawn = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    assert not re.search(r"[\u2e80-\u9fff]", drawn), drawn
    assert ch.english_label("Tech leader enterprises (科技领军企业)") == "Tech leader enterprises"
    assert ch.english_label("专精特新 SMEs by designation year") == "SRDI SMEs by designation year"


@pytest.mark.parametrize("units, typical, expected", [
    ("dimensionless", 0.3, (100.0, "%")),          # a share
    ("dimensionless", 15, (1.0, "")),              # alliances: a count without a unit, not 1,500 %
    ("hundred_million_CNY/year**2", None, (1.0, "100M CNY/yr")),  # no raw unit string
    ("complex/county/year", None, (1.0, "complexes/counties/yr")),
])
def test_units_shown_right(units, typical, expected):
    assert ch.display_units(units, "en", typical=typical) == expected


def test_target_text_multiples_counts_and_rates():
    from innosd.outputs.report import _target_text
    double = pd.Series(dict(comparator="multiple_of_base", value=2, unit="dimensionless", base_year=2020))
    assert _target_text(double, "hundred_million_CNY", "en") == "≥ 2× base (base 2020)"
    consortia = pd.Series(dict(comparator="ge", value=3, unit="dimensionless"))
    assert _target_text(consortia, "dimensionless", "en", typical=2.6) == "≥ 3"
    growth = pd.Series(dict(comparator="growth_per_year", value=0.15, unit="1/year", base_year=2020))
    assert _target_text(growth, "hundred_million_CNY", "en") == "growth ≥ 15 %/yr (base 2020)"
    yearly = pd.Series(dict(comparator="increase_per_year", value=5, unit="hundred_million_CNY/year**2",
                            base_year=2022))
    assert "**" not in _target_text(yearly, "hundred_million_CNY/year", "en")
