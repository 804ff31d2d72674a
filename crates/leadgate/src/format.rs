//! Canonical formatting of agreement text (`leadgate fmt`).
//!
//! The formatter works on the pest parse tree and keeps every token as
//! written (numbers, strings, regexes, dates): only whitespace and line
//! breaks change, so the formatted agreement means exactly what the original
//! meant. Layout:
//! - one item per line, two-space indentation, one blank line between
//!   top-level items (consecutive `list` lines may stay together); single
//!   blank lines inside blocks are kept;
//! - the columns of field declarations, score rules, grade lines, route rules
//!   and adjacent `list` lines are aligned within their block;
//! - a `when` condition longer than the line breaks before a top-level
//!   `and` / `or`, continuing under the condition;
//! - comments are kept: a comment on its own line stays before the item that
//!   follows it, a comment at the end of a line stays at the end of that
//!   item's line; a comment written inside a multi-line item moves to just
//!   before it.
//!
//! [`format`] checks its own output: the formatted text must parse to the
//! same tree (token for token) and keep every comment, or it is not returned.

use pest::iterators::Pair;
use pest::Parser as _;

use crate::syntax::{Grammar, Rule};
use crate::CompileError;

/// Lines are broken (at `and` / `or` in conditions, between list items)
/// beyond this many characters.
pub const WIDTH: usize = 100;

/// Why an agreement could not be formatted.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FormatError {
    /// The text is not syntactically an agreement; the diagnostics say why.
    #[error("the agreement does not parse")]
    Syntax(CompileError),
    /// The formatter's self-check failed (a bug): the text is left as it is.
    #[error("internal formatter error: {0}")]
    Internal(String),
}

/// Formats an agreement canonically. Agreements with name or type errors
/// are formatted too; only syntax errors prevent it.
pub fn format(source: &str) -> Result<String, FormatError> {
    crate::syntax::parse(source).map_err(FormatError::Syntax)?;
    let file = parse_tree(source)?;
    let mut f = Fmt {
        src: source,
        units: Vec::new(),
        caps: Vec::new(),
    };
    f.file(file)?;
    let out = f.render(&comments(source));
    verify(source, &out)?;
    Ok(out)
}

/// Whether `source` is already canonically formatted.
pub fn is_formatted(source: &str) -> Result<bool, FormatError> {
    Ok(format(source)? == source)
}

fn parse_tree(source: &str) -> Result<Pair<'_, Rule>, FormatError> {
    Grammar::parse(Rule::file, source)
        .map_err(|e| FormatError::Internal(format!("parse: {e}")))?
        .next()
        .ok_or_else(|| FormatError::Internal("empty parse".into()))
}

#[derive(Debug, Clone)]
struct Comment {
    start: usize,
    end: usize,
    text: String,
}

/// Comments: a `#` outside strings and regexes runs to the end of its line
/// (the one tokenizer of the text, as the limits and explanations read it).
fn comments(src: &str) -> Vec<Comment> {
    crate::syntax::tokens(src)
        .filter(|t| t.kind == crate::syntax::TokenKind::Comment)
        .map(|t| Comment {
            start: t.start,
            end: t.end,
            text: src[t.start..t.end].trim_end().to_string(),
        })
        .collect()
}

/// A line of an aligned table: padded cells, then an optional condition
/// that may flow over several lines, then optional extra lines.
#[derive(Debug)]
struct Row {
    table: usize,
    cells: Vec<String>,
    /// `("when ", pieces)`: pieces join with spaces, breaking between them.
    flow: Option<(String, Vec<String>)>,
    rest: Vec<String>,
}

#[derive(Debug)]
enum Body {
    Row(Row),
    Lines(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    /// A top-level item; `true` for a `list` definition.
    Top(bool),
    /// The first line inside a block.
    First,
    /// The closing brace of a block.
    Closer,
    Inner,
}

#[derive(Debug)]
struct Unit {
    start: usize,
    end: usize,
    indent: usize,
    body: Body,
    place: Place,
}

struct Fmt<'s> {
    src: &'s str,
    units: Vec<Unit>,
    /// Per table: the widest a cell may be and still set its column's width.
    caps: Vec<Vec<usize>>,
}

fn internal(what: &str) -> FormatError {
    FormatError::Internal(format!("unexpected parse tree at {what}"))
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl<'s> Fmt<'s> {
    fn table(&mut self, caps: &[usize]) -> usize {
        self.caps.push(caps.to_vec());
        self.caps.len() - 1
    }

    /// Where a pair's text really ends: pest spans may include the
    /// whitespace and comments after the last token.
    fn tight_end(&self, p: &Pair<'s, Rule>) -> usize {
        let span = p.as_span();
        let last_leaf = p
            .clone()
            .into_inner()
            .flatten()
            .filter(|l| l.clone().into_inner().next().is_none())
            .map(|l| l.as_span().end())
            .max()
            .unwrap_or(span.start());
        let bytes = self.src.as_bytes();
        let mut end = last_leaf.max(span.start());
        let mut i = end;
        while i < span.end() {
            match bytes[i] {
                b'#' => i = self.src[i..].find('\n').map_or(span.end(), |n| i + n),
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                _ => {
                    i += 1;
                    end = i;
                }
            }
        }
        end
    }

    #[allow(clippy::too_many_arguments)]
    fn push_row(
        &mut self,
        start: usize,
        end: usize,
        table: usize,
        cells: Vec<String>,
        flow: Option<(String, Vec<String>)>,
        place: Place,
    ) {
        let row = Row {
            table,
            cells,
            flow,
            rest: Vec::new(),
        };
        self.push(start, end, 2, Body::Row(row), place);
    }

    fn push(&mut self, start: usize, end: usize, indent: usize, body: Body, place: Place) {
        self.units.push(Unit {
            start,
            end,
            indent,
            body,
            place,
        });
    }

    /// The position just after the `{` that opens a block, searched from `from`
    /// (skipping comments).
    fn brace_after(&self, from: usize) -> Result<usize, FormatError> {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'{' => return Ok(i + 1),
                b'#' => {
                    i = self.src[i..].find('\n').map_or(bytes.len(), |n| i + n);
                }
                _ => i += 1,
            }
        }
        Err(internal("block"))
    }

    fn open_block(
        &mut self,
        block: &Pair<'s, Rule>,
        head_end: usize,
        head: String,
    ) -> Result<(), FormatError> {
        let start = block.as_span().start();
        let end = self.brace_after(head_end)?;
        self.push(
            start,
            end,
            0,
            Body::Lines(vec![format!("{head} {{")]),
            Place::Top(false),
        );
        Ok(())
    }

    /// Opens `KW NAME {` and returns the block's remaining parts.
    fn named_block(
        &mut self,
        block: &Pair<'s, Rule>,
        kw: &str,
    ) -> Result<pest::iterators::Pairs<'s, Rule>, FormatError> {
        let mut parts = block.clone().into_inner();
        parts.next().ok_or_else(|| internal(kw))?;
        let name = parts.next().ok_or_else(|| internal(kw))?;
        self.open_block(
            block,
            name.as_span().end(),
            format!("{kw} {}", name.as_str()),
        )?;
        Ok(parts)
    }

    fn close_block(&mut self, block: &Pair<'s, Rule>) {
        let end = block.as_span().end();
        self.push(
            end - 1,
            end,
            0,
            Body::Lines(vec!["}".into()]),
            Place::Closer,
        );
    }

    fn inner(&mut self, first: &mut bool) -> Place {
        if std::mem::take(first) {
            Place::First
        } else {
            Place::Inner
        }
    }

    fn file(&mut self, file: Pair<'s, Rule>) -> Result<(), FormatError> {
        let mut list_table: Option<usize> = None;
        for item in file.into_inner() {
            let rule = item.as_rule();
            if rule != Rule::list_def {
                list_table = None;
            }
            match rule {
                Rule::header => {
                    let span = item.as_span();
                    let end = self.tight_end(&item);
                    let mut text = String::new();
                    for c in item.into_inner() {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(c.as_str());
                    }
                    self.push(
                        span.start(),
                        end,
                        0,
                        Body::Lines(vec![text]),
                        Place::Top(false),
                    );
                }
                Rule::fields_block => self.fields(item)?,
                Rule::list_def => {
                    let adjacent = match (list_table, self.units.last()) {
                        (Some(t), Some(prev))
                            if !self.blank_between(prev.end, item.as_span().start()) =>
                        {
                            Some(t)
                        }
                        _ => None,
                    };
                    let table = match adjacent {
                        Some(t) => t,
                        None => self.table(&[32]),
                    };
                    list_table = Some(table);
                    self.list_def(item, table)?;
                }
                Rule::score_block => self.score(item)?,
                Rule::grade_block => self.grade(item)?,
                Rule::route_block => self.route(item)?,
                Rule::example_block => self.example(item)?,
                Rule::EOI => {}
                _ => return Err(internal("file")),
            }
        }
        Ok(())
    }

    fn fields(&mut self, block: Pair<'s, Rule>) -> Result<(), FormatError> {
        let mut parts = block.clone().into_inner();
        let kw = parts.next().ok_or_else(|| internal("fields"))?;
        self.open_block(&block, kw.as_span().end(), "fields".into())?;
        let table = self.table(&[24, 10, 12]);
        let mut first = true;
        for decl in parts {
            let span = decl.as_span();
            let end = self.tight_end(&decl);
            let mut cells = vec![String::new(), String::new(), String::new(), String::new()];
            let mut mods: Vec<&str> = Vec::new();
            let mut it = decl.into_inner();
            while let Some(c) = it.next() {
                match c.as_rule() {
                    Rule::name => cells[0] = c.as_str().to_string(),
                    Rule::type_name => cells[1] = format!(": {}", c.as_str()),
                    Rule::field_mod => mods.push(c.as_str()),
                    Rule::kw_from => {
                        let key = it.next().ok_or_else(|| internal("from"))?;
                        cells[3] = format!("from {}", key.as_str());
                    }
                    _ => return Err(internal("field")),
                }
            }
            cells[2] = mods.join(" ");
            let place = self.inner(&mut first);
            self.push_row(span.start(), end, table, cells, None, place);
        }
        self.close_block(&block);
        Ok(())
    }

    fn list_def(&mut self, def: Pair<'s, Rule>, table: usize) -> Result<(), FormatError> {
        let span = def.as_span();
        let end = self.tight_end(&def);
        let mut name = "";
        let mut items = Vec::new();
        for c in def.into_inner() {
            match c.as_rule() {
                Rule::kw_list => {}
                Rule::name => name = c.as_str(),
                Rule::list_lit => items = c.into_inner().map(|i| i.as_str().to_string()).collect(),
                _ => return Err(internal("list")),
            }
        }
        let head = format!("list {name}");
        let one_line = format!("= [{}]", items.join(", "));
        let cap = self.caps[table][0];
        let (cell, rest) =
            if width(&head).max(cap) + 1 + width(&one_line) <= WIDTH || items.is_empty() {
                (one_line, Vec::new())
            } else {
                let mut rest = fill(&items, "  ", WIDTH);
                rest.push("]".into());
                ("= [".to_string(), rest)
            };
        self.push(
            span.start(),
            end,
            0,
            Body::Row(Row {
                table,
                cells: vec![head, cell],
                flow: None,
                rest,
            }),
            Place::Top(true),
        );
        Ok(())
    }

    fn score(&mut self, block: Pair<'s, Rule>) -> Result<(), FormatError> {
        let parts = self.named_block(&block, "score")?;
        let table = self.table(&[14, 40]);
        let mut first = true;
        for line in parts {
            let span = line.as_span();
            let end = self.tight_end(&line);
            let place = self.inner(&mut first);
            let body = match line.as_rule() {
                Rule::score_rule => {
                    let mut head = String::new();
                    let mut name = String::new();
                    let mut flow = None;
                    let mut it = line.into_inner();
                    while let Some(c) = it.next() {
                        match c.as_rule() {
                            Rule::sign => head.push_str(c.as_str()),
                            Rule::points => {
                                let inner =
                                    c.into_inner().next().ok_or_else(|| internal("points"))?;
                                if inner.as_rule() == Rule::number {
                                    head.push_str(inner.as_str());
                                } else {
                                    head.push('(');
                                    head.push_str(&self.expr_str(inner)?);
                                    head.push(')');
                                }
                            }
                            Rule::up_to => {
                                let n = c.into_inner().last().ok_or_else(|| internal("up to"))?;
                                head.push_str(" up to ");
                                head.push_str(n.as_str());
                            }
                            Rule::string => name = c.as_str().to_string(),
                            Rule::kw_when => {
                                let e = it.next().ok_or_else(|| internal("when"))?;
                                flow = Some(("when ".to_string(), self.expr_pieces(e)?));
                            }
                            _ => return Err(internal("score rule")),
                        }
                    }
                    Body::Row(Row {
                        table,
                        cells: vec![head, name],
                        flow,
                        rest: Vec::new(),
                    })
                }
                Rule::range_line | Rule::decay_line => Body::Lines(vec![self.words(line)]),
                _ => return Err(internal("score line")),
            };
            self.push(span.start(), end, 2, body, place);
        }
        self.close_block(&block);
        Ok(())
    }

    fn grade(&mut self, block: Pair<'s, Rule>) -> Result<(), FormatError> {
        let parts = self.named_block(&block, "grade")?;
        let table = self.table(&[24]);
        let mut first = true;
        for line in parts {
            let span = line.as_span();
            let end = self.tight_end(&line);
            let place = self.inner(&mut first);
            let mut cells = Vec::new();
            let mut flow = None;
            let mut it = line.into_inner();
            while let Some(c) = it.next() {
                match c.as_rule() {
                    Rule::label => cells.push(c.as_str().to_string()),
                    Rule::kw_otherwise => cells.push("otherwise".to_string()),
                    Rule::kw_when => {
                        let e = it.next().ok_or_else(|| internal("when"))?;
                        flow = Some(("when ".to_string(), self.expr_pieces(e)?));
                    }
                    _ => return Err(internal("grade line")),
                }
            }
            self.push_row(span.start(), end, table, cells, flow, place);
        }
        self.close_block(&block);
        Ok(())
    }

    fn route(&mut self, block: Pair<'s, Rule>) -> Result<(), FormatError> {
        let mut parts = block.clone().into_inner();
        let kw = parts.next().ok_or_else(|| internal("route"))?;
        self.open_block(&block, kw.as_span().end(), "route".into())?;
        let table = self.table(&[13, 30, 11, 40]);
        let mut first = true;
        for rule in parts {
            let span = rule.as_span();
            let end = self.tight_end(&rule);
            let place = self.inner(&mut first);
            let mut cells = vec![String::new(), String::new(), String::new(), String::new()];
            let mut flow = None;
            let mut it = rule.into_inner();
            while let Some(c) = it.next() {
                match c.as_rule() {
                    Rule::destination => cells[0] = c.as_str().to_string(),
                    Rule::kw_queue => {
                        let q = it.next().ok_or_else(|| internal("queue"))?;
                        cells[1] = format!("queue {}", q.as_str());
                    }
                    Rule::kw_within => {
                        let d = it.next().ok_or_else(|| internal("within"))?;
                        cells[2] = format!("within {}", d.as_str());
                    }
                    Rule::string => cells[3] = c.as_str().to_string(),
                    Rule::kw_when => {
                        let e = it.next().ok_or_else(|| internal("when"))?;
                        flow = Some(("when ".to_string(), self.expr_pieces(e)?));
                    }
                    Rule::kw_otherwise => cells.push("otherwise".to_string()),
                    _ => return Err(internal("route rule")),
                }
            }
            self.push_row(span.start(), end, table, cells, flow, place);
        }
        self.close_block(&block);
        Ok(())
    }

    fn example(&mut self, block: Pair<'s, Rule>) -> Result<(), FormatError> {
        let parts = self.named_block(&block, "example")?;
        let mut first = true;
        for line in parts {
            let span = line.as_span();
            let end = self.tight_end(&line);
            let place = self.inner(&mut first);
            let lines = match line.as_rule() {
                Rule::ex_as_of => vec![self.words(line)],
                Rule::ex_expect => {
                    let mut text = String::from("expect");
                    for c in line.into_inner().skip(1) {
                        for w in c.into_inner() {
                            text.push(' ');
                            text.push_str(w.as_str());
                        }
                    }
                    vec![text]
                }
                Rule::ex_lead => {
                    let mut entries = Vec::new();
                    for e in line.into_inner().skip(1) {
                        let mut it = e.into_inner();
                        let key = it.next().ok_or_else(|| internal("lead key"))?;
                        let value = it.next().ok_or_else(|| internal("lead value"))?;
                        entries.push(format!("{}: {}", key.as_str(), self.primary(value)?));
                    }
                    let one = if entries.is_empty() {
                        "lead {}".to_string()
                    } else {
                        format!("lead {{ {} }}", entries.join(", "))
                    };
                    if 2 + width(&one) <= WIDTH {
                        vec![one]
                    } else {
                        let mut v = fill(&entries, "       ", WIDTH - 2);
                        if let Some(first) = v.first_mut() {
                            *first = format!("lead {{ {}", first.trim_start());
                        }
                        if let Some(last) = v.last_mut() {
                            last.push_str(" }");
                        }
                        v
                    }
                }
                _ => return Err(internal("example line")),
            };
            self.push(span.start(), end, 2, Body::Lines(lines), place);
        }
        self.close_block(&block);
        Ok(())
    }

    /// The tokens of a simple line, separated by single spaces.
    fn words(&self, line: Pair<'s, Rule>) -> String {
        line.into_inner()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn expr_str(&self, e: Pair<'s, Rule>) -> Result<String, FormatError> {
        Ok(self.expr_pieces(e)?.join(" "))
    }

    /// An expression as pieces that start at its top-level `and` / `or`.
    fn expr_pieces(&self, e: Pair<'s, Rule>) -> Result<Vec<String>, FormatError> {
        let mut pieces = vec![String::new()];
        for c in e.into_inner() {
            let cur = pieces.len() - 1;
            match c.as_rule() {
                Rule::op_not => pieces[cur].push_str("not "),
                Rule::op_neg => pieces[cur].push('-'),
                Rule::op_or | Rule::op_and => pieces.push(format!("{} ", c.as_str().trim())),
                Rule::op_eq
                | Rule::op_ne
                | Rule::op_le
                | Rule::op_ge
                | Rule::op_lt
                | Rule::op_gt
                | Rule::op_add
                | Rule::op_sub
                | Rule::op_mul
                | Rule::op_div => {
                    pieces[cur].push(' ');
                    pieces[cur].push_str(c.as_str().trim());
                    pieces[cur].push(' ');
                }
                Rule::pf_between
                | Rule::pf_in
                | Rule::pf_not_in
                | Rule::pf_is
                | Rule::pf_contains
                | Rule::pf_starts_with
                | Rule::pf_ends_with
                | Rule::pf_matches
                | Rule::pf_within => {
                    let mut words = Vec::new();
                    for w in c.into_inner() {
                        words.push(self.primary(w)?);
                    }
                    pieces[cur].push(' ');
                    pieces[cur].push_str(&words.join(" "));
                }
                _ => {
                    let p = self.primary(c)?;
                    pieces[cur].push_str(&p);
                }
            }
        }
        Ok(pieces)
    }

    fn primary(&self, p: Pair<'s, Rule>) -> Result<String, FormatError> {
        Ok(match p.as_rule() {
            Rule::expr | Rule::arith => self.expr_str(p)?,
            Rule::paren => {
                let inner = p.into_inner().next().ok_or_else(|| internal("paren"))?;
                format!("({})", self.expr_str(inner)?)
            }
            Rule::call => {
                let mut it = p.into_inner();
                let name = it.next().ok_or_else(|| internal("call"))?;
                let mut args = Vec::new();
                for a in it {
                    args.push(self.expr_str(a)?);
                }
                format!("{}({})", name.as_str(), args.join(", "))
            }
            Rule::list_lit => {
                let items: Vec<&str> = p.into_inner().map(|i| i.as_str()).collect();
                format!("[{}]", items.join(", "))
            }
            _ => p.as_str().to_string(),
        })
    }

    /// Whether the source has an empty line between `a` and `b` (comments ignored).
    fn blank_between(&self, a: usize, b: usize) -> bool {
        if a >= b || b > self.src.len() {
            return false;
        }
        self.src[a..b].matches('\n').count() >= 2
    }

    fn render(&self, comments: &[Comment]) -> String {
        let n = self.units.len();
        let mut leading: Vec<Vec<&Comment>> = vec![Vec::new(); n];
        let mut trailing: Vec<Option<&Comment>> = vec![None; n];
        let mut tail: Vec<&Comment> = Vec::new();
        for c in comments {
            let line_start = self.src[..c.start].rfind('\n').map_or(0, |i| i + 1);
            let before = &self.src[line_start..c.start];
            // The unit that starts at or before `pos`.
            let unit_at = |pos: usize| {
                self.units
                    .partition_point(|u| u.start <= pos)
                    .checked_sub(1)
            };
            if before.trim().is_empty() {
                match unit_at(c.start) {
                    Some(u) if c.start < self.units[u].end => leading[u].push(c),
                    Some(u) if u + 1 < n => leading[u + 1].push(c),
                    None if n > 0 => leading[0].push(c),
                    _ => tail.push(c),
                }
            } else {
                let q = line_start + before.trim_end().len().saturating_sub(1);
                match unit_at(q) {
                    Some(u) => {
                        let unit = &self.units[u];
                        if c.start >= unit.end
                            && !self.src[unit.end..c.start].contains('\n')
                            && trailing[u].is_none()
                        {
                            trailing[u] = Some(c);
                        } else {
                            leading[u].push(c);
                        }
                    }
                    None if n > 0 => leading[0].push(c),
                    None => tail.push(c),
                }
            }
        }

        // Column widths per table.
        let mut widths: Vec<Vec<usize>> = self.caps.iter().map(|c| vec![0; c.len()]).collect();
        for u in &self.units {
            if let Body::Row(r) = &u.body {
                for (i, cell) in r.cells.iter().enumerate() {
                    let cap = self.caps[r.table].get(i).copied().unwrap_or(0);
                    if let Some(w) = widths[r.table].get_mut(i) {
                        let cw = width(cell);
                        if cw <= cap && cw > *w {
                            *w = cw;
                        }
                    }
                }
            }
        }
        // Rendered lines per unit, then the column of trailing comments per table.
        let rendered: Vec<Vec<String>> = self
            .units
            .iter()
            .map(|u| self.render_unit(u, &widths))
            .collect();
        let mut comment_col: Vec<usize> = vec![0; self.caps.len()];
        for (i, u) in self.units.iter().enumerate() {
            if let (Body::Row(r), Some(_)) = (&u.body, trailing[i]) {
                if let Some(last) = rendered[i].last() {
                    comment_col[r.table] = comment_col[r.table].max(width(last));
                }
            }
        }

        let mut out: Vec<String> = Vec::new();
        let mut prev_end = 0usize;
        let mut prev_top_list: Option<bool> = None;
        let mut first_top = true;
        let push_blank = |out: &mut Vec<String>| {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
        };
        for (i, u) in self.units.iter().enumerate() {
            // Blank line before the unit's block (its leading comments and itself).
            let block_start = leading[i].first().map_or(u.start, |c| c.start.min(u.start));
            let forced = match u.place {
                Place::Top(is_list) => {
                    let keep_together = is_list
                        && prev_top_list == Some(true)
                        && !self.blank_between(prev_end, block_start);
                    let f = !first_top && !keep_together;
                    first_top = false;
                    prev_top_list = Some(is_list);
                    f
                }
                _ => false,
            };
            let no_blank_first = matches!(u.place, Place::First);
            let indent = " ".repeat(u.indent);
            let comment_indent = if u.place == Place::Closer {
                " ".repeat(u.indent + 2)
            } else {
                indent.clone()
            };
            for (k, c) in leading[i].iter().enumerate() {
                let blank = if k == 0 {
                    forced
                        || (!no_blank_first && self.blank_between(prev_end, c.start.min(u.start)))
                } else {
                    self.blank_between(prev_end, c.start.min(u.start))
                };
                if blank {
                    push_blank(&mut out);
                }
                out.push(format!("{comment_indent}{}", c.text));
                prev_end = prev_end.max(c.end);
            }
            let blank = if leading[i].is_empty() {
                forced
                    || (!no_blank_first
                        && u.place != Place::Closer
                        && self.blank_between(prev_end, u.start))
            } else {
                u.place != Place::Closer && self.blank_between(prev_end, u.start)
            };
            if blank {
                push_blank(&mut out);
            }
            let lines = &rendered[i];
            let last = lines.len().saturating_sub(1);
            for (k, line) in lines.iter().enumerate() {
                let mut text = if line.is_empty() {
                    String::new()
                } else {
                    format!("{indent}{line}")
                };
                if k == last {
                    if let Some(c) = trailing[i] {
                        let col = match &u.body {
                            Body::Row(r) if r.rest.is_empty() => u.indent + comment_col[r.table],
                            _ => width(&text),
                        };
                        let pad = col.saturating_sub(width(&text)) + 2;
                        text.push_str(&" ".repeat(pad));
                        text.push_str(&c.text);
                        prev_end = prev_end.max(c.end);
                    }
                }
                out.push(text);
            }
            prev_end = prev_end.max(u.end);
        }
        for (k, c) in tail.iter().enumerate() {
            if (k == 0 && !out.is_empty() && self.blank_between(prev_end, c.start))
                || (k > 0 && self.blank_between(prev_end, c.start))
            {
                push_blank(&mut out);
            }
            out.push(c.text.clone());
            prev_end = c.end;
        }
        let mut text = out.join("\n");
        text.push('\n');
        text
    }

    /// A unit's lines, without its indentation.
    fn render_unit(&self, u: &Unit, widths: &[Vec<usize>]) -> Vec<String> {
        let r = match &u.body {
            Body::Lines(l) => return l.clone(),
            Body::Row(r) => r,
        };
        let w = &widths[r.table];
        // Each cell starts at its column when the line has not passed it
        // yet (a cell wider than its column's cap pushes only its own row).
        let mut line = String::new();
        let mut target = 0usize;
        let place = |line: &mut String, start: usize| {
            let cur = width(line);
            if cur < start {
                line.push_str(&" ".repeat(start - cur));
            } else if cur > 0 {
                line.push(' ');
            }
        };
        for (i, cell) in r.cells.iter().enumerate() {
            let colw = w.get(i).copied().unwrap_or(0);
            let start = target;
            if cell.is_empty() {
                if colw > 0 {
                    target = start + colw + 1;
                }
                continue;
            }
            target = start + colw + 1;
            place(&mut line, start);
            line.push_str(cell);
        }
        if r.flow.is_some() {
            place(&mut line, target);
        }
        let mut lines = Vec::new();
        if let Some((prefix, pieces)) = &r.flow {
            let col = u.indent + width(&line) + width(prefix);
            let mut cur = format!("{line}{prefix}");
            for (k, p) in pieces.iter().enumerate() {
                if k == 0 {
                    cur.push_str(p);
                } else if u.indent + width(&cur) + 1 + width(p) <= WIDTH {
                    cur.push(' ');
                    cur.push_str(p);
                } else {
                    lines.push(cur.trim_end().to_string());
                    cur = format!("{}{p}", " ".repeat(col - u.indent));
                }
            }
            lines.push(cur.trim_end().to_string());
        } else {
            lines.push(line.trim_end().to_string());
        }
        lines.extend(r.rest.iter().cloned());
        lines
    }
}

/// Items separated by `, `, filled into lines of at most `max` characters,
/// each line starting with `indent`.
fn fill(items: &[String], indent: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::from(indent);
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.clone()
        };
        if cur.len() > indent.len() && width(&cur) + 1 + width(&piece) > max {
            lines.push(std::mem::replace(&mut cur, String::from(indent)));
        }
        if cur.len() > indent.len() {
            cur.push(' ');
        }
        cur.push_str(&piece);
    }
    lines.push(cur);
    lines
}

/// The parse tree as (rule, child count, leaf text) in pre-order: equal
/// signatures mean equal trees, so equal meaning.
fn signature(source: &str) -> Result<Vec<(Rule, usize, Option<String>)>, FormatError> {
    Ok(parse_tree(source)?
        .into_inner()
        .flatten()
        .map(|p| {
            let n = p.clone().into_inner().count();
            // Operators with a look-ahead (`+` / `-`) may hold trailing spaces.
            let leaf = match p.as_rule() {
                _ if n > 0 => None,
                Rule::op_add | Rule::op_sub | Rule::op_neg => Some(p.as_str().trim().to_string()),
                _ => Some(p.as_str().to_string()),
            };
            (p.as_rule(), n, leaf)
        })
        .collect())
}

fn verify(before: &str, after: &str) -> Result<(), FormatError> {
    let (a, b) = (signature(before)?, signature(after)?);
    if a != b {
        let at = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        return Err(FormatError::Internal(format!(
            "the formatted text would parse differently (at {:?} / {:?}); the agreement is left unchanged",
            a.get(at),
            b.get(at)
        )));
    }
    let texts = |s: &str| -> Result<Vec<String>, FormatError> {
        let mut v: Vec<String> = comments(s).into_iter().map(|c| c.text).collect();
        v.sort();
        Ok(v)
    };
    if texts(before)? != texts(after)? {
        return Err(FormatError::Internal(
            "the formatted text would lose a comment; the agreement is left unchanged".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn sources() -> Vec<(&'static str, &'static str)> {
        vec![
            (
                "acme",
                include_str!("../../../tests/agreements/acme-inbound.lead"),
            ),
            (
                "b2b",
                include_str!("../../../rules-examples/b2b-saas-inbound.lead"),
            ),
            (
                "education",
                include_str!("../../../rules-examples/education-admissions.lead"),
            ),
            (
                "events",
                include_str!("../../../rules-examples/events-webinars.lead"),
            ),
        ]
    }

    #[test]
    fn idempotent_and_same_examples() {
        for (name, src) in sources() {
            let once = format(src).unwrap_or_else(|e| panic!("{name}: {e}"));
            let twice = format(&once).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(once, twice, "{name} is not idempotent");
            let a = crate::Agreement::compile(src)
                .map_err(|e| e.to_string())
                .unwrap();
            let b = crate::Agreement::compile(&once)
                .map_err(|e| e.to_string())
                .unwrap();
            let ra: Vec<_> = a
                .run_examples()
                .iter()
                .map(|r| (r.name.clone(), r.passed()))
                .collect();
            let rb: Vec<_> = b
                .run_examples()
                .iter()
                .map(|r| (r.name.clone(), r.passed()))
                .collect();
            assert_eq!(ra, rb, "{name}");
        }
    }

    #[test]
    fn comments_stay_in_place() {
        let src = "# top\nagreement \"A\"   # name\nfields {\n  # the id\n  a : text id   # trailing\n\n  b:number\n  # before close\n}\nscore s { +1 \"x\" when b > 1 # one\n  -2 \"y\" when b > 2 and\n  # inside\n  b < 9 }\nroute { sales \"r\" when s >= 1\n nurture otherwise }\n# end\n";
        let out = format(src).unwrap_or_else(|e| panic!("{e}"));
        let expected = "# top\nagreement \"A\"  # name\n\nfields {\n  # the id\n  a : text   id  # trailing\n\n  b : number\n  # before close\n}\n\nscore s {\n  +1 \"x\" when b > 1  # one\n  # inside\n  -2 \"y\" when b > 2 and b < 9\n}\n\nroute {\n  sales   \"r\" when s >= 1\n  nurture     otherwise\n}\n# end\n";
        assert_eq!(out, expected);
        assert_eq!(format(&out).ok().as_deref(), Some(expected));
    }

    #[test]
    fn syntax_errors_are_reported() {
        assert!(matches!(
            format("agreement \"x\" fields {"),
            Err(FormatError::Syntax(_))
        ));
    }
}
