"""Broken and hostile inputs, each run through `renewal check` as a real process.

Every class of input built by `tests/corpus/build.py` must be refused with exit 2 and one
line on stderr that names the file and says what is wrong (in Chinese by default and in
English with `--lang en`), without a traceback, without touching the input and without
leaving an output or temporary file behind. The zip bomb and the entity-expansion sheet
must also be refused quickly and in small memory: before anything is inflated or expanded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest


def _load_corpus() -> ModuleType:
    """tests/corpus/build.py, under a name that cannot collide with the `build` package."""
    path = Path(__file__).resolve().parent / "corpus" / "build.py"
    spec = importlib.util.spec_from_file_location("renewal_test_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()

AFTER = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00"]
PROMPT_SECONDS = 5.0
"""A refusal before inflating takes the interpreter's start-up time, well under a second."""
SMALL_RSS_MB = 200
"""A refused run stays near the interpreter's own ~40 MB; inflating the bomb needs >2 GB."""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


_MEASURED = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "renewal", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs the CLI as its own child and writes down that child's peak resident memory. A
process started from pytest starts its peak at pytest's own (the kernel counts the memory
it was forked with, however briefly), so it is measured from a small process in between:
os.wait4 there gives the rusage of exactly the CLI, unlike RUSAGE_CHILDREN's maximum."""


def renewal(*args: str | Path, cwd: Path) -> Run:
    """Run the CLI and measure this one run: wall time and its peak resident memory."""
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("RENEWAL_DEBUG", None)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        peak = Path(scratch) / "maxrss"
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURED, peak, *map(str, args)],
            stdout=out,
            stderr=err,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        killer = threading.Timer(120, os.killpg, (process.pid, 9))
        killer.start()
        try:
            process.wait()
        finally:
            killer.cancel()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Run(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            int(peak.read_text()) / 1024,  # KB on Linux
        )


def tree(directory: Path) -> dict[str, str]:
    """Every entry under `directory` with the SHA-256 of each file ('dir' for a directory)."""
    found = {}
    for path in sorted(directory.rglob("*")):
        relative = str(path.relative_to(directory))
        found[relative] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The whole corpus, built once: the zip bomb takes a few seconds to deflate."""
    return corpus.build(tmp_path_factory.mktemp("corpus"))


@dataclass(frozen=True)
class Refusal:
    """One class of input: what to run and what the one line on stderr must say."""

    name: str
    zh: str
    en: str
    build: str | None = None
    """The corpus class providing the input (default: `name`); None for a missing file."""
    output: str | None = None
    """How to give `-o`: None a fresh report path, 'input' the input itself, 'hardlink' a
    hard link to the input, or a corpus class that provides the output path."""
    extra: tuple[str, ...] = ()
    names: str | None = None
    """Which path the message must name: the input (default) or the output."""
    prompt: bool = False
    """Also check it is refused fast and in small memory."""


REFUSALS = [
    Refusal("truncated_xlsx", "：不是可读取的工作簿", ": not a readable workbook"),
    Refusal("corrupt_xlsx", "：工作表「商家」无法读取", ": sheet 商家: cannot be read"),
    Refusal("zip_not_workbook", "：不是可读取的工作簿", ": not a readable workbook"),
    Refusal(
        "encrypted_xlsx",
        "：工作簿有密码保护，请在 Excel 中取消密码后另存再检查",
        ": the workbook is password-protected",
    ),
    Refusal("empty_xlsx", "：文件为空", ": the file is empty"),
    Refusal("empty_csv", "：文件为空", ": the file is empty"),
    Refusal("empty_sheet", "：工作表「商家」为空", ": sheet 商家 is empty"),
    Refusal(
        "header_only",
        "：工作表「商家」第 1 行是表头，但下面没有商家数据",
        ": sheet 商家: row 1 is the header, but no merchant rows follow",
    ),
    Refusal(
        "shift_jis_csv", "：第 2 行：不是有效的 gb18030 文本", ": row 2: not valid gb18030 text"
    ),
    # No catalogue entry exists for NUL bytes: the line must at least refuse and name row 3.
    Refusal("nul_csv", "：第 3 行", ": row 3"),
    Refusal(
        "missing_column",
        "第 1 行：缺少必需列 合同签署时间 (contract_signed_at)",
        "row 1: missing required column 合同签署时间 (contract_signed_at)",
    ),
    Refusal(
        "duplicate_column",
        "：工作表「商家」第 1 行：I 列「保证金余额」与 O 列「保证金余额(元)」都是「保证金余额」列",
        ": sheet 商家: row 1: columns I (保证金余额) and O (保证金余额(元)) are both column 保证金余额",
    ),
    Refusal(
        "zip_bomb",
        "：其中「xl/worksheets/sheet1.xml」压缩比",
        ": entry xl/worksheets/sheet1.xml inflates",
        prompt=True,
    ),
    Refusal(
        "zip_bomb_over_limit",
        "MB，超过上限 1000 MB，疑似压缩炸弹，未读取",
        "MB, over the 1000 MB limit; refused as a possible zip bomb",
        build="zip_bomb",
        extra=("--max-inflated-mb", "1000"),
        prompt=True,
    ),
    Refusal(
        "zip_bomb_lying",
        "：工作表「商家」无法读取（",
        ": sheet 商家: cannot be read (",
        prompt=True,
    ),
    Refusal(
        "billion_laughs",
        "：工作表「商家」无法读取（",
        ": sheet 商家: cannot be read (",
        prompt=True,
    ),
    Refusal("directory_input", "：是目录，不是导出文件", ": is a directory, not an export file"),
    Refusal("nonexistent", "nowhere.xlsx：文件不存在", "nowhere.xlsx: no such file", build=None),
    Refusal(
        "output_directory",
        "：输出路径是一个目录",
        ": the output path is a directory",
        build="valid_xlsx",
        output="output_directory",
        names="output",
    ),
    Refusal(
        "input_as_output",
        "：输出文件就是输入文件，拒绝覆盖",
        ": the output is the input file; refusing to write over it",
        build="valid_xlsx",
        output="input",
    ),
    Refusal(
        "input_as_output_hardlink",
        "：输出文件就是输入文件，拒绝覆盖",
        ": the output is the input file; refusing to write over it",
        build="valid_xlsx",
        output="hardlink",
        names="output",
    ),
]


def source_of(refusal: Refusal) -> str | None:
    if refusal.name == "nonexistent":
        return None
    return refusal.build or refusal.name


def test_every_corpus_class_is_exercised():
    used = {source_of(r) for r in REFUSALS} | {r.output for r in REFUSALS}
    assert set(corpus.CASES) <= used


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("refusal", REFUSALS, ids=[r.name for r in REFUSALS])
def test_refused_with_one_line_naming_the_file(refusal, lang, built, tmp_path):
    source = source_of(refusal)
    if source is not None and source not in built:
        pytest.skip(f"{source} not built: msoffcrypto-tool is not installed in .venv")
    corpus_dir = next(iter(built.values())).parent
    target = corpus_dir / "nowhere.xlsx" if source is None else built[source]
    work = tmp_path / "work"  # the cwd: nothing may appear here either
    reports = tmp_path / "reports"
    work.mkdir()
    reports.mkdir()
    if refusal.output is None:
        output = reports / "report.json"
    elif refusal.output == "input":
        output = target
    elif refusal.output == "hardlink":
        output = reports / "report.json"
        os.link(target, output)
    else:
        output = built[refusal.output]
    named = output if refusal.names == "output" else target
    before = tree(corpus_dir), tree(reports), tree(work)

    args = ["check", target, *AFTER, "-o", output, *refusal.extra]
    if lang == "en":
        args += ["--lang", "en"]
    run = renewal(*args, cwd=work)

    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 2, (run.returncode, run.stderr, run.stdout[:500])
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    line = lines[0]
    assert line.startswith("renewal: "), line
    assert named.name in line, line
    assert (refusal.zh if lang == "zh" else refusal.en) in line, line
    if lang == "en":
        assert "：" not in line and "「" not in line, line  # no Chinese punctuation left
    assert run.stdout == ""
    # the input and everything beside it unchanged; no report, no temporary file anywhere
    assert (tree(corpus_dir), tree(reports), tree(work)) == before
    if refusal.prompt:
        assert run.seconds < PROMPT_SECONDS, run.seconds
        assert run.max_rss_mb < SMALL_RSS_MB, run.max_rss_mb


def test_the_zip_bomb_is_small_on_disk_and_really_declares_over_2_gb(built):
    bomb = built["zip_bomb"]
    assert bomb.stat().st_size < 4 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        sheet = archive.getinfo(corpus.SHEET_ENTRY)
        assert sheet.file_size > 2_000_000_000
        with archive.open(sheet) as stream:  # it really inflates: the start is a sheet
            assert stream.read(len(corpus.SHEET_HEAD)) == corpus.SHEET_HEAD


def test_the_lying_zip_bomb_declares_little_but_inflates_to_far_more(built):
    """Its zip directory claims a small sheet, so a guard reading the directory lets it
    pass: the reader itself must stop at the declared size."""
    bomb = built["zip_bomb_lying"]
    assert bomb.stat().st_size < 4 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        sheet = archive.getinfo(corpus.SHEET_ENTRY)
    assert sheet.file_size == corpus.LYING_DECLARED_SIZE
    raw = bomb.read_bytes()
    local = sheet.header_offset
    name_length = int.from_bytes(raw[local + 26 : local + 28], "little")
    extra_length = int.from_bytes(raw[local + 28 : local + 30], "little")
    start = local + 30 + name_length + extra_length
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # bounded: 64 kB in, at most 64 MB out
    produced = inflater.decompress(raw[start : start + 64 * 1024], 64 * 1024 * 1024)
    assert produced.startswith(corpus.SHEET_HEAD)
    assert len(produced) > 100 * corpus.LYING_DECLARED_SIZE


def test_the_shift_jis_sample_decodes_as_neither_utf8_nor_gb18030(built):
    data = built["shift_jis_csv"].read_bytes()
    assert corpus.SHIFT_JIS_NAME in data.decode("shift_jis")
    for encoding in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            data.decode(encoding)


def test_the_encrypted_workbook_is_an_ole_file_with_an_encrypted_package(built):
    if "encrypted_xlsx" not in built:
        pytest.skip("msoffcrypto-tool is not installed in .venv")
    data = built["encrypted_xlsx"].read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert "EncryptedPackage".encode("utf-16-le") in data
    assert not zipfile.is_zipfile(io.BytesIO(data))


def test_the_valid_workbook_of_the_output_cases_is_itself_accepted(built, tmp_path):
    """So that the output classes are refused for their output, not for their input."""
    run = renewal("check", built["valid_xlsx"], *AFTER, "-o", tmp_path / "r.json", cwd=tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert (tmp_path / "r.json").is_file()
