#!/usr/bin/env bash
# System packages the project needs beyond PyPI:
#   fonts-noto-cjk  Chinese glyphs in charts and reports (matplotlib, Chromium)
#   chromium        headless browser check of the HTML reports (tests marked `browser`)
# Idempotent and quiet: does nothing when everything is present; skipped with a note when
# not root or when apt-get is absent (the font test then fails, browser tests skip).
set -u
need=()
if ! { command -v fc-list >/dev/null && fc-list :lang=zh family 2>/dev/null | grep -qi "CJK\|WenQuanYi\|Source Han"; } \
   && ! ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; then
  need+=(fonts-noto-cjk fontconfig)
fi
command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
  || command -v google-chrome >/dev/null || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "note: could not install ${need[*]} (not root or no apt-get); Chinese chart labels may render as boxes and browser tests will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; }
# try without refreshing the lists first (fast when they are fresh), then update and retry
install || { apt-get update -qq >/dev/null 2>&1; install; } \
  || echo "note: apt-get install ${need[*]} failed; Chinese chart labels may render as boxes and browser tests will skip" >&2
exit 0
