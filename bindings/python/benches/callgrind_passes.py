"""Runs score_many, score_arrow or (mode `one`) score() of each of the first
2,000 leads N times over the compare harness's leads,
for instruction counts with callgrind (docs/benchmarks.md, "The batch
pipeline in the core"): the count of 3 passes minus that of 1 pass, divided
by 2 × 9,240 (2 × 2,000 for `one`), is the cost per lead, start-up and
imports excluded.

    PYTHONHASHSEED=0 valgrind --tool=callgrind python callgrind_passes.py many 3

Needs benches/compare/.work (made by benches/compare/run) and pyarrow.
"""
import json
import os
import sys

import pyarrow as pa

import leadgate

WORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "benches", "compare", ".work")


def main() -> None:
    mode, passes = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(WORK, "leads.json")) as f:
        leads = json.load(f)
    with open(os.path.join(WORK, "agreement.byname.lead")) as f:
        agreement = leadgate.compile(f.read())
    table = pa.Table.from_pylist(leads)
    for _ in range(passes):
        if mode == "one":
            for lead in leads[:2000]:
                agreement.score(lead, as_of="2026-11-23")
            continue
        if mode == "many":
            out = agreement.score_many(leads, as_of="2026-11-23", threads=1)
        else:
            out = agreement.score_arrow(table, as_of="2026-11-23", threads=1)
        del out


if __name__ == "__main__":
    main()
