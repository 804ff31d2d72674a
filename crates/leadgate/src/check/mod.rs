//! Stage 2, check: syntax tree → resolved, typed model. Every error is
//! collected with its span; nothing stops at the first one.

mod expr;
pub mod model;
mod names;
#[cfg(feature = "look-alikes")]
mod scripts;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{codes, Sink, Span};
use crate::expr::{Cond, Tri};
use crate::syntax::ast::{self, FieldType, Literal, Modifier};
use crate::syntax::is_keyword;
pub use model::*;
use names::{suggest, Entity, Names};

/// Where an expression appears: decides which names it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Score,
    /// Inside grade number `n`: may use grades before it.
    Grade(u32),
    Route,
}

pub(crate) struct Checker<'a, 's> {
    pub sink: &'a mut Sink<'s>,
    pub names: Names,
    pub fields: Vec<Field>,
    pub lists: Vec<ListValue>,
    pub scores: Vec<String>,
    pub grades: Vec<(String, Vec<String>)>,
    pub used_fields: FxHashSet<u32>,
    pub used_lists: FxHashSet<u32>,
    pub uses_time: bool,
    /// Fields read by the expression being checked.
    pub reads: Vec<u32>,
    /// Memory of the regexes compiled so far (`usize::MAX` once over the budget).
    pub regex_bytes: usize,
}

/// A named list's members, ready for `in`.
#[derive(Debug, Clone)]
pub(crate) enum ListValue {
    Text(std::sync::Arc<crate::expr::TextSet>),
    Number(std::sync::Arc<[f64]>),
    /// Not usable (already reported).
    Invalid,
}

/// Checks a parsed agreement. Returns `None` when it has errors (reported to `sink`).
pub(crate) fn check(file: &ast::File, sink: &mut Sink<'_>) -> Option<Model> {
    let mut c = Checker {
        sink,
        names: Names::default(),
        fields: Vec::new(),
        lists: Vec::new(),
        scores: Vec::new(),
        grades: Vec::new(),
        used_fields: FxHashSet::default(),
        used_lists: FxHashSet::default(),
        uses_time: false,
        reads: Vec::new(),
        regex_bytes: 0,
    };
    c.block_counts(file);
    let id_slot = c.declare_fields(file);
    c.declare_lists(file);
    c.declare_scores_and_grades(file);
    let (scores, rules) = c.check_scores(file);
    let grades = c.check_grades(file);
    let routes = c.check_routes(file);
    c.check_rule_names(&rules, &routes);
    #[cfg(feature = "look-alikes")]
    c.script_warnings(file);
    let uses_time_before_examples = c.uses_time;
    let examples = c.check_examples(file, &rules, &routes, uses_time_before_examples);
    c.unused_warnings(file, id_slot);
    if c.sink.has_errors() {
        return None;
    }
    Some(Model {
        name: file.name.value.clone(),
        version: file.version.as_ref().map(|v| v.value.clone()),
        fields: c.fields,
        id_slot,
        scores,
        rules,
        grades,
        routes,
        examples,
        uses_time: uses_time_before_examples,
        regex_bytes: c.regex_bytes,
    })
}

impl Checker<'_, '_> {
    fn block_counts(&mut self, file: &ast::File) {
        let whole = Span::new(0, 0);
        match file.fields.len() {
            0 => self
                .sink
                .error(codes::BLOCKS, whole, "the agreement has no `fields` block"),
            1 => {}
            _ => self.sink.error(
                codes::BLOCKS,
                file.fields[1].span,
                "the agreement has more than one `fields` block",
            ),
        }
        match file.routes.len() {
            0 => self
                .sink
                .error(codes::BLOCKS, whole, "the agreement has no `route` block"),
            1 => {}
            _ => self.sink.error(
                codes::BLOCKS,
                file.routes[1].span,
                "the agreement has more than one `route` block",
            ),
        }
        if file.scores.is_empty() {
            self.sink.error(
                codes::BLOCKS,
                whole,
                "the agreement has no `score` block: declare at least one",
            );
        }
    }

    fn declare(&mut self, ident: &ast::Ident, entity: Entity) -> bool {
        if is_keyword(&ident.name) {
            self.sink.error(
                codes::KEYWORD_NAME,
                ident.span,
                format!("`{}` is a keyword and cannot be used as a name", ident.name),
            );
            return false;
        }
        if ident.name == "total" {
            self.sink.error(
                codes::KEYWORD_NAME,
                ident.span,
                "`total` is reserved: it is the sum of all scores",
            );
            return false;
        }
        if let Some((_, prev)) = self.names.get(&ident.name) {
            let (line, _) = crate::diagnostic::line_col(self.sink_source(), prev.start);
            self.sink.error(
                codes::DUPLICATE_NAME,
                ident.span,
                format!("`{}` is already declared (line {line})", ident.name),
            );
            return false;
        }
        self.names.insert(&ident.name, entity, ident.span);
        true
    }

    fn sink_source(&self) -> &str {
        self.sink.source()
    }

    fn declare_fields(&mut self, file: &ast::File) -> Option<u32> {
        let mut id_slot: Option<u32> = None;
        let mut keys: FxHashMap<String, Span> = FxHashMap::default();
        for decl in file.fields.iter().flat_map(|b| b.decls.iter()) {
            let slot = self.fields.len() as u32;
            let mut required = false;
            let mut is_id = false;
            for m in &decl.modifiers {
                match m.value {
                    Modifier::Required if required && !is_id => {
                        self.sink
                            .error(codes::FIELD_MODIFIERS, m.span, "`required` is given twice")
                    }
                    Modifier::Required => required = true,
                    Modifier::Id if is_id => {
                        self.sink
                            .error(codes::FIELD_MODIFIERS, m.span, "`id` is given twice")
                    }
                    Modifier::Id => {
                        is_id = true;
                        required = true;
                        if decl.ty.value != FieldType::Text {
                            self.sink.error(
                                codes::FIELD_MODIFIERS,
                                decl.ty.span,
                                "the `id` field must be of type text",
                            );
                        }
                        if id_slot.is_some() {
                            self.sink.error(
                                codes::FIELD_MODIFIERS,
                                m.span,
                                "only one field can be the `id`",
                            );
                        } else {
                            id_slot = Some(slot);
                        }
                    }
                }
            }
            let key = decl
                .from
                .as_ref()
                .map(|f| f.value.clone())
                .unwrap_or_else(|| decl.name.name.clone());
            if let Some(prev) = keys.get(&key) {
                let (line, _) = crate::diagnostic::line_col(self.sink_source(), prev.start);
                let span = decl.from.as_ref().map(|f| f.span).unwrap_or(decl.name.span);
                self.sink.error(
                    codes::DUPLICATE_NAME,
                    span,
                    format!("the input key \"{key}\" is already read by the field on line {line}"),
                );
            } else {
                keys.insert(key.clone(), decl.span);
            }
            self.declare(&decl.name, Entity::Field(slot));
            self.fields.push(Field {
                is_id: id_slot == Some(slot),
                name: decl.name.name.clone(),
                ty: decl.ty.value,
                required,
                key,
                span: decl.span,
                name_span: decl.name.span,
            });
        }
        id_slot
    }

    fn declare_lists(&mut self, file: &ast::File) {
        for def in &file.lists {
            let idx = self.lists.len() as u32;
            let value = self.list_value(&def.items, def.name.span);
            self.lists.push(value);
            self.declare(&def.name, Entity::List(idx));
        }
    }

    /// Members of a list literal: all texts or all numbers.
    pub(crate) fn list_value(&mut self, items: &[ast::Spanned<Literal>], span: Span) -> ListValue {
        let mut texts = Vec::new();
        let mut nums = Vec::new();
        for item in items {
            match &item.value {
                Literal::Text(t) => texts.push(t.trim().to_lowercase()),
                Literal::Number(n) => nums.push(*n),
                _ => {
                    self.sink
                        .error(codes::LIST, item.span, "a list holds texts or numbers");
                    return ListValue::Invalid;
                }
            }
        }
        match (texts.is_empty(), nums.is_empty()) {
            (false, false) => {
                self.sink
                    .error(codes::LIST, span, "a list cannot mix texts and numbers");
                ListValue::Invalid
            }
            (true, false) => ListValue::Number(nums.into()),
            _ => ListValue::Text(std::sync::Arc::new(crate::expr::TextSet::new(texts))),
        }
    }

    fn declare_scores_and_grades(&mut self, file: &ast::File) {
        for s in &file.scores {
            let idx = self.scores.len() as u32;
            self.scores.push(s.name.name.clone());
            self.declare(&s.name, Entity::Score(idx));
        }
        for g in &file.grades {
            let idx = self.grades.len() as u32;
            let mut labels: Vec<String> = Vec::new();
            for line in &g.lines {
                if labels.contains(&line.label.name) {
                    self.sink.error(
                        codes::DUPLICATE_NAME,
                        line.label.span,
                        format!(
                            "the label `{}` appears twice in grade `{}`",
                            line.label.name, g.name.name
                        ),
                    );
                } else {
                    labels.push(line.label.name.clone());
                }
            }
            self.grades.push((g.name.name.clone(), labels));
            self.declare(&g.name, Entity::Grade(idx));
        }
    }

    fn check_scores(&mut self, file: &ast::File) -> (Vec<Score>, Vec<ScoreRule>) {
        let mut scores = Vec::new();
        let mut rules = Vec::new();
        for (si, block) in file.scores.iter().enumerate() {
            let mut score = Score {
                name: block.name.name.clone(),
                rules: Vec::new(),
                range: None,
                decay: None,
            };
            for r in &block.rules {
                self.reads.clear();
                let when = match &r.when {
                    Some(e) => self.cond(e, Context::Score),
                    None => Cond::Const(Tri::True),
                };
                let points = match &r.points.value {
                    ast::Points::Const(v) => Points::Const(*v),
                    ast::Points::Expr(e) => Points::Computed(self.num(e, Context::Score)),
                };
                if let Some(cap) = &r.up_to {
                    if cap.value < 0.0 {
                        self.sink.error(
                            codes::SCORE_SETTINGS,
                            cap.span,
                            "`up to` needs a number of zero or more",
                        );
                    }
                }
                let needs = self.take_reads();
                score.rules.push(rules.len() as u32);
                rules.push(ScoreRule {
                    name: r.name.value.clone(),
                    score: si as u32,
                    negative: r.sign == ast::Sign::Minus,
                    points,
                    cap: r.up_to.as_ref().map(|c| c.value),
                    when,
                    needs,
                    span: r.name.span,
                    when_span: r.when.as_ref().map(|e| e.span),
                });
            }
            for (i, range) in block.ranges.iter().enumerate() {
                let (lo, hi) = range.value;
                if i > 0 {
                    self.sink.error(
                        codes::SCORE_SETTINGS,
                        range.span,
                        "a score has at most one `range`",
                    );
                } else if lo > hi {
                    self.sink.error(
                        codes::SCORE_SETTINGS,
                        range.span,
                        format!("the range is empty: {lo} is above {hi}"),
                    );
                } else {
                    score.range = Some((lo, hi));
                }
            }
            for (i, d) in block.decays.iter().enumerate() {
                if i > 0 {
                    self.sink.error(
                        codes::SCORE_SETTINGS,
                        d.span,
                        "a score has at most one `halve every`",
                    );
                    continue;
                }
                self.uses_time = true;
                match self.names.get(&d.since.name) {
                    Some((Entity::Field(slot), _))
                        if self.fields[slot as usize].ty == FieldType::Date =>
                    {
                        self.used_fields.insert(slot);
                        score.decay = Some(Decay {
                            slot,
                            every_ms: d.every.value.saturating_mul(1000),
                        });
                    }
                    Some((Entity::Field(slot), _)) => {
                        let ty = self.fields[slot as usize].ty.as_str();
                        self.sink.error(
                            codes::TYPE,
                            d.since.span,
                            format!(
                                "`halve every … since` needs a date field, `{}` is a {ty}",
                                d.since.name
                            ),
                        );
                    }
                    Some(_) => self.sink.error(
                        codes::TYPE,
                        d.since.span,
                        format!(
                            "`halve every … since` needs a date field, `{}` is not a field",
                            d.since.name
                        ),
                    ),
                    None => self.unknown_name(&d.since, "field", |e| matches!(e, Entity::Field(_))),
                }
            }
            scores.push(score);
        }
        (scores, rules)
    }

    fn check_grades(&mut self, file: &ast::File) -> Vec<Grade> {
        let mut grades = Vec::new();
        for (gi, block) in file.grades.iter().enumerate() {
            let labels = self.grades[gi].1.clone();
            let mut lines = Vec::new();
            let n = block.lines.len();
            if n == 0 {
                self.sink.error(
                    codes::OTHERWISE,
                    block.name.span,
                    format!("grade `{}` has no labels", block.name.name),
                );
            }
            for (li, line) in block.lines.iter().enumerate() {
                let label = labels
                    .iter()
                    .position(|l| *l == line.label.name)
                    .unwrap_or(0) as u32;
                let (when, otherwise) = match &line.when {
                    Some(e) => (self.cond(e, Context::Grade(gi as u32)), false),
                    None => (Cond::Const(Tri::True), true),
                };
                self.reads.clear();
                if otherwise && li + 1 != n {
                    self.sink.error(
                        codes::OTHERWISE,
                        line.span,
                        "`otherwise` must be the last line of a grade",
                    );
                }
                if !otherwise && li + 1 == n {
                    self.sink.error(codes::OTHERWISE, line.span, format!("grade `{}` must end with an `otherwise` line, so that every lead gets a label", block.name.name));
                }
                lines.push(GradeLine {
                    label,
                    when,
                    otherwise,
                    span: line.span,
                });
            }
            grades.push(Grade {
                name: block.name.name.clone(),
                labels,
                lines,
            });
        }
        grades
    }

    fn check_routes(&mut self, file: &ast::File) -> Vec<RouteRule> {
        let mut out = Vec::new();
        let Some(block) = file.routes.first() else {
            return out;
        };
        let n = block.rules.len();
        if n == 0 {
            self.sink.error(
                codes::OTHERWISE,
                block.span,
                "the route block is empty: it must end with an `otherwise` rule",
            );
        }
        for (i, r) in block.rules.iter().enumerate() {
            self.reads.clear();
            let (when, otherwise) = match &r.when {
                Some(e) => (self.cond(e, Context::Route), false),
                None => (Cond::Const(Tri::True), true),
            };
            if otherwise && i + 1 != n {
                self.sink.error(
                    codes::OTHERWISE,
                    r.span,
                    "`otherwise` must be the last route rule",
                );
            }
            if !otherwise && i + 1 == n {
                self.sink.error(codes::OTHERWISE, r.span, "the route block must end with an `otherwise` rule, so that every lead gets a destination");
            }
            let needs = self.take_reads();
            out.push(RouteRule {
                destination: r.destination.value,
                queue: r.queue.as_ref().map(|q| q.value.clone()),
                within_s: r.within.as_ref().map(|w| w.value),
                name: r.name.as_ref().map(|n| n.value.clone()),
                when,
                otherwise,
                needs,
                span: r.span,
            });
        }
        out
    }

    fn check_rule_names(&mut self, rules: &[ScoreRule], routes: &[RouteRule]) {
        let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
        let named = rules.iter().map(|r| (r.name.as_str(), r.span)).chain(
            routes
                .iter()
                .filter_map(|r| r.name.as_deref().map(|n| (n, r.span))),
        );
        for (name, span) in named {
            if name.trim().is_empty() {
                self.sink
                    .error(codes::DUPLICATE_RULE, span, "a rule name cannot be empty");
                continue;
            }
            if let Some(prev) = seen.get(name) {
                let (line, _) = crate::diagnostic::line_col(self.sink.source(), prev.start);
                self.sink.error(codes::DUPLICATE_RULE, span, format!("the rule name \"{name}\" is already used on line {line}: rule names are unique in an agreement"));
            } else {
                seen.insert(name, span);
            }
        }
    }

    fn check_examples(
        &mut self,
        file: &ast::File,
        rules: &[ScoreRule],
        routes: &[RouteRule],
        uses_time: bool,
    ) -> Vec<Example> {
        let mut out = Vec::new();
        for ex in &file.examples {
            let mut lead = Vec::new();
            match ex.leads.len() {
                0 => self.sink.error(
                    codes::EXAMPLE,
                    ex.name.span,
                    "the example has no `lead { … }`",
                ),
                1 => {}
                _ => self.sink.error(
                    codes::EXAMPLE,
                    ex.leads[1].span,
                    "an example has one `lead`",
                ),
            }
            if ex.as_of.is_none() && uses_time {
                self.sink.error(codes::EXAMPLE, ex.name.span, "the agreement uses time (decay, `within`, `days_since`): the example needs `as_of DATE`");
            }
            let mut seen = FxHashSet::default();
            for entry in ex.leads.iter().take(1).flat_map(|l| l.value.iter()) {
                let slot = match self.names.get(&entry.key.name) {
                    Some((Entity::Field(slot), _)) => slot,
                    _ => {
                        let cands: Vec<&str> =
                            self.fields.iter().map(|f| f.name.as_str()).collect();
                        let help = suggest(&entry.key.name, cands.iter().copied());
                        self.sink.error_help(
                            codes::EXAMPLE,
                            entry.key.span,
                            format!("unknown field `{}` in the example lead", entry.key.name),
                            help,
                        );
                        continue;
                    }
                };
                if !seen.insert(slot) {
                    self.sink.error(
                        codes::EXAMPLE,
                        entry.key.span,
                        format!("`{}` is given twice", entry.key.name),
                    );
                }
                let ty = self.fields[slot as usize].ty;
                if !literal_fits(ty, &entry.value.value) {
                    self.sink.error(
                        codes::EXAMPLE,
                        entry.value.span,
                        format!(
                            "`{}` is a {} field: {} does not fit",
                            entry.key.name,
                            ty.as_str(),
                            literal_kind(&entry.value.value)
                        ),
                    );
                    continue;
                }
                lead.push((slot, entry.value.value.clone()));
            }
            let mut expects = Vec::new();
            for e in &ex.expects {
                let text = self
                    .sink
                    .source()
                    .get(e.span.start..e.span.end)
                    .unwrap_or("")
                    .to_string();
                if let Some(x) = self.expectation(&e.value, e.span, rules, routes) {
                    expects.push((x, text, e.span));
                }
            }
            out.push(Example {
                name: ex.name.value.clone(),
                as_of: ex.as_of.as_ref().map(|a| a.value),
                lead,
                expects,
                span: ex.span,
            });
        }
        out
    }

    fn expectation(
        &mut self,
        e: &ast::Expect,
        span: Span,
        rules: &[ScoreRule],
        routes: &[RouteRule],
    ) -> Option<Expectation> {
        let rule_exists = |name: &str| {
            rules.iter().any(|r| r.name == name)
                || routes.iter().any(|r| r.name.as_deref() == Some(name))
        };
        match e {
            ast::Expect::Route(d) => Some(Expectation::Route(*d)),
            ast::Expect::Queue(q) => {
                if !routes
                    .iter()
                    .any(|r| r.queue.as_deref() == Some(q.as_str()))
                {
                    self.sink.error(
                        codes::EXAMPLE,
                        span,
                        format!("no route rule uses the queue \"{q}\""),
                    );
                }
                Some(Expectation::Queue(q.clone()))
            }
            ast::Expect::Fired(n) | ast::Expect::NotFired(n) => {
                if !rule_exists(n) {
                    let names: Vec<&str> = rules
                        .iter()
                        .map(|r| r.name.as_str())
                        .chain(routes.iter().filter_map(|r| r.name.as_deref()))
                        .collect();
                    let help = suggest(n, names.iter().copied()).map(|h| h.replace('`', "\""));
                    self.sink.error_help(
                        codes::EXAMPLE,
                        span,
                        format!("no rule is named \"{n}\""),
                        help,
                    );
                    return None;
                }
                Some(match e {
                    ast::Expect::Fired(_) => Expectation::Fired(n.clone()),
                    _ => Expectation::NotFired(n.clone()),
                })
            }
            ast::Expect::Grade(g, label) => match self.names.get(&g.name) {
                Some((Entity::Grade(gi), _)) => {
                    let labels = &self.grades[gi as usize].1;
                    match labels.iter().position(|l| *l == label.name) {
                        Some(li) => Some(Expectation::Grade {
                            grade: gi,
                            label: li as u32,
                        }),
                        None => {
                            let help = suggest(&label.name, labels.iter().map(String::as_str));
                            self.sink.error_help(
                                codes::UNKNOWN_LABEL,
                                label.span,
                                format!("grade `{}` has no label `{}`", g.name, label.name),
                                help,
                            );
                            None
                        }
                    }
                }
                _ => {
                    self.unknown_name(g, "grade", |e| matches!(e, Entity::Grade(_)));
                    None
                }
            },
            ast::Expect::Score(s, op, value) => {
                if s.name == "total" {
                    return Some(Expectation::Score {
                        score: None,
                        op: *op,
                        value: *value,
                    });
                }
                match self.names.get(&s.name) {
                    Some((Entity::Score(si), _)) => Some(Expectation::Score {
                        score: Some(si),
                        op: *op,
                        value: *value,
                    }),
                    _ => {
                        self.unknown_name(s, "score", |e| matches!(e, Entity::Score(_)));
                        None
                    }
                }
            }
        }
    }

    fn unused_warnings(&mut self, file: &ast::File, id_slot: Option<u32>) {
        for (slot, f) in self.fields.iter().enumerate() {
            let slot = slot as u32;
            if Some(slot) != id_slot && !f.required && !self.used_fields.contains(&slot) {
                self.sink.warning(
                    codes::UNUSED_FIELD,
                    f.name_span,
                    format!("the field `{}` is never used by a rule", f.name),
                );
            }
        }
        for (i, def) in file.lists.iter().enumerate() {
            if !self.used_lists.contains(&(i as u32)) {
                self.sink.warning(
                    codes::UNUSED_LIST,
                    def.name.span,
                    format!("the list `{}` is never used", def.name.name),
                );
            }
        }
    }

    /// Reports an unknown name with a "did you mean" among entities that fit.
    pub(crate) fn unknown_name(
        &mut self,
        ident: &ast::Ident,
        what: &str,
        fits: impl Fn(Entity) -> bool,
    ) {
        let mut cands: Vec<String> = self
            .names
            .iter()
            .filter(|(_, e)| fits(*e))
            .map(|(n, _)| n.to_string())
            .collect();
        if what == "name" || what == "score" {
            cands.push("total".into());
        }
        let help = suggest(&ident.name, cands.iter().map(String::as_str));
        self.sink.error_help(
            codes::UNKNOWN_NAME,
            ident.span,
            format!("unknown {what} `{}`", ident.name),
            help,
        );
    }

    pub(crate) fn take_reads(&mut self) -> Vec<u32> {
        let mut v = std::mem::take(&mut self.reads);
        v.sort_unstable();
        v.dedup();
        v
    }
}

fn literal_fits(ty: FieldType, lit: &Literal) -> bool {
    match (ty, lit) {
        (FieldType::Text, Literal::Text(_)) => true,
        (FieldType::Number, Literal::Number(_)) => true,
        (FieldType::Bool, Literal::Bool(_)) => true,
        (FieldType::Date, Literal::Date(_)) => true,
        (FieldType::List, Literal::List(items)) => {
            items.iter().all(|i| matches!(i.value, Literal::Text(_)))
        }
        _ => false,
    }
}

fn literal_kind(lit: &Literal) -> &'static str {
    match lit {
        Literal::Text(_) => "a text",
        Literal::Number(_) => "a number",
        Literal::Bool(_) => "a bool",
        Literal::Date(_) => "a date",
        Literal::List(_) => "a list",
    }
}
