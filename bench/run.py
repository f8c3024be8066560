"""Time `renewal check` as whole processes, each figure beside its floor, in one sitting.

    python bench/run.py --sizes 10k[,100k,1m] [--repeat 3] [--data bench/data]
                        [--out bench/out] [--markdown] [--frictionless]

For each size it generates any missing export (bench/generate.py), then runs every
measurement alternately with its floor (A, B, A, B, ...), as
/work/shared/reference/io-benchmarks.md did: wall time from time.perf_counter around the
child, peak RSS from the child's own rusage (os.wait4). It prints one table (median and
min-max wall, peak MiB, rows/s, ratio to the floor, the issue's target) and writes the raw
runs to <out>/results-<size>.json. Start-up is measured once per invocation and is written
into every results file of that invocation.

Peak RSS: Linux starts a child's ru_maxrss at what the process that forked it had mapped
(with vfork, as subprocess uses, at the parent's own peak). So the children are forked by
a small spawner process (`python -S`) instead of by this script; `true` run through it
shows about 7 MiB, below any Python child (8.5 MiB for `python -c pass`), so every peak
reported is the child's own.

Exit status: 1 when a run fails or a sanity check fails (exit code, report row count
against the floor's), 0 otherwise, also when a timing target is missed.

Standard library only: the measured processes run in the renewal virtualenv, whichever
Python runs this script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
FIXTURE = ROOT / "fixtures" / "merchants-2022.xlsx"
FRICTIONLESS_VENV = BENCH / ".venv-frictionless"
FRICTIONLESS_REQUIREMENTS = BENCH / "requirements-frictionless.txt"
RULES = "tmall-2022"
AS_OF = "2021-12-27 00:00"
MERCHANT_SHEET = "商家"
FILES = {"xlsx": "export-{}.xlsx", "csv": "export-{}.csv", "csv-gb18030": "export-{}-gb18030.csv"}


# --- running one process -------------------------------------------------------------------

# Reads "stdout\0stderr\0argv0\0argv1..." lines; for each, forks, execs, waits and answers
# "wall_seconds peak_kib exit_code".
SPAWNER = r"""
import os, sys, time
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    stdout, stderr, *argv = line.rstrip(b"\n").split(b"\0")
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
            os.dup2(os.open(stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    out.write(b"%r %d %d\n" % (wall, usage.ru_maxrss, code))
    out.flush()
"""


class Spawner:
    """A `python -S` process that forks every measured command, so that a child's peak RSS
    does not start from this script's."""

    def __init__(self, python: str) -> None:
        self.process = subprocess.Popen(
            [python, "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.stdin: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        self.stdout: IO[bytes] = self.process.stdout  # type: ignore[assignment]
        # The least peak a child can show: what `true` (about 1 MiB itself) reports.
        self.resolution_mib = self.run(["true"], Path(os.devnull), Path(os.devnull))[1]

    def run(self, argv: list[str], stdout: Path, stderr: Path) -> tuple[float, float, int]:
        """Wall seconds, peak RSS in MiB (ru_maxrss is KiB on Linux) and exit code."""
        fields = [os.fsencode(str(p)) for p in (stdout, stderr)] + [os.fsencode(a) for a in argv]
        self.stdin.write(b"\0".join(fields) + b"\n")
        self.stdin.flush()
        wall, kib, code = self.stdout.readline().split()
        return float(wall), int(kib) / 1024, int(code)

    def close(self) -> None:
        self.stdin.close()
        self.process.wait()


@dataclass
class Run:
    wall: float  # seconds
    peak_mib: float  # the child's peak RSS
    returncode: int
    rows: int | None = None  # merchants the run reports seeing (None: not applicable)
    problems: list[str] = field(default_factory=list)


# A check reads what a run left (exit code, captured stdout, scratch dir) and returns the
# merchant rows it saw plus any problems.
Check = Callable[[int, Path, Path], tuple[int | None, list[str]]]


@dataclass
class Job:
    argv: list[str]
    check: Check
    stdout_to_null: bool = False


@dataclass
class Tools:
    python: str  # the interpreter renewal is installed in; floors run in it too
    renewal: str


@dataclass
class Sitting:
    """What every measurement of one invocation shares."""

    tools: Tools
    spawner: Spawner
    scratch: Path  # emptied after every run
    repeat: int

    def execute(self, job: Job) -> Run:
        """One timed run; its outputs are checked, then removed."""
        stdout, stderr = self.scratch / "stdout", self.scratch / "stderr"
        target = Path(os.devnull) if job.stdout_to_null else stdout
        wall, peak, code = self.spawner.run(job.argv, target, stderr)
        try:
            rows, problems = job.check(code, stdout, self.scratch)
        except Exception as error:  # a malformed output fails the sanity check
            rows, problems = None, [f"could not read the output: {error!r}"]
        err = stderr.read_bytes()[-2000:].decode(errors="replace").strip().splitlines()
        if problems and err:
            problems.append(f"stderr ends: {err[-1]}")
        for leftover in self.scratch.iterdir():
            leftover.unlink()
        return Run(wall, peak, code, rows, problems)


# --- sanity checks -------------------------------------------------------------------------


def exit_zero(code: int, stdout: Path, scratch: Path) -> tuple[int | None, list[str]]:
    return None, [] if code == 0 else [f"exit code {code}"]


def floor_rows(code: int, stdout: Path, scratch: Path) -> tuple[int | None, list[str]]:
    """floors.py prints per-sheet counts; merchants are the 商家 sheet's (or the only
    sheet's) rows below the header."""
    if code != 0:
        return None, [f"exit code {code}"]
    sheets = json.loads(stdout.read_bytes())["sheets"]
    sheet = next((s for s in sheets if s["name"] == MERCHANT_SHEET), sheets[0])
    return sheet["rows"] - 1, []


def count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def report_rows(name: str) -> Check:
    """The merchants in renewal's report `name` (in scratch): one a line in .jsonl; in
    .json one a line between the header line and the closing line, and the summary agrees."""

    def check(code: int, stdout: Path, scratch: Path) -> tuple[int | None, list[str]]:
        path = scratch / name
        if code != 0:
            return None, [f"exit code {code}"]
        if not path.exists():
            return None, [f"no report written at {path.name}"]
        if path.suffix == ".jsonl":
            return count_lines(path), []
        if path.suffix != ".json":
            return None, []  # xlsx: its shape sizes the floor instead
        with path.open("rb") as handle:
            head = json.loads(handle.readline() + b"]}")
        rows = count_lines(path) - 2
        stated = head["summary"]["merchants"]
        return rows, [] if stated == rows else [f"summary says {stated} merchants, {rows} listed"]

    return check


def frictionless_rows(code: int, stdout: Path, scratch: Path) -> tuple[int | None, list[str]]:
    """Exit 1 only says the data is invalid; the rows it read come from its JSON report."""
    if code not in (0, 1):
        return None, [f"exit code {code}"]
    task = json.loads(stdout.read_bytes())["tasks"][0]
    if "rows" not in task["stats"]:  # it could not read the file at all
        return None, [error["message"] for error in task["errors"][:1]] or ["no rows read"]
    return task["stats"]["rows"], []


# --- measurements ----------------------------------------------------------------------------


@dataclass
class Target:
    text: str
    wall_ratio: float | None = None  # A wall / floor wall at most
    peak_mib: float | None = None  # A peak at most
    wall_s: float | None = None  # A wall strictly under


@dataclass
class Result:
    name: str
    size: str
    rows: int | None  # merchants, for rows/s
    floor_name: str
    runs: list[Run]
    floor_runs: list[Run]
    target: Target | None
    problems: list[str] = field(default_factory=list)
    reading: list[Run] | None = None
    """For the xlsx report: the runs of the same check writing JSON instead. The report's
    writing time is the difference of the medians, and that is what meets its floor."""

    def ok(self) -> bool:
        return not self.problems and not any(r.problems for r in self.runs + self.floor_runs)


def measure(
    sitting: Sitting,
    name: str,
    size: str,
    rows: int | None,
    a: Job,
    floor_name: str,
    b: Job,
) -> Result:
    """A, B, A, B...: the measurement and its floor alternate in one sitting."""
    result = Result(name, size, rows, floor_name, [], [], target_for(name, size))
    for index in range(sitting.repeat):
        sides = ((a, result.runs, name), (b, result.floor_runs, f"  floor: {floor_name}"))
        for job, runs, label in sides:
            run = sitting.execute(job)
            runs.append(run)
            flag = "  FAILED: " + "; ".join(run.problems) if run.problems else ""
            print(
                f"[{size}] {label} run {index + 1}/{sitting.repeat}: "
                f"{run.wall:.3f} s, {run.peak_mib:.1f} MiB{flag}",
                file=sys.stderr,
                flush=True,
            )
    for side, runs in (("", result.runs), ("floor ", result.floor_runs)):
        seen = {r.rows for r in runs if r.rows is not None}
        if rows is not None and seen and seen != {rows}:
            result.problems.append(f"{side}rows {sorted(seen)} != {rows} in the data")
    return result


def wall_stats(runs: list[Run]) -> tuple[float, float, float]:
    walls = [r.wall for r in runs]
    return statistics.median(walls), min(walls), max(walls)


def peak(runs: list[Run]) -> float:
    return max(r.peak_mib for r in runs)


def ratios(result: Result) -> tuple[float, float]:
    own = wall_stats(result.runs)[0]
    if result.reading:
        own -= wall_stats(result.reading)[0]  # writing alone
    wall = own / wall_stats(result.floor_runs)[0]
    return wall, peak(result.runs) / peak(result.floor_runs)


def verdict(result: Result) -> str:
    if not result.ok():
        return "ERROR"
    target = result.target
    if target is None:
        return "—"
    wall_ratio, _ = ratios(result)
    median = wall_stats(result.runs)[0]
    passed = (
        (target.wall_ratio is None or wall_ratio <= target.wall_ratio)
        and (target.peak_mib is None or peak(result.runs) <= target.peak_mib)
        and (target.wall_s is None or median < target.wall_s)
    )
    return "PASS" if passed else "MISS"


def target_for(name: str, size: str) -> Target | None:
    """The issue's targets; the ratio targets are stated for 100k and 1M only."""
    if name == "xlsx → json" and size == "100k":
        return Target("≤ 2× floor", wall_ratio=2)
    if name in ("xlsx → json", "xlsx → jsonl") and size == "1m":
        return Target("≤ 2× floor, ≤ 3 GiB", wall_ratio=2, peak_mib=3 * 1024)
    if name in ("csv → jsonl", "gb18030 csv → jsonl") and size == "1m":
        return Target("≤ 4× floor, ≤ 400 MiB", wall_ratio=4, peak_mib=400)
    if name == "xlsx → xlsx":
        return Target("writing ≤ 1.3× floor", wall_ratio=1.3)
    if name.startswith("start-up"):
        return Target("< 0.5 s", wall_s=0.5)
    return None


# --- the environment -----------------------------------------------------------------------


def find_tools() -> Tools:
    for bindir in (Path(sys.executable).parent, ROOT / ".venv" / "bin"):
        if (bindir / "renewal").exists() and (bindir / "python").exists():
            return Tools(str(bindir / "python"), str(bindir / "renewal"))
    renewal = shutil.which("renewal")
    if renewal is None:
        sys.exit("bench/run.py: no `renewal` beside this Python, in .venv/bin or on PATH")
    return Tools(sys.executable, renewal)


def size_rows(label: str) -> int:
    label = label.strip().lower()
    for suffix, factor in (("k", 1000), ("m", 1_000_000)):
        if label.endswith(suffix):
            return int(label[:-1]) * factor
    return int(label)


def size_label(rows: int) -> str:  # as bench/generate.py names its files
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1000 == 0:
        return f"{rows // 1000}k"
    return str(rows)


def ensure_data(tools: Tools, data: Path, rows: int) -> None:
    label = size_label(rows)
    missing = [kind for kind, name in FILES.items() if not (data / name.format(label)).exists()]
    if missing:
        print(f"generating {', '.join(missing)} for {label} in {data}", file=sys.stderr)
        generate = [tools.python, str(BENCH / "generate.py"), "--rows", str(rows)]
        generate += ["--out", str(data), "--formats", ",".join(missing)]
        subprocess.run(generate, check=True, stdout=sys.stderr)


def lists_xlsx_format(tools: Tools) -> bool:
    """Whether `renewal check --help` names xlsx under --format (the export argument's own
    help mentions .xlsx, so only the --format option's lines count)."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    text = subprocess.run(
        [tools.renewal, "check", "--help"], capture_output=True, text=True, env=env
    ).stdout
    block: list[str] = []
    for line in text.splitlines():
        option = line.strip("│ ").startswith("-")
        if block and option:
            break
        if block or "--format" in line:
            block.append(line)
    return "xlsx" in " ".join(block)


def frictionless_bin(python: str) -> Path | None:
    """bench/.venv-frictionless with the pinned frictionless, created on first use."""
    binary = FRICTIONLESS_VENV / "bin" / "frictionless"
    if not binary.exists():
        print(f"creating {FRICTIONLESS_VENV}", file=sys.stderr)
        steps = [
            [python, "-m", "venv", str(FRICTIONLESS_VENV)],
            [str(FRICTIONLESS_VENV / "bin" / "pip"), "install", "-q"]
            + ["-r", str(FRICTIONLESS_REQUIREMENTS)],
        ]
        for step in steps:
            if subprocess.run(step, stdout=sys.stderr).returncode != 0:
                return None
    return binary if binary.exists() else None


def machine(tools: Tools, spawner: Spawner) -> dict[str, object]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    python = subprocess.run(
        [tools.python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory_gib": round(kib / 1024**2, 1),
        "python": python,
        "platform": platform.platform(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "peak_resolution_mib": round(spawner.resolution_mib, 1),
    }


def source_fingerprint() -> str:
    """A digest of renewal's code and rule files: other people edit them while a long run
    goes on, and a run that straddles an edit mixes two versions."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "renewal").rglob("*.py"), *(ROOT / "rules").rglob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def machine_line(info: dict[str, object]) -> str:
    return (
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gib']} GiB RAM, "
        f"Python {info['python']}, {str(info['date'])[:16].replace('T', ' ')}"
    )


# --- the measurements of one invocation ----------------------------------------------------


def check_argv(tools: Tools, export: Path, *options: str) -> list[str]:
    argv = [tools.renewal, "check", str(export), "--rules", RULES, "--as-of", AS_OF]
    return argv + ["--fail-on", "never", *options]


def run_size(
    sitting: Sitting,
    rows: int,
    data: Path,
    xlsx_report: bool,
    friction: Path | None,
    only: set[str] | None = None,
) -> list[Result]:
    label = size_label(rows)
    tools, scratch = sitting.tools, sitting.scratch
    xlsx, csv_utf8, csv_gb = (data / FILES[k].format(label) for k in FILES)
    floors = [tools.python, str(BENCH / "floors.py")]
    calamine = Job([*floors, "calamine", str(xlsx)], floor_rows)

    def report(export: Path, name: str) -> Job:
        return Job(check_argv(tools, export, "-o", str(scratch / name)), report_rows(name))

    def csv_floor(path: Path, encoding: str) -> Job:
        return Job([*floors, "csv", str(path), "--encoding", encoding], floor_rows)

    pairs = [
        ("xlsx → json", report(xlsx, "r.json"), "calamine iter_rows", calamine),
        ("xlsx → jsonl", report(xlsx, "r.jsonl"), "calamine iter_rows", calamine),
        (
            "csv → jsonl",
            report(csv_utf8, "r.jsonl"),
            "csv.reader utf-8-sig",
            csv_floor(csv_utf8, "utf-8-sig"),
        ),
        (
            "gb18030 csv → jsonl",
            report(csv_gb, "r.jsonl"),
            "csv.reader gb18030",
            csv_floor(csv_gb, "gb18030"),
        ),
    ]
    if xlsx_report and (only is None or "xlsx → xlsx" in only):
        pairs.append(xlsx_report_pair(sitting, xlsx, floors))
    if friction is not None:
        # --trusted: it refuses absolute paths otherwise; --limit-errors 0: by default it
        # stops at 1000 errors, about 4k rows into these exports.
        validate = [str(friction), "validate", str(xlsx), "--trusted", "--json"]
        validate += ["--limit-errors", "0"]
        pairs.append(
            (
                "frictionless validate",
                Job(validate, frictionless_rows),
                "renewal xlsx → json (comparison, not a floor)",
                report(xlsx, "r.json"),
            )
        )
    if only is not None:
        pairs = [pair for pair in pairs if pair[0] in only]
    results = [measure(sitting, name, label, rows, a, fname, b) for name, a, fname, b in pairs]
    by_name = {result.name: result for result in results}
    if "xlsx → xlsx" in by_name and "xlsx → json" in by_name:
        by_name["xlsx → xlsx"].reading = by_name["xlsx → json"].runs
    return results


def xlsx_report_pair(sitting: Sitting, xlsx: Path, floors: list[str]) -> tuple[str, Job, str, Job]:
    """The xlsx report against xlsxwriter constant_memory writing as many rows and non-empty
    cells in each sheet as the report has, which one untimed run measures first."""
    tools, scratch = sitting.tools, sitting.scratch
    probe = scratch / "probe.xlsx"
    subprocess.run(check_argv(tools, xlsx, "-o", str(probe)), check=True, stdout=sys.stderr)
    shape = subprocess.run([*floors, "calamine", str(probe)], check=True, capture_output=True)
    probe.unlink()
    sheets = json.loads(shape.stdout)["sheets"]
    layout = [[s["rows"], s["cols"], s["cells"]] for s in sheets]
    cells = sum(s["cells"] for s in sheets)
    write = [*floors, "xlsx-write", str(scratch / "floor.xlsx"), "--shape", json.dumps(layout)]
    return (
        "xlsx → xlsx",
        Job(check_argv(tools, xlsx, "-o", str(scratch / "r.xlsx")), report_rows("r.xlsx")),
        f"xlsxwriter constant_memory, the same {cells:,} cells in {len(sheets)} sheets",
        Job(write, exit_zero),
    )


def run_startup(sitting: Sitting) -> list[Result]:
    tools = sitting.tools
    bare = Job([tools.python, "-c", "pass"], exit_zero)
    fixture = check_argv(tools, FIXTURE, "-f", "json")
    fixture[fixture.index(AS_OF)] = "2021-12-27"
    jobs = (
        ("start-up: renewal --help", Job([tools.renewal, "--help"], exit_zero, True)),
        ("start-up: fixture check -f json", Job(fixture, exit_zero, True)),
    )
    return [measure(sitting, name, "—", None, job, "python -c pass", bare) for name, job in jobs]


# --- reporting ---------------------------------------------------------------------------------

HEADERS = [
    "measurement",
    "size",
    "wall s median (min–max)",
    "peak MiB",
    "rows/s",
    "× floor wall",
    "× floor peak",
    "target",
    "verdict",
]


def table_rows(results: list[Result]) -> list[list[str]]:
    rows: list[list[str]] = []
    for result in results:
        wall_ratio, peak_ratio = ratios(result)
        for runs in (result.runs, result.floor_runs):
            median, low, high = wall_stats(runs)
            rate = f"{result.rows / median:,.0f}" if result.rows else "—"
            cells = [f"{median:.3f} ({low:.3f}–{high:.3f})", f"{peak(runs):.1f}", rate]
            if runs is result.runs:
                target = result.target.text if result.target else "—"
                ratio_cells = [f"{wall_ratio:.2f}", f"{peak_ratio:.2f}", target, verdict(result)]
                rows.append([result.name, result.size, *cells, *ratio_cells])
            else:
                rows.append(
                    [f"  floor: {result.floor_name}", result.size, *cells, "1", "1", "", ""]
                )
    return rows


def plain_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(HEADERS), line(["-" * w for w in widths]), *map(line, rows)])


def markdown_table(rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    body = [line([r[0].replace("  floor:", "↳ floor:"), *r[1:]]) for r in rows]
    return "\n".join([line(HEADERS), "|" + "---|" * len(HEADERS), *body])


def save(out: Path, label: str, info: dict[str, object], results: list[Result]) -> Path:
    path = out / f"results-{label}.json"
    records = []
    for result in results:
        record = asdict(result)
        record["ok"] = result.ok()
        record["verdict"] = verdict(result)
        record["ratio_wall"], record["ratio_peak"] = ratios(result)
        records.append(record)
    text = json.dumps({"machine": info, "results": records}, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=BENCH / "data")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--only",
        help='comma-separated measurement names, e.g. "xlsx → json,xlsx → xlsx" (the xlsx '
        "report's writing time needs both)",
    )
    parser.add_argument(
        "--frictionless",
        action="store_true",
        help=f"also time `frictionless validate` (creates bench/{FRICTIONLESS_VENV.name} once)",
    )
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",")} if args.only else None
    sizes = [size_rows(s) for s in args.sizes.split(",") if s.strip()]
    tools = find_tools()
    args.out.mkdir(parents=True, exist_ok=True)

    notes: list[str] = []
    xlsx_report = lists_xlsx_format(tools)
    if not xlsx_report:
        notes.append("xlsx report skipped: `renewal check --help` lists no xlsx under --format")
    friction = frictionless_bin(tools.python) if args.frictionless else None
    if friction is None:
        why = "its install failed" if args.frictionless else "pass --frictionless to include it"
        notes.append(f"frictionless skipped ({why})")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for rows in sizes:
        ensure_data(tools, args.data, rows)

    spawner = Spawner(tools.python)
    info = machine(tools, spawner)
    info["renewal_source"] = source_fingerprint()
    by_size: dict[str, list[Result]] = {}
    try:
        with tempfile.TemporaryDirectory(dir=args.out, prefix=".scratch-") as tmp:
            sitting = Sitting(tools, spawner, Path(tmp), args.repeat)
            startup = run_startup(sitting)
            for rows in sizes:
                by_size[size_label(rows)] = run_size(
                    sitting, rows, args.data, xlsx_report, friction, only
                )
    finally:
        spawner.close()

    if source_fingerprint() != info["renewal_source"]:
        info["renewal_source_changed"] = True
        notes.append("renewal's code or rules changed during this run: figures mix versions")
    everything = [r for results in by_size.values() for r in results] + startup
    for label, results in by_size.items():
        print(f"raw runs: {save(args.out, label, info, results + startup)}", file=sys.stderr)
    table = table_rows(everything)
    print(machine_line(info))
    print(markdown_table(table) if args.markdown else plain_table(table))
    for note in notes:
        print(f"Note: {note}.")
    failed = [r for r in everything if not r.ok()]
    for result in failed:
        problems = result.problems + [
            p for r in result.runs + result.floor_runs for p in r.problems
        ]
        print(f"FAILED: {result.name} [{result.size}]: {'; '.join(problems)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
