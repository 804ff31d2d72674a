"""benches/compare/agreement.lead as a plain per-lead Python function: what a
competent developer writes by hand. Missing values are None; a rule on a
missing field does not fire, and potential(profile) adds the positive rules
whose field is missing (the agreement's three-valued logic, written out).

Texts are compared as the export spells them, except where the export mixes
case (Lead Source: "Google" / "google"), where the agreement's case-insensitive
comparison is reproduced with .lower(). That favours this peer (leadgate
lower-cases every text); the verification step proves it changes no result on
these leads."""

METRO = frozenset(["Mumbai", "Thane & Outskirts", "Other Metro Cities"])
SPOKE = frozenset(["Had a Phone Conversation", "Approached upfront"])
DEAD = frozenset(["Email Bounced", "Unsubscribed", "Unreachable"])
SEARCH = frozenset(["google", "bing", "organic search"])
NOT_INTERESTED = frozenset(["Interested in other courses", "Not doing further education",
                            "Already a student", "Lost to EINS", "Lost to Others",
                            "Diploma holder (Not Eligible)"])
ENROL = ("will revert", "next batch", "want to take admission", "next coming month")


def score(lead):
    """One lead → (route index, profile, engagement, intent)."""
    occ = lead["occupation"]
    city = lead["city"]
    quality = lead["lead_quality"]

    profile = 0.0
    extra = 0.0
    if occ is None:
        extra += 45.0
    elif occ == "Working Professional":
        profile += 30.0
    elif occ == "Businessman":
        profile += 15.0
    elif occ == "Student":
        profile -= 10.0
    if city is None:
        extra += 5.0
    elif city in METRO:
        profile += 5.0
    if quality is None:
        extra += 20.0
    elif quality == "High in Relevance":
        profile += 20.0
    potential = min(max(profile + extra, 0.0), 100.0)
    profile = min(max(profile, 0.0), 100.0)

    engagement = 0.0
    s = lead["seconds_on_site"]
    if s is not None and s > 0:
        engagement += min(s / 60, 30.0)
    v = lead["visits"]
    if v is not None and v >= 2:
        engagement += min(2 * v, 10.0)
    act = lead["last_activity"]
    if act in SPOKE:
        engagement += 20.0
    elif act in DEAD:
        engagement -= 15.0
    engagement = min(max(engagement, 0.0), 80.0)

    intent = 0.0
    origin = lead["origin"]
    if origin is not None and origin.endswith("Add Form"):
        intent += 25.0
    src = lead["lead_source"]
    if src is not None and src.lower() in SEARCH:
        intent += 5.0
    tag = lead["counselor_tag"]
    if tag is not None:
        low = tag.lower()
        if any(p in low for p in ENROL):
            intent += 40.0
        if tag in NOT_INTERESTED:
            intent -= 30.0
    intent = min(max(intent, 0.0), 100.0)

    if intent >= 40 or (profile >= 30 and engagement >= 30):
        stage = "ready"
    elif profile >= 25 or engagement >= 25 or intent >= 25:
        stage = "promising"
    else:
        stage = "early"

    dnc = lead["do_not_call"]
    dne = lead["do_not_email"]
    if dnc is True and dne is True:
        route = 0
    elif stage == "ready" and dnc is False:
        route = 1
    elif intent >= 25 and engagement >= 10 and dnc is False:
        route = 2
    elif engagement >= 30 and occ is None and potential >= 50 and dnc is False:
        route = 3
    elif lead["free_ebook"] is True and dne is False:
        route = 4
    else:
        route = 5
    return (route, profile, engagement, intent)


def score_all(leads):
    return [score(lead) for lead in leads]
