"""The results folders of ``innosd run`` and ``innosd compare``: tables, charts, an HTML report
and a manifest, written atomically into a new folder."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

import pandas as pd
import xarray as xr

from .. import __version__
from ..analysis.forecast import Explanations, Forecast, explain
from ..analysis.guards import exclusion_note
from ..figures import charts as ch
from ..inputs.scenario import levers
from ..inputs.targets import LEVEL_COMPARATORS, indicator_names
from . import tables
from .files import results_folder, save_figure, scenario_input_files, write_manifest
from .report import write_report


def chart_indicators(fc: Forecast, which: str = "headline") -> list[str]:
    """Indicators to draw: the profile's ``headline_indicators`` (default), or ``all``: every
    indicator with a level target (ge/gt/le/lt) or with history."""
    headline = fc.region.profile.get("headline_indicators")
    if which == "headline" and headline:
        ordered = list(headline)
    else:
        t = fc.region.targets
        level = t[t["comparator"].isin(LEVEL_COMPARATORS) & t["model_value"].notna()]["indicator"]
        ordered = list(dict.fromkeys(list(level) + list(fc.region.observations.get("indicator", []))))
    return [n for n in ordered if n in fc.ensemble and fc.region.supports(n)]


def _label(ds: xr.Dataset, name: str, lang: str) -> str:
    if lang == "zh":
        return ds[name].attrs.get("long_name_zh") or name
    return ch.english_label(ds[name].attrs.get("long_name") or name)


def _names(ds: xr.Dataset, lang: str) -> dict[str, str]:
    """Names in words of every model element, and of indicators the model has no element for."""
    return {**indicator_names(lang), **{n: _label(ds, n, lang) for n in ds.data_vars}}


def _draw_fan(job) -> tuple[str, Path, str]:
    ds, name, obs, tg, lang, folder, formats = job
    fig = ch.fan_chart(ds, name, observations=obs, targets=tg, lang=lang)
    return _label(ds, name, lang), save_figure(fig, folder, f"fan-{name}", formats=formats)[0], name


def _draw_comparison(job) -> tuple[str, Path, str]:
    ensembles, name, obs, tg, lang, folder, formats = job
    fig = ch.comparison_chart(ensembles, name, observations=obs, targets=tg, lang=lang)
    return (_label(next(iter(ensembles.values())), name, lang),
            save_figure(fig, folder, f"compare-{name}", formats=formats)[0], name)


def _meta(fc: Forecast, lang: str) -> dict:
    return {"region": fc.region.display_name(lang), "runs": fc.ensemble.sizes["run"],
            "excluded runs": (f"{len(fc.excluded)} / {fc.runs_simulated or fc.ensemble.sizes['run']}" if lang == "zh"
                              else f"{len(fc.excluded)} of {fc.runs_simulated or fc.ensemble.sizes['run']}"),
            "seed": fc.ensemble.attrs["seed"],
            "parameter source": fc.ensemble.attrs["parameter_source"], "version": __version__,
            "created": time.strftime("%Y-%m-%d %H:%M")}


def lever_info(lang: str) -> dict[str, tuple[str, str]]:
    """Each lever's name in words (its description) and its units."""
    return {name: ((lv.description_zh if lang == "zh" else ch.english_label(lv.description_en)) or name, lv.units)
            for name, lv in levers().items()}


def write_forecast(fc: Forecast, out: Path | str | None = None, lang: str = "en",
                   charts: str | bool = "headline", explain_unlikely: bool = True,
                   chart_formats: Sequence[str] = ("png",)) -> Path:
    """Write a results folder for one forecast (``innosd run``); returns its path.

    ``charts``: "headline" (the region's headline indicators), "all", or False for none;
    ``chart_formats``: png (what the report embeds) and/or svg.  ``explain_unlikely``: search
    what would lift each unlikely target (two small batched ensembles, drawn while charts render)."""
    with results_folder(out, f"{fc.scenario.region}-{fc.scenario.name}") as folder:
        tables.write_tables(folder, {"summary": fc.summary, "attainment": fc.attainment}, lang)
        fc.excluded.to_csv(folder.path("excluded-runs.csv"), index=False)
        jobs = []
        if charts:
            (folder.staging / "charts").mkdir()
            which = "headline" if charts is True else charts
            jobs = [(fc.ensemble[[name]], name, fc.region.observations, fc.region.targets, lang,
                     folder.staging / "charts", tuple(chart_formats)) for name in chart_indicators(fc, which)]
        with ch.drawing(_draw_fan, jobs) as figures:
            why = explain(fc) if explain_unlikely else Explanations()
        meta = {"scenario": fc.scenario.name, "description": fc.scenario.description, **_meta(fc, lang)}
        write_report(folder.path("report.html"), title=f"{fc.region.display_name(lang)}: {fc.scenario.name}",
                     subtitle=fc.scenario.description, meta=meta, attainment=fc.attainment, summary=fc.summary,
                     figures=figures.result(), notes=fc.notes, lang=lang, indicator_names=_names(fc.ensemble, lang),
                     lifts=why.lifts, deciders=why.deciders, lever_info=lever_info(lang))
        write_manifest(folder, inputs=scenario_input_files(fc.scenario), seed=fc.ensemble.attrs["seed"],
                       runs=fc.ensemble.sizes["run"],
                       extra={"scenario": fc.scenario.name, "region": fc.scenario.region,
                              "parameter_source": fc.ensemble.attrs["parameter_source"],
                              "scenario_sha256": fc.scenario.sha256, "lang": lang})
    return folder.final


HEATMAP_ROWS = 30   # targets per heat map page: each page stays readable on a screen


def write_comparison(forecasts: Sequence[Forecast], table: pd.DataFrame, out: Path | str | None = None,
                     lang: str = "en") -> Path:
    """Write the results folder of ``innosd compare`` (``table`` from
    :func:`innosd.analysis.forecast.comparison_table`); returns its path.  The report shows each
    scenario's probability in a column named by the scenario and the difference from the first;
    the heat maps are one per plan (pages of at most HEATMAP_ROWS targets), rows named in words."""
    names = [fc.scenario.name for fc in forecasts]
    first = forecasts[0]
    region = first.scenario.region
    with results_folder(out, f"compare-{region}-" + "-vs-".join(names)) as folder:
        summary = pd.concat([fc.summary.assign(scenario=fc.scenario.name) for fc in forecasts])
        tables.write_tables(folder, {"comparison": table, "summary": summary}, lang)
        pd.concat([fc.excluded.assign(scenario=fc.scenario.name) for fc in forecasts]).to_csv(
            folder.path("excluded-runs.csv"), index=False)
        charts = folder.staging / "charts"
        charts.mkdir()
        words = _names(first.ensemble, lang)
        figures = []
        modelled = first.attainment["status"].values == "modelled"
        heat = pd.concat([fc.attainment[modelled].assign(scenario=fc.scenario.name) for fc in forecasts])
        heat["label"] = [f"{words.get(i, i) if lang == 'zh' else ch.english_label(words.get(i, i))} {int(y)}"
                         for i, y in zip(heat["indicator"], heat["year"])]
        heat["plan"] = [ch.plan_key(s, c) for s, c in zip(heat["source"], heat["clause"])]
        for plan, rows in heat.groupby("plan", sort=False):
            ids = list(dict.fromkeys(rows["target_id"]))
            pages = [ids[k:k + HEATMAP_ROWS] for k in range(0, len(ids), HEATMAP_ROWS)]
            title = ch.plan_title(rows["source"].iloc[0], lang, rows["clause"].iloc[0])
            for k, page in enumerate(pages, start=1):
                part = rows[rows["target_id"].isin(page)][["target_id", "scenario", "probability", "label"]]
                caption = title + (f" ({k}/{len(pages)})" if len(pages) > 1 else "")
                fig = ch.attainment_heatmap(part, lang=lang, title=caption)
                stem = f"attainment-{ch.safe_key(plan)}-{k}"
                figures.append((caption, save_figure(fig, charts, stem, formats=("png",))[0]))
        jobs = [({fc.scenario.name: fc.ensemble[[name]] for fc in forecasts}, name, first.region.observations,
                 first.region.targets, lang, charts, ("png",)) for name in chart_indicators(first)]
        figures += ch.draw_in_parallel(_draw_comparison, jobs)
        meta = {"scenarios": ", ".join(names), **_meta(first, lang)}
        write_report(folder.path("report.html"), title=" vs ".join(names),
                     subtitle="情景比较" if lang == "zh" else "scenario comparison",
                     meta=meta, attainment=first.attainment.copy(), summary=first.summary, figures=figures,
                     notes=[f"{fc.scenario.name}: {exclusion_note(fc.excluded, fc.runs_simulated)}" for fc in forecasts]
                     + first.notes[:1] + first.notes[2:], lang=lang, indicator_names=words, comparison=table,
                     scenario_names=names)
        inputs = {}
        for fc in forecasts:
            inputs.update(scenario_input_files(fc.scenario))
        write_manifest(folder, inputs=inputs, seed=first.ensemble.attrs["seed"], runs=first.ensemble.sizes["run"],
                       extra={"scenarios": names})
    return folder.final
