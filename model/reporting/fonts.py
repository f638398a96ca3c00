"""CJK fonts for matplotlib so Chinese chart labels render as glyphs, not boxes.

``configure_cjk_fonts()`` finds an installed CJK font, registers it with matplotlib (adding
font files that exist on disk but are missing from matplotlib's font cache, e.g. when the
font package was installed after the cache was built) and puts it first in
``rcParams['font.sans-serif']``. It is idempotent and cheap after the first call.

On Debian the font comes from ``fonts-noto-cjk`` (installed by ``tools/setup-system.sh``).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import warnings

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["CJK_FAMILIES", "cjk_available", "cjk_font_files", "configure_cjk_fonts"]

#: Preferred CJK families, best first. Noto Sans CJK .ttc files register under the name of
#: their first face (usually "Noto Sans CJK JP"), which covers Simplified Chinese as well.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK HK",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)

#: Filename patterns of CJK fonts looked for on disk when matplotlib doesn't know one.
_FILE_PATTERNS = (
    "NotoSansCJK*",
    "NotoSerifCJK*",
    "SourceHanSans*",
    "wqy-zenhei*",
    "wqy-microhei*",
    "uming*",
    "ukai*",
    "msyh*",
    "simhei*",
)
_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    os.path.expanduser("~/.fonts"),
    os.path.expanduser("~/.local/share/fonts"),
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
_LATIN_FALLBACK = ("DejaVu Sans", "Liberation Sans", "Arial", "Helvetica")

_configured: str | None = None
_searched = False
_warned = False


def _known_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def _pick(known: set[str]) -> str | None:
    for fam in CJK_FAMILIES:
        if fam in known:
            return fam
    return None


def cjk_font_files() -> list[str]:
    """CJK font files present on disk (via fontconfig when available, else a directory scan)."""
    files: list[str] = []
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30
            ).stdout
            files = [ln.split(":")[0].strip() for ln in out.splitlines() if ln.strip()]
        except (OSError, subprocess.SubprocessError):
            files = []
    if not files:
        for d in _FONT_DIRS:
            if os.path.isdir(d):
                for pat in _FILE_PATTERNS:
                    files.extend(glob.glob(os.path.join(d, "**", pat), recursive=True))
    exts = (".ttf", ".otf", ".ttc")
    return sorted({f for f in files if f.lower().endswith(exts) and os.path.isfile(f)})


def _register_files_from_disk() -> None:
    """Add CJK font files that matplotlib's cached font list is missing."""
    # a .ttc file holds several faces (e.g. Noto Sans CJK SC/TC/JP/Mono): a file counts as
    # registered only when one of its faces is a preferred family
    preferred = set(CJK_FAMILIES)
    registered = {os.path.realpath(f.fname) for f in font_manager.fontManager.ttflist
                  if f.name in preferred}
    for path in cjk_font_files():
        if os.path.realpath(path) in registered:
            continue
        try:
            font_manager.fontManager.addfont(path)
        except Exception:  # an unreadable font file is just skipped
            continue


def _find_family() -> str | None:
    global _searched
    fam = _pick(_known_families())
    if fam is None and not _searched:
        _searched = True
        _register_files_from_disk()
        fam = _pick(_known_families())
    return fam


def cjk_available() -> bool:
    """True when a CJK-capable font is installed and usable by matplotlib."""
    return _find_family() is not None


def configure_cjk_fonts() -> str | None:
    """Put an installed CJK font first in matplotlib's sans-serif list.

    Returns the family name, or ``None`` (with one warning per process) when no CJK font is
    installed, in which case Chinese text renders as empty boxes. Safe to call repeatedly.
    """
    global _configured, _warned
    fam = _configured if _configured is not None else _find_family()
    if fam is None:
        if not _warned:
            _warned = True
            warnings.warn(
                "No CJK font found: Chinese labels in charts will render as boxes. "
                "Install one (Debian: `apt-get install fonts-noto-cjk`, or run "
                "`bash tools/setup-system.sh`).",
                UserWarning,
                stacklevel=2,
            )
        return None
    current = list(mpl.rcParams["font.sans-serif"])
    if not current or current[0] != fam or mpl.rcParams["font.family"] != ["sans-serif"]:
        rest = [f for f in current if f != fam]
        latin = [f for f in _LATIN_FALLBACK if f not in rest]
        mpl.rcParams["font.sans-serif"] = [fam, *rest, *latin]
        mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["axes.unicode_minus"] = False
    _configured = fam
    return fam
