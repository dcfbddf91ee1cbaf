"""Latency of `innosd explore`: from a lever change to recomputed data, and to redrawn charts.

    python benchmarks/explorer.py            # --scenario xingtai/baseline --runs 1000 --changes 20

1. In this process: the page's own callback (a Bokeh document, no browser) for each change: one
   ensemble through run_ensemble, the attainment of every scored target, the chart and table data.
2. In headless Chromium (Debian's chromium and chromedriver, Selenium), if present: `innosd explore
   --port 0` in a subprocess; each change sets a slider in the page, and the time is taken in the
   browser from the change to the second animation frame after the new data arrived (drawn).
Prints median and p90 of each, and the machine's load average: on a shared machine wall times grow
with the load, so step 1 also prints the CPU time the process used (its time on a core of its own).
Writes no files.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

# (lever, values to cycle through): levers that move many targets, from different sectors
CHANGES = [("basic_research_fiscal_share", (0.01, 0.03, 0.05)), ("hte_cultivation_pool_size", (300.0, 600.0, 900.0)),
           ("talent_outflow_shock", (1.5, 2.5, 0.8)), ("key_project_funding", (1.0, 2.0, 3.0)),
           ("popularisation_spending", (0.4, 0.8, 0.1))]

CHANGE_JS = """
const done = arguments[arguments.length - 1];
const doc = Bokeh.documents[0];
const slider = doc.get_model_by_name(arguments[0]);
const source = doc.get_model_by_name('attainment');
const old = source.data.p;
const t0 = performance.now();
slider.value = arguments[1];
slider.value_throttled = arguments[1];
let received = null;
const poll = () => {
  if (source.data.p !== old) {  // the server's new data (sent last, after the charts' data)
    received = performance.now() - t0;
    requestAnimationFrame(() => requestAnimationFrame(() => done([received, performance.now() - t0])));
  } else if (performance.now() - t0 > 30000) {
    done(null);
  } else {
    setTimeout(poll, 1);
  }
};
poll();
"""


def quantiles(ms: list[float]) -> str:
    return f"median {statistics.median(ms):6.0f} ms   p90 {np.percentile(ms, 90):6.0f} ms   (n = {len(ms)})"


def in_process(scenario: str, runs: int, changes: int) -> None:
    from bokeh.document import Document

    from innosd.explore.app import Page
    from innosd.explore.session import Session
    t0 = time.perf_counter()
    session = Session(scenario, runs=runs)
    page = Page(session, "en", Document())
    print(f"session ready in {time.perf_counter() - t0:.1f} s ({session.runs} runs, {len(session.indicators)} "
          f"indicators computed, {len(session.scored)} targets scored, {len(page.sources)} charts shown)")
    engine, total, cpu = [], [], []
    for k in range(changes):
        lever, values = CHANGES[k % len(CHANGES)]
        slider = page.sliders[lever]
        slider.value = values[(k // len(CHANGES)) % len(values)] * page.scale[lever]
        t, c = time.perf_counter(), time.process_time()
        page.recompute()
        total.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        engine.append(page.outcome.seconds * 1000)
    print(f"change -> ensemble and attainment (Session.compute):      {quantiles(engine)}")
    print(f"change -> recomputed page data (charts, table, summary):  {quantiles(total)}")
    print(f"  the same, CPU time of this process (what it takes on a core of its own): {quantiles(cpu)}")


def in_browser(scenario: str, runs: int, changes: int) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "explore"))
    import shutil
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("browser: skipped (needs chromium and chromedriver: apt-get install chromium chromium-driver)")
        return
    from test_explore import browser, start_explorer

    from innosd.figures.charts import display_units
    from innosd.inputs.scenario import levers
    driver = browser()
    proc, url = start_explorer(scenario, "--runs", str(runs))
    try:
        driver.get(url)
        while not driver.execute_script("return !!(window.Bokeh && Bokeh.documents.length && "
                                        "Bokeh.documents[0].get_model_by_name('attainment'))"):
            time.sleep(0.2)
        time.sleep(1)
        driver.set_script_timeout(60)
        received, drawn = [], []
        for k in range(changes):
            lever, values = CHANGES[k % len(CHANGES)]
            scale = display_units(levers()[lever].units)[0]  # the slider shows the lever in display units
            got = driver.execute_async_script(CHANGE_JS, f"lever:{lever}",
                                              values[(k // len(CHANGES)) % len(values)] * scale)
            if got is None:
                print(f"browser: no redraw within 30 s of change {k}")
                return
            received.append(got[0])
            drawn.append(got[1])
        print(f"browser: change -> new data in the page:                {quantiles(received)}")
        print(f"browser: change -> charts and table redrawn:            {quantiles(drawn)}")
    finally:
        driver.quit()
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="xingtai/baseline")
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--changes", type=int, default=20)
    p.add_argument("--no-browser", action="store_true")
    a = p.parse_args()
    print(f"{os.cpu_count()} cores, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min)")
    in_process(a.scenario, a.runs, a.changes)
    if not a.no_browser:
        in_browser(a.scenario, a.runs, a.changes)
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
