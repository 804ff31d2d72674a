"""`Report.to_pandas`: the report's JSON lists as DataFrames, one row per
list item, nested objects flattened to dotted columns (`outcome.rate`)."""

from __future__ import annotations

from typing import Any, Dict, Mapping

# Table name -> where its rows are in the report JSON.
TABLES = ["routes", "queues", "route_rules", "scores", "rules", "data_gaps", "rejections", "groups"]


def report_tables(report: Mapping[str, Any]) -> Dict[str, Any]:
    from ._errors import require

    pd = require("pandas", "pandas")

    def table(rows: Any, **kwargs: Any) -> Any:
        return pd.json_normalize(rows or [], **kwargs)

    out = {name: table(report[name]) for name in TABLES}
    out["grades"] = table(report["grades"], record_path="labels", meta=["grade"])
    backtest = report.get("backtest") or {}
    out["calibration"] = table(backtest.get("calibration"), record_path="deciles", meta=["score", "exact"])
    return out
