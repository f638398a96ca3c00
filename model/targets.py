"""The plan's quantitative targets (calibration/plan_targets.csv) and their scoring.

Column ``status`` (optional; empty = ``scored``) says whether the model scores a target:
``scored`` - met / missed in the target year, part of P(met);
``not_supported`` - the data cannot support the construct the target names: the row is kept so
the scorecard can say so (``status_note_en`` / ``status_note_zh``, plain words), but it is not
scored, has no indicator path and is left out of P(met).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import DataError
from model.paths import CALIBRATION_DIR
from model.safeio.ranges import check_number
from model.safeio.tables import read_csv

TARGET_COLUMNS = ("task", "target_id", "indicator", "target", "comparator", "unit", "year",
                  "description_en", "description_zh", "plan_text_zh")
COMPARATORS = (">=", "<=")
SCORING = ("modelled", "decision")
STATUSES = ("scored", "not_supported")


@dataclass(frozen=True)
class Target:
    task: int
    target_id: str
    indicator: str
    value: float
    comparator: str
    unit: str
    year: int
    description_en: str
    description_zh: str
    plan_text_zh: str
    tolerance: float = 0.0  # relative band for "about X" (左右) targets; 0 = a floor/ceiling
    tolerance_rationale: str = ""
    scoring: str = "modelled"  # "modelled" | "decision" (set by decision, not modelled)
    scoring_note: str = ""

    @property
    def modelled(self) -> bool:
        """False for designations set by decision: shown on the scorecard, left out of P(met)."""
        return self.scoring == "modelled"

    def within_band(self, x: np.ndarray) -> np.ndarray:
        """Boolean array: within the stated tolerance band of an "about X" target.

        For ``>=``: x >= X (1 - tol); for ``<=``: x <= X (1 + tol) (|X| for X = 0: the target
        itself). With tol = 0 this is ``met``.
        """
        band = self.tolerance * abs(self.value)
        return x >= self.value - band if self.comparator == ">=" else x <= self.value + band

    def met(self, x: np.ndarray) -> np.ndarray:
        """Boolean array: is the target met by indicator values x?"""
        return x >= self.value if self.comparator == ">=" else x <= self.value

    def gap(self, x: np.ndarray) -> np.ndarray:
        """Signed distance to the target; >= 0 when met."""
        return x - self.value if self.comparator == ">=" else self.value - x


@dataclass(frozen=True)
class TargetNote:
    """A plan target the model does not score, with the reason in plain words."""

    task: int
    target_id: str
    status: str
    description_en: str
    description_zh: str
    plan_text_zh: str
    note_en: str
    note_zh: str


def _read_targets(path: Path | str | None) -> tuple[Path, pd.DataFrame]:
    path = Path(path) if path else CALIBRATION_DIR / "plan_targets.csv"
    if not path.exists():
        raise DataError(f"{path}: plan targets file not found")
    df = read_csv(path, "plan targets file", keep_default_na=True, dtype={"plan_text_zh": str, "status": str, "status_note_en": str,
                                                    "status_note_zh": str})
    missing = [c for c in TARGET_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; required {list(TARGET_COLUMNS)}")
    status = df["status"].fillna("scored") if "status" in df.columns else pd.Series("scored", index=df.index)
    for i, val in status.items():
        if val not in STATUSES:
            raise DataError(f"{path}: row {i + 2}, column status: {val!r} is not one of {STATUSES}")
    return path, df.assign(status=status)


def load_target_notes(path: Path | str | None = None) -> list[TargetNote]:
    """The targets of plan_targets.csv that are not scored (status other than ``scored``)."""
    path, df = _read_targets(path)
    out = []
    for i, row in df[df["status"] != "scored"].iterrows():
        for col in ("status_note_en", "status_note_zh"):
            if col not in df.columns or pd.isna(row[col]) or not str(row[col]).strip():
                raise DataError(f"{path}: row {i + 2}, column {col}: a target that is not scored needs its reason")
        out.append(
            TargetNote(
                task=int(row["task"]),
                target_id=str(row["target_id"]),
                status=str(row["status"]),
                description_en=str(row["description_en"]),
                description_zh=str(row["description_zh"]),
                plan_text_zh=str(row["plan_text_zh"]),
                note_en=str(row["status_note_en"]),
                note_zh=str(row["status_note_zh"]),
            )
        )
    return out


def _num(x: object) -> object:
    """A CSV cell as a number if it reads as one (else unchanged, for the validator to refuse)."""
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return x
    return x


def _text(row: pd.Series, column: str, default: str = "") -> str:
    """An optional text cell: ``default`` when the column is missing or the cell is empty."""
    v = row.get(column)
    if v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip():
        return default
    return str(v)


def load_targets(path: Path | str | None = None) -> list[Target]:
    """The scored targets of plan_targets.csv (status ``scored`` or empty).

    Optional columns: ``scoring`` (empty = ``modelled``), ``tolerance`` (empty = 0; a relative
    band in [0, 1)), ``tolerance_rationale`` and ``scoring_note`` (empty = no text).
    """
    path, df = _read_targets(path)
    out = []
    for i, row in df[df["status"] == "scored"].iterrows():
        scoring = _text(row, "scoring", "modelled")
        if scoring not in SCORING:
            raise DataError(f"{path}: row {i + 2}, column scoring: {scoring!r} is not one of {SCORING}")
        tol = check_number(_num(_text(row, "tolerance", "0")), f"{path}: row {i + 2}, column tolerance", 0.0, 1.0,
                           error=DataError)
        if tol >= 1.0:
            raise DataError(f"{path}: row {i + 2}, column tolerance: {tol:g} must be in [0, 1)")
        if row["comparator"] not in COMPARATORS:
            raise DataError(f"{path}: row {i + 2}, column comparator: {row['comparator']!r} is not one of {COMPARATORS}")
        where = f"{path}: row {i + 2}, column"
        task = int(check_number(_num(row["task"]), f"{where} task", 1, 27, error=DataError))
        value = check_number(_num(row["target"]), f"{where} target", error=DataError)
        year = int(check_number(_num(row["year"]), f"{where} year", 2004, 2010, error=DataError))
        out.append(
            Target(
                task=task,
                target_id=str(row["target_id"]),
                indicator=str(row["indicator"]),
                value=value,
                comparator=str(row["comparator"]),
                unit=str(row["unit"]),
                year=year,
                description_en=str(row["description_en"]),
                description_zh=str(row["description_zh"]),
                plan_text_zh=str(row["plan_text_zh"]),
                tolerance=tol,
                tolerance_rationale=_text(row, "tolerance_rationale"),
                scoring=scoring,
                scoring_note=_text(row, "scoring_note"),
            )
        )
    return out


def load_tasks(path: Path | str | None = None) -> pd.DataFrame:
    """All 27 plan tasks with their role in the model (target / lever / structure / context)."""
    path = Path(path) if path else CALIBRATION_DIR / "plan_tasks.csv"
    return pd.read_csv(path)


def first_year_met(target: Target, values: np.ndarray, years: tuple[int, ...]) -> np.ndarray:
    """First year (from 2004) in which the target is met, per run; 0 when never met.

    values: (R, T) indicator path.
    """
    met = target.met(values[:, 1:])
    yrs = np.asarray(years[1:])
    any_met = met.any(axis=1)
    return np.where(any_met, yrs[np.argmax(met, axis=1)], 0)
