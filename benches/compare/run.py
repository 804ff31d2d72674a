"""The comparison harness (run it with benches/compare/run; see
docs/benchmarks.md).

1. The reference: leadgate's CLI scores the raw CSV export with
   benches/compare/agreement.lead.
2. The pre-parsed input: the same CSV read once into typed records
   (peers/leads.py), keyed by field name; every implementation gets it.
3. Each implementation scores every lead and is checked against the
   reference (same route and queue, same three scores within 1e-9) before it
   is timed. A wrong implementation is reported, never timed.
4. Timing: the best of repeated passes over all leads (about --seconds per
   implementation), in leads per second. Then one table, with the ratios of
   each leadgate front to every peer, and the issue's targets.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "peers"))

import leads as leads_mod  # noqa: E402

ROUTES = [("nurture", "suppressed"), ("sales", "enrolment"), ("sales", "partners"),
          ("telemarketing", "qualify"), ("nurture", "ebook-drip"), ("nurture", None)]
AS_OF = "2026-11-23"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def row_of_decision(d):
    if isinstance(d, (str, bytes)):
        d = json.loads(d)
    if not isinstance(d, dict):
        # An object with attributes, or one with a to_dict / as_dict method.
        for m in ("to_dict", "as_dict", "dict"):
            if hasattr(d, m):
                d = getattr(d, m)()
                break
        else:
            d = {k: getattr(d, k) for k in ("route", "queue", "scores") if hasattr(d, k)}
    scores = d.get("scores")
    if scores is None:
        scores = {k: d.get(k, d.get(f"scores.{k}", d.get(f"score_{k}")))
                  for k in ("profile", "engagement", "intent")}
    elif isinstance(scores, list):  # pyarrow map type: [(key, value)]
        scores = dict(scores)
    route = (d.get("route"), d.get("queue"))
    index = ROUTES.index(route) if route in ROUTES else -1
    return (index, float(scores["profile"]), float(scores["engagement"]), float(scores["intent"]))


def verify(rows, reference):
    if len(rows) != len(reference):
        return f"{len(rows)} results for {len(reference)} leads", None
    for i, (a, b) in enumerate(zip(rows, reference)):
        if a[0] != b[0] or any(abs(x - y) > 1e-9 for x, y in zip(a[1:], b[1:])):
            bad = sum(1 for a, b in zip(rows, reference)
                      if a[0] != b[0] or any(abs(x - y) > 1e-9 for x, y in zip(a[1:], b[1:])))
            return f"{bad} leads differ", {"index": i, "got": a, "want": b}
    return None, None


def timed(fn, seconds):
    best = float("inf")
    reps = 0
    start = time.perf_counter()
    while reps < 2 or time.perf_counter() - start < seconds:
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
        reps += 1
        if time.perf_counter() - start > 4 * seconds:
            break
    return best, reps


class Results:
    def __init__(self, n):
        self.n = n
        self.rows = []  # dicts: name, status, leads_per_s, ...

    def add(self, name, status, **kw):
        self.rows.append({"name": name, "status": status, **kw})
        shown = f"{kw['leads_per_s']:,.0f} leads/s" if "leads_per_s" in kw else kw.get("note", "")
        log(f"  {name}: {status} {shown}")

    def get(self, name):
        for r in self.rows:
            if r["name"] == name and r["status"] == "ok":
                return r["leads_per_s"]
        return None


def python_peers(leads, reference, seconds, results):
    import plain
    import vectorised

    def run(name, make):
        try:
            fn, to_rows = make()
        except ImportError as e:
            results.add(name, "not built", note=str(e))
            return
        except Exception as e:  # a peer that cannot run is reported, not fatal
            results.add(name, "failed", note=f"{type(e).__name__}: {e}"[:300])
            return
        try:
            rows = to_rows(fn())
        except Exception as e:
            results.add(name, "failed", note=f"{type(e).__name__}: {e}"[:300])
            return
        problem, first = verify(rows, reference)
        if problem:
            results.add(name, "wrong", note=problem, first=first)
            return
        best, reps = timed(fn, seconds)
        results.add(name, "ok", leads_per_s=len(leads) / best, best_s=best, reps=reps)

    run("python-plain", lambda: ((lambda: plain.score_all(leads)), lambda r: r))
    df = vectorised.frame(leads)
    run("pandas-pyarrow", lambda: ((lambda: vectorised.score(df)), vectorised.rows))

    def zen(regex, batch):
        def make():
            import zen_graph
            z = zen_graph.Zen(regex)
            with open(os.path.join(WORK, f"zen-{'regex' if regex else 'no-regex'}.json"), "w") as f:
                json.dump(z.graph, f, indent=1)
            return ((lambda: (z.batch if batch else z.per_call)(leads)), lambda r: r)
        return make
    for regex in (True, False):
        for batch in (False, True):
            name = f"zen-{'matches' if regex else 'no-regex'}-{'batch' if batch else 'call'}"
            run(name, zen(regex, batch))

    # leadgate's Python package, when installed in this venv.
    def leadgate_agreement():
        import leadgate
        with open(os.path.join(WORK, "agreement.byname.lead")) as f:
            return leadgate.compile(f.read())

    def call_as_of(method, arg):
        try:
            return method(arg, as_of=AS_OF)
        except TypeError:
            import datetime
            return method(arg, as_of=datetime.datetime(2026, 11, 23, tzinfo=datetime.timezone.utc))

    def score_many():
        a = leadgate_agreement()
        return (lambda: call_as_of(a.score_many, leads)), (lambda r: [row_of_decision(d) for d in r])

    def score_arrow():
        import pyarrow as pa
        a = leadgate_agreement()
        table = pa.Table.from_pylist(leads)

        def to_rows(out):
            if hasattr(out, "to_pylist"):
                out = out.to_pylist()
            return [row_of_decision(d) for d in out]
        return (lambda: call_as_of(a.score_arrow, table)), to_rows

    run("leadgate-python-score_many", score_many)
    run("leadgate-python-score_arrow", score_arrow)


def node_peers(seconds, results):
    if not os.path.isdir(os.path.join(HERE, "node_modules", "json-rules-engine")):
        results.add("json-rules-engine", "not built", note="run benches/compare/install")
    out = subprocess.run(["node", os.path.join(HERE, "peers", "node_peers.mjs"), WORK, ROOT, str(seconds)],
                         check=True, capture_output=True, text=True, cwd=HERE)
    report = json.loads(out.stdout)
    for r in report["results"]:
        name = r.pop("name")
        status = r.pop("status")
        results.add(name, status, **r)
    return report


def cli_timing(cli, agreement, csv_path, copies, seconds, results):
    """leadgate score from the raw CSV file to JSON Lines (discarded), the
    file being the export repeated `copies` times so that process start-up
    does not dominate."""
    big = os.path.join(WORK, f"x-education-x{copies}.csv")
    if not os.path.exists(big):
        with open(csv_path, newline="", encoding="utf-8") as f:
            header = f.readline()
            body = f.read()
        if not body.endswith("\n"):
            body += "\n"
        with open(big, "w", encoding="utf-8", newline="") as f:
            f.write(header)
            for _ in range(copies):
                f.write(body)
    n = copies * results.n
    for name, path, count, extra in (("leadgate-cli", big, n, []),
                                     ("leadgate-cli-1-thread", big, n, ["--threads", "1"]),
                                     ("leadgate-cli-one-file", csv_path, results.n, [])):
        def once():
            with open(os.devnull, "w") as devnull:
                subprocess.run([cli, "score", agreement, path, "--as-of", AS_OF] + extra, check=True,
                               stdout=devnull, cwd=ROOT)
        best, reps = timed(once, seconds)
        results.add(name, "ok", leads_per_s=count / best, best_s=best, reps=reps, leads=count)


WORK = os.path.join(HERE, ".work")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "x-education-leads.csv"))
    ap.add_argument("--seconds", type=float, default=1.5, help="time budget per implementation")
    ap.add_argument("--copies", type=int, default=20, help="the CSV repeated N times for the CLI timing")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    data = os.path.abspath(args.data)
    if not os.path.isfile(data):
        sys.exit(f"no data at {data} (pass --data PATH to x-education-leads.csv)")
    os.makedirs(WORK, exist_ok=True)
    agreement = os.path.join(HERE, "agreement.lead")

    # 0. Build.
    sh(["cargo", "build", "--release", "-q", "-p", "leadgate-cli"])
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    cli = os.path.join(os.path.abspath(target), "release", "leadgate")

    # 1. Reference decisions: the CLI on the raw CSV.
    cli_out = os.path.join(WORK, "cli.jsonl")
    with open(cli_out, "w") as f:
        sh([cli, "score", agreement, data, "--as-of", AS_OF], stdout=f)
    reference = [row_of_decision(line) for line in open(cli_out)]
    with open(os.path.join(WORK, "reference.json"), "w") as f:
        json.dump(reference, f)
    log(f"reference: {len(reference)} decisions from leadgate score")

    # 2. Pre-parsed input, and the agreement read by field name.
    leads = leads_mod.load(data)
    with open(os.path.join(WORK, "leads.json"), "w") as f:
        json.dump(leads, f)
    with open(agreement) as f:
        byname = re.sub(r'\s+from\s+"[^"]*"', "", f.read())
    with open(os.path.join(WORK, "agreement.byname.lead"), "w") as f:
        f.write(byname)
    results = Results(len(leads))

    # 3. Rust: the engine from pre-parsed leads, and the hand-written limit.
    rust_out = os.path.join(WORK, "rust.jsonl")
    out = subprocess.run(["cargo", "bench", "-q", "-p", "leadgate", "--bench", "compare", "--",
                          "--agreement", os.path.join(WORK, "agreement.byname.lead"),
                          "--leads", os.path.join(WORK, "leads.json"), "--out", rust_out,
                          "--seconds", str(args.seconds)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    rust = json.loads(out.stdout.strip().splitlines()[-1])
    with open(rust_out) as a, open(cli_out) as b:
        engine_same = a.read() == b.read()
    log(f"rust engine on pre-parsed leads: decisions {'identical to' if engine_same else 'DIFFER FROM'} "
        f"the CLI's; hand-written function agrees bit for bit on {rust['limit_verified']} leads")
    for r in rust["results"]:
        ok = engine_same or r["name"] == "rust-limit"
        results.add(r["name"], "ok" if ok else "wrong", leads_per_s=r["leads_per_s"],
                    best_s=r["best_s"], reps=r["reps"])

    # 4. The CLI from the raw CSV.
    cli_timing(cli, agreement, data, args.copies, args.seconds, results)

    # 5. Python and JavaScript peers (and leadgate's bindings when built).
    python_peers(leads, reference, args.seconds, results)
    node = node_peers(args.seconds, results)

    table = render(results, rust, node)
    print(table)
    report = {"machine": machine(), "leads": len(leads), "results": results.rows, "table": table}
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(report, f, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_1min": load}


LABELS = [
    ("rust-limit", "Rust, hand-written function (the limit)"),
    ("rust-engine-bound", "leadgate Rust engine, bound leads, no explanation"),
    ("rust-engine-bound-explain", "leadgate Rust engine, bound leads, explained"),
    ("rust-engine", "leadgate Rust engine, bind + score, explained, 1 thread"),
    ("rust-engine-threads", "leadgate Rust engine, bind + score, explained, all threads"),
    ("leadgate-cli", "leadgate CLI, raw CSV → JSON Lines (file x{copies})"),
    ("leadgate-cli-1-thread", "leadgate CLI, raw CSV → JSON Lines (file x{copies}), --threads 1"),
    ("leadgate-cli-one-file", "leadgate CLI, raw CSV → JSON Lines (9,240 leads, incl. start-up)"),
    ("leadgate-python-score_many", "leadgate Python score_many (dicts, explained)"),
    ("leadgate-python-score_arrow", "leadgate Python score_arrow (pyarrow table, columnar)"),
    ("leadgate-wasm-scoreMany", "leadgate wasm scoreMany (node)"),
    ("leadgate-wasm-runtime-scoreMany", "leadgate wasm form runtime scoreMany (node)"),
    ("leadgate-wasm-runtime-chromium", "leadgate wasm form runtime scoreMany (headless Chromium)"),
    ("python-plain", "plain Python function, per lead"),
    ("pandas-pyarrow", "pandas, vectorised, pyarrow strings"),
    ("zen-matches-call", "zen-engine, matches(), evaluate per lead"),
    ("zen-matches-batch", "zen-engine, matches(), evaluate_batch"),
    ("zen-no-regex-call", "zen-engine, no regex, evaluate per lead"),
    ("zen-no-regex-batch", "zen-engine, no regex, evaluate_batch"),
    ("json-rules-engine", "json-rules-engine (node)"),
]

TARGETS = [
    # (description, numerator, denominator, minimum ratio)
    ("Python score_many ≥ 100× zen-engine evaluate_batch (matches())", "leadgate-python-score_many",
     "zen-matches-batch", 100),
    ("Python score_many ≥ 2× plain Python function", "leadgate-python-score_many", "python-plain", 2),
    ("Python score_arrow ≥ 5× pandas", "leadgate-python-score_arrow", "pandas-pyarrow", 5),
    ("wasm scoreMany ≥ 20× json-rules-engine", "leadgate-wasm-scoreMany", "json-rules-engine", 20),
    ("Rust engine within 2× of the hand-written function (bound leads, no explanation)",
     "rust-engine-bound", "rust-limit", 0.5),
    # Issue 15's step towards it.
    ("Rust engine within 3× of the hand-written function (bound leads, no explanation)",
     "rust-engine-bound", "rust-limit", 1 / 3),
]


def render(results, rust, node):
    fronts = [("Rust", "rust-engine"), ("CLI", "leadgate-cli"), ("py many", "leadgate-python-score_many"),
              ("py arrow", "leadgate-python-score_arrow"), ("wasm", "leadgate-wasm-scoreMany")]
    head = ["implementation", "leads/s"] + [f"{f} ×" for f, _ in fronts]
    lines = []
    by = {r["name"]: r for r in results.rows}
    for key, label in LABELS:
        r = by.get(key)
        label = label.replace("{copies}", str(r.get("leads", 0) // results.n) if r else "")
        if r is None:
            continue
        if r["status"] != "ok":
            lines.append([label, r["status"]] + [""] * len(fronts))
            continue
        x = r["leads_per_s"]
        cells = []
        for _, fk in fronts:
            f = results.get(fk)
            cells.append("" if f is None or fk == key else f"{f / x:,.2f}")
        lines.append([label, f"{x:,.0f}"] + cells)
    widths = [max(len(str(c)) for c in col) for col in zip(head, *lines)]
    fmt = lambda cells: "| " + " | ".join(  # noqa: E731
        (str(c).ljust(w) if i == 0 else str(c).rjust(w)) for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    out = [fmt(head), "|" + "|".join(("-" * (w + 2)) if i == 0 else ("-" * (w + 1) + ":")
                                     for i, w in enumerate(widths)) + "|"]
    out += [fmt(line) for line in lines]
    out.append("")
    out.append(f"{results.n:,} leads, every implementation verified against `leadgate score` on the raw CSV "
               f"before timing (route, queue, 3 scores); the hand-written Rust function bit for bit "
               f"({rust['limit_verified']:,} leads). Columns `F ×`: leadgate front F's leads/s divided by "
               f"the row's. Machine: {machine()}.")
    out.append("")
    out.append("Targets:")
    for desc, a, b, minimum in TARGETS:
        x, y = results.get(a), results.get(b)
        if x is None or y is None:
            out.append(f"- {desc}: not measured ({a if x is None else b} not built)")
            continue
        ratio = x / y
        out.append(f"- {desc}: {ratio:,.2f}× — {'met' if ratio >= minimum else 'MISSED'}")
    chromium = results.get("leadgate-wasm-runtime-chromium")
    if chromium is None:
        out.append("- form runtime scoreMany in Chromium ≤ 5 µs per lead: not measured")
    else:
        micros = 1e6 / chromium
        out.append(f"- form runtime scoreMany in Chromium ≤ 5 µs per lead: {micros:,.1f} µs — "
                   f"{'met' if micros <= 5 else 'MISSED'}")
    cli = results.get("leadgate-cli")
    if cli is not None:
        out.append(f"- CLI CSV → JSON Lines ≥ 500,000 leads/s: {cli:,.0f} — "
                   f"{'met' if cli >= 500_000 else 'MISSED'}")
    return "\n".join(out)


if __name__ == "__main__":
    main()
