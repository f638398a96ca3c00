"""Reporting infrastructure: CJK fonts, bilingual labels, self-contained HTML/Markdown
reports, and static + headless-browser checks. Independent of the model core."""

from .checks import embedded_images, external_references
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
    "embedded_images",
    "external_references",
    "figure_png",
    "pick",
    "t",
    "ui",
]
