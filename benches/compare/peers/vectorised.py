"""benches/compare/agreement.lead as a vectorised pandas script with pyarrow
string columns: what a data team writes to score a DataFrame by hand.
The frame is built from the pre-parsed leads once, outside the timing;
score() is what is timed. Same text-case convention as plain.py."""

import numpy as np
import pandas as pd

from plain import METRO, SPOKE, DEAD, NOT_INTERESTED

TEXT = ["prospect_id", "origin", "lead_source", "last_activity", "occupation", "city",
        "counselor_tag", "lead_quality"]
NUMBER = ["visits", "seconds_on_site"]
BOOL = ["do_not_email", "do_not_call", "free_ebook"]


def frame(leads):
    df = pd.DataFrame.from_records(leads)
    for c in TEXT:
        df[c] = df[c].astype("string[pyarrow]")
    for c in NUMBER:
        df[c] = df[c].astype("float64")
    for c in BOOL:
        df[c] = df[c].astype("boolean")
    return df


def _t(mask):
    """A nullable boolean mask → numpy bool, missing as False (a rule on a
    missing field does not fire)."""
    return mask.fillna(False).to_numpy(dtype=bool)


def score(df):
    """→ (route index array, profile, engagement, intent) as numpy arrays."""
    occ = df["occupation"]
    occ_missing = occ.isna().to_numpy()
    city = df["city"]
    quality = df["lead_quality"]

    profile = (np.where(_t(occ == "Working Professional"), 30.0, 0.0)
               + np.where(_t(occ == "Businessman"), 15.0, 0.0)
               - np.where(_t(occ == "Student"), 10.0, 0.0)
               + np.where(_t(city.isin(METRO)), 5.0, 0.0)
               + np.where(_t(quality == "High in Relevance"), 20.0, 0.0))
    extra = (np.where(occ_missing, 45.0, 0.0)
             + np.where(city.isna().to_numpy(), 5.0, 0.0)
             + np.where(quality.isna().to_numpy(), 20.0, 0.0))
    potential = np.clip(profile + extra, 0.0, 100.0)
    profile = np.clip(profile, 0.0, 100.0)

    s = df["seconds_on_site"].to_numpy()
    v = df["visits"].to_numpy()
    act = df["last_activity"]
    with np.errstate(invalid="ignore"):
        engagement = (np.where(s > 0, np.minimum(s / 60, 30.0), 0.0)
                      + np.where(v >= 2, np.minimum(2 * v, 10.0), 0.0)
                      + np.where(_t(act.isin(SPOKE)), 20.0, 0.0)
                      - np.where(_t(act.isin(DEAD)), 15.0, 0.0))
    engagement = np.clip(engagement, 0.0, 80.0)

    tag = df["counselor_tag"]
    intent = (np.where(_t(df["origin"].str.endswith("Add Form")), 25.0, 0.0)
              + np.where(_t(df["lead_source"].str.lower().isin(["google", "bing", "organic search"])), 5.0, 0.0)
              + np.where(_t(tag.str.contains("will revert|next batch|want to take admission|next coming month",
                                             case=False, regex=True)), 40.0, 0.0)
              - np.where(_t(tag.isin(NOT_INTERESTED)), 30.0, 0.0))
    intent = np.clip(intent, 0.0, 100.0)

    ready = (intent >= 40) | ((profile >= 30) & (engagement >= 30))
    dnc = df["do_not_call"]
    dne = df["do_not_email"]
    may_call = _t(dnc == False)  # noqa: E712 (nullable: missing is not False)
    route = np.select(
        [_t(dnc) & _t(dne),
         ready & may_call,
         (intent >= 25) & (engagement >= 10) & may_call,
         (engagement >= 30) & occ_missing & (potential >= 50) & may_call,
         _t(df["free_ebook"]) & _t(dne == False)],  # noqa: E712
        [0, 1, 2, 3, 4], default=5)
    return route, profile, engagement, intent


def rows(result):
    route, profile, engagement, intent = result
    return list(zip(route.tolist(), profile.tolist(), engagement.tolist(), intent.tolist()))
