//! `leadgate explain`: one lead's decision, explained for a human.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{ArgGroup, Args};
use leadgate::check::Points;
use leadgate::value::Value;
use leadgate::{Agreement, Decision, Lead, Verdict};

use crate::common::{duration, num, ScoringArgs};
use crate::input::{self, Record};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Args)]
#[command(group(ArgGroup::new("which").required(true).args(["lead", "index"])))]
pub struct ExplainArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// With --index: the leads file (.jsonl, .json, .csv, or `-`).
    pub input: Option<String>,
    /// The lead as a JSON object, e.g. '{"email": "ana@acme.io", "title": "VP Sales"}'; `-` reads it from stdin.
    #[arg(long)]
    pub lead: Option<String>,
    /// Explain the lead at this 0-based position of INPUT.
    #[arg(long, requires = "input")]
    pub index: Option<usize>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

pub fn run(args: &ExplainArgs) -> Result<u8, Failure> {
    let (agreement, source) = load_agreement(&args.agreement)?;
    let (opts, _) = args.scoring.options()?;
    let (lead, index) = match (&args.lead, args.index, &args.input) {
        (Some(json), _, _) if json == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Failure::usage(format!("error: cannot read stdin: {e}")))?;
            (agreement.bind_json(&text, opts.on_bad_value), 0)
        }
        (Some(json), _, _) => (agreement.bind_json(json, opts.on_bad_value), 0),
        (None, Some(i), Some(input)) => (read_lead(&agreement, input, &args.scoring, i)?, i),
        _ => return Err(Failure::usage("error: give --lead JSON or --index N INPUT")),
    };
    let decision = agreement.decide(index, &lead, &opts);
    let as_of = args.scoring.as_of.as_deref().unwrap_or("now");
    crate::output::print_for_people(&explain(
        &agreement,
        &source,
        &lead,
        &decision,
        as_of,
        opts.as_of_ms,
    ))?;
    Ok(if decision.error().is_some() {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

/// Reads the record at `index` of `input`, bound for `agreement`.
fn read_lead(
    agreement: &Agreement,
    input: &str,
    scoring: &ScoringArgs,
    index: usize,
) -> Result<Lead, Failure> {
    let fmt = input::detect(input, scoring.input_format)?;
    let mut source = input::open(input, fmt, None)?;
    let binder = source.csv_header().map(|h| agreement.csv_binder(h));
    let mut seen = 0usize;
    let mut records: Vec<Record> = Vec::new();
    loop {
        records.clear();
        let more = source.next_chunk(crate::score::CHUNK, &mut records)?;
        if index < seen + records.len() {
            let r = &records[index - seen];
            return Ok(crate::score::bind(
                agreement,
                binder.as_ref(),
                r,
                scoring.on_bad_value,
            ));
        }
        seen += records.len();
        if !more {
            return Err(Failure::usage(format!(
                "error: --index {index}: {input} has {seen} lead(s)"
            )));
        }
    }
}

/// The source text of a span, on one line, without comments.
pub fn snippet(source: &str, span: leadgate::Span) -> String {
    let text = source.get(span.start..span.end).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_string, mut in_regex) = (false, false);
    while let Some(c) = chars.next() {
        if in_string || in_regex {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if (in_string && c == '"') || (in_regex && (c == '/' || c == '\n')) {
                in_string = false;
                in_regex = false;
            }
            continue;
        }
        match c {
            '#' => {
                // A comment: skip to the end of the line.
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push(' ');
                        break;
                    }
                }
            }
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if out.trim_end().ends_with("matches") => {
                in_regex = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // Collapse whitespace outside strings and regexes (they rarely hold runs of it).
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field_list(agreement: &Agreement, slots: &[u32]) -> String {
    let fields = &agreement.model().fields;
    slots
        .iter()
        .filter_map(|s| fields.get(*s as usize))
        .map(|f| {
            if f.key == f.name {
                f.name.clone()
            } else {
                format!("{} (\"{}\")", f.name, f.key)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn signed(x: f64) -> String {
    if x >= 0.0 {
        format!("+{}", num(x))
    } else {
        num(x)
    }
}

/// The explanation text.
pub fn explain(
    agreement: &Agreement,
    source: &str,
    lead: &Lead,
    d: &Decision,
    as_of: &str,
    as_of_ms: i64,
) -> String {
    let m = agreement.model();
    let mut out = String::new();
    let id = d.id.as_deref().map(|i| format!("{i} ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Lead {id}(index {}), agreement \"{}\"{}, as of {as_of}",
        d.index,
        m.name,
        m.version
            .as_deref()
            .map(|v| format!(" version {v}"))
            .unwrap_or_default()
    );
    let v = match &d.outcome {
        Err(e) => {
            let _ = writeln!(
                out,
                "\nREJECTED: {}{}",
                e.field
                    .as_deref()
                    .map(|f| format!("{f}: "))
                    .unwrap_or_default(),
                e.message
            );
            let _ = writeln!(
                out,
                "The lead is not scored; fix the value or score with --on-bad-value missing."
            );
            return out;
        }
        Ok(v) => v,
    };
    let r = &m.routes[v.route as usize];
    let _ = writeln!(
        out,
        "\n=> {}{}{} by route rule {} of {}{}",
        r.destination.as_str().to_uppercase(),
        r.queue
            .as_deref()
            .map(|q| format!(" (queue \"{q}\")"))
            .unwrap_or_default(),
        r.within_s
            .map(|s| format!(", follow up within {}", duration(s)))
            .unwrap_or_default(),
        v.route + 1,
        m.routes.len(),
        r.name
            .as_deref()
            .map(|n| format!(": \"{n}\""))
            .unwrap_or_default()
    );
    scores(&mut out, agreement, lead, v, as_of_ms);
    grades(&mut out, agreement, source, v);
    routes(&mut out, agreement, source, v);
    if !v.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings");
        for w in &v.warnings {
            let _ = writeln!(out, "  {}: {}", w.field, w.message);
        }
    }
    out
}

fn scores(out: &mut String, agreement: &Agreement, lead: &Lead, v: &Verdict, as_of_ms: i64) {
    let m = agreement.model();
    let _ = writeln!(out, "\nScores");
    for (si, score) in m.scores.iter().enumerate() {
        let value = v.scores[si];
        let potential = v.potentials[si];
        let pot = if potential > value {
            format!(
                "   (potential {}, if the undecided rules fired)",
                num(potential)
            )
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {} = {}{pot}", score.name, num(value));
        let mut raw = 0.0;
        for f in v
            .fired
            .iter()
            .filter(|f| m.rules[f.rule as usize].score == si as u32)
        {
            raw += f.points;
            let _ = writeln!(
                out,
                "    {:>7}  {}",
                signed(f.points),
                m.rules[f.rule as usize].name
            );
        }
        for u in v
            .unknown
            .iter()
            .filter(|u| m.rules[u.rule as usize].score == si as u32)
        {
            let rule = &m.rules[u.rule as usize];
            let worth = match (&rule.points, rule.cap, rule.negative) {
                (Points::Const(p), _, neg) => format!("{}{}", if neg { "-" } else { "+" }, num(*p)),
                (Points::Computed(_), Some(c), neg) => {
                    format!("up to {}{}", if neg { "-" } else { "+" }, num(c))
                }
                (Points::Computed(_), None, _) => "computed points".to_string(),
            };
            let _ = writeln!(
                out,
                "    {:>7}  {}: undecided, missing {} ({worth} if it fired)",
                "?",
                rule.name,
                field_list(agreement, &u.missing)
            );
        }
        if let Some(decay) = &score.decay {
            let field = &m.fields[decay.slot as usize].name;
            if v.decay_skipped.get(si).copied().unwrap_or(false) {
                let _ = writeln!(out, "    decay: none, {field} is missing");
            } else if let Some(Value::Date(ms)) = lead.value(decay.slot as usize) {
                let age_ms = (as_of_ms - ms).max(0) as f64;
                let factor = 0.5f64.powf(age_ms / decay.every_ms as f64);
                let _ = writeln!(
                    out,
                    "    decay: {} x {:.3} ({field} {} days before as_of, halves every {})",
                    num(raw),
                    factor,
                    num(age_ms / 86_400_000.0),
                    duration(decay.every_ms / 1000)
                );
                raw *= factor;
            }
        }
        if let Some((lo, hi)) = score.range {
            if raw < lo || raw > hi {
                let _ = writeln!(
                    out,
                    "    range {} to {}: {} clamped to {}",
                    num(lo),
                    num(hi),
                    num(raw),
                    num(value)
                );
            }
        }
    }
    let _ = writeln!(out, "  total = {}", num(v.total));
}

fn grades(out: &mut String, agreement: &Agreement, source: &str, v: &Verdict) {
    let m = agreement.model();
    if m.grades.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nGrades (the first line that is true)");
    for (gi, grade) in m.grades.iter().enumerate() {
        let label = v.grades[gi];
        let line = grade.lines.iter().position(|l| l.label == label);
        let _ = writeln!(
            out,
            "  {} = {}   (line {} of {}: {})",
            grade.name,
            grade.labels[label as usize],
            line.map_or(0, |l| l + 1),
            grade.lines.len(),
            line.map(|l| snippet(source, grade.lines[l].span))
                .unwrap_or_default()
        );
    }
}

fn routes(out: &mut String, agreement: &Agreement, source: &str, v: &Verdict) {
    let m = agreement.model();
    let _ = writeln!(
        out,
        "\nRoute rules, in order (the first that is true decides)"
    );
    for (ri, rule) in m.routes.iter().enumerate() {
        let status = if ri as u32 == v.route {
            "MATCHED  ".to_string()
        } else if ri as u32 > v.route {
            "not tried".to_string()
        } else if v.undecided.iter().any(|u| u.route == ri as u32) {
            "undecided".to_string()
        } else {
            "false    ".to_string()
        };
        let _ = writeln!(
            out,
            "  {:>2}. {status}  {}",
            ri + 1,
            snippet(source, rule.span)
        );
        if let Some(u) = v.undecided.iter().find(|u| u.route == ri as u32) {
            let _ = writeln!(
                out,
                "                    unknown: missing {}",
                field_list(agreement, &u.missing)
            );
        }
    }
}
