"""Self-contained report builders: ``HtmlReport`` (one HTML file) and ``MarkdownReport``.

Both share one API::

    rep = HtmlReport(Label("Scenario comparison", "情景比较"), lang="zh")
    rep.add_heading("目标达成情况")
    rep.add_paragraph("...")                  # escaped text
    rep.add_table(df, caption=..., columns={"met": ui("met")})   # a `met` column is coloured
    rep.add_figure(fig, caption=...)          # matplotlib Figure, embedded as PNG data: URI
    rep.add_preformatted(text)
    rep.write("results/x/report.html")        # atomic

The HTML has inline CSS, images as ``data:`` URIs, no scripts, no external fonts or links:
it opens offline from a USB stick or an e-mail attachment.
"""

from __future__ import annotations

import base64
import io
import math
import numbers
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from ._io import atomic_write_bytes, atomic_write_text
from .fonts import configure_cjk_fonts
from .labels import LANGS, Label, pick, ui
from .zh import fullwidth

__all__ = ["FONT_STACK", "HtmlReport", "MarkdownReport", "figure_png"]

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", '
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", sans-serif'
)

Text = Label | str
FloatFormat = str | Callable[[float], str]

_MET_TRUE = {"true", "met", "yes", "y", "1", "达成", "已达成", "是"}
_MET_FALSE = {"false", "missed", "no", "n", "0", "未达成", "否", "not met"}


def figure_png(fig: Any, dpi: int = 150) -> bytes:
    """Render a matplotlib Figure to PNG bytes (CJK fonts configured first)."""
    configure_cjk_fonts()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


@dataclass(frozen=True)
class _Cell:
    text: str
    cls: str = ""
    title: str = ""  # full text on hover (a cell cut at a sentence end)


@dataclass(frozen=True)
class _Table:
    header: list[str]
    rows: list[list[_Cell]]
    caption: str | None
    numeric: list[bool]


def _met_state(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if isinstance(value, numbers.Number):
        if isinstance(value, float) and math.isnan(value):
            return None
        return bool(value)
    s = str(value).strip().lower()
    if s in _MET_TRUE:
        return True
    if s in _MET_FALSE:
        return False
    return None


class _ReportBase:
    """Blocks shared by the HTML and Markdown builders."""

    def __init__(
        self,
        title: Text,
        lang: str = "zh",
        *,
        subtitle: Text | None = None,
        dpi: int = 150,
        float_format: FloatFormat = "{:,.2f}",
    ) -> None:
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
        self.lang = lang
        self.title = self._t(title)
        self.subtitle = self._t(subtitle) if subtitle is not None else None
        self.dpi = dpi
        self.float_format = float_format
        self.blocks: list[tuple[str, Any]] = []
        self.n_figures = 0
        configure_cjk_fonts()

    # -- helpers ---------------------------------------------------------------------------
    def _t(self, text: Text) -> str:
        """``text`` in the report's language; Chinese gets full-width punctuation (zh.fullwidth)."""
        out = pick(text, self.lang)
        return fullwidth(out) if self.lang == "zh" else out

    def _fmt(self, value: Any, fmt: FloatFormat) -> str:
        if value is None:
            return "—"
        if isinstance(value, float) and math.isnan(value):
            return "—"
        if value is pd.NA or value is pd.NaT:
            return "—"
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            return self._t(ui("yes") if value else ui("no"))
        if isinstance(value, numbers.Integral):
            return str(int(value))
        if isinstance(value, numbers.Real):
            v = float(value)
            return fmt(v) if callable(fmt) else fmt.format(v)
        if isinstance(value, Label):
            return self._t(value)
        return self._t(str(value))

    def _table(
        self,
        df: pd.DataFrame,
        caption: Text | None,
        columns: Mapping[str, Text] | None,
        index: bool,
        formats: Mapping[str, FloatFormat] | None,
        met_column: str | None,
    ) -> _Table:
        if index:
            df = df.reset_index()
        columns = dict(columns or {})
        formats = dict(formats or {})
        met_col = None
        if met_column is not None:
            for c in df.columns:
                if str(c).lower() == met_column.lower():
                    met_col = c
                    break
        header = [self._t(columns.get(str(c), str(c))) for c in df.columns]
        numeric = [
            pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
            for c in df.columns
        ]
        rows: list[list[_Cell]] = []
        for rec in df.itertuples(index=False, name=None):
            row: list[_Cell] = []
            for c, v in zip(df.columns, rec, strict=True):
                if c == met_col:
                    state = _met_state(v)
                    if state is True:
                        row.append(_Cell(self._t(ui("met")), "met-yes"))
                    elif state is False:
                        row.append(_Cell(self._t(ui("missed")), "met-no"))
                    else:
                        row.append(_Cell(self._fmt(v, self.float_format), "met-na"))
                else:
                    row.append(_Cell(self._fmt(v, formats.get(str(c), self.float_format))))
            rows.append(row)
        cap = self._t(caption) if caption is not None else None
        return _Table(header, rows, cap, numeric)

    # -- public API ------------------------------------------------------------------------
    def add_heading(self, text: Text, level: int = 2) -> None:
        """Add a section heading (level 1–6; the title is level 1)."""
        if not 1 <= level <= 6:
            raise ValueError("heading level must be 1..6")
        self.blocks.append(("heading", (level, self._t(text))))

    def add_paragraph(self, text: Text) -> None:
        """Add a paragraph of plain text (escaped; blank lines are not interpreted)."""
        self.blocks.append(("paragraph", self._t(text)))

    def add_preformatted(self, text: str) -> None:
        """Add raw preformatted text (e.g. a log or a YAML scenario), shown verbatim."""
        self.blocks.append(("pre", str(text)))

    def add_table(
        self,
        df: pd.DataFrame,
        *,
        caption: Text | None = None,
        columns: Mapping[str, Text] | None = None,
        index: bool = False,
        formats: Mapping[str, FloatFormat] | None = None,
        met_column: str | None = "met",
    ) -> None:
        """Add a DataFrame as a table.

        ``columns`` maps column names to display labels; ``formats`` maps column names to a
        format string or callable for floats. A column named ``met_column`` (case-insensitive)
        with booleans or met/missed strings is shown as 达成/未达成 (Met/Missed) in green/red.
        """
        self.blocks.append(("table", self._table(df, caption, columns, index, formats, met_column)))

    def add_figure(self, fig: Any, *, caption: Text | None = None, alt: Text | None = None,
                   dpi: int | None = None) -> None:
        """Add a matplotlib Figure (rendered to PNG now; the figure is not closed)."""
        png = figure_png(fig, dpi or self.dpi)
        self.n_figures += 1
        cap = self._t(caption) if caption is not None else None
        alt_s = self._t(alt) if alt is not None else (cap or f"{self._t(ui('figure'))} {self.n_figures}")
        self.blocks.append(("figure", {"png": png, "caption": cap, "alt": alt_s,
                                       "n": self.n_figures}))

    def render(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: FONTSTACK; color: #1f2328; background: #fff; margin: 0;
       line-height: 1.6; font-size: 15px; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.1em; border-bottom: 3px solid #b22222;
     padding-bottom: 0.2em; }
h2 { font-size: 1.35em; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.15em; margin-top: 1.3em; }
.subtitle { color: #57606a; margin: 0 0 1em; }
p { margin: 0.6em 0; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 0.8em 0 1.2em; font-size: 0.93em;
        font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.3em 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; vertical-align: top; }
th { background: #f3f4f6; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.met-yes { background: #dafbe1 !important; color: #116329; font-weight: 600; white-space: nowrap; }
td.met-no { background: #ffebe9 !important; color: #a40e26; font-weight: 600; white-space: nowrap; }
td.met-na { color: #57606a; }
figure { margin: 1em 0 1.4em; }
figure img { max-width: 100%; height: auto; border: 1px solid #eaeef2; }
figcaption { color: #57606a; font-size: 0.92em; margin-top: 0.3em; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 10px 12px; overflow-x: auto;
      font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", Consolas, monospace;
      font-size: 0.88em; line-height: 1.45; }
footer { color: #8c959f; font-size: 0.82em; margin-top: 3em; }
.table-wrap { max-width: 100%; overflow-x: auto; }
p, td, th, caption, figcaption, h1, h2, h3, .subtitle { overflow-wrap: anywhere; }
abbr.cut { text-decoration: underline dotted; cursor: help; }
/* small screens (a phone at 400 px): no horizontal page scroll; wide tables scroll inside */
@media (max-width: 640px) {
  body { font-size: 14px; }
  main { padding: 12px 10px 32px; }
  h1 { font-size: 1.35em; }
  th, td { padding: 3px 5px; }
  td.num, td.met-yes, td.met-no { white-space: normal; }
}
/* print on A4: each section starts a page, headings stay with what follows, figures whole */
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; line-height: 1.45; }
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  section.s2 + section.s2, section.s2.break { break-before: page; }
  h1, h2, h3, caption, figcaption { break-after: avoid; page-break-after: avoid; }
  .keep, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  figure img { max-height: 225mm; width: auto; max-width: 100%; object-fit: contain; }
  tbody tr:nth-child(even) td { background: #fafbfc; }
  td.met-yes, td.met-no, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { margin-top: 1em; }
}
""".replace("FONTSTACK", FONT_STACK)

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mfgbase model.reporting">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<main>
<h1>{{ title }}</h1>
{% if subtitle %}<p class="subtitle">{{ subtitle }}</p>
{% endif %}
{%- macro block(kind, b) %}
{%- if kind == "heading" %}
<h{{ b[0] }}>{{ b[1] }}</h{{ b[0] }}>
{%- elif kind == "paragraph" %}
<p>{{ b }}</p>
{%- elif kind == "pre" %}
<pre>{{ b }}</pre>
{%- elif kind == "figure" %}
<figure id="fig-{{ b.n }}"><img src="{{ b.uri }}" alt="{{ b.alt }}" width="{{ b.width }}">
{%- if b.caption %}<figcaption>{{ figure_word }} {{ b.n }}　{{ b.caption }}</figcaption>{% endif %}</figure>
{%- elif kind == "table" %}
<div class="table-wrap"><table>
{%- if b.caption %}<caption>{{ b.caption }}</caption>{% endif %}
<thead><tr>{% for h in b.header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in b.rows %}
<tr>{% for cell in row %}<td class="{{ 'num ' if b.numeric[loop.index0] else '' }}{{ cell.cls }}"
{%- if cell.title %} title="{{ cell.title }}"{% endif %}>{{ cell.text }}</td>{% endfor %}</tr>
{%- endfor %}
</tbody>
</table></div>
{%- endif %}
{%- endmacro %}
{%- for sec in sections %}
{%- if sec.level2 %}<section class="s2">{% endif %}
{%- for group in sec.groups %}
{%- if group|length > 1 %}<div class="keep">{% endif %}
{%- for kind, b in group %}{{ block(kind, b) }}{% endfor %}
{%- if group|length > 1 %}</div>{% endif %}
{%- endfor %}
{%- if sec.level2 %}</section>{% endif %}
{%- endfor %}
<footer>{{ footer }}</footer>
</main>
</body>
</html>
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)
_TPL = _ENV.from_string(_TEMPLATE)


def _png_width(png: bytes) -> int:
    # IHDR width, big-endian at bytes 16..20
    return int.from_bytes(png[16:20], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 0


def _sections(blocks: list[tuple[str, Any]]) -> list[dict]:
    """Blocks grouped for print: a ``<section>`` per level-2 heading (each starts an A4 page),
    and every heading kept on one page with the block after it (``div.keep``)."""
    sections: list[dict] = [{"level2": False, "groups": []}]
    pending: list = []
    for kind, b in blocks:
        if kind == "heading" and b[0] <= 2:
            if pending:
                sections[-1]["groups"].append(pending)
                pending = []
            sections.append({"level2": True, "groups": []})
        if kind == "heading":
            if pending:
                sections[-1]["groups"].append(pending)
            pending = [(kind, b)]
            continue
        if pending:
            pending.append((kind, b))
            sections[-1]["groups"].append(pending)
            pending = []
        else:
            sections[-1]["groups"].append([(kind, b)])
    if pending:
        sections[-1]["groups"].append(pending)
    return [s for s in sections if s["groups"]]


class HtmlReport(_ReportBase):
    """A single self-contained HTML file (inline CSS, images as data: URIs, no scripts)."""

    def render(self) -> str:
        blocks = []
        for kind, b in self.blocks:
            if kind == "figure":
                uri = "data:image/png;base64," + base64.b64encode(b["png"]).decode("ascii")
                # show at CSS width = pixel width * 100/dpi so 150-dpi figures look crisp
                width = max(1, round(_png_width(b["png"]) * 100 / self.dpi))
                b = {**b, "uri": uri, "width": width}
            blocks.append((kind, b))
        return _TPL.render(
            html_lang="zh-CN" if self.lang == "zh" else "en",
            title=self.title,
            subtitle=self.subtitle,
            css=jinja2.utils.markupsafe.Markup(_CSS),
            sections=_sections(blocks),
            figure_word=self._t(ui("figure")),
            footer=self._t(f"{pick(ui('generated'), self.lang)}: {datetime.now().strftime('%Y-%m-%d %H:%M')}"),
        )

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the report atomically (temp file + os.replace); returns the path."""
        return atomic_write_text(path, self.render())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def _md_escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_cell(text: str) -> str:
    return _md_escape(text).replace("\n", "<br>")


class MarkdownReport(_ReportBase):
    """Markdown twin of ``HtmlReport``: figures become PNG files referenced by relative path.

    ``render()`` returns the Markdown; ``figure_files()`` the ``{filename: png_bytes}`` the
    caller writes next to it; ``write(path)`` does both (atomically, PNGs beside the .md).
    """

    def __init__(self, *args: Any, figure_prefix: str = "figure", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.figure_prefix = figure_prefix

    def _fig_name(self, n: int) -> str:
        return f"{self.figure_prefix}-{n:02d}.png"

    def figure_files(self) -> dict[str, bytes]:
        return {self._fig_name(b["n"]): b["png"] for kind, b in self.blocks if kind == "figure"}

    def render(self) -> str:
        out = [f"# {_md_escape(self.title)}", ""]
        if self.subtitle:
            out += [f"*{_md_escape(self.subtitle)}*", ""]
        for kind, b in self.blocks:
            if kind == "heading":
                out += ["#" * b[0] + " " + _md_escape(b[1]), ""]
            elif kind == "paragraph":
                out += [_md_escape(b), ""]
            elif kind == "pre":
                fence = "```"
                while fence in b:
                    fence += "`"
                out += [fence + "text", b, fence, ""]
            elif kind == "figure":
                name = self._fig_name(b["n"])
                out += [f"![{_md_escape(b['alt'])}]({name})", ""]
                if b["caption"]:
                    out += [f"*{self._t(ui('figure'))} {b['n']}　{_md_escape(b['caption'])}*", ""]
            elif kind == "table":
                if b.caption:
                    out += [f"**{_md_escape(b.caption)}**", ""]
                out.append("| " + " | ".join(_md_cell(h) for h in b.header) + " |")
                out.append("|" + "|".join("---:" if n else "---" for n in b.numeric) + "|")
                marks = {"met-yes": "✅ ", "met-no": "❌ "}
                for row in b.rows:
                    out.append("| " + " | ".join(marks.get(c.cls, "") + _md_cell(c.text)
                                                 for c in row) + " |")
                out.append("")
        gen = datetime.now().strftime("%Y-%m-%d %H:%M")
        out += [f"<sub>{self._t(pick(ui('generated'), self.lang) + ': ' + gen)}</sub>", ""]
        return "\n".join(out)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the Markdown and its figure PNGs (next to it) atomically; returns the path."""
        path = Path(path)
        for name, png in self.figure_files().items():
            atomic_write_bytes(path.parent / name, png)
        return atomic_write_text(path, self.render())
