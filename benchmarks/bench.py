"""ecoassess speed where users wait, each figure beside a limit measured in the same run.

    python benchmarks/bench.py [--quick] [--json] [--only NAME …]

Scenarios (docs/performance.md; every run is the real command in a fresh process):
  province    130 counties × 2 years of the national set → a Markdown report per entity and
              the summaries: from one long workbook, from a workbook with a sheet per entity,
              and from a folder of 130 workbooks. Goal ≤ 1.5 s each.
  national    3,000 entity-years of the national set → reports and summaries, from one CSV
              and from one workbook. Goal ≤ 6 s each, and the workbook within 3× of merely
              reading it with python-calamine (the limit, measured here).
  scale       28,500 entity-years (2,850 counties × 10 years) from one CSV → summaries.
              Goal ≤ 15 s, peak memory < 400 MB, 28,500 / 10,000 ≤ 3.0 (the 10,000 run is the
              limit: the time should grow with the work, not faster).
  workbench   the workbench's batch page, 1,000 entities uploaded as one workbook. Goal ≤ 5 s
              and a page under 3 MB.
  workspace   a campaign workspace of 130 entities × 5 years of the national set's inputs:
              `workspace import` of their workbook ≤ 5 s (and its ratio to merely reading
              it with python-calamine), `workspace checkin` of all 130 ≤ 5 s, the
              workbench's dashboard after a value changes ≤ 300 ms (the first one after
              the server starts evaluates every entity: shown, not judged) and one
              entity's report at a check-in
              ≤ 200 ms (each page beside the floor of fetching a page that only lists the
              check-ins, measured on the same server).
  start       `ecoassess check` of one city to its report vs the import floor
              `python -c "import yaml, jinja2, click; from pydantic import BaseModel"`.
              Goal ≤ 1.5×.
--quick runs every scenario small (for CI: it shows the benchmark works, not the goals).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.loader import load_criteria, search_path

REPO = Path(__file__).resolve().parent.parent
PROFILES = [
    {"level": "county", "region": "other", "terrain": "mountain", "coastal": False},
    {"level": "county", "region": "arid_semi_arid", "terrain": "plain", "coastal": True},
    {"level": "county", "region": "other", "terrain": "hill", "coastal": False},
    {"level": "city", "region": "other", "terrain": "plain", "coastal": True, "city_size": "large"},
]  # fmt: skip
YEARS = ("2022", "2023")


def synthetic_value(name: str, criteria: CompiledCriteria, rng: random.Random) -> Any:
    """A plausible value: within the input's range, mostly near passing, sometimes missing."""
    declared = criteria.inputs[name]
    if rng.random() < 0.03:
        return None
    if declared.type == "boolean":
        return rng.random() < 0.9
    low = declared.minimum if declared.minimum is not None else 0.0
    high = declared.maximum if declared.maximum is not None else low + 1000.0
    return round(rng.uniform(low, high), 2)


def _cell(value: Any) -> str | float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    return float(value)


def entity_rows(criteria: CompiledCriteria, index: int, rng: random.Random) -> list[list[Any]]:
    """One entity's rows of a long table: name, input, a value per year."""
    name = f"县{index:05d}"
    rows: list[list[Any]] = [
        [name, f"entity.{key}", None, str(value).lower() if isinstance(value, bool) else value]
        for key, value in PROFILES[index % len(PROFILES)].items()
    ]
    for input_name in criteria.inputs:
        before = synthetic_value(input_name, criteria, rng)
        now = synthetic_value(input_name, criteria, rng)
        rows.append([name, input_name, _cell(before), _cell(now)])
    return rows


HEADER = ["评估对象", "输入项", *YEARS]


def write_csv(criteria: CompiledCriteria, count: int, path: Path) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for index in range(count):
            writer.writerows(entity_rows(criteria, index, rng))


def write_xlsx(
    criteria: CompiledCriteria, count: int, path: Path, per_sheet: bool = False, first: int = 0
) -> None:
    """A long workbook (one sheet), or one sheet per entity; entities numbered from ``first``."""
    import openpyxl

    rng = random.Random(7 + first)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = None
    for index in range(first, first + count):
        if sheet is None or per_sheet:
            sheet = workbook.create_sheet(f"县{index:05d}" if per_sheet else "数据")
            sheet.append(HEADER)
        for row in entity_rows(criteria, index, rng):
            sheet.append(row)
    workbook.save(path)


def run_command(args: list[str], cwd: Path = REPO) -> dict[str, float]:
    """``ecoassess ARGS`` in a fresh process: wall time and peak memory (MB)."""
    script = (
        "import resource, sys, time\n"
        "start = time.perf_counter()\n"
        "from engine.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as exit:\n"
        "    code = exit.code\n"
        "print('\\nBENCH', time.perf_counter() - start,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd)
    line = next((ln for ln in done.stderr.splitlines() if ln.startswith("BENCH ")), None)
    if line is None or line.split()[3] not in ("0", "1"):
        raise SystemExit(f"ecoassess {' '.join(args)} failed: {done.stderr[-800:]}")
    _, seconds, peak, _ = line.split()
    return {"seconds": float(seconds), "peak_mb": int(peak) / 1024}


def best_run(runs: int, args: list[str]) -> dict[str, float]:
    figures = [run_command(args) for _ in range(runs)]
    return {
        "seconds": min(f["seconds"] for f in figures),
        "peak_mb": max(f["peak_mb"] for f in figures),
    }


def timed(run: Callable[[], object], repeats: int = 1) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def calamine_read(path: Path) -> float:
    """The limit for a workbook: reading every sheet's values with python-calamine."""
    from python_calamine import CalamineWorkbook

    def read() -> None:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()

    return timed(read, 3)


def csv_read(path: Path) -> float:
    """The limit for a CSV: parsing it with the csv module."""

    def read() -> None:
        with path.open(encoding="utf-8", newline="") as stream:
            for _ in csv.reader(stream):
                pass

    return timed(read, 3)


def province(criteria: CompiledCriteria, folder: Path, runs: int) -> dict[str, Any]:
    count = 130
    long_book, per_sheet = folder / "province.xlsx", folder / "province_sheets.xlsx"
    write_xlsx(criteria, count, long_book)
    write_xlsx(criteria, count, per_sheet, per_sheet=True)
    books = folder / "books"
    books.mkdir()
    for index in range(count):
        write_xlsx(criteria, 1, books / f"county{index:03d}.xlsx", first=index)
    results = {}
    for label, source in (("long_workbook", long_book), ("sheet_per_entity", per_sheet),
                          ("folder_of_workbooks", books)):  # fmt: skip
        out = folder / f"out_{label}"
        args = ["batch", str(source), "--criteria", "national_demo_area", "-o", str(out),
                "--force"]  # fmt: skip
        results[label] = best_run(runs, args)
    return {"entities": count, **results, "goal_seconds": 1.5}


def national(criteria: CompiledCriteria, folder: Path, count: int, runs: int) -> dict[str, Any]:
    data_csv, data_xlsx = folder / "national.csv", folder / "national.xlsx"
    write_csv(criteria, count, data_csv)
    write_xlsx(criteria, count, data_xlsx)
    results: dict[str, Any] = {"entities": count, "goal_seconds": 6.0}
    for label, source in (("csv", data_csv), ("xlsx", data_xlsx)):
        out = folder / f"out_national_{label}"
        args = ["batch", str(source), "--criteria", "national_demo_area", "-o", str(out),
                "--force"]  # fmt: skip
        results[label] = best_run(runs, args)
    results["csv_read_seconds"] = csv_read(data_csv)
    results["calamine_read_seconds"] = calamine_read(data_xlsx)
    results["xlsx_ratio_vs_calamine_read"] = (
        results["xlsx"]["seconds"] / results["calamine_read_seconds"]
    )
    return results


def scale(criteria: CompiledCriteria, folder: Path, count: int, runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {"goal_seconds": 15.0, "goal_peak_mb": 400}
    for label, size in (("limit_10000", count * 10_000 // 28_500), ("full", count)):
        data = folder / f"scale_{size}.csv"
        write_csv(criteria, size, data)
        out = folder / f"out_scale_{size}"
        args = ["batch", str(data), "--criteria", "national_demo_area", "-o", str(out),
                "--no-reports", "--force"]  # fmt: skip
        results[label] = {"entities": size, **best_run(runs, args)}
        results[f"{label}_csv_read_seconds"] = csv_read(data)
        data.unlink()
    results["growth_ratio"] = results["full"]["seconds"] / results["limit_10000"]["seconds"]
    results["work_ratio"] = results["full"]["entities"] / results["limit_10000"]["entities"]
    return results


def workbench(criteria: CompiledCriteria, folder: Path, count: int) -> dict[str, Any]:
    """The batch page: a workbook of ``count`` entities uploaded; time to the whole page."""
    workbook = folder / "workbench.xlsx"
    write_xlsx(criteria, count, workbook)
    server = subprocess.Popen(
        [sys.executable, "-m", "engine", "serve", "--port", "0", "--max-upload-mb", "200"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        address = re.search(r"http://\S+/", server.stdout.readline())
        if address is None:
            raise SystemExit("ecoassess serve did not print its address")
        base = address[0]
        body, content_type = _multipart(
            {"criteria": "national_demo_area"}, "data", workbook.name, workbook.read_bytes()
        )
        size = 0

        def page() -> None:
            nonlocal size
            request = urllib.request.Request(
                base + "batch", data=body, headers={"Content-Type": content_type}
            )
            with urllib.request.urlopen(request, timeout=300) as response:
                size = len(response.read())

        seconds = timed(page, 2)
    finally:
        server.terminate()
        server.wait()
    return {"entities": count, "seconds": seconds, "page_mb": size / 1e6,
            "goal_seconds": 5.0, "goal_page_mb": 3.0}  # fmt: skip


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


WORKSPACE_YEARS = ("2019", "2020", "2021", "2022", "2023")


def workspace_workbook(criteria: CompiledCriteria, count: int, path: Path) -> None:
    """One long workbook: ``count`` entities × every input × five years."""
    import openpyxl

    rng = random.Random(11)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(["评估对象", "输入项", *WORKSPACE_YEARS])
    for index in range(count):
        name = f"县{index:05d}"
        for key, value in PROFILES[index % len(PROFILES)].items():
            shown = str(value).lower() if isinstance(value, bool) else value
            sheet.append([name, f"entity.{key}", *([None] * (len(WORKSPACE_YEARS) - 1)), shown])
        for input_name in criteria.inputs:
            sheet.append(
                [name, input_name,
                 *(_cell(synthetic_value(input_name, criteria, rng)) for _ in WORKSPACE_YEARS)]
            )  # fmt: skip
    workbook.save(path)


def workspace(criteria: CompiledCriteria, folder: Path, count: int) -> dict[str, Any]:
    from engine.web.server import background, make_server

    book, space = folder / "workspace.xlsx", folder / "ws"
    workspace_workbook(criteria, count, book)
    made = run_command(["workspace", "init", str(space), "--criteria", criteria.id])
    imported = run_command(["workspace", "import", str(space), str(book)])
    checked_in = run_command(["workspace", "checkin", str(space), "c1"])
    floor = calamine_read(book)
    with background(make_server("127.0.0.1", 0, workspace=space)) as base:
        # A browser's session: its cookie, and the form token the pages carry.
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

        def get(path: str) -> str:
            with opener.open(base + path) as response:
                return str(response.read().decode("utf-8"))

        def enter(value: int) -> None:  # a new value for one entity, by the form
            body = urllib.parse.urlencode(
                {"input": first_number, "year": WORKSPACE_YEARS[-1], "value": str(value),
                 "csrf_token": token}
            ).encode()  # fmt: skip
            with opener.open(base + f"/workspace/entity/{entity}/value", body):
                pass

        entity = urllib.parse.quote("县00000")
        first_number = next(n for n, i in criteria.inputs.items() if i.type == "number")
        cold = timed(lambda: get("/workspace"))  # every entity evaluated
        found = re.search(r'name="csrf_token" value="([^"]+)"', get("/workspace"))
        assert found is not None
        token = found[1]
        after_change = []
        for value in range(5):
            enter(value)
            after_change.append(timed(lambda: get("/workspace")))
        pages = {
            "dashboard": min(after_change),
            "report": timed(lambda: get(f"/workspace/entity/{entity}/report?checkin=c1"), 5),
            "floor": timed(lambda: get("/criteria"), 5),
        }
    return {
        "entities": count, "years": len(WORKSPACE_YEARS), "inputs": len(criteria.inputs),
        "init_seconds": made["seconds"], "import": imported, "checkin": checked_in,
        "calamine_read_seconds": floor, "import_ratio_vs_calamine_read":
        imported["seconds"] / floor, "dashboard_seconds": pages["dashboard"],
        "report_seconds": pages["report"], "page_floor_seconds": pages["floor"],
        "dashboard_cold_seconds": cold,
        "goal_import_seconds": 5, "goal_checkin_seconds": 5, "goal_dashboard_seconds": 0.3,
        "goal_report_seconds": 0.2,
    }  # fmt: skip


def start(repeats: int) -> dict[str, float]:
    floor = [sys.executable, "-c", "import yaml, jinja2, click; from pydantic import BaseModel"]
    example = str(REPO / "examples" / "baoshan_2016.yaml")
    check = [sys.executable, "-m", "engine", "check", example, "--criteria", "yunnan_2014",
             "--format", "md"]  # fmt: skip
    done = subprocess.run(check, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 1 or "保山" not in done.stdout:
        raise SystemExit(f"check did not produce its report: {done.stderr[-500:]}")
    # Byte-compiled, as `pip install .` leaves an installed copy and as the floor's are.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "engine"], cwd=REPO, check=True)

    def run(command: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(command, capture_output=True, cwd=REPO)

    floor_s = timed(run(floor), repeats)
    check_s = timed(run(check), repeats)
    return {"import_floor_seconds": floor_s, "check_seconds": check_s,
            "ratio": check_s / floor_s, "goal_ratio": 1.5}  # fmt: skip


def paper(repeats: int) -> dict[str, Any]:
    """The report of a city (guigang, 45 items) written as Word and as PDF, and its one-page
    summary as PDF: the PDF is judged against the Word file made in the same run (both lay
    out the same document; the PDF also embeds its font subset)."""
    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from engine.reports.formats import FORMATS, write_document_of

    criteria = load_criteria("guigang_2023", search_path())
    report = evaluate(criteria, load_data(REPO / "examples" / "guigang_2022.yaml", criteria))
    FORMATS["pdf"].write_report(report, criteria, "zh")  # the font read once, as a server does
    word = timed(lambda: FORMATS["docx"].write_report(report, criteria, "zh"), repeats)
    pdf = timed(lambda: FORMATS["pdf"].write_report(report, criteria, "zh"), repeats)
    one = timed(lambda: write_document_of("summary", "pdf", report, criteria, "zh"), repeats)
    return {"docx_seconds": word, "pdf_seconds": pdf, "summary_pdf_seconds": one,
            "ratio": pdf / word, "goal_ratio": 3.0, "goal_summary_seconds": 0.5}  # fmt: skip


def report(results: dict[str, Any], quick: bool) -> None:
    def line(text: str, value: float, goal: float, unit: str = "s") -> None:
        if quick:  # the goals are for the full sizes
            print(f"  {text}: {value:.2f} {unit}")
            return
        mark = "met" if value <= goal else "NOT MET"
        print(f"  {text}: {value:.2f} {unit} (goal ≤ {goal:g} {unit}: {mark})")

    print(f"machine: {results['machine']}")
    if quick:
        print("quick run: every scenario smaller than its goal's size; no goal is judged")
    if "province" in results:
        p = results["province"]
        print(f"province: {p['entities']} counties × 2 years → reports + summaries")
        for label in ("long_workbook", "sheet_per_entity", "folder_of_workbooks"):
            line(label.replace("_", " "), p[label]["seconds"], p["goal_seconds"])
    if "national" in results:
        n = results["national"]
        print(f"national: {n['entities']} entity-years → reports + summaries")
        line("from CSV", n["csv"]["seconds"], n["goal_seconds"])
        line("from xlsx", n["xlsx"]["seconds"], n["goal_seconds"])
        line("xlsx / calamine read of it", n["xlsx_ratio_vs_calamine_read"], 3, "×")
        print(f"  (calamine read {n['calamine_read_seconds']:.2f} s; "
              f"csv parse {n['csv_read_seconds']:.2f} s)")  # fmt: skip
    if "scale" in results:
        s = results["scale"]
        print(f"scale: {s['full']['entities']} entity-years from one CSV → summaries")
        line("time", s["full"]["seconds"], s["goal_seconds"])
        line("peak memory", s["full"]["peak_mb"], s["goal_peak_mb"], "MB")
        line(f"growth {s['work_ratio']:.2f}× the work", s["growth_ratio"], 3.0, "×")
    if "workbench" in results:
        w = results["workbench"]
        print(f"workbench: batch page for {w['entities']} entities (xlsx upload)")
        line("time", w["seconds"], w["goal_seconds"])
        line("page", w["page_mb"], w["goal_page_mb"], "MB")
    if "workspace" in results:
        ws = results["workspace"]
        print(f"workspace: {ws['entities']} entities × {ws['years']} years × {ws['inputs']} inputs")
        line("import of the workbook", ws["import"]["seconds"], ws["goal_import_seconds"])
        print(f"  (import / calamine read of it: {ws['import_ratio_vs_calamine_read']:.1f}×)")
        line("check-in of all", ws["checkin"]["seconds"], ws["goal_checkin_seconds"])
        line("dashboard page after a value changes", ws["dashboard_seconds"],
             ws["goal_dashboard_seconds"])  # fmt: skip
        print(f"  (the first dashboard after the server starts, every entity evaluated: "
              f"{ws['dashboard_cold_seconds']:.2f} s)")  # fmt: skip
        line("report at a check-in", ws["report_seconds"], ws["goal_report_seconds"])
        print(f"  (a page listing the sets: {ws['page_floor_seconds'] * 1000:.0f} ms)")
    if "start" in results:
        st = results["start"]
        print(f"start: check {st['check_seconds'] * 1000:.0f} ms, import floor "
              f"{st['import_floor_seconds'] * 1000:.0f} ms")  # fmt: skip
        line("ratio", st["ratio"], st["goal_ratio"], "×")
    if "paper" in results:
        pp = results["paper"]
        print(f"paper: a city's report as Word {pp['docx_seconds']:.2f} s, as PDF "
              f"{pp['pdf_seconds']:.2f} s")  # fmt: skip
        line("PDF / Word", pp["ratio"], pp["goal_ratio"], "×")
        line("one-page summary as PDF", pp["summary_pdf_seconds"], pp["goal_summary_seconds"])


SCENARIOS = ("province", "national", "scale", "workbench", "workspace", "start", "paper")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every scenario, small")
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    args = parser.parse_args()
    criteria = load_criteria("national_demo_area", search_path())
    quick = args.quick
    runs = 1 if quick else 2
    results: dict[str, Any] = {"machine": f"{sys.platform}, Python {sys.version.split()[0]}"}
    with tempfile.TemporaryDirectory(prefix="ecoassess-bench-") as name:
        folder = Path(name)
        if "province" in args.only:
            results["province"] = province(criteria, folder, runs)
        if "national" in args.only:
            results["national"] = national(criteria, folder, 300 if quick else 3000, runs)
        if "scale" in args.only:
            results["scale"] = scale(criteria, folder, 2850 if quick else 28_500, 1)
        if "workbench" in args.only:
            results["workbench"] = workbench(criteria, folder, 100 if quick else 1000)
        if "workspace" in args.only:
            results["workspace"] = workspace(criteria, folder, 13 if quick else 130)
        if "start" in args.only:
            results["start"] = start(3 if quick else 9)
        if "paper" in args.only:
            results["paper"] = paper(1 if quick else 5)
    results["bench_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        report(results, args.quick)


if __name__ == "__main__":
    main()
