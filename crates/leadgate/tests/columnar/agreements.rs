//! Random agreements, as agreement text, for the columnar tests.

use super::*;

// ------------------------------------------------------- random agreements

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ty {
    Text,
    Number,
    Bool,
    Date,
    List,
}

impl From<FieldType> for Ty {
    fn from(t: FieldType) -> Ty {
        match t {
            FieldType::Text => Ty::Text,
            FieldType::Number => Ty::Number,
            FieldType::Bool => Ty::Bool,
            FieldType::Date => Ty::Date,
            FieldType::List => Ty::List,
        }
    }
}

/// A field as the record batch generator sees it.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub(crate) name: String,
    pub(crate) key: String,
    pub(crate) ty: Ty,
    /// `required` or `id`: its column is nearly always there and full.
    pub(crate) required: bool,
}

pub(crate) fn cols_of(a: &Agreement) -> Vec<Col> {
    a.fields()
        .iter()
        .map(|f| Col {
            name: f.name().to_string(),
            key: f.key().to_string(),
            ty: f.field_type().into(),
            required: f.is_required(),
        })
        .collect()
}

#[derive(Debug, Clone)]
pub(crate) struct FieldSpec {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) key: Option<String>,
    pub(crate) required: bool,
    pub(crate) id: bool,
}

pub(crate) const NUMS: &[&str] = &[
    "0", "1", "2", "5", "10", "12.5", "20", "30", "60", "100", "1_000", "0.1", "0.5", "2.5",
];
pub(crate) const TEXTS: &[&str] = &[
    "VP Sales",
    "vp",
    "Head of Data",
    "DE",
    "fr",
    "Software",
    "gmail.com",
    "corp.io",
    "İstanbul",
    "istanbul",
    "straße",
    "STRASSE",
    "ß",
    "ÜBER",
    "12.5",
    "7",
    "yes",
    "true",
    "abc",
    "a  b",
    "webinar",
    "Working Professional",
    "Head of Data Engineering",
    "say \"hi\"",
    "back\\slash",
    "Ⅻ",
];
pub(crate) const REGEXES: &[&str] = &[
    r"/^vp\b/i",
    r"/(head|chief) of/",
    r"/\d+/",
    r"/stra(ss|ß)e/i",
    r"/^İ/",
    r"/gmail\.com$/i",
    r"/^[a-z]+$/",
    r"/ü/i",
    r"/^x/m",
    r"/a.b/s",
    r"/\bDE\b/",
];
pub(crate) const DURATIONS: &[&str] = &["90m", "2h", "12h", "1d", "30d", "2w"];
pub(crate) const DATE_LITS: &[&str] = &[
    "2026-11-01",
    "2026-11-22",
    "2026-11-22T10:00:00Z",
    "2026-10-24T00:00:00+02:00",
    "2026-11-23T00:00:00.001Z",
];
/// The instants leads are scored at (and that generated dates cluster around).
pub(crate) const AS_OFS: &[&str] = &[
    "2026-11-23",
    "2026-11-22T10:00:00Z",
    "2026-11-01T12:00:00Z",
    "2026-12-31T23:59:59.999Z",
    "2027-06-01",
    "2026-11-23T00:00:00.001Z",
];
pub(crate) const LABELS: &[&str] = &["hot", "warm", "cold", "x", "sales", "tier_2"];
/// Rule names (each gets a number): some longer than 32 bytes, some
/// around it.
pub(crate) const RULE_NAMES: &[&str] = &[
    "Rule",
    "Größe ü",
    "quote \"q\"",
    "Big, deal; yes",
    "ℝ",
    "A rule name of thirty bytes ab",
    "A rule whose name is longer than thirty-two bytes",
];
pub(crate) const QUEUES: &[&str] = &[
    "emea",
    "",
    "Ünï \"q\"",
    "a b",
    "EMEA",
    "a queue whose name is longer than thirty-two bytes",
];

/// A string literal of the language.
pub(crate) fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The names an expression may use.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ctx {
    pub(crate) text: Vec<String>,
    pub(crate) num: Vec<String>,
    pub(crate) flag: Vec<String>,
    pub(crate) date: Vec<String>,
    pub(crate) list: Vec<String>,
    pub(crate) all: Vec<String>,
    /// Empty inside score rules.
    pub(crate) scores: Vec<String>,
    pub(crate) grades: Vec<(String, Vec<String>)>,
    /// Only the shapes typical agreements have: a comparison tests one
    /// field, function, score, potential or total against a constant (no
    /// arithmetic mixing fields and scores, no field against field, no
    /// condition against condition).
    pub(crate) plain: bool,
}

impl Ctx {
    fn of(fields: &[FieldSpec]) -> Ctx {
        let names = |t: Ty| -> Vec<String> {
            fields
                .iter()
                .filter(|f| f.ty == t)
                .map(|f| f.name.clone())
                .collect()
        };
        Ctx {
            text: names(Ty::Text),
            num: names(Ty::Number),
            flag: names(Ty::Bool),
            date: names(Ty::Date),
            list: names(Ty::List),
            all: fields.iter().map(|f| f.name.clone()).collect(),
            ..Ctx::default()
        }
    }
}

pub(crate) type S = BoxedStrategy<String>;

pub(crate) fn pick(items: &[&'static str]) -> S {
    prop::sample::select(items.to_vec())
        .prop_map(str::to_string)
        .boxed()
}

pub(crate) fn pick_owned(items: &[String]) -> S {
    prop::sample::select(items.to_vec()).boxed()
}

pub(crate) fn union(options: Vec<(u32, S)>) -> S {
    Union::new_weighted(options.into_iter().filter(|(w, _)| *w > 0).collect()).boxed()
}

pub(crate) fn num_leaf(ctx: &Ctx) -> S {
    let mut u = vec![(3, pick(NUMS))];
    if !ctx.num.is_empty() {
        u.push((6, pick_owned(&ctx.num)));
    }
    if !ctx.list.is_empty() {
        u.push((
            1,
            pick_owned(&ctx.list)
                .prop_map(|l| format!("count({l})"))
                .boxed(),
        ));
    }
    if !ctx.date.is_empty() {
        u.push((
            1,
            pick_owned(&ctx.date)
                .prop_map(|d| format!("days_since({d})"))
                .boxed(),
        ));
    }
    if !ctx.scores.is_empty() {
        u.push((4, pick_owned(&ctx.scores)));
        u.push((
            2,
            pick_owned(&ctx.scores)
                .prop_map(|s| format!("potential({s})"))
                .boxed(),
        ));
        u.push((1, Just("total".to_string()).boxed()));
    }
    union(u)
}

pub(crate) fn num_expr(ctx: &Ctx, depth: u32) -> S {
    let leaf = num_leaf(ctx);
    if depth == 0 {
        return leaf;
    }
    let sub = num_expr(ctx, depth - 1);
    union(vec![
        (6, leaf),
        (
            2,
            (sub.clone(), pick(&["+", "-", "*", "/"]), sub.clone())
                .prop_map(|(a, o, b)| format!("({a} {o} {b})"))
                .boxed(),
        ),
        (
            1,
            (pick(&["min", "max"]), sub.clone(), sub.clone())
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})"))
                .boxed(),
        ),
        (1, sub.prop_map(|a| format!("(-{a})")).boxed()),
    ])
}

pub(crate) fn text_atom(ctx: &Ctx) -> S {
    let t = pick_owned(&ctx.text);
    union(vec![
        (5, t.clone()),
        (1, t.prop_map(|t| format!("domain({t})")).boxed()),
    ])
}

pub(crate) fn text_const() -> S {
    pick(TEXTS).prop_map(|s| lit(&s)).boxed()
}

pub(crate) fn text_list() -> S {
    union(vec![
        (3, Just("L0".to_string()).boxed()),
        (
            3,
            prop::collection::vec(text_const(), 1..4)
                .prop_map(|v| format!("[{}]", v.join(", ")))
                .boxed(),
        ),
        (1, Just("[]".to_string()).boxed()),
    ])
}

pub(crate) fn cmp_op() -> S {
    pick(&["==", "!=", "<", "<=", ">", ">="])
}

pub(crate) fn cond_leaf(ctx: &Ctx) -> S {
    let num = if ctx.plain {
        num_leaf(ctx)
    } else {
        num_expr(ctx, 1)
    };
    let mixed = if ctx.plain { 0 } else { 1 };
    let mut u: Vec<(u32, S)> = vec![
        (
            6,
            (num.clone(), cmp_op(), pick(NUMS))
                .prop_map(|(a, o, c)| format!("{a} {o} {c}"))
                .boxed(),
        ),
        (
            2 * mixed,
            (num.clone(), cmp_op(), num.clone())
                .prop_map(|(a, o, b)| format!("{a} {o} {b}"))
                .boxed(),
        ),
        (
            1,
            (num.clone(), pick(NUMS), pick(NUMS))
                .prop_map(|(a, l, h)| format!("{a} between {l} and {h}"))
                .boxed(),
        ),
        (
            1,
            (
                num,
                pick(&["in", "not in"]),
                union(vec![
                    (1, Just("N0".to_string()).boxed()),
                    (
                        2,
                        prop::collection::vec(pick(NUMS), 0..3)
                            .prop_map(|v| format!("[{}]", v.join(", ")))
                            .boxed(),
                    ),
                ]),
            )
                .prop_map(|(a, o, l)| format!("{a} {o} {l}"))
                .boxed(),
        ),
        (
            2,
            (pick_owned(&ctx.all), pick(&["is missing", "is present"]))
                .prop_map(|(f, t)| format!("{f} {t}"))
                .boxed(),
        ),
        (1, pick(&["true", "false"])),
    ];
    if !ctx.num.is_empty() {
        u.push((
            mixed,
            (
                pick_owned(&ctx.num),
                pick_owned(&ctx.num),
                pick(&["missing", "present"]),
            )
                .prop_map(|(a, b, t)| format!("({a} / {b}) is {t}"))
                .boxed(),
        ));
    }
    if !ctx.text.is_empty() {
        let t = text_atom(ctx);
        u.extend([
            (
                4,
                (t.clone(), pick(&["==", "!="]), text_const())
                    .prop_map(|(a, o, s)| format!("{a} {o} {s}"))
                    .boxed(),
            ),
            (
                mixed,
                (t.clone(), pick(&["==", "!="]), text_atom(ctx))
                    .prop_map(|(a, o, b)| format!("{a} {o} {b}"))
                    .boxed(),
            ),
            (
                2,
                (t.clone(), pick(&["in", "not in"]), text_list())
                    .prop_map(|(a, o, l)| format!("{a} {o} {l}"))
                    .boxed(),
            ),
            (
                3,
                (
                    t.clone(),
                    pick(&["contains", "starts_with", "ends_with"]),
                    text_const(),
                )
                    .prop_map(|(a, o, s)| format!("{a} {o} {s}"))
                    .boxed(),
            ),
            (
                3,
                (t.clone(), pick(REGEXES))
                    .prop_map(|(a, r)| format!("{a} matches {r}"))
                    .boxed(),
            ),
            (1, t.prop_map(|a| format!("{a} is present")).boxed()),
        ]);
    }
    if !ctx.flag.is_empty() {
        let b = pick_owned(&ctx.flag);
        u.extend([
            (3, b.clone()),
            (1, b.clone().prop_map(|b| format!("not {b}")).boxed()),
            (
                1,
                (b, pick(&["==", "!="]), pick(&["true", "false"]))
                    .prop_map(|(b, o, v)| format!("{b} {o} {v}"))
                    .boxed(),
            ),
        ]);
    }
    if !ctx.date.is_empty() {
        let d = pick_owned(&ctx.date);
        u.extend([
            (
                3,
                (d.clone(), pick(DURATIONS))
                    .prop_map(|(d, w)| format!("{d} within {w}"))
                    .boxed(),
            ),
            (
                1,
                (d.clone(), cmp_op(), pick(DATE_LITS))
                    .prop_map(|(d, o, l)| format!("{d} {o} {l}"))
                    .boxed(),
            ),
            (
                1,
                (d.clone(), pick(DATE_LITS), pick(DATE_LITS))
                    .prop_map(|(d, a, b)| format!("{d} between {a} and {b}"))
                    .boxed(),
            ),
            (
                mixed,
                (d.clone(), cmp_op(), d)
                    .prop_map(|(a, o, b)| format!("{a} {o} {b}"))
                    .boxed(),
            ),
        ]);
    }
    if !ctx.list.is_empty() {
        u.push((
            3,
            (pick_owned(&ctx.list), text_const())
                .prop_map(|(l, s)| format!("{l} contains {s}"))
                .boxed(),
        ));
    }
    if !ctx.grades.is_empty() {
        let tests: Vec<String> = ctx
            .grades
            .iter()
            .flat_map(|(g, labels)| labels.iter().map(move |l| format!("{g} is {l}")))
            .collect();
        u.push((4, pick_owned(&tests)));
    }
    union(u)
}

pub(crate) fn cond(ctx: &Ctx, depth: u32) -> S {
    let leaf = cond_leaf(ctx);
    if depth == 0 {
        return leaf;
    }
    let sub = cond(ctx, depth - 1);
    union(vec![
        (5, leaf),
        (
            2,
            (sub.clone(), sub.clone())
                .prop_map(|(a, b)| format!("({a}) and ({b})"))
                .boxed(),
        ),
        (
            2,
            (sub.clone(), sub.clone())
                .prop_map(|(a, b)| format!("({a}) or ({b})"))
                .boxed(),
        ),
        (1, sub.clone().prop_map(|a| format!("not ({a})")).boxed()),
        (
            if ctx.plain { 0 } else { 1 },
            (sub.clone(), pick(&["==", "!="]), sub)
                .prop_map(|(a, o, b)| format!("({a}) {o} ({b})"))
                .boxed(),
        ),
    ])
}

/// One score rule, its name left as `{NAME}`.
pub(crate) fn score_rule(ctx: &Ctx) -> S {
    let points = if ctx.num.is_empty() {
        pick(&["5", "10", "0.5", "12.25", "1_000", "3"])
    } else {
        let n = pick_owned(&ctx.num);
        union(vec![
            (4, pick(&["5", "10", "0.5", "12.25", "1_000", "3"])),
            (1, n.clone().prop_map(|n| format!("({n} / 60)")).boxed()),
            (1, n.prop_map(|n| format!("(2 * {n})")).boxed()),
            (
                if ctx.plain { 0 } else { 2 },
                num_expr(ctx, 2).prop_map(|e| format!("({e})")).boxed(),
            ),
        ])
    };
    (
        pick(&["+", "+", "+", "-"]),
        points,
        prop::option::weighted(0.3, pick(&["10", "30", "0.5", "100"])),
        prop::option::weighted(0.85, cond(ctx, 2)),
    )
        .prop_map(|(sign, points, cap, when)| {
            let cap = cap.map_or(String::new(), |c| format!(" up to {c}"));
            let when = when.map_or(String::new(), |w| format!(" when {w}"));
            format!("{sign}{points}{cap} {{NAME}}{when}")
        })
        .boxed()
}

pub(crate) fn score_block(
    ctx: &Ctx,
) -> BoxedStrategy<(Vec<String>, Option<String>, Option<String>)> {
    let decay = if ctx.date.is_empty() {
        Just(None).boxed()
    } else {
        prop::option::weighted(
            0.4,
            (pick(DURATIONS), pick_owned(&ctx.date))
                .prop_map(|(w, d)| format!("halve every {w} since {d}")),
        )
        .boxed()
    };
    let range = prop::option::weighted(
        0.6,
        (
            prop::sample::select(vec![-50.0, -10.0, 0.0, -0.0, 5.0]),
            prop::sample::select(vec![0.0, 10.0, 50.0, 100.5]),
        )
            .prop_map(|(lo, span): (f64, f64)| format!("range {lo} to {}", lo + span)),
    );
    (prop::collection::vec(score_rule(ctx), 0..6), range, decay).boxed()
}

pub(crate) fn route_rule(ctx: &Ctx) -> S {
    (
        pick(&["sales", "nurture", "telemarketing"]),
        prop::option::weighted(0.4, pick(QUEUES)),
        prop::option::weighted(0.4, pick(DURATIONS)),
        cond(ctx, 2),
    )
        .prop_map(|(dest, queue, within, when)| {
            let queue = queue.map_or(String::new(), |q| format!(" queue {}", lit(&q)));
            let within = within.map_or(String::new(), |w| format!(" within {w}"));
            format!("{dest}{queue}{within} {{NAME}} when {when}")
        })
        .boxed()
}

pub(crate) fn otherwise_rule() -> S {
    (
        pick(&["sales", "nurture", "telemarketing"]),
        prop::option::weighted(0.3, pick(QUEUES)),
        prop::option::weighted(0.3, pick(DURATIONS)),
        any::<bool>(),
    )
        .prop_map(|(dest, queue, within, named)| {
            let queue = queue.map_or(String::new(), |q| format!(" queue {}", lit(&q)));
            let within = within.map_or(String::new(), |w| format!(" within {w}"));
            let name = if named { " {NAME}" } else { "" };
            format!("{dest}{queue}{within}{name} otherwise")
        })
        .boxed()
}

pub(crate) fn field_specs() -> BoxedStrategy<Vec<FieldSpec>> {
    (
        1..=3usize,
        1..=3usize,
        0..=2usize,
        0..=2usize,
        0..=2usize,
        prop::bool::weighted(0.3),
        prop::collection::vec((0..10u8, 0..20u8), 12),
    )
        .prop_map(|(t, n, b, d, l, id, mods)| {
            let mut fields = Vec::new();
            for (ty, count, prefix) in [
                (Ty::Text, t, "t"),
                (Ty::Number, n, "n"),
                (Ty::Bool, b, "b"),
                (Ty::Date, d, "d"),
                (Ty::List, l, "l"),
            ] {
                for i in 0..count {
                    let (rename, req) = mods[fields.len()];
                    let name = format!("{prefix}{i}");
                    let key = match rename {
                        0 => Some(format!("Src {name}")),
                        1 => Some(format!("naïve clé {name}")),
                        2 => Some(format!("{} ", name.to_uppercase())),
                        3 => Some(format!("{name}.{name}")),
                        _ => None,
                    };
                    fields.push(FieldSpec {
                        id: id && ty == Ty::Text && i == 0,
                        required: req == 0 && !id,
                        name,
                        ty,
                        key,
                    });
                }
            }
            fields
        })
        .prop_shuffle()
        .boxed()
}

/// A random agreement: its source text and its fields.
#[derive(Clone)]
pub(crate) struct Generated {
    pub(crate) source: String,
    pub(crate) cols: Vec<Col>,
    pub(crate) plain: bool,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "agreement (plain: {}):\n{}", self.plain, self.source)
    }
}

/// A grade: its name, its lines (label, condition) and its `otherwise` label.
pub(crate) type GradeSpec = (String, Vec<(String, String)>, String);

pub(crate) fn render(
    fields: &[FieldSpec],
    scores: &[(Vec<String>, Option<String>, Option<String>)],
    grades: &[GradeSpec],
    routes: &[String],
    otherwise: &str,
    names: &[String],
) -> String {
    let mut names = names.iter().cycle().enumerate();
    let mut name = || {
        let (i, base) = names.next().unwrap();
        lit(&format!("{base} {i}"))
    };
    let mut s = String::from("agreement \"generated\" version \"1\"\n\nfields {\n");
    for f in fields {
        let ty = match f.ty {
            Ty::Text => "text",
            Ty::Number => "number",
            Ty::Bool => "bool",
            Ty::Date => "date",
            Ty::List => "list",
        };
        let _ = write!(s, "  {} : {ty}", f.name);
        if f.id {
            s.push_str(" id");
        } else if f.required {
            s.push_str(" required");
        }
        if let Some(k) = &f.key {
            let _ = write!(s, " from {}", lit(k));
        }
        s.push('\n');
    }
    s.push_str("}\n\nlist L0 = [\"DE\", \"gmail.com\", \"Software\", \"İstanbul\", \"ß\"]\n");
    s.push_str("list N0 = [0, 5, 12.5, -3]\n\n");
    for (i, (rules, range, decay)) in scores.iter().enumerate() {
        let _ = writeln!(s, "score s{i} {{");
        for r in rules {
            let _ = writeln!(s, "  {}", r.replace("{NAME}", &name()));
        }
        for line in [range, decay].into_iter().flatten() {
            let _ = writeln!(s, "  {line}");
        }
        s.push_str("}\n\n");
    }
    for (g, lines, last) in grades {
        let _ = writeln!(s, "grade {g} {{");
        for (label, when) in lines {
            let _ = writeln!(s, "  {label} when {when}");
        }
        let _ = writeln!(s, "  {last} otherwise\n}}\n");
    }
    s.push_str("route {\n");
    for r in routes {
        let _ = writeln!(s, "  {}", r.replace("{NAME}", &name()));
    }
    let _ = writeln!(s, "  {}\n}}", otherwise.replace("{NAME}", &name()));
    s
}

/// Random agreements as source text: fields of every type (some `id`,
/// `required`, `from`), 1 to 3 scores, 0 to 2 grades, 1 to 4 route rules
/// and `otherwise`.
pub(crate) fn agreement() -> BoxedStrategy<Generated> {
    let grade_shapes = prop::collection::vec(
        Just(LABELS.to_vec()).prop_shuffle().prop_flat_map(|l| {
            (2..=4usize).prop_map(move |n| l[..n].iter().map(|s| s.to_string()).collect())
        }),
        0..=2,
    );
    (
        field_specs(),
        1..=3usize,
        grade_shapes,
        prop::bool::weighted(0.6),
    )
        .prop_flat_map(
            |(fields, n_scores, shapes, plain): (_, _, Vec<Vec<String>>, _)| {
                let base = Ctx {
                    plain,
                    ..Ctx::of(&fields)
                };
                let scores: Vec<_> = (0..n_scores).map(|_| score_block(&base)).collect();
                let mut upper = base.clone();
                upper.scores = (0..n_scores).map(|i| format!("s{i}")).collect();
                let grades: Vec<_> = shapes
                    .iter()
                    .enumerate()
                    .map(|(i, labels)| {
                        let mut ctx = upper.clone();
                        ctx.grades = shapes[..i]
                            .iter()
                            .enumerate()
                            .map(|(j, l)| (format!("g{j}"), l.clone()))
                            .collect();
                        let (last, lines) = labels.split_last().unwrap();
                        let lines: Vec<S> = lines
                            .iter()
                            .map(|l| {
                                let l = l.clone();
                                cond(&ctx, 2)
                                    .prop_map(move |c| format!("{l}\u{0}{c}"))
                                    .boxed()
                            })
                            .collect();
                        (Just(format!("g{i}")), lines, Just(last.clone()))
                    })
                    .collect();
                let mut route_ctx = upper.clone();
                route_ctx.grades = shapes
                    .iter()
                    .enumerate()
                    .map(|(j, l)| (format!("g{j}"), l.clone()))
                    .collect();
                (
                    Just(fields),
                    scores,
                    grades,
                    prop::collection::vec(route_rule(&route_ctx), 1..=4),
                    otherwise_rule(),
                    Just(RULE_NAMES.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                        .prop_shuffle(),
                    Just(plain),
                )
            },
        )
        .prop_map(
            |(fields, scores, grades, routes, otherwise, names, plain)| {
                let grades: Vec<GradeSpec> = grades
                    .into_iter()
                    .map(|(g, lines, last)| {
                        let lines = lines
                            .into_iter()
                            .map(|l| {
                                let (label, when) = l.split_once('\u{0}').unwrap();
                                (label.to_string(), when.to_string())
                            })
                            .collect();
                        (g, lines, last)
                    })
                    .collect();
                let source = render(&fields, &scores, &grades, &routes, &otherwise, &names);
                let cols = fields
                    .iter()
                    .map(|f| Col {
                        name: f.name.clone(),
                        key: f.key.clone().unwrap_or_else(|| f.name.clone()),
                        ty: f.ty,
                        required: f.required || f.id,
                    })
                    .collect();
                Generated {
                    source,
                    cols,
                    plain,
                }
            },
        )
        .boxed()
}
