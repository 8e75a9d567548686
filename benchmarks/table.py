"""Print the README's benchmark table (Markdown) from the JSON that benchmarks/run.py saved.

python benchmarks/table.py benchmarks/results.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import GOALS

LABELS = {
    "a_build_over_raw_engines": "a. cold build / raw engines (200 exercises, medians of 3)",
    "b_noop_over_cold_shipped": "b. rebuild, nothing changed / cold (shipped content)",
    "b_noop_over_cold_small": "b. rebuild, nothing changed / cold (200 exercises)",
    "c_edit_over_cold_shipped": "c. rebuild after editing one exercise / cold (shipped content)",
    "c_edit_over_cold_small": "c. rebuild after editing one exercise / cold (200 exercises)",
    "d_pdf_speedup_2_over_1": "d. PDF stage, 2 processes / 1 (speed-up)",
    "e_large_over_small": "e. cold build, 2,000 exercises / 200",
    "e_peak_memory_large_mib": "e. peak memory at 2,000 exercises (MiB, PSS of all processes)",
    "f_search_ready_s": "f. search ready after load (s, worst language)",
    "f_search_first_query_kb": "f. first query download (KB, worst language)",
    "f_search_median_query_ms": "f. median query (ms, worst language)",
    "g_site_size_large_mb": "g. site without PDFs at 2,000 exercises (MB)",
    "h_merged_over_single_bytes": "h. bank workbook merged from parts / typeset as one document "
    "(bytes, shipped content)",
    "i_serve_reload_shipped_s": "i. `workbook serve`: save → page shows the change (s, shipped "
    "content, median of 5)",
    "i_serve_reload_large_s": "i. `workbook serve`: save → page shows the change (s, 2,000 "
    "exercises, median of 5)",
}


def table(figures: dict[str, object]) -> str:
    rows = ["| figure | measured | goal | met |", "| --- | ---: | ---: | :---: |"]
    for name, (sign, goal) in GOALS.items():
        if name not in figures:
            continue
        value = float(figures[name])  # type: ignore[arg-type]
        met = value <= goal if sign == "<=" else value >= goal
        shown = f"{value:.0f}" if value >= 100 else f"{value:.2f}"
        rows.append(f"| {LABELS[name]} | {shown} | {sign} {goal:g} | {'yes' if met else 'no'} |")
    return "\n".join(rows) + f"\n\nMeasured on {figures['date']}: {figures['machine']}.\n"


if __name__ == "__main__":
    print(table(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
