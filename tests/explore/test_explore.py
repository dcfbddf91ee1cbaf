"""innosd explore: a moved lever changes the probabilities, a saved scenario file reproduces them, and
the page in headless Chromium redraws when a slider is dragged."""
from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from innosd.core.equations import ModelError
from innosd.explore.session import Session

ROOT = Path(__file__).resolve().parents[2]
LEVER = "basic_research_fiscal_share"   # earmarks fiscal S&T money for basic research: 0.2 % of fiscal S&T by default
TARGET = "xt-002-basicshare-2025"       # basic research >= 0.3 % of R&D in 2025 (14th FYP): not met at the default


@pytest.fixture(scope="module")
def session():
    return Session("xingtai/baseline", runs=100)


def test_a_moved_lever_changes_the_probability_from_its_start_year(session):
    assert session.baseline.probability[TARGET] < 0.2
    moved = session.compute({LEVER: (0.05, 2022)})
    assert moved.probability[TARGET] > 0.8
    # the lever acts from its start year only: the years before are those of the baseline
    share = "basic_research_share"
    years = list(moved.years)
    before, after = years.index(2021), years.index(2023)
    assert moved.bands(share)[2, before] == pytest.approx(session.baseline.bands(share)[2, before])
    assert moved.bands(share)[2, after] > 2 * session.baseline.bands(share)[2, after]
    # starting later meets the 2025 target less often or as often, never more
    late = session.compute({LEVER: (0.05, 2026)})
    assert late.probability[TARGET] <= session.baseline.probability[TARGET] + 1e-12


def test_a_change_resumes_the_baseline_at_its_start_year_with_the_same_numbers(session):
    for settings in ({LEVER: (0.03, 2024)}, {"talent_outflow_shock": (2.0, 2016), LEVER: (0.01, 2027)}):
        resumed, whole = session.compute(settings), session.compute(settings, resume=False)
        assert list(resumed.years) == list(whole.years)
        assert resumed.probability == whole.probability
        for name, runs in whole.runs.items():
            np.testing.assert_array_equal(resumed.runs[name], runs)


def test_a_lever_keeps_its_schedule_before_the_start_year():
    drain = Session("xingtai/talent-drain", runs=20)
    points, kind = drain.schedule_points("talent_introduction_per_year", 100.0, 2024)
    assert (points, kind) == ({2016: 60.0, 2021: 30.0, 2024: 100.0}, "step")
    assert drain.lever_value("talent_introduction_per_year", 2023) == 30.0
    with pytest.raises(ModelError, match=r"outside its bounds \[0, 400\]"):
        drain.schedule_points("talent_introduction_per_year", 500.0, 2024)


def test_saved_scenario_reproduces_the_explored_probabilities(scratch_home):
    session = Session("xingtai/baseline", runs=100)   # the workspace's own baseline, saved beside it
    settings = {LEVER: (0.05, 2022), "talent_outflow_shock": (2.0, 2024)}
    moved = session.compute(settings)
    path = session.save("more-basic-research", settings)
    assert path == scratch_home / "scenarios" / "xingtai" / "more-basic-research.yaml"
    text = path.read_text(encoding="utf-8")
    assert "extends: baseline" in text and "basic_research_fiscal_share: {2022: 0.05}" in text
    again = Session(path, runs=100)   # same seed and parameter draws: the same numbers
    assert again.baseline.probability == moved.probability
    # never overwritten, never a leftover temporary file
    with pytest.raises(ModelError, match="already exists"):
        session.save("more-basic-research", {LEVER: (0.01, 2022)})
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in path.parent.glob(".*")] == []
    with pytest.raises(ModelError, match="letters, digits"):
        session.save("../escape", settings)


def test_the_shipped_copy_is_never_written(session, monkeypatch, tmp_path):
    monkeypatch.delenv("INNOSD_HOME", raising=False)
    monkeypatch.chdir(tmp_path)  # no workspace here: the data in use are the shipped copy
    with pytest.raises(ModelError, match="innosd init"):
        session.save("anything", {LEVER: (0.05, 2022)})


# --- the page in a browser ---------------------------------------------------------------------

FIND_HANDLE = """
const model = Bokeh.documents[0].get_model_by_name(arguments[0]);
const stack = [...Bokeh.index.roots];
while (stack.length) {
  const view = stack.pop();
  if (view.model === model) return view.shadow_el.querySelector('.noUi-handle');
  if (view.child_views) stack.push(...view.child_views);
}
return null;
"""
TABLE_CELLS = """
const model = Bokeh.documents[0].get_model_by_name('attainment_table');
const stack = [...Bokeh.index.roots];
while (stack.length) {
  const view = stack.pop();
  if (view.model === model) return Array.from(view.shadow_el.querySelectorAll('.slick-row'), r => r.innerText);
  if (view.child_views) stack.push(...view.child_views);
}
return null;
"""


def browser():
    """Debian's Chromium and chromedriver under Selenium, headless; CI must have them."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        if os.environ.get("CI"):
            pytest.fail("the explorer test needs Chromium and its driver: apt-get install -y chromium chromium-driver")
        pytest.skip("chromium or chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--disable-background-networking", "--no-first-run"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


def start_explorer(*args: str) -> tuple[subprocess.Popen, str]:
    """``innosd explore ARGS --port 0`` in a subprocess, and the URL it prints."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "model"),
                                                                     os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-m", "innosd.cli", "explore", *args, "--port", "0"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                raise AssertionError(f"innosd explore exited with {proc.returncode} before serving")
            continue
        found = re.search(r"open (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return proc, found.group(1)
    proc.kill()
    raise AssertionError("innosd explore printed no URL within 240 s")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dragging_a_slider_redraws_the_probabilities(tmp_path, lang):
    from selenium.webdriver.common.action_chains import ActionChains
    driver = browser()
    proc, url = start_explorer("xingtai/baseline", "--runs", "100", "--lang", lang)
    try:
        driver.get(url)
        model = "Bokeh.documents[0].get_model_by_name"
        deadline = time.monotonic() + 60
        while not driver.execute_script(f"return !!(window.Bokeh && Bokeh.documents.length && {model}('summary'))"):
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.2)
        summary = driver.execute_script(f"return {model}('summary').text")
        assert ("targets likely met" if lang == "en" else "项目标大概率达成") in summary
        ids = driver.execute_script(f"return {model}('attainment').data.id")
        before = driver.execute_script(f"return {model}('attainment').data.p")[ids.index(TARGET)]
        handle = driver.execute_script(FIND_HANDLE, f"lever:{LEVER}")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", handle)
        ActionChains(driver).drag_and_drop_by_offset(handle, 400, 0).perform()  # to the slider's upper bound
        deadline = time.monotonic() + 60
        while driver.execute_script(f"return {model}('attainment').data.p")[ids.index(TARGET)] == before:
            assert time.monotonic() < deadline, "no probability changed within 60 s of moving the slider"
            time.sleep(0.2)
        after = driver.execute_script(f"return {model}('attainment').data.p")[ids.index(TARGET)]
        assert before < 0.2 < 0.8 < after
        assert driver.execute_script(f"return {model}('lever:{LEVER}').value") == pytest.approx(5.0)  # 5 %
        assert driver.execute_script(f"return {model}('summary').text") != summary
        # the table as drawn: the target's row shows the new probability
        text = driver.execute_script(f"return {model}('attainment').data.target")[ids.index(TARGET)]
        rows = driver.execute_script(TABLE_CELLS)
        assert any(r.startswith(text) and "100%" in r for r in rows), rows
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(tmp_path / f"explore-{lang}.png"))
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=30)


def test_a_wrong_scenario_or_runs_is_one_line_and_exit_2(capsys):
    from innosd.cli import main
    assert main(["explore", "xingtai/baselin"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "did you mean" in err and "xingtai/baseline" in err
    assert main(["explore", "xingtai/baseline", "--runs", "0"]) == 2
    assert "at least one run" in capsys.readouterr().err
