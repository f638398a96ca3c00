"""Reporting infrastructure: CJK fonts, bilingual labels, self-contained HTML/Markdown
reports. Independent of the model core. (The static and headless-browser checks of reports
are test helpers: ``tests/support/checks.py``, ``tests/support/browser.py``.)"""

from .fonts import cjk_available, configure_cjk_fonts
from .html import FONT_STACK, HtmlReport, MarkdownReport, figure_png
from .labels import UI, Label, both, pick, t, ui

__all__ = [
    "FONT_STACK",
    "UI",
    "HtmlReport",
    "Label",
    "MarkdownReport",
    "both",
    "cjk_available",
    "configure_cjk_fonts",
    "figure_png",
    "pick",
    "t",
    "ui",
]
