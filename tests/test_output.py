"""copy_bytes: the byte ranges the JSON reports are assembled from, by the kernel between
files and through Python's buffers elsewhere."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from renewal.render.output import copy_bytes

DATA = bytes(range(256)) * 4096  # 1 MiB, every byte value, no two neighbours alike


@pytest.fixture
def source(tmp_path: Path) -> io.BufferedRandom:
    stream = (tmp_path / "scratch").open("w+b")
    stream.write(DATA)  # left in Python's buffer on purpose: copy_bytes must flush it
    return stream


@pytest.mark.parametrize(("start", "length"), [(0, len(DATA)), (1, 10), (777, 300_000), (5, 0)])
def test_file_to_file(source: io.BufferedRandom, tmp_path: Path, start: int, length: int) -> None:
    target = tmp_path / "out"
    with target.open("wb") as out:
        out.write(b"head")
        copy_bytes(source, out, start, length)
        out.write(b"tail")
    assert target.read_bytes() == b"head" + DATA[start : start + length] + b"tail"


def test_ranges_in_any_order_after_reads(source: io.BufferedRandom, tmp_path: Path) -> None:
    """Reading the source in between (as the fixes do) must not move where a copy starts."""
    target = tmp_path / "out"
    with target.open("wb") as out:
        copy_bytes(source, out, 100, 50)
        source.seek(10)
        out.write(source.read(5))
        copy_bytes(source, out, 0, 20)
    assert target.read_bytes() == DATA[100:150] + DATA[10:15] + DATA[0:20]


def test_to_a_stream_without_a_file(source: io.BufferedRandom) -> None:
    out = io.BytesIO()  # stdout on a pipe: the kernel cannot copy, Python does
    out.write(b">")
    copy_bytes(source, out, 3, 70_000)
    assert out.getvalue() == b">" + DATA[3:70_003]
