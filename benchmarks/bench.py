"""ecoassess speed, as ratios to baselines measured in the same run on the same machine.

    python benchmarks/bench.py [--quick] [--json]

Scenarios (see docs/performance.md):
  hot loop     the national set on many synthetic entities: engine per indicator evaluation
               (coercion, comparison at precision, results) vs the same expressions compiled
               with Python's compile()/eval on typed values (unsafe: only the speed limit), and
               vs simpleeval with each expression parsed once.
  batch        N entity-years in one CSV → summary matrix (csv + json), in a subprocess:
               wall time (best of two runs; one with --quick), peak memory, and 2N/N for
               linearity.
  start        `ecoassess check` of one entity to Markdown vs `python -c "import pydantic, yaml,
               jinja2, click"` (the dependency floor), best of several runs; the engine
               byte-compiled as an installed copy is (and, apart, not compiled).
  html         per-entity HTML reports rendered per second.
  serve        `ecoassess serve`: launch to first page, and one entity's report served.
Peers that are not installed (zen-engine, the Rust CEL package) are reported as skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.expressions import split_previous
from engine.criteria.loader import load_criteria, search_path
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.evaluation.evaluator import evaluate
from engine.reports.render import render

REPO = Path(__file__).resolve().parent.parent
PROFILES = [
    {"level": "city", "region": "other", "terrain": "hill", "coastal": False,
     "city_size": "medium_small"},
    {"level": "county", "region": "other", "terrain": "mountain", "coastal": False},
    {"level": "county", "region": "arid_semi_arid", "terrain": "plain", "coastal": True},
    {"level": "city", "region": "other", "terrain": "plain", "coastal": True, "city_size": "large"},
]  # fmt: skip


def synthetic_value(name: str, criteria: CompiledCriteria, rng: random.Random) -> Any:
    """A plausible value: within the input's range, mostly near passing, sometimes missing."""
    declared = criteria.inputs[name]
    if rng.random() < 0.03:
        return None
    if declared.type == "boolean":
        return rng.random() < 0.92
    low = declared.minimum if declared.minimum is not None else 0.0
    high = (
        declared.maximum
        if declared.maximum is not None
        else (100.0 if declared.unit == "%" else 1000.0)
    )
    if declared.unit == "%" and declared.maximum is not None:
        low = max(low, 40.0)
    return round(rng.uniform(low, high), 2)


def synthetic_entities(criteria: CompiledCriteria, count: int, seed: int = 2026) -> list[DataFile]:
    rng = random.Random(seed)
    names = list(criteria.inputs)
    entities = []
    for index in range(count):
        profile = PROFILES[index % len(PROFILES)]
        values = {n: MeasuredValue(value=synthetic_value(n, criteria, rng)) for n in names}
        history = {n: MeasuredValue(value=synthetic_value(n, criteria, rng)) for n in names}
        entity = Entity(name=f"entity-{index:05d}", year=2023, **profile)  # type: ignore[arg-type]
        entities.append(DataFile(entity=entity, values=values, history={2022: history}))
    return entities


def best(repeats: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def interleaved(rounds: int, runs: list[Callable[[], object]]) -> list[float]:
    """The best time of each of ``runs`` over ``rounds`` rounds that run each once in turn."""
    best_times = [float("inf")] * len(runs)
    for _ in range(rounds):
        for index, run in enumerate(runs):
            started = time.perf_counter()
            run()
            best_times[index] = min(best_times[index], time.perf_counter() - started)
    return best_times


def hot_loop(criteria: CompiledCriteria, count: int, repeats: int) -> dict[str, Any]:
    entities = synthetic_entities(criteria, count)
    expressions = [
        e for c in criteria.items for e in (c.measure, c.condition, c.trend) if e is not None
    ]
    indicator_evaluations = len(criteria.items) * count
    typed = []
    for data in entities:
        env: dict[str, Any] = {}
        for name, given in data.values.items():
            env[name] = given.value
        for name, given in data.history[2022].items():
            env[f"{name}__previous"] = given.value
        typed.append(env)
    code = [compile(_python_text(e.text), "<criteria>", "eval") for e in expressions]
    names = [[split_previous(n) for n in e.names] for e in expressions]

    def engine() -> None:
        for data in entities:
            evaluate(criteria, data, detail=False)

    def engine_report() -> None:
        for data in entities:
            evaluate(criteria, data, detail=False)

    def baseline() -> None:
        for env in typed:
            for compiled in code:
                with suppress(Exception):
                    eval(compiled, {"__builtins__": {}}, env)

    def simpleeval_peer() -> None:
        for data in entities:
            for expression, needed in zip(expressions, names, strict=True):
                values = {}
                for base, previous in needed:
                    source = data.history[2022] if previous else data.values
                    values[base + ("@previous" if previous else "")] = source[base].value
                with suppress(Exception):
                    expression.evaluate_reference(values)

    # Interleaved rounds, best of each: the machine's load changes between rounds, and each
    # contender sees the same conditions.
    engine_s, report_s, baseline_s, peer_s = interleaved(
        repeats, [engine, engine_report, baseline, simpleeval_peer]
    )
    per = lambda seconds: seconds / indicator_evaluations * 1e6  # noqa: E731
    return {
        "entities": count,
        "items": len(criteria.items),
        "expressions": len(expressions),
        "engine_us_per_indicator": per(engine_s),
        "engine_full_report_us_per_indicator": per(report_s),
        "compiled_eval_us_per_indicator": per(baseline_s),
        "simpleeval_us_per_indicator": per(peer_s),
        "hot_loop_ratio_vs_compiled_eval": engine_s / baseline_s,
        "simpleeval_ratio_vs_compiled_eval": peer_s / baseline_s,
    }


def _python_text(text: str) -> str:
    """The expression as plain Python for the baseline: previous.x → x__previous."""
    return re.sub(r"previous\.(\w+)", r"\1__previous", text)


def write_batch_csv(criteria: CompiledCriteria, count: int, path: Path) -> None:
    """One CSV, an entity column, years 2022 and 2023: as a province would export it."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["评估对象", "输入项", "2022", "2023"])
        for index in range(count):
            name = f"县{index:05d}"
            profile = PROFILES[index % len(PROFILES)]
            for key, value in profile.items():
                writer.writerow([name, f"entity.{key}", "", value])
            for input_name in criteria.inputs:
                now = synthetic_value(input_name, criteria, rng)
                before = synthetic_value(input_name, criteria, rng)
                writer.writerow([name, input_name, _cell(before), _cell(now)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def batch(criteria: CompiledCriteria, count: int, runs: int) -> dict[str, float]:
    """The best of ``runs`` batches (this shared machine's load varies), with the largest
    memory peak seen."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "all.csv"
        write_batch_csv(criteria, count, data)
        figures = [_batch_run(data, Path(folder) / f"out{run}") for run in range(runs)]
    return {
        "seconds": min(figure["seconds"] for figure in figures),
        "peak_mb": max(figure["peak_mb"] for figure in figures),
        "reader_process_peak_mb": max(figure["reader_process_peak_mb"] for figure in figures),
    }


def _batch_run(data: Path, out: Path) -> dict[str, float]:
    script = (
        "import resource, sys, time\n"
        "from engine.cli import main\n"
        "start = time.perf_counter()\n"
        "try:\n"
        f"    main(['batch', {str(data)!r}, '--criteria', 'national_demo_area', '-o',"
        f" {str(out)!r}, '--no-reports'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(time.perf_counter() - start, peak, children)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    # A large CSV is read in parts by forked processes: their peaks are reported apart.
    return {
        "seconds": float(output[0]),
        "peak_mb": int(output[1]) / 1024,
        "reader_process_peak_mb": int(output[2]) / 1024,
    }


def start(repeats: int) -> dict[str, float]:
    floor = [sys.executable, "-c", "import pydantic, yaml, jinja2, click"]
    example = str(REPO / "examples" / "baoshan_2016.yaml")
    check = [sys.executable, "-m", "engine", "check", example, "--criteria", "yunnan_2014"]
    # The check must really run: its report on stdout, exit 1 (the example is not ready).
    done = subprocess.run([*check, "--format", "md"], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 1 or "保山" not in done.stdout:
        raise SystemExit(f"check did not produce its report: {done.stderr[-500:]}")

    def timed(command: list[str]) -> float:
        return best(repeats, lambda: subprocess.run(command, capture_output=True, cwd=REPO))

    # First as a checkout runs where bytecode is not written (this machine sets
    # PYTHONDONTWRITEBYTECODE=1: every run compiles the engine), then byte-compiled, as
    # `pip install .` leaves an installed copy and as the floor's libraries already are.
    shutil.rmtree(REPO / "engine" / "__pycache__", ignore_errors=True)
    uncompiled_s = timed([*check, "--format", "md"])
    subprocess.run([sys.executable, "-m", "compileall", "-q", "engine"], cwd=REPO, check=True)
    floor_s, check_s = timed(floor), timed([*check, "--format", "md"])
    return {
        "import_floor_seconds": floor_s,
        "check_seconds": check_s,
        "check_start_ratio_vs_import_floor": check_s / floor_s,
        "check_uncompiled_seconds": uncompiled_s,
        "check_uncompiled_ratio_vs_import_floor": uncompiled_s / floor_s,
    }


def html(criteria: CompiledCriteria, count: int) -> dict[str, float]:
    reports = [evaluate(criteria, data) for data in synthetic_entities(criteria, count, seed=3)]
    seconds = best(2, lambda: [render(report, criteria, "html") for report in reports])
    return {"html_reports": count, "html_reports_per_second": count / seconds}


def serve(repeats: int) -> dict[str, float]:
    """`ecoassess serve`: from launch to the first page served, and one entity's report
    (the example workbook uploaded to /check) served, best of ``repeats``."""
    workbook = REPO / "examples" / "baoshan_2016.xlsx"
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "engine", "serve", "--port", "0", "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        assert server.stdout is not None
        address = re.search(r"http://\S+/", server.stdout.readline())
        if address is None:
            raise SystemExit("ecoassess serve did not print its address")
        base = address[0]
        with urllib.request.urlopen(base) as response:
            response.read()
        start_s = time.perf_counter() - started
        body, content_type = _multipart(
            {"criteria": "yunnan_2014"}, "data", workbook.name, workbook.read_bytes()
        )

        def report() -> None:
            request = urllib.request.Request(
                base + "check", data=body, headers={"Content-Type": content_type}
            )
            with urllib.request.urlopen(request) as response:
                if b"verdict not_ready" not in response.read():
                    raise SystemExit("the workbench did not serve the report")

        report()  # the first request also loads the criteria and compiles the templates
        report_s = best(repeats, report)
    finally:
        server.terminate()
        server.wait()
    return {"serve_start_seconds": start_s, "serve_report_ms": report_s * 1000}


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "ecoassess-benchmark-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def peers() -> dict[str, str]:
    found = {}
    for module, label in (("zen", "zen-engine"), ("cel", "Rust CEL (common-expression-language)")):
        try:
            __import__(module)
            found[label] = "installed but not wired into this benchmark"
        except ImportError:
            found[label] = "skipped: not installed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a reduced run, under a minute")
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    args = parser.parse_args()
    national = load_criteria("national_demo_area", search_path())
    size = 1000 if args.quick else 10_000
    results: dict[str, Any] = {"machine": f"{sys.platform}, Python {sys.version.split()[0]}"}
    results["hot_loop"] = hot_loop(national, 100 if args.quick else 500, 3 if args.quick else 9)
    results["hot_loop_ratio_vs_compiled_eval"] = results["hot_loop"][
        "hot_loop_ratio_vs_compiled_eval"
    ]
    runs = 1 if args.quick else 2
    small, large = batch(national, size, runs), batch(national, 2 * size, runs)
    results["batch"] = {"entities": size, "small": small, "double": large}
    results["batch_10k_seconds" if not args.quick else "batch_1k_seconds"] = small["seconds"]
    results["batch_linearity_ratio"] = large["seconds"] / small["seconds"]
    results["start"] = start(3 if args.quick else 7)
    results["check_start_ratio_vs_import_floor"] = results["start"][
        "check_start_ratio_vs_import_floor"
    ]
    results["html"] = html(national, 20 if args.quick else 100)
    results["html_reports_per_second"] = results["html"]["html_reports_per_second"]
    results["serve"] = serve(3 if args.quick else 7)
    results["serve_start_seconds"] = results["serve"]["serve_start_seconds"]
    results["serve_report_ms"] = results["serve"]["serve_report_ms"]
    results["peers"] = peers()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    hot = results["hot_loop"]
    print(f"machine: {results['machine']}")
    print(f"hot loop ({hot['entities']} entities × {hot['items']} items), µs per indicator:")
    print(
        f"  engine (summary matrix) {hot['engine_us_per_indicator']:.2f} · engine (full report, "
        f"no detail) {hot['engine_full_report_us_per_indicator']:.2f} · compiled eval "
        f"{hot['compiled_eval_us_per_indicator']:.2f} · simpleeval "
        f"{hot['simpleeval_us_per_indicator']:.2f}"
    )
    print(
        f"  ratio engine / compiled eval: {hot['hot_loop_ratio_vs_compiled_eval']:.1f}x "
        f"(goal ≤ 1.5x); simpleeval / compiled eval: "
        f"{hot['simpleeval_ratio_vs_compiled_eval']:.1f}x"
    )
    reader = small["reader_process_peak_mb"]
    readers = f" (+ {reader:.0f} MB per reader process)" if reader else ""
    print(
        f"batch {size} entity-years → summary: {small['seconds']:.2f} s, "
        f"{small['peak_mb']:.0f} MB peak{readers}; {2 * size}: {large['seconds']:.2f} s; "
        f"linearity {results['batch_linearity_ratio']:.2f}x (goal ≤ 2.1x)"
    )
    st = results["start"]
    print(
        f"start: check {st['check_seconds'] * 1000:.0f} ms vs import floor "
        f"{st['import_floor_seconds'] * 1000:.0f} ms: "
        f"{st['check_start_ratio_vs_import_floor']:.2f}x (goal ≤ 1.3x; byte-compiled as installed; "
        f"without bytecode {st['check_uncompiled_ratio_vs_import_floor']:.2f}x)"
    )
    print(f"html: {results['html_reports_per_second']:.0f} reports per second (goal ≥ 50)")
    print(
        f"serve: first page {results['serve_start_seconds']:.2f} s after launch (goal < 1 s); "
        f"one entity's report {results['serve_report_ms']:.0f} ms (goal < 200 ms)"
    )
    for peer, state in results["peers"].items():
        print(f"peer {peer}: {state}")


if __name__ == "__main__":
    main()
