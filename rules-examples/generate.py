#!/usr/bin/env python3
"""Generate the sample lead files for the example agreements.

    python3 rules-examples/generate.py

writes, next to this script:

  b2b-saas-inbound.leads.jsonl   1,000 inbound leads (JSON Lines) for b2b-saas-inbound.lead
  events-webinars.leads.csv      1,000 event / webinar leads (CSV) for events-webinars.lead

The education agreement reads the real export in shared/data and needs no
sample file.

The data is synthetic but deliberately messy, the way CRM and event-platform
exports are: keys left out, null, empty and all-whitespace strings, numbers
written as strings (with spaces), text in odd case with stray spaces, booleans
as true/false/yes/no/y/n/1/0, dates as YYYY-MM-DD, RFC 3339 with offsets or Unix
seconds, lists as JSON arrays (JSONL) or ";"-separated strings (CSV), columns
the agreement does not declare, and about one lead in 200 with a value that
cannot be read (e.g. "fifty" for a number) so that lead errors show up.

Standard library only (Python 3.11+). A fixed seed and fixed formatting make
every run write byte-identical files. Dates fall between 2026-09-01 and
2026-12-05, so scoring with --as-of 2026-11-23 gives meaningful decay.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261123
N_B2B = 1000
N_EVENTS = 1000

FIRST = ["Ana", "Ben", "Chen", "Dana", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas",
         "Kavya", "Lukas", "Maria", "Nia", "Omar", "Priya", "Quentin", "Rosa", "Sam", "Tomás",
         "Uma", "Viktor", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Carla", "Dmitri",
         "Emma", "Farid", "Hannah", "Ivan", "Julia", "Kenji", "Lea", "Mateo", "Noah", "Olga"]
LAST = ["Keller", "Okafor", "Li", "Ortiz", "Yilmaz", "Adeyemi", "Lind", "Sato", "Moreau", "Berg",
        "Reddy", "Novak", "Silva", "Walsh", "Haddad", "Iyer", "Dubois", "Costa", "Park", "García",
        "Schmidt", "Kowalski", "Nguyen", "Rossi", "Jensen", "Murphy", "Fischer", "Tanaka", "Khan",
        "Petrov", "Meyer", "Lopez", "Müller", "Andersson", "Cohen", "Ivanova", "Brown", "Dias"]


def rfc3339(when: dt.datetime, offset_hours: int = 0) -> str:
    """RFC 3339 with 'Z' for UTC or a +HH:MM offset."""
    if offset_hours == 0:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    tz = dt.timezone(dt.timedelta(hours=offset_hours))
    local = when.astimezone(tz)
    sign = "+" if offset_hours > 0 else "-"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{abs(offset_hours):02d}:00"


def messy_case(rng: random.Random, text: str) -> str:
    """Mostly as given; sometimes upper / lower case or padded with spaces."""
    r = rng.random()
    if r < 0.08:
        text = text.upper()
    elif r < 0.16:
        text = text.lower()
    if rng.random() < 0.08:
        text = rng.choice([" ", "  ", "\t"]) + text + rng.choice(["", " ", "  "])
    return text


def slug(name: str) -> str:
    out = []
    for ch in name.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in " -&" and out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def ascii_local(text: str) -> str:
    table = str.maketrans({"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ü": "u",
                           "ö": "o", "ä": "a", "ç": "c", "ñ": "n"})
    return text.lower().translate(table)


# --------------------------------------------------------------------------------------
# B2B SaaS inbound (JSON Lines)
# --------------------------------------------------------------------------------------

B2B_TITLES = [
    # (title, weight)
    ("VP Marketing", 3), ("VP Product", 3), ("Vice President, Engineering", 1),
    ("Head of Growth", 3), ("Head of Data", 3), ("Head of Product Analytics", 2),
    ("Director of Analytics", 3), ("Director, Digital", 2), ("CTO", 3), ("CEO & Founder", 3),
    ("Co-founder", 2), ("Chief Data Officer", 1), ("COO", 1), ("Owner", 1),
    ("Product Manager", 8), ("Senior Product Manager", 4), ("Data Analyst", 8),
    ("Senior Data Analyst", 4), ("Growth Marketer", 4), ("BI Developer", 3),
    ("Analytics Engineer", 3), ("Data Engineer", 3), ("Software Engineer", 8),
    ("Marketing Manager", 6), ("Marketing Coordinator", 3), ("Customer Success Manager", 3),
    ("Consultant", 3), ("Account Executive", 2), ("UX Researcher", 2),
    ("Student", 3), ("MSc Student", 2), ("Marketing Intern", 2), ("Trainee", 1),
    ("Freelancer", 2), ("Other", 2),
]
B2B_INDUSTRIES = [("Software", 14), ("SaaS", 10), ("Fintech", 7), ("E-commerce", 8),
                  ("ecommerce", 2), ("Media", 5), ("Gaming", 3), ("HealthTech", 3),
                  ("Healthcare", 4), ("Retail", 6), ("Manufacturing", 5), ("Education", 4),
                  ("Consulting", 5), ("Non-profit", 2), ("Government", 2), ("Logistics", 3),
                  ("Travel", 3)]
B2B_COUNTRIES = [("us", 30), ("ca", 4), ("br", 3), ("mx", 2), ("de", 9), ("uk", 6), ("gb", 2),
                 ("fr", 5), ("nl", 3), ("es", 3), ("it", 2), ("se", 2), ("pl", 2), ("ch", 1),
                 ("ie", 1), ("ae", 1), ("za", 1), ("in", 6), ("au", 3), ("sg", 2), ("jp", 2),
                 ("ru", 1), ("ir", 0.3), ("ng", 1), ("tr", 1), ("ar", 1)]
# a few leads type a country name instead of a code
COUNTRY_NAMES = ["United States", "Germany", "USA", "Deutschland", "France"]
FREE_MAIL = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "hotmail.com", "outlook.com",
             "icloud.com", "proton.me", "gmx.de", "web.de", "mail.ru", "live.com"]
TOOLS = [("Google Analytics", 20), ("Mixpanel", 6), ("Amplitude", 5), ("Heap", 3),
         ("Pendo", 2), ("spreadsheets", 8), ("In-house", 6), ("Looker", 4), ("nothing", 3)]
INTERESTS = ["integrations", "funnels", "retention", "sql", "dashboards", "security",
             "experimentation", "data warehouse", "pricing"]
DATA_SOURCES = ["Segment", "Snowflake", "BigQuery", "Postgres", "Redshift", "RudderStack",
                "Stripe", "HubSpot"]
COMPANY_WORDS_A = ["North", "Blue", "Bright", "Stack", "Data", "Cloud", "Green", "Quantum",
                   "Pixel", "Iron", "Silver", "Rapid", "Clear", "Hyper", "Urban", "Nova"]
COMPANY_WORDS_B = ["cart", "ly", "works", "labs", "bank", "soft", "logic", "hub", "flow",
                   "metrics", "media", "health", "ware", "pay", "ops", "studio"]
COMPANY_SUFFIX = ["", "", "", " Inc.", " GmbH", " Ltd", " SAS", " BV", " AB", " LLC"]
TLD_BY_COUNTRY = {"de": ".de", "uk": ".co.uk", "gb": ".co.uk", "fr": ".fr", "nl": ".nl",
                  "es": ".es", "it": ".it", "se": ".se", "pl": ".pl", "ch": ".ch", "in": ".in",
                  "au": ".com.au", "br": ".com.br", "jp": ".jp", "ru": ".ru"}

B2B_START = dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc)
B2B_END = dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.timezone.utc)


def weighted(rng: random.Random, pairs):
    names = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(names, weights=weights, k=1)[0]


def json_date(rng: random.Random, when: dt.datetime):
    """A date the way different systems write it."""
    r = rng.random()
    if r < 0.45:
        return when.strftime("%Y-%m-%d")
    if r < 0.75:
        return rfc3339(when)
    if r < 0.92:
        return rfc3339(when, rng.choice([-5, -4, 1, 2, 5]))
    return int(when.timestamp())  # Unix seconds


def json_bool(rng: random.Random, value: bool):
    r = rng.random()
    if r < 0.6:
        return value
    if r < 0.75:
        return rng.choice(["yes", "Yes", "YES"]) if value else rng.choice(["no", "No", "NO"])
    if r < 0.85:
        return 1 if value else 0
    if r < 0.93:
        return ("true" if value else "false") if rng.random() < 0.5 else (" TRUE " if value else " False ")
    return rng.choice(["y", "Y", "1"]) if value else rng.choice(["n", "N", "0"])


def json_number(rng: random.Random, value: float):
    """A number, or the same number as a string (sometimes padded)."""
    r = rng.random()
    if r < 0.7:
        return value
    text = repr(value) if isinstance(value, float) else str(value)
    if r < 0.9:
        return text
    return f" {text} "


def blank(rng: random.Random):
    """One of the ways a value goes missing (the key itself stays)."""
    return rng.choice([None, None, "", " ", "   ", "\t"])


def make_company(rng: random.Random):
    name = rng.choice(COMPANY_WORDS_A) + rng.choice(COMPANY_WORDS_B)
    return name, name + rng.choice(COMPANY_SUFFIX)


def company_size(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.18:
        return rng.randint(1, 9)
    if band < 0.55:
        return rng.randint(10, 199)
    if band < 0.85:
        return rng.randint(200, 1999)
    return rng.choice([2000, 2500, 3200, 5000, 8000, 12000, 25000, 60000])


SENIOR_TITLES = {"VP Marketing", "VP Product", "Vice President, Engineering", "Head of Growth",
                 "Head of Data", "Head of Product Analytics", "Director of Analytics",
                 "Director, Digital", "CTO", "CEO & Founder", "Co-founder", "Chief Data Officer",
                 "COO", "Owner"}
JUNIOR_TITLES = {"Student", "MSc Student", "Marketing Intern", "Trainee", "Freelancer", "Other"}

# Who fills in the forms: (archetype, weight, forms they use, weight multiplier for senior
# titles, for junior titles, days since last activity is drawn from 0..N)
ARCHETYPES = [
    ("buyer", 14, [("demo", 6), ("contact", 3), ("trial", 1)], 4.0, 0.1, 21),
    ("evaluator", 26, [("trial", 8), ("demo", 1), ("webinar", 1)], 1.0, 0.3, 45),
    ("researcher", 40, [("ebook", 5), ("whitepaper", 2), ("report", 1), ("webinar", 3),
                        ("newsletter", 3)], 0.8, 1.0, 80),
    ("noise", 20, [("newsletter", 5), ("ebook", 3), ("trial", 1)], 0.2, 6.0, 80),
]


def b2b_lead(rng: random.Random, i: int) -> dict:
    archetype, _, forms, senior_w, junior_w, max_age = rng.choices(
        ARCHETYPES, weights=[a[1] for a in ARCHETYPES], k=1)[0]
    first = rng.choice(FIRST)
    last = rng.choice(LAST)
    country = weighted(rng, B2B_COUNTRIES)
    base, company = make_company(rng)
    free = rng.random() < {"buyer": 0.06, "evaluator": 0.18, "researcher": 0.25, "noise": 0.55}[archetype]
    if free:
        domain = rng.choice(FREE_MAIL)
    else:
        domain = slug(base) + TLD_BY_COUNTRY.get(country, ".com")
    local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", first, f"{first}_{last}"])
    email = ascii_local(local).replace(" ", "") + "@" + domain
    if rng.random() < 0.05:
        email = email.upper() if rng.random() < 0.5 else "  " + email + " "

    form = weighted(rng, forms)
    titles = [(t, w * (senior_w if t in SENIOR_TITLES else junior_w if t in JUNIOR_TITLES else 1))
              for t, w in B2B_TITLES]
    title = weighted(rng, titles)
    size = company_size(rng)
    if archetype == "buyer" and size < 50:
        size = company_size(rng)
    if archetype == "noise":
        size = rng.randint(1, 30)
    if rng.random() < 0.03:
        country = rng.choice(COUNTRY_NAMES)
    lead: dict = {
        "lead_id": f"NW-{100001 + i}",
        "created_at": None,  # filled below; not a declared field (ignored by the agreement)
        "email": email,
        "first_name": first,
        "last_name": last,
        "title": messy_case(rng, title),
        "company": company,
        "employees": json_number(rng, size),
        "industry": messy_case(rng, weighted(rng, B2B_INDUSTRIES)),
        "country": messy_case(rng, country),
        "form_type": form,
        "utm_source": rng.choice(["google", "linkedin", "newsletter", "direct", "g2", "partner"]),
    }

    age_days = rng.random() ** 1.5 * max_age
    last_activity = B2B_END - dt.timedelta(seconds=int(age_days * 86400) // 60 * 60)
    last_activity = max(last_activity, B2B_START)
    created = last_activity - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 12))
    lead["created_at"] = rfc3339(max(created, B2B_START - dt.timedelta(days=10)))

    if form == "demo":
        lead["demo_requested"] = json_bool(rng, True)
    elif rng.random() < 0.45:
        lead["demo_requested"] = json_bool(rng, archetype == "buyer" and rng.random() < 0.5)
    keen = {"buyer": 7, "evaluator": 5, "researcher": 3, "noise": 1.5}[archetype]
    lead["pages_viewed"] = json_number(rng, int(rng.expovariate(1 / keen)))
    if rng.random() < 0.6:
        pv = int(rng.expovariate(1 / {"buyer": 3, "evaluator": 1.5, "researcher": 0.6, "noise": 0.3}[archetype]))
        lead["pricing_page_views"] = json_number(rng, pv)
    if rng.random() < 0.55:
        picks = rng.sample(INTERESTS, rng.randint(0, 3))
        lead["interests"] = [messy_case(rng, p) for p in picks] + ([""] if rng.random() < 0.05 else [])
    if rng.random() < (0.75 if archetype in ("buyer", "evaluator") else 0.35):
        lead["current_tool"] = messy_case(rng, weighted(rng, TOOLS))
    if rng.random() < (0.45 if archetype == "buyer" else 0.1):
        budget = rng.choice([5000, 8000, 12000, 15000, 20000, 25000, 40000, 60000, 120000])
        lead["budget_usd"] = json_number(rng, budget)
    if rng.random() < (0.7 if archetype == "buyer" else 0.4):
        phone = f"+{rng.choice([1, 44, 49, 33, 31, 34, 91, 61, 65])} {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        lead["phone"] = phone if rng.random() < 0.9 else int("".join(ch for ch in phone if ch.isdigit()))
    if rng.random() < 0.7:
        lead["unsubscribed"] = json_bool(rng, rng.random() < (0.02 if archetype == "buyer" else 0.07))
    lead["last_activity"] = json_date(rng, last_activity)

    if form == "trial" or (form == "demo" and rng.random() < 0.2):
        started = last_activity - dt.timedelta(days=rng.randint(0, 14), hours=rng.randint(0, 23))
        started = max(started, B2B_START)
        engaged = rng.random() ** (0.6 if archetype in ("buyer", "evaluator") else 2.0)
        lead["trial_started"] = json_date(rng, started)
        lead["trial_active_days"] = json_number(rng, round(engaged * rng.randint(2, 14)))
        lead["seats_invited"] = json_number(rng, round(engaged * rng.randint(0, 6)))
        lead["data_sources"] = rng.sample(DATA_SOURCES, round(engaged * rng.randint(0, 4)))
    elif rng.random() < 0.3:
        # the trial columns exist in the CRM for everyone; for most leads they are blank
        lead["trial_started"] = blank(rng)
        lead["trial_active_days"] = blank(rng)
        lead["data_sources"] = rng.choice([[], None, ""])

    # Mess: some keys vanish, some values blank out.
    for key in ("title", "company", "industry", "country", "employees", "pages_viewed"):
        r = rng.random()
        if r < 0.07:
            lead.pop(key, None)
        elif r < 0.12:
            lead[key] = blank(rng)
    return lead


B2B_BAD = [
    ("employees", "fifty"),
    ("employees", "1,200"),
    ("pages_viewed", "lots"),
    ("budget_usd", "$25k"),
    ("demo_requested", "maybe"),
    ("unsubscribed", "unknown"),
    ("last_activity", "last Tuesday"),
    ("trial_started", "2026-13-45"),
    ("title", {"en": "Head of Data"}),
    ("interests", 7),
    ("email", None),  # the required field missing
]


def generate_b2b(rng: random.Random) -> str:
    out = io.StringIO()
    bad_at = set(rng.sample(range(N_B2B), N_B2B // 200))
    for i in range(N_B2B):
        lead = b2b_lead(rng, i)
        if i in bad_at:
            key, value = B2B_BAD[rng.randrange(len(B2B_BAD))]
            lead[key] = value
        out.write(json.dumps(lead, ensure_ascii=False, separators=(", ", ": ")))
        out.write("\n")
    return out.getvalue()


# --------------------------------------------------------------------------------------
# Events and webinars (CSV)
# --------------------------------------------------------------------------------------

def utc(y, m, d, h=0, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=dt.timezone.utc)


# (name, type, start instant, UTC offset of the venue)
EVENTS = [
    ("Webinar: Cutting Kubernetes costs", "webinar", utc(2026, 9, 10, 15), 0),
    ("KubeSummit Europe", "trade show", utc(2026, 9, 23, 8), 2),
    ("Webinar: Zero-downtime migrations", "webinar", utc(2026, 10, 8, 15), 0),
    ("HelioConf Berlin", "conference", utc(2026, 10, 14, 7), 2),
    ("DevOps Days Paris", "trade show", utc(2026, 10, 28, 8), 1),
    ("Webinar: Platform engineering 101", "webinar", utc(2026, 11, 5, 16), 0),
    ("Workshop: GitOps hands-on", "workshop", utc(2026, 11, 12, 9), 1),
    ("HelioConf Austin", "conference", utc(2026, 11, 18, 15), -6),
    ("Webinar: Security hardening", "webinar", utc(2026, 11, 19, 16), 0),
    ("Lab: Multi-cluster networking", "lab", utc(2026, 12, 1, 9), 0),
    ("Webinar: 2027 roadmap", "webinar", utc(2026, 12, 3, 16), 0),
]
EVENT_WEIGHTS = [9, 10, 9, 14, 8, 10, 5, 14, 9, 4, 8]
AS_OF = utc(2026, 11, 23)

EV_TITLES = [
    ("Head of Platform Engineering", 3), ("VP Engineering", 3), ("VP Infrastructure", 1),
    ("Director of Infrastructure", 3), ("Director, Cloud Operations", 2), ("CTO", 3), ("CIO", 1),
    ("Principal Engineer", 2), ("Head of SRE", 2), ("Engineering Manager", 5),
    ("Senior SRE", 5), ("Site Reliability Engineer", 5), ("DevOps Engineer", 9),
    ("Platform Engineer", 7), ("Cloud Architect", 5), ("Solutions Architect", 3),
    ("Kubernetes Administrator", 2), ("Software Engineer", 10), ("Backend Developer", 5),
    ("IT Manager", 3), ("System Administrator", 3), ("Product Manager", 2),
    ("Student", 3), ("PhD Candidate", 1), ("Recruiter", 1), ("Sales Manager", 1),
]
EV_COUNTRIES = [("United States", 24), ("USA", 3), ("Canada", 4), ("Brazil", 3), ("Mexico", 1),
                ("Germany", 14), ("Austria", 2), ("Switzerland", 2), ("France", 8),
                ("United Kingdom", 7), ("Netherlands", 4), ("Spain", 3), ("Italy", 2),
                ("Sweden", 2), ("Poland", 3), ("Ireland", 1), ("India", 6), ("Japan", 2),
                ("Australia", 2), ("Singapore", 1), ("Israel", 1), ("Nigeria", 1)]
AMER_NAMES = {"United States", "USA", "Canada", "Brazil", "Mexico"}
EMEA_NAMES = {"Germany", "Austria", "Switzerland", "France", "United Kingdom", "Netherlands",
              "Spain", "Italy", "Sweden", "Poland", "Ireland"}
EV_TLD = {"Germany": ".de", "Austria": ".at", "Switzerland": ".ch", "France": ".fr",
          "United Kingdom": ".co.uk", "Netherlands": ".nl", "Spain": ".es", "Italy": ".it",
          "Sweden": ".se", "Poland": ".pl", "Ireland": ".ie", "India": ".in", "Japan": ".jp",
          "Australia": ".com.au", "Brazil": ".com.br", "Canada": ".ca"}
EV_PERSONAL = ["gmail.com", "gmail.com", "yahoo.com", "hotmail.com", "outlook.com",
               "icloud.com", "gmx.de", "web.de"]
EV_COMPETITORS = ["rivalcloud.com", "nimbusops.io", "kubecorp.com"]
EV_ACADEMIC = ["tum.edu", "mit.edu", "ox.ac.uk", "stanford.edu"]
TOPICS = ["migration", "cost", "security", "multi-cluster", "gitops", "observability",
          "compliance", "ai workloads", "edge"]
TIMELINES = [("this quarter", 3), ("This Quarter", 1), ("next quarter", 4),
             ("within 3 months", 1), ("this year", 5), ("just researching", 7),
             ("Just researching", 2)]
OWNERS = ["", "k.berg", "m.silva", "j.park", "a.haddad"]

EV_COLUMNS = ["Badge ID", "First Name", "Last Name", "Email", "Job Title", "Company",
              "Employees", "Country", "Event", "Event Type", "Event Date", "Registered",
              "Attended", "Sessions Attended", "Minutes Watched", "Questions Asked",
              "Booth Scan", "Booth Demo", "Buying Timeline", "Topics", "Meeting Requested",
              "Marketing Consent", "Phone", "Lead Owner"]


def csv_bool(rng: random.Random, value: bool) -> str:
    pool_true = ["Yes", "Yes", "yes", "TRUE", "true", "1", "Y", " yes "]
    pool_false = ["No", "No", "no", "FALSE", "false", "0", "N", " no "]
    return rng.choice(pool_true if value else pool_false)


def csv_blank(rng: random.Random) -> str:
    return rng.choice(["", "", "", " ", "  "])


def csv_number(rng: random.Random, value) -> str:
    text = repr(value) if isinstance(value, float) else str(value)
    r = rng.random()
    if r < 0.08:
        return f" {text} "
    if r < 0.12 and isinstance(value, int):
        return f"{value}.0"
    return text


def csv_date(rng: random.Random, when: dt.datetime, offset: int) -> str:
    r = rng.random()
    if r < 0.55:
        return when.strftime("%Y-%m-%d")
    if r < 0.8:
        return rfc3339(when)
    return rfc3339(when, offset if offset else 1)


def event_lead(rng: random.Random, i: int) -> dict:
    name, etype, start, offset = rng.choices(EVENTS, weights=EVENT_WEIGHTS, k=1)[0]
    upcoming = start > AS_OF
    first = rng.choice(FIRST)
    last = rng.choice(LAST)
    country = weighted(rng, EV_COUNTRIES)
    # in-person events draw mostly from their own region
    if etype in ("conference", "trade show", "workshop") and rng.random() < 0.7:
        region = AMER_NAMES if offset < 0 else EMEA_NAMES
        country = weighted(rng, [p for p in EV_COUNTRIES if p[0] in region])
    base, company = make_company(rng)
    r = rng.random()
    if r < 0.15:
        domain = rng.choice(EV_PERSONAL)
    elif r < 0.17:
        domain = rng.choice(EV_ACADEMIC)
    elif r < 0.185:
        domain = rng.choice(EV_COMPETITORS)
    else:
        domain = slug(base) + EV_TLD.get(country, ".com")
    email = ascii_local(f"{first}.{last}").replace(" ", "") + "@" + domain
    in_person = etype in ("conference", "trade show")
    title = weighted(rng, [(t, w * (2.5 if in_person and any(k in t for k in ("VP", "Head", "Director", "CTO", "CIO", "Principal")) else 1))
                           for t, w in EV_TITLES])
    senior = any(w in title.lower() for w in ("vp", "head", "director", "cto", "cio", "principal"))

    row = {c: "" for c in EV_COLUMNS}
    row["Badge ID"] = f"HC-{24001 + i}"
    row["First Name"] = first
    row["Last Name"] = last
    row["Email"] = email if rng.random() > 0.04 else " " + email.upper() + " "
    row["Job Title"] = messy_case(rng, title) if rng.random() > 0.08 else csv_blank(rng)
    row["Company"] = company if rng.random() > 0.07 else csv_blank(rng)
    if rng.random() < 0.85:
        row["Employees"] = csv_number(rng, rng.choice([15, 40, 80, 150, 320, 750, 1200, 2500,
                                                       5000, 12000, 40000]))
    row["Country"] = messy_case(rng, country) if rng.random() > 0.06 else csv_blank(rng)
    row["Event"] = name if rng.random() > 0.05 else messy_case(rng, name)
    row["Event Type"] = messy_case(rng, etype)
    row["Event Date"] = csv_date(rng, start, offset) if rng.random() > 0.02 else ""
    row["Lead Owner"] = rng.choice(OWNERS)

    if etype == "webinar":
        row["Registered"] = csv_bool(rng, True)
        if not upcoming:
            attended = rng.random() < 0.55
            row["Attended"] = csv_bool(rng, attended)
            if attended:
                row["Minutes Watched"] = csv_number(rng, rng.choice([5, 12, 20, 31, 45, 54, 60, 72])
                                                    if rng.random() < 0.9 else round(rng.uniform(3, 75), 1))
                if rng.random() < 0.3:
                    row["Questions Asked"] = csv_number(rng, rng.randint(1, 4))
                if rng.random() < 0.55:
                    row["Buying Timeline"] = messy_case(rng, weighted(rng, TIMELINES))
    elif etype in ("conference", "workshop", "lab"):
        row["Registered"] = csv_bool(rng, True) if rng.random() < 0.95 else csv_blank(rng)
        if not upcoming:
            attended = rng.random() < 0.78
            row["Attended"] = csv_bool(rng, attended) if rng.random() < 0.93 else csv_blank(rng)
            if attended:
                if etype == "conference":
                    row["Sessions Attended"] = csv_number(rng, rng.randint(0, 6))
                    scan = rng.random() < 0.45
                    row["Booth Scan"] = csv_bool(rng, scan)
                    if scan:
                        row["Booth Demo"] = csv_bool(rng, rng.random() < (0.5 if senior else 0.3))
                else:
                    row["Sessions Attended"] = csv_number(rng, 1)
                if rng.random() < 0.35:
                    row["Questions Asked"] = csv_number(rng, rng.randint(0, 3))
                if rng.random() < 0.4:
                    row["Buying Timeline"] = messy_case(rng, weighted(rng, TIMELINES))
    else:  # trade show: booth scans of people who never registered with us
        if rng.random() < 0.2:
            row["Registered"] = csv_bool(rng, False)
        row["Booth Scan"] = csv_bool(rng, True)
        row["Booth Demo"] = csv_bool(rng, rng.random() < 0.3) if rng.random() < 0.8 else ""
        if rng.random() < 0.3:
            row["Buying Timeline"] = messy_case(rng, weighted(rng, TIMELINES))

    if not upcoming and rng.random() < 0.6:
        picks = rng.sample(TOPICS, rng.randint(1, 3))
        sep = rng.choice([";", "; ", " ; "])
        topics = sep.join(messy_case(rng, p) for p in picks)
        if rng.random() < 0.05:
            topics += ";"  # trailing separator: the empty part is dropped
        row["Topics"] = topics
    if not upcoming and rng.random() < 0.12 + (0.15 if senior else 0):
        row["Meeting Requested"] = csv_bool(rng, True)
    elif rng.random() < 0.3:
        row["Meeting Requested"] = csv_bool(rng, False)
    r = rng.random()
    if r < 0.86:
        row["Marketing Consent"] = csv_bool(rng, True)
    elif r < 0.93:
        row["Marketing Consent"] = csv_bool(rng, False)
    if rng.random() < 0.5:
        row["Phone"] = f"+{rng.choice([1, 49, 33, 44, 31, 91, 55])} {rng.randint(20, 999)} {rng.randint(100000, 9999999)}"
    return row


EV_BAD = [
    ("Employees", "fifty"),
    ("Employees", "1,200"),
    ("Minutes Watched", "45 min"),
    ("Sessions Attended", "two"),
    ("Attended", "maybe"),
    ("Marketing Consent", "opt-in"),
    ("Event Date", "Nov 18th"),
    ("Event Date", "2026-11-31"),
    ("Email", ""),  # the required field missing
]


def generate_events(rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EV_COLUMNS)
    bad_at = set(rng.sample(range(N_EVENTS), N_EVENTS // 200))
    for i in range(N_EVENTS):
        row = event_lead(rng, i)
        if i in bad_at:
            key, value = EV_BAD[rng.randrange(len(EV_BAD))]
            row[key] = value
        writer.writerow([row[c] for c in EV_COLUMNS])
    return out.getvalue()


# --------------------------------------------------------------- education
# A synthetic export in the shape of the real X Education file (same column
# names, the same vocabulary of placeholders such as "Select", blank numbers,
# Yes/No flags), so the education agreement has sample leads of its own.

ED_COLUMNS = [
    "Prospect ID", "Lead Number", "Lead Origin", "Lead Source", "Do Not Email", "Do Not Call",
    "Converted", "TotalVisits", "Total Time Spent on Website", "Page Views Per Visit",
    "Last Activity", "Country", "Specialization", "What is your current occupation", "Tags",
    "Lead Quality", "Lead Profile", "City", "Asymmetrique Activity Index",
    "Asymmetrique Profile Score", "A free copy of Mastering The Interview", "",
]
ED_VOCAB = {
    "Lead Origin": [("Landing Page Submission", 50), ("API", 38), ("Lead Add Form", 8), ("Lead Import", 1), ("Quick Add Form", 1)],
    "Lead Source": [("Google", 31), ("Direct Traffic", 27), ("Olark Chat", 19), ("Organic Search", 12), ("Reference", 6), ("Welingak Website", 2), ("Referral Sites", 1), ("Facebook", 1), ("", 1), ("google", 1)],
    "Last Activity": [("Email Opened", 37), ("SMS Sent", 30), ("Olark Chat Conversation", 10), ("Page Visited on Website", 7), ("Converted to Lead", 5), ("Email Bounced", 3), ("Email Link Clicked", 3), ("Form Submitted on Website", 1), ("", 1), ("Unreachable", 1), ("Had a Phone Conversation", 1)],
    "Country": [("India", 70), ("", 26), ("United States", 1), ("United Arab Emirates", 1), ("Singapore", 1), ("unknown", 1)],
    "Specialization": [("Select", 21), ("", 16), ("Finance Management", 11), ("Human Resource Management", 9), ("Marketing Management", 9), ("Operations Management", 5), ("Business Administration", 4), ("IT Projects Management", 4), ("Supply Chain Management", 4), ("Media and Advertising", 2)],
    "What is your current occupation": [("Unemployed", 61), ("", 29), ("Working Professional", 8), ("Student", 2), ("Other", 1), ("Businessman", 1)],
    "Tags": [("", 36), ("Will revert after reading the email", 22), ("Ringing", 13), ("Interested in other courses", 6), ("Already a student", 5), ("Closed by Horizzon", 4), ("switched off", 3), ("Busy", 2), ("Lost to EINS", 2), ("Not doing further education", 2), ("Interested  in full time MBA", 1), ("invalid number", 1)],
    "Lead Quality": [("", 52), ("Might be", 17), ("Not Sure", 12), ("High in Relevance", 7), ("Worst", 6), ("Low in Relevance", 6)],
    "Lead Profile": [("Select", 45), ("", 29), ("Potential Lead", 17), ("Other Leads", 5), ("Student of SomeSchool", 3), ("Lateral Student", 1)],
    "City": [("Mumbai", 35), ("Select", 24), ("", 15), ("Thane & Outskirts", 8), ("Other Cities", 7), ("Other Cities of Maharashtra", 5), ("Other Metro Cities", 4), ("Tier II Cities", 1)],
    "Asymmetrique Activity Index": [("", 46), ("02.Medium", 42), ("01.High", 9), ("03.Low", 3)],
}
# Values a broken form or an import would produce: each is a lead error.
ED_BAD = [("TotalVisits", "many"), ("Page Views Per Visit", "2,5"), ("Do Not Email", "Maybe"),
          ("Total Time Spent on Website", "12 min"), ("Asymmetrique Profile Score", "high")]


def education_lead(rng: random.Random, i: int) -> dict:
    row = {c: weighted(rng, ED_VOCAB[c]) for c in ED_VOCAB}
    row["Prospect ID"] = "%08x-%04x-4%03x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(16), rng.getrandbits(48))
    row["Lead Number"] = str(600000 + i * 7 + rng.randrange(7))
    row["Do Not Email"] = "Yes" if rng.random() < 0.08 else "No"
    row["Do Not Call"] = "Yes" if rng.random() < 0.002 else "No"
    visits = 0 if rng.random() < 0.24 else min(int(rng.expovariate(1 / 3.5)) + 1, 40)
    engaged = rng.random()
    seconds = 0 if visits == 0 else int(rng.expovariate(1 / 500) * (0.5 + engaged))
    pages = 0 if visits == 0 else round(min(rng.uniform(1, 6), visits * 2.0), 2)
    row["TotalVisits"] = "" if rng.random() < 0.015 else str(visits)
    row["Total Time Spent on Website"] = str(seconds)
    row["Page Views Per Visit"] = "" if row["TotalVisits"] == "" else (str(pages).rstrip("0").rstrip(".") if pages else "0")
    profile = "" if row["Asymmetrique Activity Index"] == "" else str(rng.randint(11, 20))
    row["Asymmetrique Profile Score"] = profile
    row["A free copy of Mastering The Interview"] = "Yes" if rng.random() < 0.31 else "No"
    converted = engaged > 0.55 and row["Tags"] in ("Will revert after reading the email", "Closed by Horizzon", "", "Busy")
    row["Converted"] = "1" if converted or rng.random() < 0.1 else "0"
    row[""] = ""
    if rng.random() < 0.005:
        key, value = ED_BAD[rng.randrange(len(ED_BAD))]
        row[key] = value
    return row


def generate_education(rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ED_COLUMNS)
    for i in range(1000):
        row = education_lead(rng, i)
        writer.writerow([row[c] for c in ED_COLUMNS])
    return out.getvalue()


def main() -> None:
    b2b = generate_b2b(random.Random(SEED))
    events = generate_events(random.Random(SEED + 1))
    education = generate_education(random.Random(SEED + 2))
    for name, text in (
        ("b2b-saas-inbound.leads.jsonl", b2b),
        ("events-webinars.leads.csv", events),
        ("education-admissions.leads.csv", education),
    ):
        path = HERE / name
        path.write_bytes(text.encode("utf-8"))
        print(f"wrote {path.name}: {text.count(chr(10)) - (1 if name.endswith('.csv') else 0)} leads")


if __name__ == "__main__":
    main()
