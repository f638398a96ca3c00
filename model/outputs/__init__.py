"""Every writer: result folders written atomically, with provenance (manifest).

Results hold data; writers import results, never the reverse. One module per result:

* :mod:`.writer`       - ``write_run(result, out)``: a scenario run (scorecard, projection, charts)
* :mod:`.compare`      - ``write_comparison(cmp, out, lang)``: a scenario comparison (report.html/.md)
* :mod:`.sensitivity`  - ``write_study(st, out)``: a sensitivity and uncertainty study
* :mod:`.calibration`  - ``write_calibration(result, ...)``: parameters.yaml, priors block, report
* :mod:`.manifest`     - provenance of a result folder (code, packages, input hashes)
* :mod:`.atomic`       - the atomic writer every module above uses

Only the run writer is imported here (``mfgbase run`` stays light); import the others from
their modules, e.g. ``from model.outputs.compare import write_comparison``.
"""

from model.outputs.atomic import atomic_directory
from model.outputs.manifest import build_manifest
from model.outputs.writer import write_run

__all__ = ["atomic_directory", "build_manifest", "write_run"]
