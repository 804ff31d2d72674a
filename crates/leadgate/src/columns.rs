//! The flat decision columns — one definition of their names, order and
//! types, used wherever decisions become table columns: the CLI's CSV,
//! Arrow, pandas, polars and Spark.

use crate::{Agreement, Decision};

/// The type of a decision column's values (any value may be null).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// A text (`route`, `queue`, `route_rule`, grades, `error`).
    Text,
    /// A whole number (`follow_up_within_s`).
    Integer,
    /// A 64-bit float (`total`, scores).
    Number,
    /// A list of texts (`fired`: the names of the rules that fired).
    TextList,
}

/// One flat decision column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecisionColumn {
    /// Its name, the prefix included.
    pub name: String,
    /// Its values' type.
    pub column_type: ColumnType,
}

/// A decision's value in one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// No value: a rejected lead's decision columns, a route without a
    /// queue, a score-less `error`.
    Null,
    /// A text.
    Text(&'a str),
    /// An owned text (the `error` column: field and message).
    OwnedText(String),
    /// A whole number.
    Integer(i64),
    /// A number.
    Number(f64),
    /// A list of texts.
    TextList(Vec<&'a str>),
}

impl Cell<'_> {
    /// The cell as CSV writes it: empty for null, numbers in the canonical
    /// form, a list as a JSON array (`["Mid-market", "Has budget"]`), so
    /// names holding `; ` or `,` read back exactly.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => (*s).to_string(),
            Cell::OwnedText(s) => s.clone(),
            Cell::Integer(i) => i.to_string(),
            Cell::Number(x) => crate::format_number(*x),
            Cell::TextList(items) => crate::to_canonical_json(items).unwrap_or_default(),
        }
    }
}

/// A column name used twice (a score or grade named like a decision column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the decision column `{0}` would appear twice: a score or grade has the name of one of the decision columns (route, queue, route_rule, follow_up_within_s, total, fired, error); rename it in the agreement")]
pub struct DuplicateColumn(pub String);

/// The flat decision columns of an agreement, in order: `route`, `queue`,
/// `route_rule`, `follow_up_within_s`, `total`, one per score, one per
/// grade, `fired`, `error` — each name after an optional prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionColumns {
    columns: Vec<DecisionColumn>,
    roster: bool,
}

impl DecisionColumns {
    pub(crate) fn new(agreement: &Agreement, prefix: &str) -> Result<Self, DuplicateColumn> {
        Self::build(agreement, prefix, false)
    }

    /// With a roster: `assignee`, `unassigned` and `follow_up_by` after
    /// `follow_up_within_s`.
    pub(crate) fn with_roster(
        agreement: &Agreement,
        prefix: &str,
    ) -> Result<Self, DuplicateColumn> {
        Self::build(agreement, prefix, true)
    }

    fn build(agreement: &Agreement, prefix: &str, roster: bool) -> Result<Self, DuplicateColumn> {
        let col = |name: &str, column_type| DecisionColumn {
            name: format!("{prefix}{name}"),
            column_type,
        };
        let mut columns = vec![
            col("route", ColumnType::Text),
            col("queue", ColumnType::Text),
            col("route_rule", ColumnType::Text),
            col("follow_up_within_s", ColumnType::Integer),
        ];
        if roster {
            columns.push(col("assignee", ColumnType::Text));
            columns.push(col("unassigned", ColumnType::Text));
            columns.push(col("follow_up_by", ColumnType::Text));
        }
        columns.push(col("total", ColumnType::Number));
        columns.extend(
            agreement
                .scores()
                .iter()
                .map(|s| col(s.name(), ColumnType::Number)),
        );
        columns.extend(
            agreement
                .grades()
                .iter()
                .map(|g| col(g.name(), ColumnType::Text)),
        );
        columns.push(col("fired", ColumnType::TextList));
        columns.push(col("error", ColumnType::Text));
        let mut seen = std::collections::HashSet::new();
        if let Some(c) = columns.iter().find(|c| !seen.insert(c.name.as_str())) {
            return Err(DuplicateColumn(c.name.clone()));
        }
        Ok(DecisionColumns { columns, roster })
    }

    /// Whether the columns have a roster's (`assignee`, …).
    #[cfg(feature = "arrow")]
    pub(crate) fn has_roster(&self) -> bool {
        self.roster
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[DecisionColumn] {
        &self.columns
    }

    /// The columns' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// A decision's cells, one per column, in order, appended to `out`.
    pub fn cells<'d>(&self, d: &'d Decision, out: &mut Vec<Cell<'d>>) {
        if let Some(e) = d.error() {
            out.extend(std::iter::repeat_n(Cell::Null, self.columns.len() - 1));
            out.push(Cell::OwnedText(e.to_string()));
            return;
        }
        let text = |s: Option<&'d str>| s.map_or(Cell::Null, Cell::Text);
        out.push(text(d.route().map(|r| r.as_str())));
        out.push(text(d.queue()));
        out.push(text(d.rule()));
        out.push(d.follow_up_within_s().map_or(Cell::Null, Cell::Integer));
        if self.roster {
            out.push(text(d.assignee()));
            out.push(text(d.unassigned().map(|u| u.as_str())));
            out.push(d.follow_up_by().map_or(Cell::Null, Cell::OwnedText));
        }
        out.push(d.total().map_or(Cell::Null, Cell::Number));
        out.extend(d.scores().map(|(_, x)| Cell::Number(x)));
        out.extend(d.grades().map(|(_, l)| Cell::Text(l)));
        out.push(Cell::TextList(d.fired().map(|f| f.rule).collect()));
        out.push(Cell::Null);
    }
}

impl Agreement {
    /// The flat decision columns of this agreement's decisions, each name
    /// after `prefix` (`""` for none).
    pub fn decision_columns(&self, prefix: &str) -> Result<DecisionColumns, DuplicateColumn> {
        DecisionColumns::new(self, prefix)
    }
}
