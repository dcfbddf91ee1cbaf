"""`innosd run`, `compare` and `reach` end to end: files written, never overwritten, atomic."""
import contextlib
import html
import io
import json
import re
import shutil

import pandas as pd
import pytest

from innosd import api
from innosd.cli import main
from innosd.core.equations import ModelError


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("res") / "baseline"
    assert main(["run", "xingtai/baseline", "--runs", "40", "--seed", "5", "--out", str(out),
                 "--chart-formats", "png", "svg"]) == 0  # the report embeds PNG; SVG when asked for
    return out


def test_run_writes_the_documented_folder(run_folder):
    names = {p.name for p in run_folder.iterdir()}
    assert {"manifest.json", "summary.csv", "attainment.csv", "tables.xlsx", "report.html", "charts"} <= names
    charts = list((run_folder / "charts").iterdir())
    assert any(p.suffix == ".png" for p in charts) and any(p.suffix == ".svg" for p in charts)
    summary = pd.read_csv(run_folder / "summary.csv")
    assert list(summary.columns) == ["indicator", "units", "year", "q05", "q25", "q50", "q75", "q95", "mean"]
    att = pd.read_csv(run_folder / "attainment.csv")
    for col in ("target_id", "indicator", "year", "value", "comparator", "source", "probability", "median",
                "p05", "p95", "first_year_median"):
        assert col in att.columns
    m = json.loads((run_folder / "manifest.json").read_text())
    assert m["seed"] == 5 and m["runs"] == 40 and m["version"]
    assert "scenario:baseline.yaml" in m["inputs"] and len(m["inputs"]["targets"]["sha256"]) == 64
    assert m["outputs"]["summary.csv"] and m["outputs"]["report.html"]


def test_run_never_overwrites(run_folder, capsys):
    before = (run_folder / "summary.csv").read_bytes()
    assert main(["run", "xingtai/baseline", "--runs", "5", "--out", str(run_folder)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (run_folder / "summary.csv").read_bytes() == before


def test_default_folders_are_new_each_time(tmp_path, monkeypatch):
    fc = api.forecast("xingtai/baseline", runs=5, seed=1)
    monkeypatch.chdir(tmp_path)  # not a workspace: results go to ./results/
    a = api.write_forecast(fc, charts=False)
    b = api.write_forecast(fc, charts=False)
    assert a != b and a.parent == b.parent == tmp_path / "results"
    assert not [p for p in (tmp_path / "results").iterdir() if p.name.startswith(".")]


def test_interrupted_write_leaves_nothing_that_looks_complete(tmp_path, monkeypatch):
    fc = api.forecast("xingtai/baseline", runs=5, seed=1)

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr("innosd.outputs.forecast.write_report", boom)
    with pytest.raises(RuntimeError):
        api.write_forecast(fc, out=tmp_path / "x", charts=False)
    assert not (tmp_path / "x").exists()
    assert list(tmp_path.iterdir()) == []


def test_compare_gives_probability_differences(tmp_path):
    folder, table = api.compare(["xingtai/baseline", "xingtai/fiscal-squeeze"], runs=30, seed=1,
                                out=tmp_path / "cmp")
    assert (folder / "comparison.csv").exists()
    # heat maps one per plan, paged: no page taller than a screenful of rows
    heat = sorted((folder / "charts").glob("attainment-*.png"))
    assert len(heat) >= 3 and any(p.name.startswith("attainment-002-") for p in heat)
    from PIL import Image
    assert max(Image.open(p).size[1] for p in heat) < 2500
    assert "dp[fiscal-squeeze - baseline]" in table.columns
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "Probability: baseline" in report and "Probability: fiscal-squeeze" in report
    assert "Δ fiscal-squeeze − baseline" in report
    rd = table[table["indicator"] == "rd_intensity"]["dp[fiscal-squeeze - baseline]"]
    assert (rd.dropna() <= 1e-9).all()  # a fiscal squeeze never helps R&D intensity


def test_reach_finds_a_change_or_says_it_cannot():
    att = api.forecast("xingtai/baseline", runs=50, seed=1).attainment
    missed = att[(att.status == "modelled") & (att.indicator == "hte_count") & (att.probability < 0.8)]
    if missed.empty:
        pytest.skip("baseline already meets every HTE target")
    t = missed.iloc[0]["target_id"]
    res = api.reach("xingtai/baseline", t, "hte_cultivation_pool_size", probability=0.8, runs=50, seed=1)
    assert res.baseline_probability < 0.8
    if res.change is not None:
        assert res.probability >= 0.8 and res.change > 0
    else:
        assert "cannot" in res.message


def test_reach_rejects_unknown_lever():
    with pytest.raises(ModelError, match="did you mean"):
        api.reach("xingtai/baseline", "xt-002-hte-2025", "hte_cultivation_pool", runs=5)


# --- Chinese throughout (issue 14.3) -------------------------------------------------------

# words a Chinese reader meets untranslated on purpose: commands and their options, region and scenario keys, GDP
ALLOWED_ENGLISH = {"innosd", "reach", "adopt", "calibrate", "region", "xingtai", "baseline", "GDP", "xlsx", "csv",
                   "NaN"}  # NaN: the value's own name


def untranslated(text: str) -> set[str]:
    """English words in ``text``: letters only (ids, codes, paths and units like 'nc' are not words)."""
    tokens = re.findall(r"[A-Za-z_./\d-]+", text)
    return {t for t in tokens if re.fullmatch(r"[A-Za-z]{3,}", t)} - ALLOWED_ENGLISH


def visible_text(page: str) -> str:
    page = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    page = re.sub(r'<td class="clause">.*?</td>', "", page, flags=re.S)  # the plans' own words, quoted
    page = re.sub(r'="data:[^"]+"', "", page)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh") / "baseline"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["run", "xingtai/baseline", "--runs", "40", "--seed", "5", "--lang", "zh", "--out", str(out)]) == 0
    return out, buf.getvalue()


def test_chinese_run_has_no_untranslated_english(zh_run):
    out, printed = zh_run
    assert not untranslated(printed), printed
    assert "项可能达成" in printed
    report = visible_text((out / "report.html").read_text(encoding="utf-8"))
    assert not untranslated(report)
    for name in ("summary.csv", "attainment.csv"):
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Chinese Windows reads UTF-8
        header = raw.decode("utf-8-sig").splitlines()[0]
        assert not untranslated(header), header


def test_tables_workbook(zh_run):
    out, _ = zh_run
    book = pd.read_excel(out / "tables.xlsx", sheet_name=None, engine="openpyxl")
    assert set(book) == {"指标汇总", "目标达成"}
    att = book["目标达成"]
    assert "达成概率" in att.columns and "目标编号" in att.columns
    csv = pd.read_csv(out / "attainment.csv", encoding="utf-8-sig")
    assert len(att) == len(csv) and list(att.columns) == list(csv.columns)


def test_reach_speaks_chinese(capsys):
    att = api.forecast("xingtai/baseline", runs=30, seed=1).attainment
    t = att[(att.status == "modelled") & (att.indicator == "hte_count")].iloc[0]["target_id"]
    main(["reach", "xingtai/baseline", "--target", t, "--lever", "hte_cultivation_pool_size", "--runs", "30",
          "--seed", "1", "--lang", "zh"])
    printed = capsys.readouterr().out
    assert "概率" in printed and not untranslated(printed), printed


def test_new_region_without_targets_runs_and_says_so(tmp_path, capsys):
    ws = api.init(tmp_path / "ws")
    shutil.copytree(ws / "calibration" / "xingtai", ws / "calibration" / "newcity")
    profile = ws / "calibration" / "newcity" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("region: xingtai", "region: newcity"),
                       encoding="utf-8")
    (ws / "scenarios" / "newcity").mkdir()
    text = (ws / "scenarios" / "xingtai" / "baseline.yaml").read_text(encoding="utf-8")
    (ws / "scenarios" / "newcity" / "baseline.yaml").write_text(text.replace("region: xingtai", "region: newcity"),
                                                                 encoding="utf-8")
    assert main(["--home", str(ws), "run", "newcity/baseline", "--runs", "10", "--no-charts"]) == 0
    printed = capsys.readouterr().out
    assert "no targets for newcity yet" in printed
    folders = [p for p in (ws / "results").iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1 and folders[0].name.startswith("newcity-baseline-")  # named by region
    assert "has no targets yet" in (folders[0] / "report.html").read_text(encoding="utf-8")
