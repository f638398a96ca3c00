"""The dashboard page (Panel): controls on one side, results on the other, zh / en.

:func:`build` returns the page of one session (a Panel layout: display it in JupyterLab or serve
it); :func:`serve` runs the local server of ``mfgbase dashboard`` on 127.0.0.1. Every move of a
control calls :meth:`model.dashboard.engine.Explorer.evaluate` once (central run, the fixed
sample of states of the world and the instrument swings in one array call) and redraws the
scorecard, the cost against the budget, the path of the selected target and the sentences in one
batch (``panel.io.hold``). No resource comes from outside the machine: Panel and Bokeh serve their
JavaScript and CSS from the local server (``tests/test_dashboard_browser.py`` checks every request).
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Div, Span
from bokeh.plotting import figure
from panel.io.document import unlocked

from model.core import YEARS
from model.dashboard import text as tx
from model.dashboard.engine import Control, Evaluation, Explorer
from model.reporting.html import FONT_STACK

LANGS = {"中文": "zh", "English": "en"}
MAX_SLIDER_STEPS = 1000
STATUS_COLOURS = {"met": "#1a7f37", "band": "#9a6700", "missed": "#cf222e", "decision": "#57606a"}
START_MARK = "#b45309"

PAGE_CSS = f"""
:root {{ --mfg-font: {FONT_STACK}; }}
body {{ font-family: var(--mfg-font); margin: 0; background: #f6f8fa; }}
"""

_CARD_CSS = f"""
:host {{ font-family: {FONT_STACK}; }}
.bk-clearfix {{ display: block !important; width: 100%; }}
.sc {{ width: 100%; border-collapse: collapse; font-size: 13px; table-layout: fixed; }}
.sc th, .sc td {{ padding: 4px 6px; border-bottom: 1px solid #d0d7de; text-align: right; vertical-align: top;
  overflow-wrap: anywhere; }}
.sc th:first-child, .sc td:first-child {{ text-align: left; width: 44%; }}
.sc th {{ font-weight: 600; color: #57606a; font-size: 12px; }}
.st {{ display: inline-block; padding: 0 6px; border-radius: 9px; color: #fff; font-size: 12px; white-space: nowrap; }}
.task {{ color: #57606a; font-size: 11px; }}
.cost {{ font-size: 14px; }}
.bar {{ position: relative; height: 14px; background: #eaeef2; border-radius: 7px; overflow: hidden; margin: 6px 0; }}
.bar > div {{ position: absolute; left: 0; top: 0; bottom: 0; border-radius: 7px; }}
.big {{ font-size: 22px; font-weight: 600; }}
.muted {{ color: #57606a; font-size: 12px; }}
ol.say {{ margin: 0; padding-left: 1.4em; font-size: 13px; line-height: 1.55; }}
ol.say li {{ margin-bottom: 4px; }}
.hl {{ font-weight: 600; }}
.d {{ font-size: 10px; white-space: nowrap; }}
.d.up {{ color: #1a7f37; }}
.d.down {{ color: #cf222e; }}
@media (max-width: 600px) {{
  .sc .p2003 {{ display: none; }}
  .sc th:first-child, .sc td:first-child {{ width: 36%; }}
  .sc {{ font-size: 11.5px; }}
  .sc th, .sc td {{ padding: 3px 3px; }}
  .sc td:not(:first-child) {{ white-space: nowrap; }}
  .sc .d {{ display: block; }}
}}
"""

_TITLE_CSS = f"""
:host {{ font-family: {FONT_STACK}; }}
.ct {{ text-align: left; font-weight: 600; color: #1f2328; }}
.ct.l1 {{ font-size: 15px; }}
.ct.l2 {{ font-size: 13px; color: #24292f; }}
"""

_NOTE_CSS = (f":host {{ font-family: {FONT_STACK}; font-size: 11px; color: #57606a; }} .m {{ color: {START_MARK}; }}"
             " .bk-clearfix { display: block !important; }"
             " .chg { color: #0969da; }")


class Html:
    """An HTML block as a bare Bokeh ``Div`` inside Panel: an update sends one property (``text``).

    (A Panel HTML pane re-sends its styles with every update; the results change on every move.)
    ``.object`` reads and sets the HTML; ``.panel`` is what goes into a layout.
    """

    def __init__(self, text: str = "", css: str = "", css_classes: list[str] | None = None, margin=(5, 10)) -> None:
        self.div = Div(text=text, stylesheets=[css] if css else [], css_classes=list(css_classes or []),
                       sizing_mode="stretch_width", margin=margin)
        self.panel = pn.pane.Bokeh(self.div, sizing_mode="stretch_width", margin=0)

    @property
    def object(self) -> str:
        return self.div.text

    @object.setter
    def object(self, text: str) -> None:
        with unlocked():  # also from a button's event, which Panel runs without the document lock
            self.div.text = text
        if not _served():  # JupyterLab: Panel re-sends the pane
            self.panel.param.trigger("object")


def _served() -> bool:
    """True inside a served session (``mfgbase dashboard``), False in JupyterLab or plain Python."""
    doc = pn.state.curdoc
    return doc is not None and getattr(doc, "session_context", None) is not None


def _step(c: Control, scale: float) -> float:
    """A round slider step with at most MAX_SLIDER_STEPS steps; the start value on the grid."""
    span = (c.high - c.low) * scale
    raw = span / 400.0
    p = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * p for m in (5, 2, 1) if m * p <= raw) if raw >= p else p
    if not c.start_is_path:
        off = (c.start - c.low) * scale
        for _ in range(4):
            if abs(round(off / step) * step - off) <= 1e-9 * max(1.0, abs(off)) or span / step >= 100 * MAX_SLIDER_STEPS:
                break
            step /= 10.0
    return step


def _marker_css(c: Control) -> str:
    frac = 0.0 if c.high == c.low else (c.start - c.low) / (c.high - c.low)
    pos = f"{100 * min(max(frac, 0.0), 1.0):.3f}%"
    return (f".noUi-base::after {{ content: ''; position: absolute; left: calc({pos} - 1px); top: -5px; bottom: -5px;"
            f" width: 3px; background: {START_MARK}; z-index: 3; pointer-events: none; border-radius: 1px; }}"
            " .bk-slider-title { font-size: 12.5px; white-space: normal; }")


class Dashboard:
    """One session's page: widgets, panes and the callbacks that connect them to an Explorer."""

    def __init__(self, explorer: Explorer, lang: str = "zh", save_dir: str | Path | None = None,
                 reports_dir: str | Path | None = None, reports_url: str | None = None) -> None:
        if lang not in ("zh", "en"):
            raise ValueError(f"lang {lang!r}; allowed: zh, en")
        self.ex, self.lang = explorer, lang
        self.save_dir = Path(save_dir) if save_dir else None
        self.reports_dir = Path(reports_dir) if reports_dir else None
        self.reports_url = reports_url
        self.saved: Path | None = None
        self.rev = 0
        self._marked: set[str] = set()  # controls shown as changed
        self.sliders: dict[str, pn.widgets.FloatSlider] = {}
        self.notes: dict[str, pn.pane.HTML] = {}
        self.cards: list[tuple[pn.Card, object]] = []
        self._build()
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _control(self, c: Control) -> pn.Column:
        if c.key in self.sliders:  # made earlier by set() before its card was opened
            return pn.Column(self.sliders[c.key], self.notes[c.key].panel, sizing_mode="stretch_width", margin=0)
        sc = tx.display_scale(c.unit)
        s = pn.widgets.FloatSlider(
            label=self._slider_name(c), start=c.low * sc, end=c.high * sc, value=c.start * sc, step=_step(c, sc),
            format="0,0.[0000]", sizing_mode="stretch_width", css_classes=[f"ctl-{c.name}"],
            stylesheets=[_marker_css(c)], margin=(2, 10, 0, 10),
        )
        s.param.watch(self._moved, "value_throttled")
        self.sliders[c.key] = s
        note = Html(self._note(c), _NOTE_CSS, [f"note-{c.name}"], margin=(0, 10, 6, 10))
        self.notes[c.key] = note
        return pn.Column(s, note.panel, sizing_mode="stretch_width", margin=0)

    def _slider_name(self, c: Control) -> str:
        unit = tx.unit_label(c.unit, self.lang)
        if self.lang == "zh":
            unit = tx.fullwidth(unit)
        return f"{tx.label(c, self.lang)} · {unit}" if unit else tx.label(c, self.lang)

    def _note(self, c: Control) -> str:
        sc = tx.display_scale(c.unit)
        lang = self.lang
        rng = f"{tx.t('range', lang)} {tx.plain(c.low * sc)} — {tx.plain(c.high * sc)}"
        start = f"<span class='m'>▮</span> {tx.t('start_value', lang)} {tx.plain(c.start * sc)}"
        extra = f" · {html.escape(tx.t('start_path', lang))}" if c.start_is_path else ""
        mark = f" · <b class='chg'>{html.escape(tx.t('changed', lang))}</b>" if c.key in self._marked else ""
        return f"<div class='nt'>{html.escape(rng)} · {start}{mark}{extra}</div>"

    def _groups(self, section: str) -> dict[str, list[Control]]:
        out: dict[str, list[Control]] = {}
        for c in self.ex.section(section):
            out.setdefault(c.group, []).append(c)
        if section == "levers":
            return dict(sorted(out.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 99))
        return out

    def _group_title(self, section: str, group: str) -> str:
        if section == "levers":
            return f"{tx.t('task', self.lang)} {group} · {task_title(group, self.lang)}"
        return family_title(group, self.lang)

    def _card(self, title_fn, body, collapsed=False, level: int = 2, **kw) -> pn.Card:
        header = pn.pane.HTML(self._card_title(title_fn(), level), stylesheets=[_TITLE_CSS], margin=(0, 4),
                              sizing_mode="stretch_width")
        card = pn.Card(*body, header=header, collapsed=collapsed, sizing_mode="stretch_width", margin=(4, 4), **kw)
        self.cards.append((header, title_fn, level))
        return card

    @staticmethod
    def _card_title(title: str, level: int) -> str:
        return f"<div class='ct l{level}'>{html.escape(title)}</div>"

    def _lazy_card(self, title_fn, ctls: list[Control]) -> pn.Card:
        """A collapsed card whose sliders are made when it is first opened."""
        card = self._card(title_fn, [], collapsed=True)
        self._fill_on_open(card, ctls, make=self._control)
        return card

    def _fill_on_open(self, card: pn.Card, items: list, make=None) -> None:
        """Put ``items`` (made by ``make`` when given) into ``card`` the first time it is opened."""
        done = []

        def fill(event) -> None:
            if event.new or done:
                return
            done.append(True)
            card.objects = [*card.objects, *((make(i) for i in items) if make else items)]

        card.param.watch(fill, "collapsed")

    def _build(self) -> None:
        lang = self.lang
        self.lang_toggle = pn.widgets.RadioButtonGroup(options=LANGS, value=lang, color="light", width=150,
                                                       css_classes=["lang-toggle"])
        self.lang_toggle.param.watch(self._switch_lang, "value")
        self.header = pn.pane.HTML(self._header_html(), sizing_mode="stretch_width", margin=(4, 10),
                                   stylesheets=[_CARD_CSS])
        instruments = []
        for group, ctls in self._groups("levers").items():
            instruments.append(self._card(lambda g=group: self._group_title("levers", g),
                                          [self._control(c) for c in ctls]))
        self.projects_note = pn.pane.HTML(f"<div class='muted'>{html.escape(tx.t('projects', lang))}</div>",
                                          margin=(2, 10), stylesheets=[_CARD_CSS])
        self.reset = pn.widgets.Button(label=tx.t("reset", lang), color="default", margin=(4, 10),
                                       css_classes=["reset"])
        self.reset.on_click(self._reset)
        # assumptions and parameters are built when their card is first opened (a faster first page)
        assumptions = [self._card(lambda g=g: self._group_title("assumptions", g), [self._control(c) for c in ctls])
                       for g, ctls in self._groups("assumptions").items()]
        parameters = [self._lazy_card(lambda g=g: self._group_title("parameters", g), ctls)
                      for g, ctls in self._groups("parameters").items()]
        self.assumptions_note = pn.pane.HTML(self._muted("assumptions_note"), margin=(2, 10), stylesheets=[_CARD_CSS])
        self.instruments_card = self._card(lambda: tx.t("instruments", self.lang),
                                           [*instruments, self.projects_note, self.reset], level=1,
                                           header_background="#ddf4ff")
        self.assumptions_card = self._card(lambda: tx.t("assumptions", self.lang), [self.assumptions_note],
                                           collapsed=True, level=1, header_background="#fff8c5")
        self._fill_on_open(self.assumptions_card, assumptions)
        self.parameters_card = self._card(lambda: tx.t("parameters", self.lang), [], collapsed=True, level=1,
                                          header_background="#fff8c5")
        self._fill_on_open(self.parameters_card, parameters)
        controls = pn.Column(self.instruments_card, self.assumptions_card, self.parameters_card,
                             sizing_mode="stretch_width", styles={"flex": "1 1 360px", "min-width": "0"},
                             css_classes=["controls"], margin=0)
        # results
        self.cost = Html("", _CARD_CSS, ["cost-pane"])
        self.scorecard = Html("", _CARD_CSS, ["scorecard-pane"])
        self.sentences = Html("", _CARD_CSS, ["sentences-pane"])
        self.target_select = pn.widgets.Select(label=tx.t("choose_target", lang), options=self._target_options(),
                                               value=self._default_target(), sizing_mode="stretch_width",
                                               css_classes=["target-select"])
        self.target_select.param.watch(lambda e: self._draw_path(), "value")
        self.chart = self._make_chart()
        self.save_name = pn.widgets.TextInput(label=tx.t("save_name", lang), value=f"{self.ex.scenario.id}-dashboard",
                                              sizing_mode="stretch_width", css_classes=["save-name"], max_length=64)
        self.save_button = pn.widgets.Button(label=tx.t("save_button", lang), color="primary",
                                             css_classes=["save-button"], width=110)
        self.compare_button = pn.widgets.Button(label=tx.t("compare_button", lang), color="default",
                                                css_classes=["compare-button"], disabled=True,
                                                sizing_mode="stretch_width")
        self.save_status = Html("", _CARD_CSS, ["save-status"])
        self.save_button.on_click(self._save)
        self.compare_button.on_click(self._compare)
        self.results_cards = {
            "cost": self._card(lambda: tx.t("cost", self.lang), [self.cost.panel], level=1),
            "scorecard": self._card(lambda: tx.t("scorecard", self.lang), [self.scorecard.panel], level=1),
            "path": self._card(lambda: tx.t("path", self.lang), [self.target_select, self.chart], level=1),
            "meaning": self._card(lambda: tx.t("meaning", self.lang), [self.sentences.panel], level=1),
            "save": self._card(lambda: tx.t("save", self.lang), level=1, body=
                               [pn.Row(self.save_name, self.save_button, sizing_mode="stretch_width"),
                                self.compare_button, self.save_status.panel]),
        }
        results = pn.Column(*self.results_cards.values(), sizing_mode="stretch_width",
                            styles={"flex": "2 1 520px", "min-width": "0"}, css_classes=["results"], margin=0)
        body = pn.FlexBox(results, controls, flex_direction="row-reverse", flex_wrap="wrap",
                          align_items="flex-start", sizing_mode="stretch_width", margin=0)
        top = pn.Row(self.header, self.lang_toggle, sizing_mode="stretch_width", margin=(4, 4),
                     styles={"background": "#ffffff", "border-bottom": "1px solid #d0d7de"})
        self.page = pn.Column(top, body, sizing_mode="stretch_width", margin=0, css_classes=["mfgbase-dashboard"])

    def _muted(self, key: str) -> str:
        return f"<div class='muted'>{html.escape(tx.t(key, self.lang))}</div>"

    def _header_html(self) -> str:
        lang, s = self.lang, self.ex.scenario
        name = s.spec.name.zh if lang == "zh" else s.spec.name.en
        return (f"<div><span class='big'>{html.escape(tx.t('title', lang))}</span>"
                f" <span class='muted'>mfgbase</span></div>"
                f"<div class='muted'>{html.escape(tx.t('subtitle', lang))}</div>"
                f"<div class='muted'>{html.escape(tx.t('start', lang))}: <b>{html.escape(name)}</b>"
                f" ({html.escape(s.path.name)}) · {self.ex.X.shape[0]:,} {html.escape(tx.t('states', lang))}</div>")

    def _target_options(self) -> dict[str, str]:
        return {f"{tx.t('task', self.lang)} {t.task} · {tx._indicator_label(t.indicator, self.lang)}": t.target_id
                for t in self.ex.model.targets}

    def _default_target(self) -> str:
        ids = [t.target_id for t in self.ex.model.targets]
        return "fdi_share" if "fdi_share" in ids else ids[0]

    def _make_chart(self):
        fig = figure(height=280, sizing_mode="stretch_width", toolbar_location=None, tools="",
                     x_range=(YEARS[0] - 0.2, YEARS[-1] + 0.2))
        self.src_band = ColumnDataSource({"x": list(YEARS), "low": [0.0] * len(YEARS), "high": [0.0] * len(YEARS)})
        self.src_line = ColumnDataSource({"x": list(YEARS), "central": [0.0] * len(YEARS), "start": [0.0] * len(YEARS)})
        self.r_band = fig.varea("x", "low", "high", source=self.src_band, fill_color="#54aeff", fill_alpha=0.3)
        self.r_start = fig.line("x", "start", source=self.src_line, line_color="#8c959f", line_dash="dashed",
                                line_width=2)
        self.r_central = fig.line("x", "central", source=self.src_line, line_color="#0969da", line_width=3)
        fig.scatter("x", "central", source=self.src_line, color="#0969da", size=5)
        self.span = Span(location=0, dimension="width", line_color="#cf222e", line_dash="dotted", line_width=2)
        fig.add_layout(self.span)
        for ax in (fig.xaxis, fig.yaxis):
            ax.axis_label_text_font = FONT_STACK
            ax.major_label_text_font = FONT_STACK
        fig.title.text_font = FONT_STACK
        fig.xaxis.ticker = list(YEARS)
        self.fig = fig
        self.chart_legend = Html("", _CARD_CSS)
        self.fig_pane = pn.pane.Bokeh(fig, sizing_mode="stretch_width")
        return pn.Column(self.fig_pane, self.chart_legend.panel, sizing_mode="stretch_width")

    # ------------------------------------------------------------------ values and results
    def values(self) -> dict[str, float]:
        """The stored-unit value of every control."""
        out = {}
        for key, s in self.sliders.items():
            c = self.ex.controls[key]
            v = float(s.value) / tx.display_scale(c.unit)
            out[key] = min(max(v, c.low), c.high)
        return out

    def _moved(self, *_events) -> None:
        self.refresh()

    def set(self, values: dict[str, float] | None = None, **named: float) -> Evaluation:
        """Set controls from Python (JupyterLab) and redraw; returns the new evaluation.

        Keys are control keys (``"levers.rd_special_fund"``) or, as keywords, instrument names
        (``set(rd_special_fund=40)``); values in the stored unit (a share 0.05, not 5 %).
        """
        wanted = dict(values or {})
        for name, v in named.items():
            wanted[name if "." in name else f"levers.{name}"] = v
        for key, v in wanted.items():
            if key not in self.ex.controls:
                raise KeyError(f"{key!r} is not a control; controls: levers.<name>, assumptions.<name>, parameters.<name>")
            c = self.ex.controls[key]
            if not c.low <= float(v) <= c.high:
                raise ValueError(f"{key}: {v} out of range; allowed {c.low:g} to {c.high:g} {c.unit}")
            if key not in self.sliders:
                self._control(c)
            self.sliders[key].value = float(v) * tx.display_scale(c.unit)
        self.refresh()
        return self.ev

    def refresh(self) -> None:
        self.ev = self.ex.evaluate(self.values())
        self.rev += 1
        self._render()

    def _render(self) -> None:
        with pn.io.hold():
            _set(self.scorecard, self._scorecard_html(self.ev))
            _set(self.cost, self._cost_html(self.ev))
            _set(self.sentences, self._sentences_html(self.ev))
            self._draw_path()
            for key, note in self.notes.items():
                changed = key in self.ev.values
                if changed != (key in self._marked):
                    self._marked ^= {key}
                    note.object = self._note(self.ex.controls[key])

    def _scorecard_html(self, ev: Evaluation) -> str:
        lang = self.lang
        head = (f"<tr><th>{tx.t('target', lang)}</th><th class='p2003'>{tx.t('value_2003', lang)}</th>"
                f"<th>{tx.t('value_2007', lang)}</th><th>{tx.t('goal', lang)}</th><th>{tx.t('status', lang)}</th>"
                f"<th>{html.escape(tx.t('p_met', lang))}</th></tr>")
        rows = []
        start = self.ex.start
        for r in ev.targets:
            colour = STATUS_COLOURS[r.status]
            s0 = start.target(r.target_id)
            good = 1 if r.comparator == ">=" else -1
            dv = _arrow(r.value - s0.value, 1e-9 * max(1.0, abs(s0.value)), good)
            dp = (_arrow((r.p_met or 0.0) - (s0.p_met or 0.0), 0.005, 1, text=True)  # shown in whole points
                  if r.p_met is not None else "")
            cmp = "≥" if r.comparator == ">=" else "≤"
            rows.append(
                f"<tr data-target='{r.target_id}' data-status='{r.status}' data-value='{r.value!r}' "
                f"data-p='{'' if r.p_met is None else repr(r.p_met)}'>"
                f"<td><span class='task'>{tx.t('task', lang)} {r.task}</span> "
                f"{html.escape(tx._indicator_label(r.indicator, lang))}</td>"
                f"<td class='p2003'>{tx.target_value(r, r.value_2003, lang)}</td>"
                f"<td class='v'>{tx.target_value(r, r.value, lang)}{dv}</td>"
                f"<td>{cmp} {tx.target_value(r, r.target, lang)}</td>"
                f"<td><span class='st' style='background:{colour}'>{html.escape(tx.status_word(r, lang))}</span></td>"
                f"<td class='p'>{tx.percent(r.p_met, lang)}{dp}</td></tr>")
        return (f"<div class='scorecard' data-rev='{self.rev}'><table class='sc'>{head}{''.join(rows)}</table>"
                f"<div class='muted'>{html.escape(self._p_note())}</div></div>")

    def _p_note(self) -> str:
        n = self.ex.X.shape[0]
        if self.lang == "zh":
            return tx.fullwidth(f"达成概率:政策不变,{n:,}个世界状态(起始情景 uncertainty 设定的参数与外部假设的固定样本)中"
                                "达成目标的比例;“由决定设定”的指标不计概率。“在区间内”指在“左右”目标的容差区间内但未达到目标值。")
        return (f"P(met | policy): share of {n:,} states of the world (a fixed sample of the start scenario's "
                "uncertainty block: parameters and external assumptions) in which the target is met, the policy "
                "held fixed. Targets set by decision have no probability. 'Within band': inside the tolerance of an "
                "'about X' target but short of X.")

    def _cost_html(self, ev: Evaluation) -> str:
        lang = self.lang
        share = ev.cost / ev.budget if ev.budget > 0 else float("inf")
        colour = "#cf222e" if ev.over_budget else "#1a7f37"
        width = f"{100 * min(share, 1.0):.1f}%"
        start = self.ex.start
        delta = ev.cost - start.cost
        dtxt = (f"{'+' if delta >= 0 else '−'}{tx.number(abs(delta), 1)}" if abs(delta) > 1e-9 else "±0")
        over = (f"{tx.t('over_budget', lang)}{'' if lang == 'zh' else ' '}{', '.join(map(str, ev.years_over_budget))}"
                if ev.over_budget
                else tx.t("within_budget", lang))
        unit = tx.t("cost_unit", lang)
        lp, rp = ("（", "）") if lang == "zh" else ("(", ")")
        top = sorted(ev.cost_by_instrument.items(), key=lambda kv: -kv[1])[:4]
        items = " · ".join(f"{html.escape(self._instrument_name(k))} {tx.number(v, 1)}" for k, v in top if v > 0)
        return (f"<div class='cost' data-rev='{self.rev}'><span class='big cost-total'>{tx.number(ev.cost, 1)}</span> / "
                f"{tx.number(ev.budget, 1)} <span class='muted'>{lp}{html.escape(unit)}{rp}</span> · "
                f"<b>{tx.percent(share, lang)}</b> {html.escape(tx.t('of_budget', lang))}"
                f" <span class='muted'>{lp}{html.escape(tx.t('start', lang))} {dtxt}{rp}</span>"
                f"<div class='bar'><div style='width:{width};background:{colour}'></div></div>"
                f"<div style='color:{colour}'>{html.escape(over)}</div>"
                f"<div class='muted'>{items}</div></div>")

    def _instrument_name(self, name: str) -> str:
        c = self.ex.controls.get(f"levers.{name}")
        if c is not None:
            return tx.label(c, self.lang)
        from model.core import VARIABLES

        info = VARIABLES.get(f"cost_{name}")
        return (info[3] if self.lang == "zh" else info[2]) if info else name

    def _sentences_html(self, ev: Evaluation) -> str:
        items = "".join(f"<li data-target='{r.target_id}'>{html.escape(tx.sentence(r, ev.n_states, self.lang, self.ex.controls))}</li>"
                        for r in ev.targets)
        return f"<ol class='say' data-rev='{self.rev}'>{items}</ol>"

    def _draw_path(self) -> None:
        tid = self.target_select.value
        ev, start = self.ev, self.ex.start
        tr = ev.target(tid)
        sc = 100.0 if tr.unit == "ratio" else 1.0
        p, ps = ev.paths[tid], start.paths[tid]
        low, _, high = p.band()

        def fin(a):
            return [float(x) * sc if np.isfinite(x) else float("nan") for x in a]

        with pn.io.hold(), unlocked():
            self.src_band.data = {"x": list(YEARS), "low": fin(low), "high": fin(high)}
            self.src_line.data = {"x": list(YEARS), "central": fin(p.central), "start": fin(ps.central)}
            if self.span.location != float(tr.target) * sc:
                self.span.location = float(tr.target) * sc
            axis = "%" if tr.unit == "ratio" else tx.unit_label(tr.unit, self.lang)
            if self.fig.yaxis.axis_label != axis:
                self.fig.yaxis.axis_label = axis
        if not _served():
            self.fig_pane.param.trigger("object")
            lang = self.lang
            _set(self.chart_legend, (
                f"<div class='muted'><span style='color:#0969da'>━</span> {html.escape(tx.t('central', lang))} · "
                f"<span style='color:#54aeff'>▆</span> {html.escape(tx.t('band_legend', lang))} · "
                f"<span style='color:#8c959f'>╌</span> {html.escape(tx.t('start_line', lang))} · "
                f"<span style='color:#cf222e'>┈</span> {html.escape(tx.t('target_line', lang))} "
                f"{'≥' if tr.comparator == '>=' else '≤'} {tx.target_value(tr, tr.target, lang)}</div>"))

    # ------------------------------------------------------------------ actions
    def _switch_lang(self, event) -> None:
        self.lang = event.new
        lang = self.lang
        with pn.io.hold():
            for key, s in self.sliders.items():
                c = self.ex.controls[key]
                s.label = self._slider_name(c)
                self.notes[key].object = self._note(c)
            for header, title_fn, level in self.cards:
                header.object = self._card_title(title_fn(), level)
            self.header.object = self._header_html()
            self.projects_note.object = f"<div class='muted'>{html.escape(tx.t('projects', lang))}</div>"
            self.assumptions_note.object = self._muted("assumptions_note")
            self.reset.label = tx.t("reset", lang)
            value = self.target_select.value
            self.target_select.options = self._target_options()
            self.target_select.value = value
            self.target_select.label = tx.t("choose_target", lang)
            self.save_name.label = tx.t("save_name", lang)
            self.save_button.label = tx.t("save_button", lang)
            self.compare_button.label = tx.t("compare_button", lang)
            self._render()

    def _reset(self, _event) -> None:
        with pn.io.hold():
            for key, s in self.sliders.items():
                c = self.ex.controls[key]
                s.value = c.start * tx.display_scale(c.unit)
        self.refresh()

    def _status(self, text: str, ok: bool, link: str | None = None) -> None:
        colour = "#1a7f37" if ok else "#cf222e"
        a = (f" <a class='compare-link' href='{html.escape(link)}' target='_blank' rel='noopener'>"
             f"{html.escape(tx.t('compare_open', self.lang))} ↗</a>") if link else ""
        self.save_status.object = f"<div style='color:{colour}' class='status'>{html.escape(text)}{a}</div>"

    def _save(self, _event) -> None:
        from model.dashboard.save import save_scenario
        from model.errors import MfgbaseError

        try:
            path = save_scenario(self.ex, self.values(), self.save_name.value, self.save_dir)
        except MfgbaseError as exc:
            self._status(str(exc), ok=False)
            return
        self.saved = path
        self.compare_button.disabled = False
        self._status(f"{tx.t('saved', self.lang)}: {path}", ok=True)

    def _compare(self, _event) -> None:
        from model.errors import MfgbaseError

        if self.saved is None:
            self._status(tx.t("compare_first", self.lang), ok=False)
            return
        try:
            report = write_compare(self.ex.scenario.path, self.saved, self.lang, self.reports_dir)
        except MfgbaseError as exc:
            self._status(str(exc), ok=False)
            return
        link = None
        if self.reports_dir is not None and self.reports_url:
            link = f"{self.reports_url.rstrip('/')}/{report.relative_to(self.reports_dir).as_posix()}"
        self._status(f"{tx.t('saved', self.lang)}: {self.saved.name} — {report}", ok=True, link=link)

    def servable(self):
        """The page (a Panel layout)."""
        return self.page

    def __panel__(self):
        """Displayed as its page in JupyterLab (``pn.panel(dashboard)``, or the last line of a cell)."""
        return self.page

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.page._repr_mimebundle_(include, exclude)


def _arrow(delta: float, tol: float, good: int, text: bool = False) -> str:
    """▲ / ▼ for a change since the start scenario, green towards the target (``good`` = +1 when
    more is better, -1 when less is), red away from it; ``text`` adds the change in points."""
    if abs(delta) <= tol:
        return ""
    up = delta > 0
    sign = f"{'+' if up else '−'}{100 * abs(delta):.0f}" if text else ""
    return f" <span class='d {'up' if up == (good > 0) else 'down'}'>{'▲' if up else '▼'}{sign}</span>"


def _set(pane, html_text: str) -> None:
    """Replace a pane's HTML only when it changed (each update is a message to the page)."""
    if pane.object != html_text:
        pane.object = html_text


def write_compare(start: Path, saved: Path, lang: str, reports_dir: Path | None) -> Path:
    """Write the compare report of (start, saved) like ``mfgbase compare``; return the report's path."""
    from model.outputs.atomic import check_output_dir
    from model.outputs.compare import report_name, write_comparison
    from model.scenario import load_scenario
    from model.studies.compare import compare

    cmp = compare([load_scenario(start), load_scenario(saved)], lang=lang)
    out = cmp.default_dir()
    if reports_dir is not None:
        out = Path(reports_dir) / out.name
    check_output_dir(out)
    write_comparison(cmp, out, lang=lang)
    return out / report_name(lang)


def task_title(task: str, lang: str) -> str:
    """Short title of a plan task (calibration/plan_tasks.csv: short_en, short_zh)."""
    tasks = _tasks()
    row = tasks.get(str(task))
    if row is None:
        return ""
    return row.get("short_zh" if lang == "zh" else "short_en", "") or row.get("short_en", "")


_TASKS: dict | None = None


def _tasks() -> dict:
    global _TASKS
    if _TASKS is None:
        from model.targets import load_tasks

        df = load_tasks()
        _TASKS = {str(r["task"]): {k: ("" if (isinstance(v, float) and v != v) else str(v)) for k, v in r.items()}
                  for r in df.to_dict("records")}
    return _TASKS


def family_title(family: str, lang: str) -> str:
    from model.studies.sensitivity.adapter import FAMILY_LABELS

    extra = {"budget": ("Budget", "预算"), "power": ("Power", "电力"), "investment": ("Investment", "投资")}
    en, zh = FAMILY_LABELS.get(family) or extra.get(family) or (family, family)
    return zh if lang == "zh" else en


def build(scenario="scenarios/plan-2004.yaml", lang: str = "zh", explorer: Explorer | None = None,
          n_states: int | None = None, **kw):
    """The dashboard of ``scenario``: a :class:`Dashboard`, shown as its page in JupyterLab (run
    ``pn.extension()`` first); ``.set(rd_special_fund=40)`` moves instruments from code, ``.ev`` is the
    latest evaluation, ``.page`` the Panel layout."""
    from model.dashboard.engine import DEFAULT_STATES

    ex = explorer or Explorer.open(scenario, n_states=n_states or DEFAULT_STATES)
    return Dashboard(ex, lang=lang, **kw)


def serve(scenario, port: int = 5006, lang: str = "zh", n_states: int | None = None,
          save_dir: str | Path | None = None, reports_dir: str | Path | None = None, show: bool = False) -> None:
    """Serve the dashboard on http://127.0.0.1:<port>/ until interrupted (one Explorer for all sessions)."""
    from model.dashboard.engine import DEFAULT_STATES
    from model.paths import RESULTS_DIR

    ex = Explorer.open(scenario, n_states=n_states or DEFAULT_STATES)
    reports = Path(reports_dir) if reports_dir else RESULTS_DIR
    reports.mkdir(parents=True, exist_ok=True)
    pn.config.raw_css = [PAGE_CSS]

    def page():
        return Dashboard(ex, lang=lang, save_dir=save_dir, reports_dir=reports, reports_url="/reports").servable()

    pn.serve({"/": page}, port=port, address="127.0.0.1", show=show, title="mfgbase 规划仪表板 / planner's dashboard",
             websocket_origin=[f"127.0.0.1:{port}", f"localhost:{port}"], static_dirs={"reports": str(reports)},
             print_url=False, start=True)
