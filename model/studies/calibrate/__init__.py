"""Calibration of the dynamic parameters on provincial statistics (``mfgbase calibrate``).

    >>> from model.studies.calibrate import calibrate
    >>> from model.outputs import write_calibration
    >>> result = calibrate()            # fit + back-test; writes nothing
    >>> result.estimates["delta_k"]["value"], result.estimates["delta_k"]["se"]
    >>> write_calibration(result)       # calibration/parameters.yaml, priors.yaml, results/calibration/

Modules: ``history`` (realised inputs, rules H1-H6), ``equations`` (aggregate versions of the
core's equations), ``fit`` (penalised least squares, synthetic data), ``api`` (calibrate,
back-test, the documents). The writer is :mod:`model.outputs.calibration`, the sub-command
:mod:`model.commands.calibrate`.
"""

from model.studies.calibrate.api import BacktestRow, CalibrationResult, backtest, calibrate

__all__ = ["BacktestRow", "CalibrationResult", "backtest", "calibrate"]
