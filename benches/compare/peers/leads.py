"""The pre-parsed input every implementation gets: the 13 fields of
benches/compare/agreement.lead read from the CSV export once, typed as the
agreement's binding rules say (docs/language.md, "Reading a lead"): text trimmed
(case kept), numbers as floats, Yes/No as booleans, blank as None.
Keys are the field names."""

import csv

# field name -> (CSV column, type)
FIELDS = {
    "prospect_id": ("Prospect ID", "text"),
    "origin": ("Lead Origin", "text"),
    "lead_source": ("Lead Source", "text"),
    "do_not_email": ("Do Not Email", "bool"),
    "do_not_call": ("Do Not Call", "bool"),
    "visits": ("TotalVisits", "number"),
    "seconds_on_site": ("Total Time Spent on Website", "number"),
    "last_activity": ("Last Activity", "text"),
    "occupation": ("What is your current occupation", "text"),
    "city": ("City", "text"),
    "counselor_tag": ("Tags", "text"),
    "lead_quality": ("Lead Quality", "text"),
    "free_ebook": ("A free copy of Mastering The Interview", "bool"),
}

BOOLS = {"true": True, "yes": True, "y": True, "1": True,
         "false": False, "no": False, "n": False, "0": False}


def _typed(raw, ty):
    s = raw.strip()
    if not s:
        return None
    if ty == "number":
        return float(s)
    if ty == "bool":
        return BOOLS[s.lower()]
    return s


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [{name: _typed(row.get(col) or "", ty) for name, (col, ty) in FIELDS.items()}
            for row in rows]
