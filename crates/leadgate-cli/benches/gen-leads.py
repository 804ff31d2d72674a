#!/usr/bin/env python3
"""Writes N synthetic inbound leads for rules-examples/b2b-saas-inbound.lead,
as CSV (default) or JSON Lines, to stdout. Deterministic for a given seed.

    python3 crates/leadgate-cli/benches/gen-leads.py 1000000 > /tmp/leads-1m.csv
    python3 crates/leadgate-cli/benches/gen-leads.py 10000000 --jsonl > /tmp/leads-10m.jsonl

Used for the streaming-memory measurement in docs/benchmarks.md.
"""
import json
import random
import sys

COLUMNS = [
    "lead_id", "email", "title", "company", "employees", "industry", "country",
    "form_type", "demo_requested", "pages_viewed", "pricing_page_views",
    "interests", "current_tool", "budget_usd", "phone", "unsubscribed",
    "last_activity", "trial_started", "trial_active_days", "seats_invited",
    "data_sources",
]
TITLES = ["VP Product", "Data Analyst", "Head of Growth", "Software Engineer",
          "CTO", "Marketing Manager", "Student", "", "Director of BI", "Founder"]
DOMAINS = ["gmail.com", "acme.io", "finlytics.de", "stackly.io", "yahoo.com",
           "brightcart.com", "ortiz-retail.com"]
INDUSTRIES = ["Software", "Fintech", "E-commerce", "Education", "Media", "", "Gaming"]
COUNTRIES = ["us", "de", "fr", "uk", "sg", "in", "br", "ru", ""]
FORMS = ["demo", "contact", "trial", "ebook", "whitepaper", "webinar", "newsletter"]
TOOLS = ["Mixpanel", "Amplitude", "Excel", "", "Heap", "none"]
INTERESTS = ["integrations", "sql", "dashboards", "integrations; sql", ""]
SOURCES = ["Segment", "BigQuery", "Snowflake; Postgres", ""]


def row(i, rnd):
    r = rnd.random
    trial = r() < 0.2
    return {
        "lead_id": f"G-{i:09d}",
        "email": f"user{i}@{rnd.choice(DOMAINS)}",
        "title": rnd.choice(TITLES),
        "company": "" if r() < 0.1 else f"Company {i % 50000}",
        "employees": "" if r() < 0.2 else str(int(10 ** (r() * 4))),
        "industry": rnd.choice(INDUSTRIES),
        "country": rnd.choice(COUNTRIES),
        "form_type": rnd.choice(FORMS),
        "demo_requested": rnd.choice(["true", "false", ""]),
        "pages_viewed": str(int(r() * 12)),
        "pricing_page_views": "" if r() < 0.5 else str(int(r() * 5)),
        "interests": rnd.choice(INTERESTS),
        "current_tool": rnd.choice(TOOLS),
        "budget_usd": "" if r() < 0.7 else str(int(r() * 50000)),
        "phone": "" if r() < 0.5 else f"+1 415 555 {i % 10000:04d}",
        "unsubscribed": "true" if r() < 0.03 else "false",
        "last_activity": f"2026-{rnd.randint(8, 11):02d}-{rnd.randint(1, 28):02d}",
        "trial_started": f"2026-11-{rnd.randint(1, 22):02d}" if trial else "",
        "trial_active_days": str(rnd.randint(0, 14)) if trial else "",
        "seats_invited": str(rnd.randint(0, 6)) if trial else "",
        "data_sources": rnd.choice(SOURCES) if trial else "",
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    jsonl = "--jsonl" in sys.argv
    rnd = random.Random(42)
    out = sys.stdout
    buf = []
    if not jsonl:
        out.write(",".join(COLUMNS) + "\n")
    for i in range(n):
        d = row(i, rnd)
        if jsonl:
            buf.append(json.dumps({k: v for k, v in d.items() if v != ""}))
        else:
            buf.append(",".join(d[c] for c in COLUMNS))
        if len(buf) >= 10000:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
