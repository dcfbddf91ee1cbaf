"""The explorer's page: a Bokeh server application bound to 127.0.0.1.

Bokeh (the ``explore`` extra) because the page is Python end to end: each widget change calls a
Python function in this process, which keeps the session (model, parameter sets) in memory and
sends back only the changed chart data; BokehJS is served by the same local server, so the page
needs no network. A lever's slider fires when it is released (``value_throttled``), and changes that
arrive while an ensemble runs are folded into the next one.
"""
from __future__ import annotations

import socket

import numpy as np
from bokeh.application import Application
from bokeh.application.handlers.function import FunctionHandler
from bokeh.layouts import column, gridplot, row
from bokeh.models import (
    Button,
    ColumnDataSource,
    CustomJS,
    DataTable,
    Div,
    HoverTool,
    MultiChoice,
    NumberFormatter,
    Slider,
    Spinner,
    TableColumn,
    TextInput,
)
from bokeh.plotting import figure
from bokeh.server.server import Server

from ..core.equations import ModelError
from ..figures.charts import display_units, source_tag
from ..figures.format import format_number
from ..inputs.targets import LEVEL_COMPARATORS
from .session import BANDS, LIKELY, UNLIKELY, Session, lever_step

UI = {
    "en": {
        "title": "innosd explorer: {region}, scenario '{scenario}'",
        "note": "{runs} runs per change ({params}). Move a lever: its new value applies from its start year on; "
                "before that the scenario's schedule holds. Baseline: the scenario as loaded.",
        "levers": "Levers", "from": "from year",
        "from_note": "the box beside each slider is the first calendar year of its new value.",
        "reset": "Reset all levers",
        "summary": "<b>{likely}</b> targets likely met (P ≥ {hi:.0%}), <b>{uncertain}</b> uncertain, "
                   "<b>{unlikely}</b> unlikely (P &lt; {lo:.0%}) of {n} with a probability "
                   "(baseline: {b_likely} / {b_uncertain} / {b_unlikely}); moved levers: {moved}. "
                   "Computed in {ms:.0f} ms.",
        "target": "Target", "plan": "Plan", "year": "Year", "p": "P(met)", "p_base": "P baseline",
        "dp": "Change", "charts": "Charts", "median": "median", "baseline": "baseline median",
        "band90": "90 % of runs", "band50": "50 % of runs", "observed": "observed", "target_mark": "target",
        "save_name": "Save as scenario (file name)", "save": "Save as scenario YAML",
        "saved": "Saved {path}", "every": "every year {a}-{b}", "growth": "{name}: average growth {base}-{year} ≥ {v}",
        "multiple": "{name}: {year} ≥ {v}× {base}", "increase": "{name}: +{v} every year {a}-{b}",
        "cumulative": "{name}: +{v} from {base} to {year}", "level": "{name} {sym} {v} in {year}",
        "level_every": "{name} {sym} {v} every year {a}-{b}",
    },
    "zh": {
        "title": "innosd 情景探索：{region}，情景“{scenario}”",
        "note": "每次改动运行 {runs} 次（{params}）。移动政策杠杆：新值自起始年份起生效，此前沿用情景原有安排。"
                "基准：所载情景。",
        "levers": "政策杠杆", "from": "起始年份",
        "from_note": "各滑块旁的数字为新值开始生效的年份。", "reset": "全部复原",
        "summary": "<b>{likely}</b> 项目标大概率达成（P ≥ {hi:.0%}），<b>{uncertain}</b> 项不确定，"
                   "<b>{unlikely}</b> 项难以达成（P &lt; {lo:.0%}），共 {n} 项有达成概率"
                   "（基准：{b_likely} / {b_uncertain} / {b_unlikely}）；已调整杠杆：{moved} 个。"
                   "计算用时 {ms:.0f} 毫秒。",
        "target": "目标", "plan": "规划", "year": "年份", "p": "达成概率", "p_base": "基准概率", "dp": "变化",
        "charts": "图表", "median": "中位数", "baseline": "基准中位数", "band90": "90% 运行区间",
        "band50": "50% 运行区间", "observed": "观测值", "target_mark": "目标",
        "save_name": "另存为情景（文件名）", "save": "保存为情景 YAML", "saved": "已保存 {path}",
        "every": "{a}-{b}年每年", "growth": "{name}：{base}-{year}年年均增长 ≥ {v}",
        "multiple": "{name}：{year}年达到{base}年的 {v} 倍", "increase": "{name}：{a}-{b}年每年新增 ≥ {v}",
        "cumulative": "{name}：{base}-{year}年累计新增 ≥ {v}", "level": "{name}：{year}年 {sym} {v}",
        "level_every": "{name}：{a}-{b}年每年 {sym} {v}",
    },
}
REDRAW_TABLE = """
const stack = [...Bokeh.index.roots];
while (stack.length) {
  const view = stack.pop();
  if (view.model === table) { view.updateGrid(); return; }
  if (view.child_views) stack.push(...view.child_views);
}
"""
SYMBOL = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
CHARTS_SHOWN = 6


def element_name(session: Session, name: str, lang: str) -> str:
    el = session.model.model.elements[name]
    return (el.zh if lang == "zh" else el.en) or name


def target_text(session: Session, t, lang: str) -> str:
    """A target in words, in the page's language, with its value in display units."""
    ui = UI[lang]
    name, cmp, year = element_name(session, t["indicator"], lang), t["comparator"], int(t["year"])
    base = t.get("base_year")
    base = int(base) if base is not None and not np.isnan(base) else None
    if cmp == "multiple_of_base":
        return ui["multiple"].format(name=name, year=year, v=format_number(t["value"]), base=base)
    scale, unit = (1.0, "%") if str(t["unit"]).strip() == "percent" else display_units(t["unit"], lang)
    v = f"{format_number(float(t['value']) * scale)}{'' if unit in ('%', '%/yr', '%/年') else ' '}{unit}".strip()
    if cmp == "growth_per_year":
        return ui["growth"].format(name=name, base=base, year=year, v=v)
    if cmp == "increase_per_year":
        return ui["increase"].format(name=name, v=v, a=base + 1, b=year)
    if cmp == "cumulative_from":
        return ui["cumulative"].format(name=name, v=v, base=base, year=year)
    if base is not None:
        return ui["level_every"].format(name=name, sym=SYMBOL[cmp], v=v, a=base + 1, b=year)
    return ui["level"].format(name=name, sym=SYMBOL[cmp], v=v, year=year)


def parameter_note(session: Session, lang: str) -> str:
    """Where the parameter sets come from (the ensemble's note in English; its gist in Chinese)."""
    if lang != "zh":
        return session.parameter_note
    note = session.parameter_note
    text = (f"参数取自 calibration/{session.region.key}/posterior.nc 的后验样本" if "posterior sample" in note
            else "参数取自先验分布" if "prior" in note else "参数取校准默认值")
    if "WARNING" in note:
        text += f"；注意：校准后模型方程已改动，请重新校准（innosd calibrate --region {session.region.key}）"
    return text


class Page:
    """One browser tab: widgets, chart sources and the callbacks that re-run the ensemble."""

    def __init__(self, session: Session, lang: str, doc):
        self.s, self.lang, self.doc, self.ui = session, lang, doc, UI[lang]
        self.outcome = session.baseline
        self.pending = False
        s, ui = session, self.ui
        sc = s.scenario
        self.sliders, self.starts, self.initial, self.scale = {}, {}, {}, {}
        controls = []
        for name, lever in s.levers.items():
            value = s.lever_value(name, s.first_year)
            self.initial[name] = value
            # the slider shows the lever in display units (a rate as %/yr); settings() converts back
            self.scale[name], unit = display_units(lever.units, lang)
            scale = self.scale[name]
            desc = lever.description_zh if lang == "zh" else lever.description_en
            slider = Slider(start=lever.min * scale, end=lever.max * scale, value=value * scale, width=300,
                            step=lever_step(lever.min * scale, lever.max * scale), title=unit or None,
                            name=f"lever:{name}", format="0,0[.][0000]")
            start = Spinner(low=int(sc.start) + 1, high=int(sc.stop), value=s.first_year, step=1, width=80,
                            name=f"start:{name}")
            slider.on_change("value_throttled", self.changed)
            start.on_change("value", self.changed)
            self.sliders[name], self.starts[name] = slider, start
            controls.append(Div(text=f"{desc}", width=390, styles={"font-size": "90%", "margin-bottom": "-6px"}))
            controls.append(row(slider, start))
        reset = Button(label=ui["reset"], width=160)
        reset.on_click(self.reset)
        self.save_name = TextInput(title=ui["save_name"], value=f"{sc.name}-explored", width=220, name="save_name")
        save = Button(label=ui["save"], button_type="primary", width=160, name="save")
        save.on_click(self.save)
        self.message = Div(text="", width=400, name="message")
        lever_column = column(Div(text=f"<h3>{ui['levers']}</h3>"), reset, *controls,
                              Div(text=f"<i>{ui['from']}</i>: {ui['from_note']}", width=390), row(self.save_name, save),
                              self.message, width=420, height=860,
                              styles={"overflow-y": "auto"})

        self.summary = Div(text="", width=900, name="summary")
        self.rows = [t for t in s.scored]
        self.table_source = ColumnDataSource(self.table_data(), name="attainment")
        pct = NumberFormatter(format="0%")
        columns = [TableColumn(field="target", title=ui["target"], width=440),
                   TableColumn(field="plan", title=ui["plan"], width=130),
                   TableColumn(field="year", title=ui["year"], width=50),
                   TableColumn(field="p", title=ui["p"], formatter=pct, width=70),
                   TableColumn(field="p_base", title=ui["p_base"], formatter=pct, width=70),
                   TableColumn(field="dp", title=ui["dp"], formatter=NumberFormatter(format="+0%"), width=60)]
        self.table = DataTable(source=self.table_source, columns=columns, width=900, height=260, sortable=True,
                               index_position=None, name="attainment_table")
        # BokehJS 3.9's DataTable does not redraw its cells when its source's data come from the server:
        # redraw them then (a new source instead would make Bokeh walk every model of the page, ~0.5 s)
        self.table_source.js_on_change("data", CustomJS(args={"table": self.table}, code=REDRAW_TABLE))

        options = [(n, element_name(s, n, lang)) for n in s.indicators]
        first = list(dict.fromkeys(t["indicator"] for t in self.rows))[:CHARTS_SHOWN]
        self.choice = MultiChoice(title=ui["charts"], value=first, options=options, width=900, name="charts")
        self.choice.on_change("value", lambda attr, old, new: self.draw_charts())
        self.sources: dict[str, ColumnDataSource] = {}
        key = Div(text=f"<span style='background:#9ecae1'>&nbsp;&nbsp;&nbsp;</span> {ui['band90']} &nbsp; "
                       f"<span style='background:#4292c6'>&nbsp;&nbsp;&nbsp;</span> {ui['band50']} &nbsp; "
                       f"<b style='color:#08306b'>━</b> {ui['median']} &nbsp; <b style='color:#555'>╌</b> "
                       f"{ui['baseline']} &nbsp; ● {ui['observed']} &nbsp; <span style='color:#ffb000'>★</span> "
                       f"{ui['target_mark']}", width=900)
        self.grid = column()
        self.draw_charts()
        self.update_summary()

        note = ui["note"].format(runs=s.runs, params=parameter_note(s, lang))
        title = Div(text=f"<h2>{ui['title'].format(region=s.region.display_name(lang), scenario=sc.name)}</h2>"
                         f"<p style='color:#555;font-size:85%'>{note}</p>",
                    width=1340)
        doc.title = "innosd explore"
        doc.add_root(column(title, row(lever_column, column(self.summary, self.table, self.choice, key, self.grid))))

    # --- data -----------------------------------------------------------------------------

    def table_data(self) -> dict:
        """The table's columns: the targets' words once, their probabilities per change."""
        s, p = self.s, self.outcome.probability
        base = s.baseline.probability
        if not hasattr(self, "fixed_columns"):
            self.fixed_columns = {
                "id": [t["target_id"] for t in self.rows],
                "target": [target_text(s, t, self.lang) for t in self.rows],
                "plan": [source_tag(t.get("source"), self.lang, t.get("clause")) for t in self.rows],
                "year": [int(t["year"]) for t in self.rows], "p_base": [base[t["target_id"]] for t in self.rows]}
        ids = self.fixed_columns["id"]
        return {**self.fixed_columns, "p": [p[i] for i in ids], "dp": [p[i] - base[i] for i in ids]}

    def chart_data(self, name: str) -> dict:
        unit = self.s.model.model.elements[name].units
        scale = display_units(unit, self.lang)[0]
        q, b = self.outcome.bands(name) * scale, self.s.baseline_with([name]).bands(name) * scale
        data = {"year": self.outcome.years}
        for i, p in enumerate(BANDS):
            data[f"q{round(p * 100):02d}"] = q[i]
        data["base"] = b[BANDS.index(0.5)]
        return data

    def chart(self, name: str):
        s, ui, lang = self.s, self.ui, self.lang
        units = s.model.model.elements[name].units
        scale, unit = display_units(units, lang)
        source = ColumnDataSource(self.chart_data(name), name=f"chart:{name}")
        self.sources[name] = source
        fig = figure(width=440, height=280, title=element_name(s, name, lang), y_axis_label=unit,
                     toolbar_location=None, name=f"figure:{name}")
        fig.varea("year", "q05", "q95", source=source, color="#9ecae1", alpha=0.5)
        fig.varea("year", "q25", "q75", source=source, color="#4292c6", alpha=0.5)
        fig.line("year", "q50", source=source, color="#08306b", line_width=2)
        fig.line("year", "base", source=source, color="#555555", line_dash="dashed", line_width=1.5,
                )
        obs = s.observations[s.observations["indicator"] == name] if len(s.observations) else s.observations
        if len(obs):
            fig.scatter(obs["year"].astype(float).values, obs["model_value"].astype(float).values * scale, size=6,
                        color="#1b1b1b")
        tg = s.targets[(s.targets["indicator"] == name) & s.targets["comparator"].isin(LEVEL_COMPARATORS)]
        tg = tg[tg["year"].between(s.scenario.start, s.scenario.stop)]
        if len(tg):
            fig.scatter(tg["year"].astype(float).values, tg["model_value"].astype(float).values * scale,
                        marker="star", size=14, color="#ffb000", line_color="#6b3d00")
        fig.add_tools(HoverTool(tooltips=[(ui["year"], "@year{0}"), (ui["median"], "@q50{0,0.[00]}"),
                                          (ui["baseline"], "@base{0,0.[00]}")], mode="vline"))
        return fig

    def draw_charts(self) -> None:
        if not set(self.choice.value) <= set(self.outcome.runs):  # a chart of an indicator not computed yet
            self.s.baseline_with(self.choice.value)
            self.outcome = self.s.compute(self.settings(), self.choice.value) if self.settings() else self.s.baseline
        self.sources = {}
        figs = [self.chart(n) for n in self.choice.value]
        self.grid.children = [gridplot(figs, ncols=2, toolbar_location=None)] if figs else []

    def update_summary(self) -> None:
        counts, base = self.outcome.counts(), self.s.baseline.counts()
        self.summary.text = self.ui["summary"].format(
            **counts, hi=LIKELY, lo=UNLIKELY, n=len(self.rows), b_likely=base["likely"],
            b_uncertain=base["uncertain"], b_unlikely=base["unlikely"], moved=len(self.settings()),
            ms=self.outcome.seconds * 1000)

    # --- callbacks ------------------------------------------------------------------------

    def settings(self) -> dict[str, tuple[float, int]]:
        """Levers whose value differs from the scenario's: ``{lever: (value, start year)}``."""
        out = {}
        for name, slider in self.sliders.items():
            lever, value = self.s.levers[name], float(slider.value) / self.scale[name]
            if not np.isclose(value, self.initial[name], rtol=1e-9, atol=1e-12):
                out[name] = (float(np.clip(value, lever.min, lever.max)), int(self.starts[name].value))
        return out

    def changed(self, attr, old, new) -> None:
        if not self.pending:  # changes arriving meanwhile are read by the one recomputation
            self.pending = True
            self.doc.add_next_tick_callback(self.recompute)

    def recompute(self) -> None:
        self.pending = False
        try:
            self.outcome = self.s.compute(self.settings(), self.choice.value)
        except ModelError as exc:
            self.message.text = f"<span style='color:#b00'>{exc}</span>"
            return
        for name, source in self.sources.items():
            source.data = self.chart_data(name)
        self.table_source.data = self.table_data()
        self.update_summary()

    def reset(self) -> None:
        for name, slider in self.sliders.items():
            slider.value = self.initial[name] * self.scale[name]
            self.starts[name].value = self.s.first_year
        self.changed(None, None, None)

    def save(self) -> None:
        try:
            path = self.s.save(self.save_name.value.strip(), self.settings())
        except ModelError as exc:
            self.message.text = f"<span style='color:#b00'>{exc}</span>"
            return
        self.message.text = self.ui["saved"].format(path=path)


def application(session: Session, lang: str = "en") -> Application:
    return Application(FunctionHandler(lambda doc: Page(session, lang, doc)))


def serve(session: Session, *, port: int = 5006, lang: str = "en", announce=print) -> None:
    """Serve the explorer on http://127.0.0.1:PORT/ (``port`` 0: a free port) until interrupted;
    ``announce`` gets the URL once the server listens."""
    try:
        if port == 0:  # a free port, known before the server starts: its pages must accept it as their origin
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        server = Server({"/": application(session, lang)}, address="127.0.0.1", port=port, num_procs=1,
                        allow_websocket_origin=[f"127.0.0.1:{port}", f"localhost:{port}"])
    except OSError as exc:
        raise ModelError(f"--port {port}: cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another port, "
                         "or --port 0 for a free one") from None
    server.start()
    announce(f"http://127.0.0.1:{server.port}/")
    try:
        server.io_loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
