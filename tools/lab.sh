#!/usr/bin/env bash
# `make lab`: JupyterLab on notebooks/ with the project's virtual environment.
# Jupyter refuses to start as root ("Use --allow-root to bypass"), which is how containers and
# many fresh machines run: the flag is added then, and only then. Extra arguments are passed on
# (e.g. `tools/lab.sh --no-browser --port 8899`).
set -eu
cd "$(dirname "$0")/.."
venv="${MFGBASE_VENV:-.venv}"
args=(--notebook-dir=notebooks)
if [ "$(id -u)" = "0" ]; then
  args+=(--allow-root)
fi
exec "$venv/bin/jupyter" lab "${args[@]}" "$@"
