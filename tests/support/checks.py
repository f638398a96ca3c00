"""Static checks that an HTML report is self-contained."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["embedded_images", "external_references"]

# attributes that make a browser load (or navigate to) a resource
_URL_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background",
              "xlink:href", "manifest", "ping", "cite", "longdesc", "codebase", "archive"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.I | re.S)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.I)
_ABS_URL = re.compile(r"""(?:https?:)?//[^\s"'<>()]+""", re.I)
_REFRESH = re.compile(r"url\s*=\s*(\S+)", re.I)


def _is_local(url: str) -> bool:
    u = url.strip()
    return u == "" or u.startswith("#") or u.lower().startswith("data:")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.images = 0
        self._in_style = False
        self._in_script = False

    def _css(self, css: str) -> None:
        for _q, url in _CSS_URL.findall(css):
            if not _is_local(url):
                self.refs.append(url)
            elif url.strip().lower().startswith("data:image/"):
                self.images += 1
        for _q, url in _CSS_IMPORT.findall(css):
            if not _is_local(url):
                self.refs.append(url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "style":
            self._in_style = True
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            name = name.lower()
            if value is None:
                continue
            if name in _URL_ATTRS:
                urls = [p.strip().split()[0] for p in value.split(",") if p.strip()] \
                    if name == "srcset" and not value.strip().lower().startswith("data:") \
                    else [value]
                for u in urls:
                    if not _is_local(u):
                        self.refs.append(u)
            elif name == "style":
                self._css(value)
            elif name == "content" and tag == "meta":
                m = _REFRESH.search(value)
                if m and any(k == "http-equiv" and (v or "").lower() == "refresh"
                             for k, v in attrs):
                    self.refs.append(m.group(1))
        if tag == "img":
            src = dict(attrs).get("src") or ""
            if src.strip().lower().startswith("data:image/"):
                self.images += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() in ("style", "script"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag.lower() == "style":
            self._in_style = False
        if tag.lower() == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)
        elif self._in_script:
            # scripts that fetch or import something by absolute URL
            self.refs.extend(_ABS_URL.findall(data))


def external_references(html: str) -> list[str]:
    """Every reference in ``html`` that would make a browser fetch something outside the file.

    Looks at URL attributes (src, href, srcset, poster, data, action, …), CSS ``url()`` and
    ``@import`` in <style> and style="", meta refresh, and absolute or protocol-relative URLs
    (``http(s)://``, ``//host``) inside <script>. ``data:`` URIs and ``#anchors`` are local.
    A URL written as visible text (e.g. a cited source) is not a reference and not reported.
    Relative paths (``figure.png``) ARE reported: a self-contained file must not need them.
    """
    s = _Scanner()
    s.feed(html)
    s.close()
    return s.refs


def embedded_images(html: str) -> int:
    """Number of images embedded as ``data:image/...`` URIs (<img src> and CSS url())."""
    s = _Scanner()
    s.feed(html)
    s.close()
    return s.images
