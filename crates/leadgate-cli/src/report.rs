//! `leadgate report`: the funnel of a lead file under an agreement — routes,
//! queues, grades, score distributions, how often each rule fired and how
//! often data was missing; per group (`--by`), and against an outcome
//! column (`--outcome`) as a backtest.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use leadgate::{Agreement, Decision, Destination};
use serde_json::{json, Value as Json};

use crate::common::{num, pct, ScoringArgs};
use crate::input::Record;
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// Leads: .jsonl / .ndjson, .json (an array), .csv, or `-` for stdin.
    pub input: String,
    /// Break the route mix down by this input column / key (e.g. "Lead Source"); it need not be a declared field.
    #[arg(long)]
    pub by: Option<String>,
    /// A truthy/falsy outcome column / key (1/0, true/false, yes/no) for a backtest, e.g. Converted.
    #[arg(long)]
    pub outcome: Option<String>,
    /// Output format of the report on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Also write a self-contained HTML page with charts to this file.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// How many groups of --by to list (largest first); the rest are summed up.
    #[arg(long, default_value = "20")]
    pub top: usize,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// Destinations in display order.
pub const DESTS: [Destination; 3] = [
    Destination::Sales,
    Destination::Telemarketing,
    Destination::Nurture,
];

pub fn dest_index(d: Destination) -> usize {
    match d {
        Destination::Sales => 0,
        Destination::Telemarketing => 1,
        Destination::Nurture => 2,
    }
}

/// Converted leads among leads with a known outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Outcome {
    pub converted: u64,
    pub known: u64,
}

impl Outcome {
    fn add(&mut self, o: Option<bool>) {
        if let Some(c) = o {
            self.known += 1;
            if c {
                self.converted += 1;
            }
        }
    }
    pub fn rate(&self) -> Option<f64> {
        (self.known > 0).then(|| self.converted as f64 / self.known as f64)
    }
}

/// Reads an outcome value: 1/0, true/false, yes/no (case-insensitive).
pub fn truthy(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// Values kept for exact quantiles; beyond this a deterministic reservoir
/// sample of this size is kept, so memory stays bounded.
pub const SAMPLE: usize = 1 << 20;

/// A score's distribution.
#[derive(Debug, Clone)]
pub struct Dist {
    pub sample: Vec<f64>,
    pub count: u64,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    rng: u64,
}

impl Default for Dist {
    fn default() -> Self {
        Dist {
            sample: Vec::new(),
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            sum: 0.0,
            rng: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

impl Dist {
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        self.sum += x;
        if self.sample.len() < SAMPLE {
            self.sample.push(x);
        } else {
            // xorshift64*: reservoir sampling (algorithm R), deterministic.
            self.rng ^= self.rng >> 12;
            self.rng ^= self.rng << 25;
            self.rng ^= self.rng >> 27;
            let r = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) % self.count;
            if (r as usize) < SAMPLE {
                self.sample[r as usize] = x;
            }
        }
    }
    pub fn exact(&self) -> bool {
        self.count as usize <= SAMPLE
    }
    /// Quantiles by the nearest-rank method, on the sorted sample.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        let mut s = self.sample.clone();
        s.sort_by(f64::total_cmp);
        qs.iter()
            .map(|q| {
                if s.is_empty() {
                    return 0.0;
                }
                let rank = (q * s.len() as f64).ceil().max(1.0) as usize;
                s[rank.min(s.len()) - 1]
            })
            .collect()
    }
    /// `bins` equal-width bins from min to max (counts scaled to `count`
    /// when sampled).
    pub fn histogram(&self, bins: usize) -> Vec<(f64, f64, u64)> {
        if self.count == 0 || bins == 0 {
            return Vec::new();
        }
        let (lo, hi) = (self.min, self.max);
        let w = if hi > lo {
            (hi - lo) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0u64; bins];
        for x in &self.sample {
            let i = (((x - lo) / w) as usize).min(bins - 1);
            counts[i] += 1;
        }
        let scale = self.count as f64 / self.sample.len().max(1) as f64;
        counts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    lo + w * i as f64,
                    lo + w * (i + 1) as f64,
                    (*c as f64 * scale).round() as u64,
                )
            })
            .collect()
    }
}

/// Leads of one `--by` group.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub leads: u64,
    pub rejected: u64,
    pub dest: [u64; 3],
    pub outcome: Outcome,
}

/// Everything the report shows, accumulated chunk by chunk.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub leads: u64,
    pub rejected: u64,
    pub dest: [u64; 3],
    pub dest_outcome: [Outcome; 3],
    pub route_rule: Vec<u64>,
    pub route_outcome: Vec<Outcome>,
    pub undecided: Vec<u64>,
    pub grade: Vec<Vec<u64>>,
    pub grade_outcome: Vec<Vec<Outcome>>,
    pub scores: Vec<Dist>,
    pub total: Dist,
    pub fired: Vec<u64>,
    pub unknown: Vec<u64>,
    /// Per field: leads with at least one score rule undecided for lack of it.
    pub field_gaps: Vec<u64>,
    pub errors: HashMap<String, u64>,
    pub groups: HashMap<String, Group>,
    pub outcome: Outcome,
    /// Leads whose outcome value is neither truthy nor falsy (or missing).
    pub outcome_unknown: u64,
}

impl Report {
    pub fn new(agreement: &Agreement) -> Report {
        let m = agreement.model();
        Report {
            route_rule: vec![0; m.routes.len()],
            route_outcome: vec![Outcome::default(); m.routes.len()],
            undecided: vec![0; m.routes.len()],
            grade: m.grades.iter().map(|g| vec![0; g.labels.len()]).collect(),
            grade_outcome: m
                .grades
                .iter()
                .map(|g| vec![Outcome::default(); g.labels.len()])
                .collect(),
            scores: vec![Dist::default(); m.scores.len()],
            fired: vec![0; m.rules.len()],
            unknown: vec![0; m.rules.len()],
            field_gaps: vec![0; m.fields.len()],
            ..Report::default()
        }
    }

    /// Adds one decision, with its `--by` group and outcome if asked for.
    pub fn add(
        &mut self,
        agreement: &Agreement,
        d: &Decision,
        group: Option<&str>,
        outcome: Option<Option<bool>>,
    ) {
        let m = agreement.model();
        self.leads += 1;
        let g = group.map(|g| self.groups.entry(g.to_string()).or_default());
        let v = match &d.outcome {
            Err(e) => {
                self.rejected += 1;
                let key = match &e.field {
                    Some(f) => format!("{f}: {}", first_words(&e.message)),
                    None => first_words(&e.message),
                };
                *self.errors.entry(key).or_default() += 1;
                if let Some(g) = g {
                    g.leads += 1;
                    g.rejected += 1;
                }
                return;
            }
            Ok(v) => v,
        };
        let o = outcome.flatten();
        if outcome.is_some() {
            if o.is_none() {
                self.outcome_unknown += 1;
            }
            self.outcome.add(o);
        }
        let di = dest_index(m.routes[v.route as usize].destination);
        self.dest[di] += 1;
        self.dest_outcome[di].add(o);
        self.route_rule[v.route as usize] += 1;
        self.route_outcome[v.route as usize].add(o);
        for u in &v.undecided {
            self.undecided[u.route as usize] += 1;
        }
        for (gi, l) in v.grades.iter().enumerate() {
            self.grade[gi][*l as usize] += 1;
            self.grade_outcome[gi][*l as usize].add(o);
        }
        for (si, x) in v.scores.iter().enumerate() {
            self.scores[si].add(*x);
        }
        self.total.add(v.total);
        for f in &v.fired {
            self.fired[f.rule as usize] += 1;
        }
        let mut lacking: Vec<u32> = Vec::new();
        for u in &v.unknown {
            self.unknown[u.rule as usize] += 1;
            lacking.extend(&u.missing);
        }
        lacking.sort_unstable();
        lacking.dedup();
        for f in lacking {
            self.field_gaps[f as usize] += 1;
        }
        if let Some(g) = g {
            g.leads += 1;
            g.dest[di] += 1;
            g.outcome.add(o);
        }
    }

    pub fn scored(&self) -> u64 {
        self.leads - self.rejected
    }

    /// Groups, largest first (ties by name).
    pub fn groups_sorted(&self) -> Vec<(&String, &Group)> {
        let mut g: Vec<_> = self.groups.iter().collect();
        g.sort_by(|a, b| b.1.leads.cmp(&a.1.leads).then(a.0.cmp(b.0)));
        g
    }

    /// Precision and recall of the sales route against the outcome.
    pub fn sales_precision_recall(&self) -> (Option<f64>, Option<f64>) {
        let tp = self.dest_outcome[0].converted as f64;
        let precision = self.dest_outcome[0].rate();
        let recall = (self.outcome.converted > 0).then(|| tp / self.outcome.converted as f64);
        (precision, recall)
    }

    pub fn lift(&self, o: &Outcome) -> Option<f64> {
        match (o.rate(), self.outcome.rate()) {
            (Some(r), Some(all)) if all > 0.0 => Some(r / all),
            _ => None,
        }
    }
}

fn first_words(s: &str) -> String {
    // Group errors by their kind, not by the value seen.
    match s.find(", got") {
        Some(i) => s[..i].to_string(),
        None => s.chars().take(60).collect(),
    }
}

/// Finds `--by` / `--outcome` values in input records.
pub struct Extract {
    keys: Vec<Option<String>>,
    columns: Option<Vec<Option<usize>>>,
}

impl Extract {
    pub fn new(keys: Vec<Option<String>>) -> Extract {
        Extract {
            keys,
            columns: None,
        }
    }

    /// Resolves the keys against a CSV header (once).
    fn resolve(&mut self, header: &csv::ByteRecord) -> Result<(), Failure> {
        if self.columns.is_some() {
            return Ok(());
        }
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        let mut cols = Vec::new();
        for key in &self.keys {
            cols.push(match key {
                None => None,
                Some(k) => Some(names.iter().position(|n| n == k.trim()).ok_or_else(|| {
                    Failure::usage(format!(
                        "error: the input has no column \"{k}\"; its columns are: {}",
                        names.join(", ")
                    ))
                })?),
            });
        }
        self.columns = Some(cols);
        Ok(())
    }

    /// The values of the keys in one record (`None` when missing or empty).
    pub fn values(
        &mut self,
        header: Option<&csv::ByteRecord>,
        record: &Record,
    ) -> Result<Vec<Option<String>>, Failure> {
        if self.keys.iter().all(Option::is_none) {
            return Ok(vec![None; self.keys.len()]);
        }
        let clean = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        match record {
            Record::Csv(row) => {
                if let Some(h) = header {
                    self.resolve(h)?;
                }
                let cols = self.columns.as_deref().unwrap_or(&[]);
                Ok(cols
                    .iter()
                    .map(|c| {
                        c.and_then(|c| row.get(c))
                            .and_then(|b| clean(&String::from_utf8_lossy(b)))
                    })
                    .collect())
            }
            Record::Json(text) => {
                let obj: serde_json::Map<String, Json> =
                    serde_json::from_str(text).unwrap_or_default();
                Ok(self
                    .keys
                    .iter()
                    .map(|k| {
                        k.as_ref().and_then(|k| match obj.get(k) {
                            Some(Json::String(s)) => clean(s),
                            Some(Json::Bool(b)) => Some(b.to_string()),
                            Some(Json::Number(n)) => Some(n.to_string()),
                            Some(Json::Array(items)) => {
                                let parts: Vec<String> = items
                                    .iter()
                                    .map(|i| match i {
                                        Json::String(s) => s.clone(),
                                        other => other.to_string(),
                                    })
                                    .collect();
                                Some(parts.join("; "))
                            }
                            Some(Json::Object(_)) => {
                                Some(Json::Object(Default::default()).to_string())
                            }
                            _ => None,
                        })
                    })
                    .collect())
            }
            Record::Bad(_) => Ok(vec![None; self.keys.len()]),
        }
    }
}

/// Scores `input` and builds the report.
pub fn build(
    agreement: &Agreement,
    input: &str,
    by: Option<&str>,
    outcome: Option<&str>,
    scoring: &ScoringArgs,
) -> Result<Report, Failure> {
    let (opts, threads) = scoring.options()?;
    let mut report = Report::new(agreement);
    let mut extract = Extract::new(vec![by.map(String::from), outcome.map(String::from)]);
    crate::score::stream(
        agreement,
        input,
        scoring.input_format,
        &opts,
        &threads,
        |header, records, decisions| {
            for (r, d) in records.iter().zip(decisions) {
                let vals = extract.values(header, r)?;
                let group = by.map(|_| vals[0].as_deref().unwrap_or("(missing)"));
                let o = outcome.map(|_| vals[1].as_deref().and_then(truthy));
                report.add(agreement, d, group, o);
            }
            Ok(())
        },
    )?;
    Ok(report)
}

pub fn run(args: &ReportArgs) -> Result<u8, Failure> {
    // Refused or prepared before any work: a failed run leaves the old page.
    let html = match &args.html {
        Some(path) => {
            let inputs = [args.agreement.as_path(), std::path::Path::new(&args.input)];
            Some(crate::output::OutputFile::create(path, &inputs)?)
        }
        None => None,
    };
    let (agreement, _) = load_agreement(&args.agreement)?;
    let report = build(
        &agreement,
        &args.input,
        args.by.as_deref(),
        args.outcome.as_deref(),
        &args.scoring,
    )?;
    let ctx = Context {
        agreement: &agreement,
        report: &report,
        by: args.by.as_deref(),
        outcome: args.outcome.as_deref(),
        top: args.top,
        title: format!("{} on {}", args.agreement.display(), args.input),
    };
    match args.format {
        ReportFormat::Text => crate::output::print_for_people(&text(&ctx))?,
        ReportFormat::Json => crate::output::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&to_json(&ctx)).unwrap_or_default()
        ))?,
    }
    if let Some(mut file) = html {
        let path = args.html.as_deref().unwrap_or(std::path::Path::new(""));
        std::io::Write::write_all(&mut file, crate::html::page(&ctx).as_bytes())
            .map_err(|e| Failure::usage(format!("error: cannot write {}: {e}", path.display())))?;
        file.commit()?;
        crate::output::note(format_args!("wrote {}", path.display()));
    }
    Ok(if report.rejected > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

/// A route rule as `sales/emea "Hot lead, EMEA"` or `nurture (otherwise)`.
pub fn route_rule_label(a: &Agreement, i: usize) -> String {
    let r = &a.model().routes[i];
    let mut s = r.destination.as_str().to_string();
    if let Some(q) = &r.queue {
        let _ = write!(s, "/{q}");
    }
    match &r.name {
        Some(n) => {
            let _ = write!(s, " \"{n}\"");
        }
        None => s.push_str(" (otherwise)"),
    }
    s
}

/// What the renderers need.
pub struct Context<'a> {
    pub agreement: &'a Agreement,
    pub report: &'a Report,
    pub by: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub top: usize,
    pub title: String,
}

impl Context<'_> {
    /// Route rule label: `3. sales/emea "Hot lead, EMEA"`.
    pub fn route_label(&self, i: usize) -> String {
        format!("{}. {}", i + 1, route_rule_label(self.agreement, i))
    }

    /// `(destination/queue, leads, outcome)` in route-rule order of first appearance.
    pub fn queues(&self) -> Vec<(String, u64, Outcome)> {
        let m = self.agreement.model();
        let mut out: Vec<(String, u64, Outcome)> = Vec::new();
        for (i, r) in m.routes.iter().enumerate() {
            let key = match &r.queue {
                Some(q) => format!("{}/{q}", r.destination.as_str()),
                None => format!("{} (no queue)", r.destination.as_str()),
            };
            let o = self.report.route_outcome[i];
            match out.iter_mut().find(|(k, _, _)| *k == key) {
                Some(e) => {
                    e.1 += self.report.route_rule[i];
                    e.2.converted += o.converted;
                    e.2.known += o.known;
                }
                None => out.push((key, self.report.route_rule[i], o)),
            }
        }
        out
    }
}

fn rate_cols(ctx: &Context, o: &Outcome) -> String {
    if ctx.outcome.is_none() {
        return String::new();
    }
    let rate = o
        .rate()
        .map_or("-".into(), |r| format!("{:.1}%", 100.0 * r));
    let lift = ctx
        .report
        .lift(o)
        .map_or("-".into(), |l| format!("{l:.2}x"));
    format!("  {:>9}  {:>8}  {:>6}", o.converted, rate, lift)
}

/// `  label      leads      %  [converted rate lift]extra`
#[allow(clippy::too_many_arguments)]
fn count_line(
    out: &mut String,
    ctx: &Context,
    w: usize,
    label: &str,
    n: u64,
    of: u64,
    o: &Outcome,
    extra: &str,
) {
    let _ = writeln!(
        out,
        "  {:<w2$}{:>8}  {:>6}{}{extra}",
        label,
        n,
        pct(n, of),
        rate_cols(ctx, o),
        w2 = w - 2
    );
}

fn rate_head(ctx: &Context) -> String {
    if ctx.outcome.is_none() {
        String::new()
    } else {
        format!("  {:>9}  {:>8}  {:>6}", "converted", "rate", "lift")
    }
}

pub fn text(ctx: &Context) -> String {
    let (r, m) = (ctx.report, ctx.agreement.model());
    let mut out = String::new();
    let scored = r.scored();
    let _ = writeln!(out, "Report: {}", ctx.title);
    let _ = writeln!(
        out,
        "{} leads: {} scored, {} rejected ({})",
        r.leads,
        scored,
        r.rejected,
        pct(r.rejected, r.leads)
    );
    let w = 52;
    let _ = writeln!(
        out,
        "\nRoutes{:w2$}{:>8}  {:>6}{}",
        "",
        "leads",
        "%",
        rate_head(ctx),
        w2 = w - 6
    );
    for (i, d) in DESTS.iter().enumerate() {
        count_line(
            &mut out,
            ctx,
            w,
            d.as_str(),
            r.dest[i],
            scored,
            &r.dest_outcome[i],
            "",
        );
    }
    let _ = writeln!(out, "\nQueues");
    for (q, n, o) in ctx.queues() {
        count_line(&mut out, ctx, w, &q, n, scored, &o, "");
    }
    let _ = writeln!(
        out,
        "\nRoute rules (undecided: leads passed over for lack of data)"
    );
    for i in 0..m.routes.len() {
        let label: String = ctx.route_label(i).chars().take(w - 3).collect();
        let und = if r.undecided[i] > 0 {
            format!("  undecided {}", r.undecided[i])
        } else {
            String::new()
        };
        let (n, o) = (r.route_rule[i], &r.route_outcome[i]);
        count_line(&mut out, ctx, w, &label, n, scored, o, &und);
    }
    for (gi, g) in m.grades.iter().enumerate() {
        let _ = writeln!(out, "\nGrade {}", g.name);
        for (li, l) in g.labels.iter().enumerate() {
            let (n, o) = (r.grade[gi][li], &r.grade_outcome[gi][li]);
            count_line(&mut out, ctx, w, l, n, scored, o, "");
        }
    }
    let _ = writeln!(
        out,
        "\nScores{:18}{:>9}{:>9}{:>9}{:>9}{:>9}",
        "", "min", "median", "p90", "max", "mean"
    );
    let names = m.scores.iter().map(|s| s.name.as_str()).chain(["total"]);
    let mut sampled = false;
    for (name, d) in names.zip(r.scores.iter().chain([&r.total])) {
        if d.count == 0 {
            continue;
        }
        sampled |= !d.exact();
        let q = d.quantiles(&[0.5, 0.9]);
        let _ = writeln!(
            out,
            "  {:<22}{:>9}{:>9}{:>9}{:>9}{:>9}",
            name,
            num(d.min),
            num(q[0]),
            num(q[1]),
            num(d.max),
            num(d.sum / d.count as f64)
        );
    }
    if sampled {
        let _ = writeln!(
            out,
            "  (median and p90 from a uniform sample of {SAMPLE} leads)"
        );
    }
    let _ = writeln!(
        out,
        "\nScore rules{:27}{:>8}  {:>6}  {:>10}  {:>6}",
        "", "fired", "%", "data gaps", "%"
    );
    for (ri, rule) in m.rules.iter().enumerate() {
        let label = format!("{}: {}", m.scores[rule.score as usize].name, rule.name);
        let label: String = label.chars().take(36).collect();
        let _ = writeln!(
            out,
            "  {:<36}{:>8}  {:>6}  {:>10}  {:>6}",
            label,
            r.fired[ri],
            pct(r.fired[ri], scored),
            r.unknown[ri],
            pct(r.unknown[ri], scored)
        );
    }
    let gaps: Vec<(usize, u64)> = r
        .field_gaps
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .collect();
    if !gaps.is_empty() {
        let _ = writeln!(
            out,
            "\nData gaps by field (leads with a rule undecided for lack of it)"
        );
        let mut gaps = gaps;
        gaps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (f, n) in gaps {
            let field = &m.fields[f];
            let _ = writeln!(
                out,
                "  {:<36}{:>8}  {:>6}",
                format!("{} (\"{}\")", field.name, field.key)
                    .chars()
                    .take(36)
                    .collect::<String>(),
                n,
                pct(n, scored)
            );
        }
    }
    if !r.errors.is_empty() {
        let _ = writeln!(out, "\nRejected leads, by reason");
        let mut e: Vec<_> = r.errors.iter().collect();
        e.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (msg, n) in e.iter().take(10) {
            let _ = writeln!(out, "  {n:>8}  {msg}");
        }
    }
    if let Some(by) = ctx.by {
        groups_text(&mut out, ctx, by);
    }
    if let Some(o) = ctx.outcome {
        let _ = writeln!(
            out,
            "\nBacktest against \"{o}\": {} of {} scored leads with a known outcome converted ({}); {} with an unknown outcome",
            r.outcome.converted,
            r.outcome.known,
            pct(r.outcome.converted, r.outcome.known),
            r.outcome_unknown
        );
        let (p, rc) = r.sales_precision_recall();
        let f = |x: Option<f64>| x.map_or("-".into(), |x| format!("{:.1}%", 100.0 * x));
        let _ = writeln!(
            out,
            "  sales route: precision {} (converted among leads routed to sales), recall {} (share of all conversions routed to sales)",
            f(p),
            f(rc)
        );
        for (i, d) in DESTS.iter().enumerate() {
            let o = &r.dest_outcome[i];
            let _ = writeln!(
                out,
                "  {:<14} conversion {:>6}  lift {}",
                d.as_str(),
                o.rate()
                    .map_or("-".into(), |x| format!("{:.1}%", 100.0 * x)),
                r.lift(o).map_or("-".into(), |l| format!("{l:.2}x"))
            );
        }
    }
    out
}

fn groups_text(out: &mut String, ctx: &Context, by: &str) {
    let r = ctx.report;
    let groups = r.groups_sorted();
    let _ = writeln!(
        out,
        "\nBy \"{by}\" ({} groups, largest first; route mix in % of the group's scored leads)",
        groups.len()
    );
    let conv_head = if ctx.outcome.is_some() {
        format!("  {:>8}  {:>6}", "conv.", "lift")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {:<28}{:>8}  {:>7}  {:>7}  {:>7}  {:>8}{conv_head}",
        "group", "leads", "sales", "telem.", "nurture", "rejected"
    );
    let mut rest = Group::default();
    let mut rest_n = 0;
    for (k, (name, g)) in groups.iter().enumerate() {
        if k >= ctx.top {
            rest_n += 1;
            rest.leads += g.leads;
            rest.rejected += g.rejected;
            for i in 0..3 {
                rest.dest[i] += g.dest[i];
            }
            rest.outcome.converted += g.outcome.converted;
            rest.outcome.known += g.outcome.known;
            continue;
        }
        group_line(out, ctx, &name.chars().take(28).collect::<String>(), g);
    }
    if rest_n > 0 {
        group_line(out, ctx, &format!("({rest_n} other groups)"), &rest);
    }
}

fn group_line(out: &mut String, ctx: &Context, name: &str, g: &Group) {
    let scored = g.leads - g.rejected;
    let conv = if ctx.outcome.is_some() {
        format!(
            "  {:>8}  {:>6}",
            g.outcome
                .rate()
                .map_or("-".into(), |x| format!("{:.1}%", 100.0 * x)),
            ctx.report
                .lift(&g.outcome)
                .map_or("-".into(), |l| format!("{l:.2}x"))
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {:<28}{:>8}  {:>7}  {:>7}  {:>7}  {:>8}{conv}",
        name,
        g.leads,
        pct(g.dest[0], scored),
        pct(g.dest[1], scored),
        pct(g.dest[2], scored),
        g.rejected
    );
}

fn outcome_json(ctx: &Context, o: &Outcome) -> Json {
    if ctx.outcome.is_none() {
        return Json::Null;
    }
    json!({"converted": o.converted, "known": o.known, "rate": o.rate(), "lift": ctx.report.lift(o)})
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

pub fn to_json(ctx: &Context) -> Json {
    let (r, m) = (ctx.report, ctx.agreement.model());
    let scored = r.scored();
    let routes: Vec<Json> = DESTS
        .iter()
        .enumerate()
        .map(|(i, d)| json!({"route": d.as_str(), "leads": r.dest[i], "share": share(r.dest[i], scored), "outcome": outcome_json(ctx, &r.dest_outcome[i])}))
        .collect();
    let queues: Vec<Json> = ctx
        .queues()
        .iter()
        .map(|(q, n, o)| json!({"queue": q, "leads": n, "share": share(*n, scored), "outcome": outcome_json(ctx, o)}))
        .collect();
    let route_rules: Vec<Json> = m
        .routes
        .iter()
        .enumerate()
        .map(|(i, rr)| json!({"index": i, "rule": rr.name, "route": rr.destination.as_str(), "queue": rr.queue, "leads": r.route_rule[i], "share": share(r.route_rule[i], scored), "undecided": r.undecided[i], "outcome": outcome_json(ctx, &r.route_outcome[i])}))
        .collect();
    let grades: Vec<Json> = m
        .grades
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let labels: Vec<Json> = g
                .labels
                .iter()
                .enumerate()
                .map(|(li, l)| json!({"label": l, "leads": r.grade[gi][li], "share": share(r.grade[gi][li], scored), "outcome": outcome_json(ctx, &r.grade_outcome[gi][li])}))
                .collect();
            json!({"grade": g.name, "labels": labels})
        })
        .collect();
    let dist = |name: &str, d: &Dist| {
        let q = d.quantiles(&[0.5, 0.9]);
        json!({"score": name, "min": (d.count > 0).then_some(d.min), "median": (d.count > 0).then_some(q[0]), "p90": (d.count > 0).then_some(q[1]), "max": (d.count > 0).then_some(d.max), "mean": (d.count > 0).then(|| d.sum / d.count as f64), "exact": d.exact()})
    };
    let mut scores: Vec<Json> = m
        .scores
        .iter()
        .zip(&r.scores)
        .map(|(s, d)| dist(&s.name, d))
        .collect();
    scores.push(dist("total", &r.total));
    let rules: Vec<Json> = m
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| json!({"rule": rule.name, "score": m.scores[rule.score as usize].name, "fired": r.fired[i], "undecided": r.unknown[i]}))
        .collect();
    let gaps: Vec<Json> = m
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| r.field_gaps[*i] > 0)
        .map(|(i, f)| json!({"field": f.name, "key": f.key, "leads": r.field_gaps[i]}))
        .collect();
    let mut errors: Vec<_> = r.errors.iter().collect();
    errors.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let errors: Vec<Json> = errors
        .iter()
        .map(|(e, n)| json!({"reason": e, "leads": n}))
        .collect();
    let groups: Option<Vec<Json>> = ctx.by.map(|_| {
        r.groups_sorted()
            .iter()
            .map(|(name, g)| {
                let s = g.leads - g.rejected;
                json!({"group": name, "leads": g.leads, "rejected": g.rejected,
                    "routes": {"sales": g.dest[0], "telemarketing": g.dest[1], "nurture": g.dest[2]},
                    "shares": {"sales": share(g.dest[0], s), "telemarketing": share(g.dest[1], s), "nurture": share(g.dest[2], s)},
                    "outcome": outcome_json(ctx, &g.outcome)})
            })
            .collect()
    });
    let backtest = ctx.outcome.map(|o| {
        let (p, rc) = r.sales_precision_recall();
        json!({"column": o, "converted": r.outcome.converted, "known": r.outcome.known,
            "rate": r.outcome.rate(), "unknown_outcome": r.outcome_unknown,
            "sales_precision": p, "sales_recall": rc})
    });
    json!({
        "agreement": m.name, "version": m.version,
        "leads": r.leads, "scored": scored, "rejected": r.rejected,
        "routes": routes, "queues": queues, "route_rules": route_rules,
        "grades": grades, "scores": scores, "rules": rules, "data_gaps": gaps,
        "rejections": errors, "by": ctx.by, "groups": groups, "backtest": backtest,
    })
}
