"""Every parameter of calibration/priors.yaml states unit, default, range, distribution and source
(issue 12, "Done when"), so no distribution is left implicit for the advisory experts."""

from __future__ import annotations

import re

import yaml

from model.parameters import load_parameters
from model.paths import CALIBRATION_DIR
from model.studies.sensitivity.adapter import _prior_input

RAW = yaml.safe_load((CALIBRATION_DIR / "priors.yaml").read_text(encoding="utf-8"))["parameters"]
FIELDS = ("central", "low", "high", "unit", "distribution", "family", "kind", "source", "label_en", "label_zh")


def test_every_prior_states_every_field_explicitly():
    missing = {name: [f for f in FIELDS if f not in entry or entry[f] in (None, "")] for name, entry in RAW.items()}
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"priors without an explicit field: {missing}"


def test_distributions_are_samplable_and_sources_are_specific():
    params = load_parameters()
    for name, spec in params.specs.items():
        inp = _prior_input(spec, f"parameters.{name}", spec.family)  # raises on an unknown distribution
        assert inp.params[0] <= spec.default <= inp.params[1] or inp.distribution == "truncnorm", name
        if spec.kind == "literature":  # a published estimate names its year
            assert re.search(r"(19|20)\d\d", spec.source), f"{name}: literature source without a year"
        if spec.kind == "assumption":  # a judgement says so, or names the data it leans on
            assert re.search(r"(?i)assumption|judgement|not in (the|our) data|data", spec.source), name
