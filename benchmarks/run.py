"""Measure the build's speed goals (issue #13) in one run, print each figure beside its goal.

    python benchmarks/run.py --json benchmarks/results.json       # the full run (≈ 30 min)
    python benchmarks/run.py --small 60 --large 200 --json /tmp/quick.json   # a quick look

Figures (the goal beside each):
  a. cold `workbook build` / the raw engines on the same output (mkdocs on the generated
     pages + Pagefind + WeasyPrint on every generated print HTML, no cache, same processes;
     ``--only a`` measures it alone and updates the --json file)
  b. rebuild with nothing changed / cold build (shipped content and small synthetic content)
  c. rebuild after editing one exercise / cold build (same)
  d. PDF stage on 2 processes / on 1: speed-up
  e. cold build at the large size / at the small size; peak memory at the large size
  f. search on the large site in Chromium, both languages (benchmarks/search.py)
  g. size of the large site without PDFs
  h. a bank workbook of the shipped content: bytes merged from parts / bytes of the same
     content typeset as one WeasyPrint document (``--only h`` measures it alone and updates
     the --json file)
  i. `workbook serve`: seconds from saving an exercise to its reloaded page showing the change
     in Chromium, median of 5 saves, on the shipped content and the large content
     (benchmarks/serve.py; ``--only i`` measures it alone and updates the --json file)
Builds run as `workbook build` subprocesses; peak memory is the largest sum of the PSS
(proportional set size: a page shared by forked workers counted once) of the build's whole
process tree, sampled every 200 ms; the RSS sum is saved beside it. Figure a is the median
of three cold builds over the median of three raw-engine runs, taken in turn. The machine
is shared: trust ratios.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import serve  # noqa: E402
import synth  # noqa: E402

GOALS = {
    "a_build_over_raw_engines": ("<=", 1.10),
    "b_noop_over_cold_shipped": ("<=", 0.05),
    "b_noop_over_cold_small": ("<=", 0.05),
    "c_edit_over_cold_shipped": ("<=", 0.15),
    "c_edit_over_cold_small": ("<=", 0.15),
    "d_pdf_speedup_2_over_1": (">=", 1.8),
    "e_large_over_small": ("<=", 11.0),
    "e_peak_memory_large_mib": ("<=", 1024.0),
    "f_search_ready_s": ("<=", 0.5),
    "f_search_first_query_kb": ("<=", 300.0),
    "f_search_median_query_ms": ("<=", 50.0),
    "g_site_size_large_mb": ("<=", 150.0),
    "h_merged_over_single_bytes": ("<=", 1.15),
    "i_serve_reload_shipped_s": ("<=", 1.5),
    "i_serve_reload_large_s": ("<=", 3.0),
}


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as stream:
                stack += [int(child) for child in stream.read().split()]
        except (OSError, ValueError):
            continue
    return found


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident and proportional memory (bytes) of ``pid`` and its descendants.

    RSS counts a page shared by several processes (forked workers share the parent's pages)
    in each of them; PSS splits it among them, so the PSS sum is the memory the build takes.
    """
    rss = pss = 0
    for process in _tree(pid):
        try:
            with open(f"/proc/{process}/smaps_rollup") as stream:
                for line in stream:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return rss, pss


def run_build(content: Path, out: Path, cache: Path | None, *extra: str) -> dict[str, float]:
    """One `workbook build`: wall seconds and peak memory (MiB) of its process tree."""
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--quiet",
        "--content",
        str(content),
        "--out",
        str(out),
        *extra,
    ]
    command += ["--cache", str(cache)] if cache else ["--no-cache"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env)
    peak_rss = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.wait(0.2):  # smaps_rollup costs more to read than statm
            rss, pss = _tree_memory(process.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"build failed ({code}): {' '.join(command)}")
    return {"seconds": seconds, "peak_mib": peak_pss / 2**20, "peak_rss_mib": peak_rss / 2**20}


def edit_one_exercise(content: Path) -> None:
    """Change the summary of the first exercise of the first bank, in both languages."""
    import yaml

    bank = sorted((content / "banks").glob("*.yml"))[0]
    data = yaml.safe_load(bank.read_text(encoding="utf-8"))
    summary = data["exercises"][0]["summary"]
    summary["fr"] = "Modifié. " + summary["fr"]
    summary["en"] = "Edited. " + summary["en"]
    bank.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def incremental(content: Path, work: Path, label: str) -> dict[str, float]:
    """Cold build, rebuild with nothing changed, rebuild after one edit: seconds."""
    copy = work / f"{label}-content"
    shutil.copytree(content, copy)
    out, cache = work / f"{label}-site", work / f"{label}-cache"
    cold = run_build(copy, out, cache)
    noop = run_build(copy, out, cache)
    edit_one_exercise(copy)
    edit = run_build(copy, out, cache)
    return {
        "cold_s": cold["seconds"],
        "noop_s": noop["seconds"],
        "edit_s": edit["seconds"],
        "cold_peak_mib": cold["peak_mib"],
    }


def _typeset(html: str) -> None:
    from generator.pdf.render import render_part

    render_part(html, fillable=False)


def raw_engines(content_dir: Path, work: Path, jobs: int) -> dict[str, float]:
    work.mkdir(parents=True, exist_ok=True)
    """The engines alone on the generated output: mkdocs, Pagefind, WeasyPrint."""
    from generator import resources
    from generator.pdf.catalog import pdf_targets
    from generator.pdf.document import PrintOptions
    from generator.pdf.parts import contents_part, workbook_layout
    from generator.pdf.selection import document_plan
    from generator.site import site_model_of, theme_overrides, urls
    from generator.site.engines import DEFAULT_ENGINE, engine_named
    from generator.site.engines.base import run_all
    from generator.site.output import move_into
    from generator.templating import active_project
    from generator.validate import load_content

    content = load_content(content_dir)
    projects = work / "raw"
    adapter = engine_named(DEFAULT_ENGINE)
    theme_dir = theme_overrides(projects / "theme")
    commands = []
    for lang in content.languages:
        model = site_model_of(content, lang, theme_dir, with_pdfs=True)
        commands.append((lang, adapter.prepare(model, projects / lang), projects / lang))
    started = time.perf_counter()
    run_all(commands)  # the engine's own command, through the seam, nothing of ours around it
    mkdocs_s = time.perf_counter() - started
    site = work / "raw-site"
    for lang in content.languages:
        move_into(projects / lang / "site", site / urls.lang_prefix(lang))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True)
    pagefind_s = time.perf_counter() - started

    templates = resources.tree_digest("print", active_project())
    htmls: dict[str, str] = {}
    for target in pdf_targets(content):
        options = PrintOptions(lang=target.lang, edition=target.edition)  # type: ignore[arg-type]
        layout = workbook_layout(
            content, document_plan(content, target.scope, target.id), options, templates
        )
        starts = {part.anchor: 1 for part in layout.body if part.anchor}
        contents = [] if layout.handout else [contents_part(content, layout, starts, templates)]
        for part in [layout.cover, *contents, *layout.body]:  # a handout: its exercise's part
            htmls[part.key] = part.html
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_typeset, htmls.values(), chunksize=4))
    weasyprint_s = time.perf_counter() - started
    return {
        "mkdocs_s": mkdocs_s,
        "pagefind_s": pagefind_s,
        "weasyprint_s": weasyprint_s,
        "parts": len(htmls),
        "total_s": mkdocs_s + pagefind_s + weasyprint_s,
    }


def pdf_speedup(content_dir: Path, work: Path) -> dict[str, float]:
    from generator.pdf import build_pdfs
    from generator.validate import load_content

    content = load_content(content_dir)
    seconds = {}
    for jobs in (1, 2):
        out = work / f"pdf-jobs-{jobs}"
        started = time.perf_counter()
        build_pdfs(content, out, jobs=jobs, cache=None)
        seconds[jobs] = time.perf_counter() - started
    return {"jobs1_s": seconds[1], "jobs2_s": seconds[2], "speedup": seconds[1] / seconds[2]}


def merged_over_single(content_dir: Path, bank: str = "self-awareness") -> dict[str, Any]:
    """Figure h: a bank workbook, merged from its parts / typeset as one document (bytes)."""
    from generator.pdf import print_pdf
    from generator.pdf.document import PrintOptions
    from generator.pdf.measure import single_document_bytes
    from generator.pdf.selection import bank_plan
    from generator.validate import load_content

    content = load_content(content_dir)
    if bank not in {item.id for item in content.banks}:
        bank = content.banks[0].id
    plan, options = bank_plan(content, bank), PrintOptions(lang=content.languages[0])
    merged = len(print_pdf(content, plan, options))
    single = single_document_bytes(content, plan, options)
    return {"bank": bank, "merged_bytes": merged, "single_bytes": single, "ratio": merged / single}


def only_h(json_path: Path | None) -> None:
    """Measure figure h alone; update the figures saved at ``json_path`` (the others kept)."""
    figures: dict[str, Any] = {}
    if json_path is not None and json_path.exists():
        figures = json.loads(json_path.read_text(encoding="utf-8"))
    figures.setdefault("machine", _machine())
    figures.setdefault("date", time.strftime("%Y-%m-%d"))
    found = merged_over_single(ROOT / "workbook")
    found["date"] = time.strftime("%Y-%m-%d")
    figures.setdefault("raw", {})["merged_over_single"] = found
    figures["h_merged_over_single_bytes"] = found["ratio"]
    print(f"h: {found}", flush=True)
    print_table(figures)
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def only_a(json_path: Path | None, small: int, repeat: int) -> None:
    """Measure figure a alone (cold builds and raw-engine runs in turn); update the figures
    saved at ``json_path`` (the others kept)."""
    figures: dict[str, Any] = {}
    if json_path is not None and json_path.exists():
        figures = json.loads(json_path.read_text(encoding="utf-8"))
    figures.setdefault("machine", _machine())
    figures.setdefault("date", time.strftime("%Y-%m-%d"))
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as temporary:
        work = Path(temporary)
        content = synth.generate(small, work / "small")
        raws, colds = [], []
        for run in range(repeat):  # in turn, so that a slow spell hits both
            raws.append(raw_engines(content, work / f"raw-{run}", jobs))
            print(f"raw engines on small: {raws[-1]}", flush=True)
            colds.append(run_build(content, work / f"small-cold-{run}", None)["seconds"])
            print(f"cold build of small: {colds[-1]:.1f} s", flush=True)
    raw: dict[str, Any] = dict(sorted(raws, key=lambda run: run["total_s"])[len(raws) // 2])
    raw["runs_s"] = [run["total_s"] for run in raws]
    raw["date"] = time.strftime("%Y-%m-%d")
    found = figures.setdefault("raw", {})
    found["raw_engines"] = raw
    found.setdefault("small", {}).update(
        {"cold_runs_s": colds, "cold_median_s": statistics.median(colds)}
    )
    figures["a_build_over_raw_engines"] = statistics.median(colds) / raw["total_s"]
    print_table(figures)
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def only_i(json_path: Path | None, large: int) -> None:
    """Measure figure i alone; update the figures saved at ``json_path`` (the others kept)."""
    figures: dict[str, Any] = {}
    if json_path is not None and json_path.exists():
        figures = json.loads(json_path.read_text(encoding="utf-8"))
    figures.setdefault("machine", _machine())
    figures.setdefault("date", time.strftime("%Y-%m-%d"))
    found = serve.serve_figures(large)
    found["raw"]["date"] = time.strftime("%Y-%m-%d")
    figures.setdefault("raw", {})["serve"] = found.pop("raw")
    figures.update(found)
    print_table(figures)
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def _machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count() or 1} cores, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}"
    )


def folder_mb(folder: Path, skip: str | None = None) -> float:
    return (
        sum(
            path.stat().st_size
            for path in folder.rglob("*")
            if path.is_file() and not (skip and skip in path.relative_to(folder).parts[:1])
        )
        / 1e6
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=200, help="exercises of the small content")
    parser.add_argument("--large", type=int, default=2000, help="exercises of the large content")
    parser.add_argument("--json", type=Path, help="save the figures here")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=3, help="cold builds and raw-engine runs for figure a"
    )
    parser.add_argument(
        "--only",
        choices=["a", "h", "i"],
        help="measure this figure alone and update the --json file",
    )
    options = parser.parse_args()
    if options.only == "a":
        only_a(options.json, options.small, options.repeat)
        return
    if options.only == "h":
        only_h(options.json)
        return
    if options.only == "i":
        only_i(options.json, options.large)
        return
    jobs = os.cpu_count() or 1
    figures: dict[str, Any] = {"machine": _machine(), "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as temporary:
        work = Path(temporary)
        small = synth.generate(options.small, work / "small")
        large = synth.generate(options.large, work / "large")

        shipped = incremental(ROOT / "workbook", work, "shipped")
        print(f"shipped: {shipped}", flush=True)
        small_run = incremental(small, work, "small")
        print(f"small ({options.small}): {small_run}", flush=True)
        raws, colds = [], [small_run["cold_s"]]
        for run in range(options.repeat):  # in turn, so that a slow spell hits both
            raws.append(raw_engines(small, work / f"raw-{run}", jobs))
            print(f"raw engines on small: {raws[-1]}", flush=True)
            if len(colds) < options.repeat:
                colds.append(run_build(small, work / f"small-cold-{run}", None)["seconds"])
                print(f"cold build of small: {colds[-1]:.1f} s", flush=True)
        raw: dict[str, Any] = dict(sorted(raws, key=lambda run: run["total_s"])[len(raws) // 2])
        raw["runs_s"] = [run["total_s"] for run in raws]
        small_figures: dict[str, Any] = dict(small_run)
        small_figures["cold_runs_s"] = colds
        small_figures["cold_median_s"] = statistics.median(colds)
        speed = pdf_speedup(small, work)
        print(f"pdf stage: {speed}", flush=True)
        large_run = run_build(large, work / "large-site", work / "large-cache")
        print(f"large ({options.large}): {large_run}", flush=True)
        site_only = run_build(large, work / "large-site-nopdf", None, "--no-pdf")
        size = folder_mb(work / "large-site-nopdf")
        figures["raw"] = {
            "shipped": shipped,
            "small": small_figures,
            "raw_engines": raw,
            "pdf": speed,
            "large": large_run,
            "large_site_only": site_only,
        }
        figures["a_build_over_raw_engines"] = small_figures["cold_median_s"] / raw["total_s"]
        figures["b_noop_over_cold_shipped"] = shipped["noop_s"] / shipped["cold_s"]
        figures["b_noop_over_cold_small"] = small_run["noop_s"] / small_run["cold_s"]
        figures["c_edit_over_cold_shipped"] = shipped["edit_s"] / shipped["cold_s"]
        figures["c_edit_over_cold_small"] = small_run["edit_s"] / small_run["cold_s"]
        figures["d_pdf_speedup_2_over_1"] = speed["speedup"]
        figures["e_large_over_small"] = large_run["seconds"] / small_figures["cold_median_s"]
        figures["e_peak_memory_large_mib"] = large_run["peak_mib"]
        figures["g_site_size_large_mb"] = size
        figures["raw"]["merged_over_single"] = merged_over_single(ROOT / "workbook")
        figures["h_merged_over_single_bytes"] = figures["raw"]["merged_over_single"]["ratio"]
        if not options.skip_search:
            result = work / "search.json"
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "search.py"),
                    "--site",
                    str(work / "large-site-nopdf"),
                    "--json",
                    str(result),
                ],
                check=True,
            )
            search = json.loads(result.read_text(encoding="utf-8"))
            figures["raw"]["search"] = search
            figures.update(search_figures(search))
        found = serve.serve_figures(options.large)
        figures["raw"]["serve"] = found.pop("raw")
        figures.update(found)
    print_table(figures)
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def search_figures(search: dict[str, Any]) -> dict[str, float]:
    """The worst of the two languages for each search figure."""
    values = search["results"]
    return {
        "f_search_ready_s": max(value["ready_s"] for value in values),
        "f_search_first_query_kb": max(value["first_query_kb"] for value in values),
        "f_search_median_query_ms": max(value["median_query_ms"] for value in values),
    }


def print_table(figures: dict[str, Any]) -> None:
    print(f"\nmachine: {figures['machine']}")
    print(f"{'figure':34} {'measured':>10}   goal      ok")
    for name, (sign, goal) in GOALS.items():
        if name not in figures:
            continue
        value = figures[name]
        ok = value <= goal if sign == "<=" else value >= goal
        print(f"{name:34} {value:10.3f}   {sign} {goal:<7} {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
