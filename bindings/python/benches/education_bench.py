"""Throughput of the Python entry points on the X Education export, beside a
hand-written vectorised pandas implementation of the same agreement.

    python bindings/python/benches/education_bench.py \\
        --csv ../shared/data/x-education-leads.csv --copies 20

The export (9,240 leads) is repeated `--copies` times. Every figure is the
best of `--runs` runs, in leads per second, end to end from data already in
memory (dicts, an Arrow table, a DataFrame) to decisions. The pandas version
implements every rule, grade and route of rules-examples/education-admissions.lead,
including three-valued logic for missing values and `potential(profile)`;
the script checks that it routes every lead as leadgate does before timing.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

import leadgate

REPO = Path(__file__).resolve().parents[3]

# ---------------------------------------------------------------------------
# The agreement, by hand, in vectorised pandas.


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    """Trimmed, lower-cased text; blank is missing (pd.NA)."""
    s = df[column].astype("string").str.strip()
    s = s.mask(s == "")
    return s.str.lower()


def _true(mask: pd.Series) -> pd.Series:
    """A three-valued condition's 'true' (missing operands are unknown)."""
    return mask.astype("boolean").fillna(False).astype(bool)


def _bool(df: pd.DataFrame, column: str) -> pd.Series:
    m = {"true": True, "yes": True, "y": True, "1": True,
         "false": False, "no": False, "n": False, "0": False}
    return _text(df, column).map(m, na_action="ignore").astype("boolean")


def _num(df: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(df[column], errors="coerce")


def _in(s: pd.Series, values) -> pd.Series:
    return _true(s.isin([v.lower() for v in values]) & s.notna())


def pandas_routes(df: pd.DataFrame) -> pd.DataFrame:
    origin = _text(df, "Lead Origin")
    source = _text(df, "Lead Source")
    dne = _bool(df, "Do Not Email")
    dnc = _bool(df, "Do Not Call")
    visits = _num(df, "TotalVisits")
    seconds = _num(df, "Total Time Spent on Website")
    ppv = _num(df, "Page Views Per Visit")
    activity = _text(df, "Last Activity")
    country = _text(df, "Country")
    city = _text(df, "City")
    spec = _text(df, "Specialization")
    occ = _text(df, "What is your current occupation")
    profile_ = _text(df, "Lead Profile")
    tag = _text(df, "Tags")
    quality = _text(df, "Lead Quality")
    act_index = _text(df, "Asymmetrique Activity Index")
    pscore = _num(df, "Asymmetrique Profile Score")
    ebook = _bool(df, "A free copy of Mastering The Interview")

    not_interested = ["Interested in other courses", "Not doing further education",
                      "Already a student", "Graduation in progress",
                      "Diploma holder (Not Eligible)", "Lost to Others",
                      "University not recognized", "Recognition issue (DEC approval)"]
    wrong_numbers = ["invalid number", "wrong number given", "number not provided"]
    no_answer = ["Ringing", "switched off", "Busy", "opp hangup"]
    zero = pd.Series(0.0, index=df.index)

    def pts(cond, points):
        return zero.where(~cond, points)

    # profile, with the positive rules that are unknown for potential(profile)
    occ_missing = occ.isna()
    rules_profile = [
        (_true(occ == "working professional"), 30, occ_missing),
        (_true(occ == "businessman"), 15, occ_missing),
        (_in(occ, ["Unemployed", "Housewife", "Other"]), 10, occ_missing),
        (_true(occ == "student") | _true(profile_ == "student of someschool"), -10, None),
        (_in(profile_, ["Potential Lead", "Lateral Student", "Dual Specialization Student"]),
         20, profile_.isna()),
        (_true(spec != "select") & spec.notna(), 10, spec.isna()),
        (_in(city, ["Mumbai", "Thane & Outskirts", "Other Metro Cities"]), 5, city.isna()),
        (_true(country == "india"), 5, country.isna()),
    ]
    profile_sum = zero.copy()
    potential_sum = zero.copy()
    for cond, p, unknown in rules_profile:
        profile_sum = profile_sum + pts(cond, p)
        potential_sum = potential_sum + pts(cond, p)
        if unknown is not None and p > 0:
            potential_sum = potential_sum + pts(unknown.to_numpy(), p)
    strong = _true(pscore > 14)
    profile_sum = profile_sum + zero.where(~strong, np.minimum(pscore - 14, 6))
    potential_sum = potential_sum + zero.where(~strong, np.minimum(pscore - 14, 6))
    potential_sum = potential_sum + pts(pscore.isna().to_numpy(), 6)
    profile = profile_sum.clip(0, 100)
    potential_profile = potential_sum.clip(0, 100)

    engagement = (
        zero.where(~_true(seconds > 0), np.minimum(seconds / 60, 30))
        + zero.where(~_true(visits >= 2), np.minimum(2 * visits, 10))
        + pts(_true((ppv >= 2) & (ppv <= 8)), 5)
        + pts(_in(activity, ["Had a Phone Conversation", "Approached upfront"]), 20)
        + pts(_true(activity == "sms sent"), 15)
        + pts(_in(activity, ["Email Opened", "Email Link Clicked", "View in browser link Clicked"]), 5)
        + pts(_true(activity == "olark chat conversation"), -10)
        + pts(_in(activity, ["Email Bounced", "Unsubscribed", "Unreachable"]), -15)
        + pts(_true(act_index.str.startswith("01")), 5)
        + pts(_true(act_index.str.startswith("03")), -5)
    ).clip(0, 80)

    channel = (
        pts(_true(origin.str.endswith("add form")), 25)
        + pts(_in(source, ["Reference", "Welingak Website"]), 25)
        + pts(_true(source.str.fullmatch(r"google|bing|organic search")), 5)
        + pts(_true(source == "olark chat"), -5)
        + pts(_true(origin == "lead import"), -10)
    ).clip(0, 50)

    ruled_out_tag = _in(tag, not_interested) | _true(tag.str.contains("full time mba", regex=False))
    counselor = (
        pts(_true(tag.str.contains(
            r"will revert|next batch|next coming month|want to take admission|lateral student"
        )), 40)
        + pts(_true(tag.str.startswith("closed by")), 40)
        + pts(_in(tag, ["Still Thinking", "In confusion whether part time or DLP"]), 10)
        + pts(ruled_out_tag, -30)
        + pts(_in(tag, wrong_numbers), -25)
        + pts(_in(tag, no_answer), -5)
        + pts(_true(quality == "high in relevance"), 30)
        + pts(_true(quality == "might be"), 15)
        + pts(_true(quality == "low in relevance"), 10)
        + pts(_true(quality == "worst"), -30)
    ).clip(0, 100)

    unreachable = _true(dnc & dne)
    email_only = ~unreachable & (_true(dnc) | _in(tag, wrong_numbers))
    phone_ok = ~unreachable & ~email_only
    ready = (counselor >= 40) | ((profile >= 40) & (engagement >= 35))
    promising = ~ready & ((profile >= 30) | (engagement >= 25) | (channel >= 25))

    conditions = [
        unreachable,
        ruled_out_tag | _true(quality == "worst"),
        ready & phone_ok,
        _true(occ == "working professional") & (engagement >= 20) & phone_ok,
        (channel >= 25) & phone_ok,
        (engagement >= 30) & occ_missing & (potential_profile >= 40) & phone_ok,
        _in(tag, no_answer) & (engagement >= 25) & phone_ok,
        _true(ebook) & _true(~dne),
    ]
    routes = ["nurture", "nurture", "sales", "sales", "sales",
              "telemarketing", "telemarketing", "nurture"]
    queues = ["suppressed", "disqualified", "enrolment", "working-pros", "referrals",
              "qualify", "redial", "ebook-drip"]
    conds = [np.asarray(c, dtype=bool) for c in conditions]
    return pd.DataFrame(
        {
            "route": np.select(conds, routes, "nurture"),
            "queue": np.select(conds, queues, None),
            "profile": profile, "engagement": engagement,
            "channel": channel, "counselor": counselor,
            "total": profile + engagement + channel + counselor,
        },
        index=df.index,
    )


# ---------------------------------------------------------------------------


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default=str(REPO.parent / "shared/data/x-education-leads.csv"))
    ap.add_argument("--agreement", default=str(REPO / "rules-examples/education-admissions.lead"))
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()

    agreement = leadgate.load(args.agreement)
    with open(args.csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f)) * args.copies
    table = pacsv.read_csv(args.csv)
    table = pa.concat_tables([table] * args.copies)
    df = pd.read_csv(args.csv)
    df = pd.concat([df] * args.copies, ignore_index=True)
    n = len(rows)

    # The hand-written version must route as leadgate does.
    ours = agreement.score_pandas(df)
    theirs = pandas_routes(df)
    same_route = (ours["route"].to_numpy() == theirs["route"].to_numpy()).mean()
    same_queue = (ours["queue"].fillna("-").to_numpy() == theirs["queue"].fillna("-").to_numpy()).mean()
    same_total = np.isclose(ours["total"].to_numpy(), theirs["total"].to_numpy()).mean()
    print(f"pandas vs leadgate: route {same_route:.2%}, queue {same_queue:.2%}, total {same_total:.2%} equal")

    print(f"{n} leads ({args.copies} x {n // args.copies}), best of {args.runs}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, leadgate {leadgate.__version__}")
    results = {
        "score_many (CSV rows as dicts)":
            best(lambda: agreement.score_many(rows, threads=args.threads), args.runs),
        "score_many, explain=False":
            best(lambda: agreement.score_many(rows, threads=args.threads, explain=False), args.runs),
        "score_arrow (pyarrow.csv table)":
            best(lambda: agreement.score_arrow(table, threads=args.threads), args.runs),
        "score_pandas (read_csv frame)":
            best(lambda: agreement.score_pandas(df, threads=args.threads), args.runs),
        "vectorised pandas, by hand":
            best(lambda: pandas_routes(df), args.runs),
    }
    for name, seconds in results.items():
        print(f"  {name:34s} {n / seconds:>12,.0f} leads/s   ({seconds * 1000:,.0f} ms)")


if __name__ == "__main__":
    main()
