"""Studies of the model: sensitivity and uncertainty, scenario comparison and diff, calibration.

Each study returns a result that holds data only (tidy frames, arrays); the writers in
:mod:`model.outputs` turn results into folders, the commands in :mod:`model.commands` glue
the two for ``mfgbase``. Sub-packages are imported on demand (``model.studies.compare``...).
"""
