"""Uncertain inputs and the SALib problem definition.

An :class:`UncertainInput` describes one column of the input matrix ``X`` of a
vectorised function ``f(X: (N, D)) -> Y: (N, K)``: its name, its marginal
probability distribution, an optional group (parameter family) and display labels.
:class:`Problem` is an ordered collection of inputs and converts to the SALib
problem dictionary (``num_vars``, ``names``, ``bounds``, ``dists`` and optionally
``groups``).

Distributions (``distribution`` -> SALib ``dists`` code, meaning of ``params``):

=============  =========  ==================================================================
name           SALib      params
=============  =========  ==================================================================
uniform        unif       (lower, upper); U(a, b)
loguniform     logunif    (lower, upper), 0 < a < b; log X ~ U(log a, log b)
triangular     triang     (lower, upper, peak) with peak the *fraction* of the width in [0, 1)
normal         norm       (mean, sd), sd > 0
truncnorm      truncnorm  (lower, upper, mean, sd); normal truncated to [lower, upper]
lognormal      lognorm    (mu, sigma) of ln X, sigma > 0
weibull        weibull    (shape k, scale lambda[, location])
=============  =========  ==================================================================

Unbounded distributions (normal, lognormal, weibull) cannot be used with Morris
(its grid includes the 0 and 1 quantiles, i.e. +/- infinity).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: user-facing distribution name (and aliases) -> SALib ``dists`` code
DIST_ALIASES: dict[str, str] = {
    "uniform": "unif",
    "unif": "unif",
    "loguniform": "logunif",
    "logunif": "logunif",
    "triangular": "triang",
    "triang": "triang",
    "normal": "norm",
    "norm": "norm",
    "truncnorm": "truncnorm",
    "truncated_normal": "truncnorm",
    "lognormal": "lognorm",
    "lognorm": "lognorm",
    "weibull": "weibull",
}

#: SALib code -> allowed number of parameters
_N_PARAMS: dict[str, tuple[int, ...]] = {
    "unif": (2,),
    "logunif": (2,),
    "triang": (3,),
    "norm": (2,),
    "truncnorm": (4,),
    "lognorm": (2,),
    "weibull": (2, 3),
}

#: SALib codes whose support is bounded (finite 0 and 1 quantiles)
BOUNDED_DISTS = frozenset({"unif", "logunif", "triang", "truncnorm"})


class ProblemError(ValueError):
    """Invalid uncertain input or problem definition."""


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input (one column of ``X``).

    Parameters
    ----------
    name : str
        Unique identifier (column name), e.g. ``"tfp_growth.textiles"``.
    distribution : str
        One of :data:`DIST_ALIASES` (``uniform``, ``normal``, ``triangular``,
        ``lognormal``, ``truncnorm``, ``loguniform``, ``weibull``).
    params : sequence of float
        Distribution parameters in the order of the module table
        (for ``uniform`` the bounds ``(lower, upper)``).
    group : str, optional
        Group / parameter family (used for grouped Sobol/Morris and plot colours).
    label_en, label_zh : str, optional
        Display labels (English / Chinese).
    path : str, optional
        Where the value goes in the model (e.g. a scenario field path). Informational.
    unit : str, optional
        Unit of the input, informational.
    """

    name: str
    distribution: str = "uniform"
    params: tuple[float, ...] = (0.0, 1.0)
    group: str | None = None
    label_en: str | None = None
    label_zh: str | None = None
    path: str | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ProblemError(f"input name must be a non-empty string, got {self.name!r}")
        dist = DIST_ALIASES.get(str(self.distribution).lower())
        if dist is None:
            raise ProblemError(
                f"input {self.name!r}: unknown distribution {self.distribution!r}; "
                f"choose one of {sorted(set(DIST_ALIASES))}"
            )
        try:
            params = tuple(float(p) for p in self.params)
        except (TypeError, ValueError) as exc:
            raise ProblemError(
                f"input {self.name!r}: params must be numbers, got {self.params!r}"
            ) from exc
        object.__setattr__(self, "params", params)
        if len(params) not in _N_PARAMS[dist]:
            raise ProblemError(
                f"input {self.name!r}: distribution {self.distribution!r} takes "
                f"{' or '.join(map(str, _N_PARAMS[dist]))} parameters, got {len(params)}: {params}"
            )
        if not all(math.isfinite(p) for p in params):
            raise ProblemError(f"input {self.name!r}: params must be finite, got {params}")
        _check_params(self.name, dist, params)

    @property
    def salib_dist(self) -> str:
        """SALib ``dists`` code of the distribution."""
        return DIST_ALIASES[self.distribution.lower()]

    @property
    def bounded(self) -> bool:
        """True if the support is bounded (required by Morris)."""
        return self.salib_dist in BOUNDED_DISTS

    def label(self, lang: str = "en") -> str:
        """Display label in ``lang`` (``'en'`` or ``'zh'``), falling back to the name."""
        if lang == "zh":
            return self.label_zh or self.label_en or self.name
        return self.label_en or self.name


def _check_params(name: str, dist: str, p: tuple[float, ...]) -> None:
    def bad(msg: str) -> ProblemError:
        return ProblemError(f"input {name!r} ({dist}): {msg}; params={p}")

    if dist == "unif" and not p[0] < p[1]:
        raise bad("lower bound must be < upper bound")
    if dist == "logunif" and not 0 < p[0] < p[1]:
        raise bad("need 0 < lower < upper")
    if dist == "triang":
        lo, hi, c = p
        if not lo < hi:
            raise bad("lower must be < upper")
        if not 0.0 <= c < 1.0:
            raise bad("peak is the fraction of the width and must be in [0, 1)")
        if hi - lo <= 0 or hi < 0:
            raise bad("SALib requires upper >= 0 for triangular")
    if dist in ("norm", "lognorm") and not p[1] > 0:
        raise bad("standard deviation must be > 0")
    if dist == "truncnorm":
        if not p[0] < p[1]:
            raise bad("lower must be < upper")
        if not p[3] > 0:
            raise bad("standard deviation must be > 0")
    if dist == "weibull" and not (p[0] > 0 and p[1] > 0):
        raise bad("shape and scale must be > 0")


@dataclass(frozen=True)
class Problem:
    """Ordered set of uncertain inputs; converts to a SALib problem dict.

    Parameters
    ----------
    inputs : sequence of UncertainInput
        Column order of ``X``.
    use_groups : bool
        If True, :meth:`to_salib` includes ``groups`` (every input must then have a
        ``group``); Sobol and Morris then report one index per group.
    """

    inputs: tuple[UncertainInput, ...]
    use_groups: bool = False
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        inputs = tuple(self.inputs)
        object.__setattr__(self, "inputs", inputs)
        if not inputs:
            raise ProblemError("a problem needs at least one input")
        for inp in inputs:
            if not isinstance(inp, UncertainInput):
                raise ProblemError(f"inputs must be UncertainInput, got {type(inp).__name__}")
        names = [i.name for i in inputs]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ProblemError(f"duplicate input names: {dupes}")
        if self.use_groups:
            missing = [i.name for i in inputs if not i.group]
            if missing:
                raise ProblemError(f"use_groups=True but inputs have no group: {missing}")
        object.__setattr__(self, "_index", {n: k for k, n in enumerate(names)})

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_salib(cls, problem: Mapping[str, Any], use_groups: bool | None = None) -> Problem:
        """Build from a SALib problem dict (``names``, ``bounds``, optional ``dists``/``groups``)."""
        names = list(problem["names"])
        bounds = list(problem["bounds"])
        if len(bounds) != len(names):
            raise ProblemError(f"{len(names)} names but {len(bounds)} bounds")
        dists = list(problem.get("dists") or ["unif"] * len(names))
        groups = problem.get("groups")
        inputs = [
            UncertainInput(
                name=n,
                distribution=d,
                params=tuple(b),
                group=(groups[k] if groups else None),
            )
            for k, (n, b, d) in enumerate(zip(names, bounds, dists, strict=True))
        ]
        return cls(tuple(inputs), use_groups=bool(groups) if use_groups is None else use_groups)

    @classmethod
    def uniform(cls, names: Iterable[str], lower: float = 0.0, upper: float = 1.0) -> Problem:
        """Independent U(lower, upper) inputs with the given names."""
        return cls(tuple(UncertainInput(n, "uniform", (lower, upper)) for n in names))

    # -- accessors ---------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [i.name for i in self.inputs]

    @property
    def num_vars(self) -> int:
        return len(self.inputs)

    @property
    def groups(self) -> list[str | None]:
        return [i.group for i in self.inputs]

    @property
    def group_names(self) -> list[str]:
        """Unique group names in order of first appearance (empty if ungrouped)."""
        seen: list[str] = []
        for g in self.groups:
            if g and g not in seen:
                seen.append(g)
        return seen

    @property
    def factor_names(self) -> list[str]:
        """Names of the factors SALib reports: groups if ``use_groups`` else inputs."""
        return self.group_names if self.use_groups else self.names

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, name: str) -> UncertainInput:
        return self.inputs[self._index[name]]

    def index(self, name: str) -> int:
        """Column index of input ``name``."""
        return self._index[name]

    def labels(self, lang: str = "en") -> dict[str, str]:
        """``{name: display label}`` (inputs, plus groups mapped to themselves)."""
        out = {g: g for g in self.group_names}
        out.update({i.name: i.label(lang) for i in self.inputs})
        return out

    def group_of(self) -> dict[str, str | None]:
        """``{input name: group}``."""
        return {i.name: i.group for i in self.inputs}

    def with_groups(self, use_groups: bool = True) -> Problem:
        """Copy of this problem with ``use_groups`` set."""
        return Problem(self.inputs, use_groups=use_groups)

    def to_salib(self, groups: bool | None = None) -> dict[str, Any]:
        """SALib problem dict.

        Parameters
        ----------
        groups : bool, optional
            Include ``groups``; defaults to ``self.use_groups``.
        """
        use = self.use_groups if groups is None else groups
        d: dict[str, Any] = {
            "num_vars": self.num_vars,
            "names": self.names,
            "bounds": [list(i.params) for i in self.inputs],
            "dists": [i.salib_dist for i in self.inputs],
        }
        if use:
            missing = [i.name for i in self.inputs if not i.group]
            if missing:
                raise ProblemError(f"groups requested but inputs have no group: {missing}")
            d["groups"] = [i.group for i in self.inputs]
        return d


def as_problem(problem: Problem | Mapping[str, Any] | Sequence[UncertainInput]) -> Problem:
    """Coerce a :class:`Problem`, SALib dict or sequence of inputs to a :class:`Problem`."""
    if isinstance(problem, Problem):
        return problem
    if isinstance(problem, Mapping):
        return Problem.from_salib(problem)
    return Problem(tuple(problem))
