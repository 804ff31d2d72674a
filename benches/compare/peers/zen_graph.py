"""benches/compare/agreement.lead as a GoRules JDM decision graph for
zen-engine, written the way a zen user would: an expression node computes
the three scores (points as ternaries, clamped), a first-hit decision table
gives the stage grade, and a first-hit decision table routes.

Two variants of the score node:
- "regex": the agreement's two regex rules with zen's matches(), as a user
  porting the agreement writes them (matches() compiles its regex on every
  call);
- "no-regex": the same two rules rewritten without it (lower() with `in`,
  contains()).
The graph JSON is written to .work/ by run.py for inspection."""

import json


def _expressions(regex):
    if regex:
        search = 'lead_source != null and matches(lead_source, "(?i)^(google|bing|organic search)$")'
        enrol = ('counselor_tag != null and matches(counselor_tag, '
                 '"(?i)will revert|next batch|want to take admission|next coming month")')
    else:
        search = 'lead_source != null and lower(lead_source) in ["google", "bing", "organic search"]'
        enrol = ('counselor_tag != null and (contains(lower(counselor_tag), "will revert") '
                 'or contains(lower(counselor_tag), "next batch") '
                 'or contains(lower(counselor_tag), "want to take admission") '
                 'or contains(lower(counselor_tag), "next coming month"))')
    exprs = [
        ("profileRaw",
         '(occupation == "Working Professional" ? 30 : 0)'
         ' + (occupation == "Businessman" ? 15 : 0)'
         ' - (occupation == "Student" ? 10 : 0)'
         ' + (city in ["Mumbai", "Thane & Outskirts", "Other Metro Cities"] ? 5 : 0)'
         ' + (lead_quality == "High in Relevance" ? 20 : 0)'),
        ("profileExtra",
         '(occupation == null ? 45 : 0) + (city == null ? 5 : 0) + (lead_quality == null ? 20 : 0)'),
        ("profile", 'max([0, min([100, $.profileRaw])])'),
        ("potentialProfile", 'max([0, min([100, $.profileRaw + $.profileExtra])])'),
        ("engagement",
         'max([0, min([80,'
         ' (seconds_on_site != null and seconds_on_site > 0 ? min([seconds_on_site / 60, 30]) : 0)'
         ' + (visits != null and visits >= 2 ? min([2 * visits, 10]) : 0)'
         ' + (last_activity in ["Had a Phone Conversation", "Approached upfront"] ? 20 : 0)'
         ' - (last_activity in ["Email Bounced", "Unsubscribed", "Unreachable"] ? 15 : 0)'
         '])])'),
        ("intent",
         'max([0, min([100,'
         ' (origin != null and endsWith(origin, "Add Form") ? 25 : 0)'
         f' + ({search} ? 5 : 0)'
         f' + ({enrol} ? 40 : 0)'
         ' - (counselor_tag in ["Interested in other courses", "Not doing further education",'
         ' "Already a student", "Lost to EINS", "Lost to Others", "Diploma holder (Not Eligible)"] ? 30 : 0)'
         '])])'),
    ]
    return [{"id": f"e{i}", "key": k, "value": v} for i, (k, v) in enumerate(exprs)]


def _table(name, inputs, outputs, rows):
    """rows: list of (dict input id -> cell, dict output id -> value)."""
    rules = []
    for i, (cells, outs) in enumerate(rows):
        rule = {"_id": f"{name}-{i}"}
        for inp in inputs:
            rule[inp] = cells.get(inp, "")
        rule.update(outs)
        rules.append(rule)
    return {
        "hitPolicy": "first",
        "inputs": [{"id": i, "name": i, "field": f} for i, f in inputs.items()],
        "outputs": [{"id": o, "name": o, "field": f} for o, f in outputs.items()],
        "rules": rules,
        "passThrough": True,
        "inputField": None,
        "outputPath": None,
        "executionMode": "single",
    }


def graph(regex=True):
    stage = _table(
        "stage",
        {"sIntent": "intent", "sProfile": "profile", "sEngagement": "engagement"},
        {"sOut": "stage"},
        [({"sIntent": ">= 40"}, {"sOut": '"ready"'}),
         ({"sProfile": ">= 30", "sEngagement": ">= 30"}, {"sOut": '"ready"'}),
         ({"sProfile": ">= 25"}, {"sOut": '"promising"'}),
         ({"sEngagement": ">= 25"}, {"sOut": '"promising"'}),
         ({"sIntent": ">= 25"}, {"sOut": '"promising"'}),
         ({}, {"sOut": '"early"'})])
    route = _table(
        "route",
        {"dnc": "do_not_call", "dne": "do_not_email", "st": "stage", "it": "intent",
         "en": "engagement", "oc": "occupation", "po": "potentialProfile", "eb": "free_ebook"},
        {"rRoute": "route", "rQueue": "queue", "rIndex": "routeIndex"},
        [({"dnc": "true", "dne": "true"}, {"rRoute": '"nurture"', "rQueue": '"suppressed"', "rIndex": "0"}),
         ({"st": '"ready"', "dnc": "false"}, {"rRoute": '"sales"', "rQueue": '"enrolment"', "rIndex": "1"}),
         ({"it": ">= 25", "en": ">= 10", "dnc": "false"},
          {"rRoute": '"sales"', "rQueue": '"partners"', "rIndex": "2"}),
         ({"en": ">= 30", "oc": "$ == null", "po": ">= 50", "dnc": "false"},
          {"rRoute": '"telemarketing"', "rQueue": '"qualify"', "rIndex": "3"}),
         ({"eb": "true", "dne": "false"}, {"rRoute": '"nurture"', "rQueue": '"ebook-drip"', "rIndex": "4"}),
         ({}, {"rRoute": '"nurture"', "rQueue": "null", "rIndex": "5"})])
    node = lambda i, t, content: {"id": i, "type": t, "name": i, "content": content}  # noqa: E731
    return {
        "nodes": [
            node("request", "inputNode", {}),
            node("scores", "expressionNode", {"expressions": _expressions(regex), "passThrough": True,
                                              "inputField": None, "outputPath": None,
                                              "executionMode": "single"}),
            node("stage", "decisionTableNode", stage),
            node("route", "decisionTableNode", route),
            node("response", "outputNode", {}),
        ],
        "edges": [
            {"id": f"edge{i}", "sourceId": a, "targetId": b, "type": "edge"}
            for i, (a, b) in enumerate([("request", "scores"), ("scores", "stage"),
                                        ("stage", "route"), ("route", "response")])
        ],
    }


def row(result):
    r = result["result"]
    return (int(r["routeIndex"]), float(r["profile"]), float(r["engagement"]), float(r["intent"]))


class Zen:
    """One graph variant, evaluated per call or with evaluate_batch."""

    def __init__(self, regex):
        import zen
        self.key = "lead.json"
        self.graph = graph(regex)
        content = json.dumps(self.graph)
        self.engine = zen.ZenEngine({"loader": {"type": "static", "content": {self.key: self.graph}}})
        self.decision = self.engine.create_decision(content)

    def per_call(self, leads):
        ev = self.decision.evaluate
        return [row(ev(lead)) for lead in leads]

    def batch(self, leads):
        key = self.key
        out = self.engine.evaluate_batch([{"key": key, "context": lead} for lead in leads])
        return [row(r["data"]) if r.get("success") else (-1, 0.0, 0.0, 0.0) for r in out]
