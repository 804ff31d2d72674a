"""Shared fixtures: paths into the repository, the SPEC example agreement,
and a deterministic generator of leads (good, incomplete and bad ones)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

import leadgate

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
RULES = REPO / "rules-examples"
CONFORMANCE = Path(
    os.environ.get("LEADGATE_CONFORMANCE_DIR", REPO / "tests" / "conformance" / "cases")
)
# The X Education export is kept outside the repository, beside it in shared/.
X_EDUCATION = Path(
    os.environ.get(
        "LEADGATE_X_EDUCATION_CSV", REPO.parent / "shared" / "data" / "x-education-leads.csv"
    )
)

SPEC_AGREEMENT = (HERE / "spec_example.lead").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def spec() -> leadgate.Agreement:
    return leadgate.compile(SPEC_AGREEMENT, file_name="spec_example.lead")


@pytest.fixture(scope="session")
def education() -> leadgate.Agreement:
    return leadgate.load(RULES / "education-admissions.lead")


TITLES = ["VP Marketing", "Head of Growth", "Engineer", "CTO", "intern", "", None]
INDUSTRIES = ["Software", " fintech ", "Retail", "Healthcare", None]
COUNTRIES = ["de", "FR", "uk", "us", "in", None]
DOMAINS = ["acme.io", "gmail.com", "example.org", "yahoo.com"]
TAGS = ["webinar", "trade-show", "Webinar;ebook", ""]


def make_leads(n: int, seed: int = 7, bad_every: int = 97) -> list[dict]:
    """Leads for the SPEC agreement, as plain JSON-like dicts. Every
    `bad_every`-th lead has a value the binder must reject."""
    rng = random.Random(seed)
    leads = []
    for i in range(n):
        lead: dict = {"lead_id": f"L-{i}", "email": f"u{i}@{rng.choice(DOMAINS)}"}
        if rng.random() < 0.8:
            lead["title"] = rng.choice(TITLES)
        if rng.random() < 0.7:
            size = rng.choice([5, 60, 200, 999, 1001, 5000])
            lead["Company Size"] = size if rng.random() < 0.5 else str(size)
        if rng.random() < 0.7:
            lead["industry"] = rng.choice(INDUSTRIES)
        if rng.random() < 0.6:
            lead["country"] = rng.choice(COUNTRIES)
        if rng.random() < 0.7:
            lead["pages_viewed"] = rng.choice([0, 1, 3, 12, 2.5])
        if rng.random() < 0.6:
            lead["demo_requested"] = rng.choice([True, False])
        if rng.random() < 0.5:
            lead["budget"] = rng.choice([500, 10000, 25000.5])
        if rng.random() < 0.5:
            lead["tags"] = rng.choice(TAGS)
        if rng.random() < 0.7:
            lead["last_activity"] = f"2026-{rng.randint(6, 11):02d}-{rng.randint(1, 28):02d}"
        if i % 4 == 0:  # without drawing from rng: the other values stay as they were
            lead["phone"] = f"+1 555 01{i % 100:02d}"
        if bad_every and i % bad_every == bad_every - 1:
            lead["Company Size"] = "fifty"
        leads.append(lead)
    return leads
