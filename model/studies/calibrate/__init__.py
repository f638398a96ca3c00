"""Calibration of the dynamic parameters on provincial statistics (``mfgbase calibrate``).

    >>> from model.calibrate import calibrate
    >>> result = calibrate()            # writes calibration/parameters.yaml, results/calibration/
    >>> result.estimates["delta_k"]["value"], result.estimates["delta_k"]["se"]

Modules: ``history`` (realised inputs, rules H1-H6), ``equations`` (aggregate versions of the
core's equations), ``fit`` (penalised least squares, synthetic data), ``api`` (calibrate,
back-test, writers), ``report`` (report.md and plots), ``cli`` (the sub-command).
"""

from model.calibrate.api import BacktestRow, CalibrationResult, backtest, calibrate

__all__ = ["BacktestRow", "CalibrationResult", "backtest", "calibrate"]
