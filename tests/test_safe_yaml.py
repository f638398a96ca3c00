"""The one YAML loader (model.safeio.safe_yaml) and the bounded file reader (model.safeio.files)."""

from __future__ import annotations

import os

import pytest

from model.errors import InputError
from model.safeio.files import read_regular
from model.safeio.safe_yaml import parse_yaml


@pytest.mark.parametrize("text,match", [
    ("a: 1\na: 2\n", "duplicate key a"),
    ("a: {x: 1, x: 2}\n", "duplicate key x"),
    ("a: &x [1]\nb: *x\n", "anchors"),
    ("b: *x\n", "alias"),
    ("<<: {a: 1}\n", "merge keys"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "nested deeper"),
    ('a: "\\e[31m"\n', "control characters"),
    ("a: \x1b\n", "not allowed in YAML"),
    ("a: !!python/object:os.system 1\n", "constructor"),
])
def test_refused(text, match):
    with pytest.raises(InputError, match=match):
        parse_yaml(text, "f.yaml")


def test_numbers_as_yaml_1_2_reads_them():
    assert parse_yaml("a: 1e12\nb: 1.5e3\nc: -5E-3\nd: 12\ne: 0.25\n") == {
        "a": 1e12, "b": 1500.0, "c": -0.005, "d": 12, "e": 0.25}


def test_bounded_reads(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 2000)
    assert len(read_regular(big, 2000)) == 2000
    with pytest.raises(InputError, match="at most 1,999 bytes"):
        read_regular(big, 1999)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(InputError, match="FIFO"):
        read_regular(tmp_path / "fifo")  # returns at once: opened without blocking
    with pytest.raises(InputError, match="device"):
        read_regular("/dev/zero", 10)  # read-only, harmless; never read
    with pytest.raises(InputError, match="directory"):
        read_regular(tmp_path)
