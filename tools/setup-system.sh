#!/usr/bin/env bash
# System packages the project needs beyond PyPI (fonts for Chinese labels).
# Idempotent; skipped quietly when not root or when apt-get is absent.
set -u
need=()
fc-list 2>/dev/null | grep -qi "Noto Sans CJK\|WenQuanYi" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "note: could not install ${need[*]} (not root or no apt-get); Chinese chart labels fall back to boxes" >&2
  exit 0
fi
apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null 2>&1 \
  || echo "note: apt-get install ${need[*]} failed; Chinese chart labels may render as boxes" >&2
exit 0
