"""The numpy core as it was at commit 9ec8a75 (before the compiled kernel), with one later equation
change mirrored (0db5f9a: the R&D trend is not lagged) so both cores compute the same model; kept only so
that benchmarks/bench_simulate.py can measure old and new cores side by side in one process.

Not part of the model: nothing in model/ imports it, and tests/test_core_reference.py checks the
compiled core against the reference outputs of this code (tests/fixtures/core_reference.npz).
It uses model.core's ModelBase and Projection so the same inputs run through both.
"""
