"""Run outputs: result folders written atomically, with provenance (manifest)."""

from model.outputs.atomic import atomic_directory
from model.outputs.manifest import build_manifest
from model.outputs.writer import write_run

__all__ = ["atomic_directory", "build_manifest", "write_run"]
