//! leadgate for JavaScript: compile an agreement, score plain objects.
//!
//! A thin layer over the `leadgate` crate. A JS object is read key by key
//! into the core's [`LeadBuilder`](leadgate::LeadBuilder) (the same coercion
//! every front uses); a decision leaves as the core's canonical JSON, parsed
//! once by the JS engine, so JS sees exactly SPEC.md's shape.
//!
//! Nothing here should panic: every failure becomes a thrown `Error`, and
//! every call into JS that could throw (getters, proxies) is caught and
//! reported. Should the engine panic all the same, the panic boundary takes
//! over: on wasm32 a panic cannot unwind, so [`panic_hook`] throws an `Error`
//! "internal error in leadgate: …" out of the module instead of trapping, and
//! the JS wrapper appended to the glue (`src/guard.js`, by `build.sh`) turns
//! any other trap into such an `Error` too and stops the module: after one,
//! every call throws (docs/reliability.md, section 3).

use std::borrow::Cow;
use std::rc::Rc;

use js_sys::{Array, JsString, JSON};
use leadgate::decision::write_json_str;
use leadgate::value::write_number;
use leadgate::{
    Agreement as Core, Diagnostic, Lead, LeadBuilder, OnBadValue, Raw, ScoreOptions, Severity,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(feature = "batch-json")]
mod batch;
mod pieces;
mod shared;

use pieces::Pieces;
use shared::Compiled;

/// Installs [`panic_hook`], once. Called by `compile` (every other entry
/// point needs an `Agreement`, which only `compile` makes) and by the test
/// hook. (Not a `#[wasm_bindgen(start)]` function: that would be exported.)
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(panic_hook)));
}

/// Instead of the trap (`RuntimeError: unreachable`) that a panic ends in on
/// wasm32, throws an `Error` with the panic's message. Nothing unwinds: the
/// module's state is left as the panic found it, so `src/guard.js` marks
/// the module stopped when this error passes.
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let message = match payload.downcast_ref::<&str>() {
        Some(s) => s,
        None => payload
            .downcast_ref::<String>()
            .map_or("a panic without a message", String::as_str),
    };
    let err = js_sys::Error::new(&format!(
        "internal error in leadgate: {message} (this is a bug in leadgate; please report it)"
    ));
    wasm_bindgen::throw_val(err.into());
}

/// Internal, for the test suite only (not part of the API): panics with
/// `message`, to prove that the panic boundary holds. After it the module
/// is stopped.
#[wasm_bindgen(js_name = __panicForTest)]
#[allow(clippy::panic)]
pub fn panic_for_test(message: String) {
    install_panic_hook();
    panic!("{message}");
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A route's destination: every lead gets exactly one. */
export type Destination = "sales" | "nurture" | "telemarketing";

/** A score rule that fired, with its signed points before decay and range. */
export interface FiredRule { rule: string; score: string; points: number; }

/** A score rule that could not be decided, and the fields it lacked. */
export interface UnknownRule { rule: string; score: string; missing: string[]; }

/** A route rule passed over because its condition was unknown. */
export interface UndecidedRoute { rule: string | null; route: Destination; missing: string[]; }

/** A note on a scored lead (lenient mode, decay without a date). */
export interface LeadWarning { field: string; message: string; }

/** The canonical decision of SPEC.md for a lead that was scored. */
export interface ScoredDecision {
  index: number;
  id: string | null;
  route: Destination;
  queue: string | null;
  rule: string | null;
  /** The agreed follow-up time in seconds (`within`), or null. */
  follow_up_within_s: number | null;
  scores: Record<string, number>;
  total: number;
  grades: Record<string, string>;
  fired: FiredRule[];
  unknown: UnknownRule[];
  undecided: UndecidedRoute[];
  warnings: LeadWarning[];
}

/** A lead that was rejected: it keeps its place, with the reason. */
export interface RejectedDecision {
  index: number;
  id: string | null;
  error: { field: string | null; message: string };
}

/** One lead's decision: scored, or rejected with a lead error. */
export type Decision = ScoredDecision | RejectedDecision;

/** The values a lead's keys may hold (others reject the lead, in place). */
export type LeadValue = string | number | boolean | bigint | Date | null | undefined | ReadonlyArray<string | number | boolean | null>;
/** A lead record with typed values: a plain object keyed by the agreement's input keys. */
export type LeadRecord = { readonly [key: string]: LeadValue };
/**
 * What `score` accepts: a plain object (its own enumerable keys are read, as
 * `JSON.stringify` would) or a `Map`. Keys the agreement does not declare are
 * ignored. Any object type is accepted, so interfaces need no index signature.
 */
export type LeadInput = LeadRecord | ReadonlyMap<string, unknown> | object;

export interface ScoreOptions {
  /** The evaluation instant: `"2026-11-23"`, RFC 3339, a `Date`, or ms since the epoch. Default: `Date.now()`. */
  asOf?: string | Date | number;
  /** `"error"` (default): a bad value rejects the lead. `"missing"`: read it as missing, with a warning. */
  onBadValue?: "error" | "missing";
  /** Build `fired`, `unknown` and `undecided` (default true). Scores and route do not depend on it. */
  explain?: boolean;
}

/** A compile error or warning, with its 1-based line and column (in characters). */
export interface DiagnosticInfo {
  code: string;
  severity: "error" | "warning";
  message: string;
  line: number;
  column: number;
  help: string | null;
  /** The diagnostic shown with its source line and a caret. */
  rendered: string;
}

/** Thrown by `compile`: an `Error` whose `diagnostics` lists every problem found. */
export interface CompileError extends Error {
  name: "CompileError";
  diagnostics: DiagnosticInfo[];
}

export type FieldType = "text" | "number" | "bool" | "date" | "list";

/** A declared field: what a form must collect, under which key. */
export interface FieldInfo {
  name: string;
  type: FieldType;
  required: boolean;
  /** Whether it is the lead's identifier (`id`). */
  id: boolean;
  /** The input key read from a lead (`from "…"`, else the name). */
  key: string;
}

export interface ExampleResult {
  name: string;
  line: number;
  passed: boolean;
  /** One line per failed expectation: what was expected, what came out. */
  failures: string[];
}

/** The result of `check()`: warnings and the agreement's own examples. */
export interface CheckReport {
  /** True when every example passed (warnings do not fail a check). */
  ok: boolean;
  warnings: DiagnosticInfo[];
  examples: ExampleResult[];
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<Array, JsValue>;
    // Throws on a revoked proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// A JS string.
    type Text;
    // Throws where String.prototype.isWellFormed is missing (before ES2024).
    #[wasm_bindgen(catch, method, structural, js_name = isWellFormed)]
    fn is_well_formed(this: &Text) -> Result<bool, JsValue>;
    /// A `Date`, or an object that says it is one (`instanceof Date`).
    type DateLike;
    // Throws for `Object.create(Date.prototype)`, or an own getTime that throws.
    #[wasm_bindgen(catch, method, structural, js_name = getTime)]
    fn get_time(this: &DateLike) -> Result<f64, JsValue>;
    /// A thrown value that is `instanceof Error`.
    type Thrown;
    // A getter, or a proxy, may throw; the message may be any value.
    #[wasm_bindgen(catch, method, structural, getter)]
    fn message(this: &Thrown) -> Result<JsValue, JsValue>;
}

/// A `Date`'s time in ms since the epoch: None when reading it throws.
/// (`js_sys::Date::get_time` lets the exception through the module, which
/// loses the batch and leaves the agreement borrowed for good.)
fn date_ms(date: &JsValue) -> Option<f64> {
    date.unchecked_ref::<DateLike>().get_time().ok()
}

/// How an object can be read, found without letting any JS exception out:
/// `instanceof` and `Array.isArray` throw on revoked proxies, getters throw.
enum Shape {
    Array,
    Date,
    Map,
    Plain,
}

fn shape(value: &JsValue) -> Result<Shape, JsValue> {
    if is_array(value)? {
        return Ok(Shape::Array);
    }
    // After this succeeds, `instanceof` does not throw.
    js_sys::Reflect::get_prototype_of(value)?;
    if value.is_instance_of::<js_sys::Date>() {
        return Ok(Shape::Date);
    }
    if value.dyn_ref::<js_sys::Map>().is_some() {
        return Ok(Shape::Map);
    }
    Ok(Shape::Plain)
}

fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// What a JS value is, for error messages.
fn kind(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if value.is_string() {
        "a string"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_bigint() {
        "a bigint"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_function() {
        "a function"
    } else if is_array(value).unwrap_or(false) {
        "an array"
    } else {
        "an object"
    }
}

/// The message of a caught JS exception.
fn js_message(e: &JsValue) -> String {
    if e.is_object()
        && js_sys::Reflect::get_prototype_of(e).is_ok()
        && e.is_instance_of::<js_sys::Error>()
    {
        return match e.unchecked_ref::<Thrown>().message() {
            Ok(m) => m
                .as_string()
                .unwrap_or_else(|| format!("an Error whose message is {}", kind(&m))),
            Err(_) => "an Error whose message cannot be read".to_string(),
        };
    }
    e.as_string()
        .unwrap_or_else(|| format!("a thrown {}", kind(e)))
}

fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text).map_err(|e| error(&format!("internal error: {}", js_message(&e))))
}

fn push_json_opt(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => write_json_str(out, s),
        None => out.push_str("null"),
    }
}

fn write_diagnostic(out: &mut String, d: &Diagnostic, source: &str) {
    out.push_str("{\"code\":");
    write_json_str(out, d.code);
    out.push_str(",\"severity\":");
    write_json_str(
        out,
        match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
    );
    out.push_str(",\"message\":");
    write_json_str(out, &d.message);
    out.push_str(",\"line\":");
    out.push_str(&d.line.to_string());
    out.push_str(",\"column\":");
    out.push_str(&d.column.to_string());
    out.push_str(",\"help\":");
    push_json_opt(out, d.help.as_deref());
    out.push_str(",\"rendered\":");
    write_json_str(out, &d.render(source, "agreement.lead"));
    out.push('}');
}

fn diagnostics_json(ds: &[Diagnostic], source: &str) -> String {
    let mut out = String::from("[");
    for (i, d) in ds.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_diagnostic(&mut out, d, source);
    }
    out.push(']');
    out
}

/// Compiles an agreement text. Throws a `CompileError` (an `Error` whose
/// `diagnostics` lists every problem, with line and column) when it does
/// not compile.
#[wasm_bindgen]
pub fn compile(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<Agreement, JsValue> {
    install_panic_hook();
    let Some(source) = text.as_string() else {
        return Err(error(&format!(
            "compile: expected the agreement text as a string, got {}",
            kind(&text)
        )));
    };
    if let Some(inner) = shared::find(&source) {
        return Ok(Agreement { inner });
    }
    match Core::compile(&source) {
        Ok(core) => Ok(Agreement {
            inner: shared::share(Compiled { core, source }),
        }),
        Err(e) => {
            let errors = e.error_count();
            let message = format!(
                "the agreement does not compile: {errors} error{}\n\n{}",
                if errors == 1 { "" } else { "s" },
                e.render(&source, "agreement.lead").trim_end()
            );
            let err = js_sys::Error::new(&message);
            err.set_name("CompileError");
            let diagnostics = parse_json(&diagnostics_json(&e.diagnostics, &source))?;
            js_sys::Reflect::set(&err, &JsValue::from_str("diagnostics"), &diagnostics)
                .map_err(|e| error(&js_message(&e)))?;
            Err(err.into())
        }
    }
}

/// A compiled agreement. Immutable; call `free()` when done with it (or
/// let the garbage collector's finalizer do it).
#[wasm_bindgen]
pub struct Agreement {
    /// Shared with every other `Agreement` of the same text (`shared.rs`).
    inner: Rc<Compiled>,
}

/// Reads a JS value as the core's raw input value. `nested`: inside an array
/// (only one level of array is meaningful, as in JSON input).
fn raw(value: &JsValue, nested: bool) -> Raw<'static> {
    if value.is_null() || value.is_undefined() {
        return Raw::Null;
    }
    if let Some(s) = value.as_string() {
        // A lone surrogate comes out of `as_string` as U+FFFD; reject the
        // text as Python does, rather than score a changed value.
        if s.contains('\u{FFFD}')
            && !value
                .unchecked_ref::<Text>()
                .is_well_formed()
                .unwrap_or(true)
        {
            return Raw::Other("a text that is not valid Unicode");
        }
        return Raw::Str(Cow::Owned(s));
    }
    if let Some(b) = value.as_bool() {
        return Raw::Bool(b);
    }
    if let Some(f) = value.as_f64() {
        return Raw::Float(f);
    }
    if value.is_bigint() {
        return match i64::try_from(value.clone()) {
            Ok(i) => Raw::Int(i),
            Err(_) => match u64::try_from(value.clone()) {
                Ok(u) => Raw::UInt(u),
                Err(_) => Raw::Other("a bigint out of range"),
            },
        };
    }
    if value.is_symbol() {
        return Raw::Other("a symbol");
    }
    if value.is_function() {
        return Raw::Other("a function");
    }
    match shape(value) {
        Ok(Shape::Array) if nested => Raw::Other("an array"),
        Ok(Shape::Array) => match array_from(value) {
            Ok(items) => raw_items(&items),
            Err(_) => Raw::Other(UNREADABLE_ARRAY),
        },
        Ok(Shape::Date) => match date_ms(value) {
            Some(ms) if ms.is_finite() => Raw::DateMs(ms as i64),
            Some(_) => Raw::Other("an invalid Date"),
            None => Raw::Other("an unreadable Date"),
        },
        Ok(Shape::Map | Shape::Plain) => Raw::Other("an object"),
        Err(_) => Raw::Other("an unreadable object"),
    }
}

const UNREADABLE_ARRAY: &str = "an unreadable array";

/// An array's items, already read with `Array.from`, as a list.
fn raw_items(items: &Array) -> Raw<'static> {
    Raw::Array(items.iter().map(|item| raw(&item, true)).collect())
}

/// What is known of an object lead before its values are read.
enum Found {
    /// Reading its shape threw this.
    Unreadable(JsValue),
    Date,
    Map,
    /// Any other object: its own enumerable string keys are read.
    Object,
}

/// Options read once per call.
fn read_options(options: Option<&JsValue>) -> Result<ScoreOptions, JsValue> {
    let mut opts = ScoreOptions::default();
    let mut as_of = None;
    if let Some(options) = options.filter(|o| !(o.is_undefined() || o.is_null())) {
        if !options.is_object() || is_array(options).unwrap_or(true) || options.is_function() {
            return Err(error(&format!(
                "options: expected an object like {{asOf: \"2026-11-23\"}}, got {}",
                kind(options)
            )));
        }
        let entries =
            object_entries(options).map_err(|e| error(&format!("options: {}", js_message(&e))))?;
        for entry in entries.iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            if value.is_undefined() {
                continue;
            }
            match key.as_str() {
                "asOf" => as_of = Some(read_as_of(&value)?),
                "onBadValue" => {
                    opts.on_bad_value = match value.as_string().as_deref() {
                        Some("error") => OnBadValue::Error,
                        Some("missing") => OnBadValue::Missing,
                        _ => {
                            return Err(error(&format!(
                                "onBadValue: expected \"error\" or \"missing\", got {}",
                                show(&value)
                            )))
                        }
                    }
                }
                "explain" => {
                    opts.explain = value.as_bool().ok_or_else(|| {
                        error(&format!(
                            "explain: expected true or false, got {}",
                            show(&value)
                        ))
                    })?
                }
                other => {
                    let hint = match other {
                        "as_of" | "asof" | "date" | "now" => " (did you mean `asOf`?)",
                        "on_bad_value" | "onbadvalue" => " (did you mean `onBadValue`?)",
                        _ => "",
                    };
                    return Err(error(&format!(
                        "options: unknown option `{other}`{hint}; the options are asOf, onBadValue and explain"
                    )));
                }
            }
        }
    }
    opts.as_of_ms = match as_of {
        Some(ms) => ms,
        None => js_sys::Date::now() as i64,
    };
    Ok(opts)
}

/// A JS value shown in a message: strings quoted and cut, others by kind.
fn show(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => {
            let cut: String = s.chars().take(60).collect();
            format!("\"{cut}\"")
        }
        None => kind(value).to_string(),
    }
}

/// `asOf`: a date text, a `Date`, or milliseconds since the epoch.
fn read_as_of(value: &JsValue) -> Result<i64, JsValue> {
    const LIMIT: f64 = 8.64e15; // the range of a JS Date
    let bad = || {
        error(&format!(
            "asOf: cannot read {} as an instant; use \"YYYY-MM-DD\", an RFC 3339 text, a Date or milliseconds since the epoch",
            show(value)
        ))
    };
    if let Some(s) = value.as_string() {
        return leadgate::parse_instant(&s).ok_or_else(bad);
    }
    let ms = if let Some(f) = value.as_f64() {
        f
    } else if let Some(ms) = matches!(shape(value), Ok(Shape::Date))
        .then(|| date_ms(value))
        .flatten()
    {
        ms
    } else {
        return Err(bad());
    };
    if ms.is_finite() && ms.abs() <= LIMIT {
        Ok(ms.round() as i64)
    } else {
        Err(bad())
    }
}

impl Agreement {
    fn core(&self) -> &Core {
        &self.inner.core
    }

    /// Binds one JS value (a plain object or a Map) into a lead.
    fn bind(&self, value: &JsValue, on_bad: OnBadValue) -> Lead {
        let mut b = self.core().lead_builder(on_bad);
        if !value.is_object() || value.is_function() {
            b.reject(format!("expected an object, got {}", kind(value)));
            return b.finish();
        }
        let found = match shape(value) {
            Err(e) => Found::Unreadable(e),
            Ok(Shape::Array) => {
                b.reject("expected an object, got an array");
                return b.finish();
            }
            Ok(Shape::Date) => Found::Date,
            Ok(Shape::Map) => Found::Map,
            Ok(Shape::Plain) => Found::Object,
        };
        Self::read_found(&mut b, value, found);
        b.finish()
    }

    /// Reads an object lead whose shape is known (found here, or by the
    /// JS walk of `src/fast.js`, which then hands the lead over).
    fn read_found(b: &mut LeadBuilder<'_>, value: &JsValue, found: Found) {
        match found {
            Found::Unreadable(e) => b.reject(format!("cannot read the lead: {}", js_message(&e))),
            Found::Date => b.reject("expected an object, got a Date"),
            // `[key, value]` pairs: a Map's entries, or an object's own
            // enumerable string keys (what JSON.stringify would write).
            Found::Map => Self::set_pairs(b, array_from(value)),
            Found::Object => Self::set_pairs(b, object_entries(value)),
        }
    }

    fn set_pairs(b: &mut LeadBuilder<'_>, pairs: Result<Array, JsValue>) {
        match pairs {
            Ok(pairs) => {
                for pair in pairs.iter() {
                    // A Map subclass's iterator may yield anything.
                    let item = |i| {
                        if pair.is_object() {
                            js_sys::Reflect::get_u32(&pair, i).ok()
                        } else {
                            None
                        }
                    };
                    let Some(key) = item(0).and_then(|k| k.as_string()) else {
                        continue;
                    };
                    if let Some(slot) = b.slot(&key) {
                        b.set(slot, raw(&item(1).unwrap_or(JsValue::UNDEFINED), false));
                    }
                }
            }
            Err(e) => b.reject(format!("cannot read the lead: {}", js_message(&e))),
        }
    }

    fn leads(value: &JsValue) -> Result<Array, JsValue> {
        if !is_array(value).unwrap_or(false) {
            return Err(error(&format!(
                "scoreMany: expected an array of leads, got {}",
                kind(value)
            )));
        }
        array_from(value).map_err(|e| error(&format!("scoreMany: {}", js_message(&e))))
    }

    fn decide_json(&self, index: usize, lead: &JsValue, opts: &ScoreOptions, out: &mut String) {
        let bound = self.bind(lead, opts.on_bad_value);
        self.write_decision(index, &bound, opts, out);
    }

    fn write_decision(&self, index: usize, lead: &Lead, opts: &ScoreOptions, out: &mut String) {
        let decision = self.core().decide(index, lead, opts);
        self.core().write_decision_json(&decision, out);
    }
}

#[wasm_bindgen]
impl Agreement {
    /// The agreement's name (`agreement "NAME"`).
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.core().name().to_string()
    }

    /// The agreement's version (`version "V"`), or null.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> Option<String> {
        self.core().model().version.clone()
    }

    /// Whether decisions depend on `asOf` (decay, `within`, `days_since`).
    #[wasm_bindgen(getter, js_name = usesTime)]
    pub fn uses_time(&self) -> bool {
        self.core().uses_time()
    }

    /// Scores and routes one lead (a plain object). A bad lead is not thrown:
    /// it comes back as `{index, id, error}`.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LeadInput")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        parse_json(&self.score_json(lead, options)?)
    }

    /// Scores many leads, in order; a rejected lead keeps its place.
    #[wasm_bindgen(js_name = scoreMany, unchecked_return_type = "Decision[]")]
    pub fn score_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<LeadInput>")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let opts = read_options(options.as_ref())?;
        let leads = Self::leads(&leads)?;
        let mut pieces = Pieces::new(leads.length(), false);
        let mut out = None;
        for (i, lead) in leads.iter().enumerate() {
            self.decide_json(i, &lead, &opts, pieces.next());
            if pieces.full() {
                pieces.end_parsed(&mut out)?;
            }
        }
        pieces.end_parsed(&mut out)?;
        Ok(out.unwrap_or_default().into())
    }

    /// As `score`, but returns the canonical JSON text of SPEC.md, byte for
    /// byte what the CLI and the other bindings print.
    #[wasm_bindgen(js_name = scoreJson)]
    pub fn score_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LeadInput")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let opts = read_options(options.as_ref())?;
        let mut out = String::with_capacity(512);
        self.decide_json(0, &lead, &opts, &mut out);
        Ok(out)
    }

    /// As `scoreMany`, but returns one canonical JSON text per lead.
    #[wasm_bindgen(js_name = scoreManyJson, unchecked_return_type = "string[]")]
    pub fn score_many_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<LeadInput>")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<Array, JsValue> {
        let opts = read_options(options.as_ref())?;
        let leads = Self::leads(&leads)?;
        let out = Array::new();
        let mut line = String::with_capacity(512);
        for (i, lead) in leads.iter().enumerate() {
            line.clear();
            self.decide_json(i, &lead, &opts, &mut line);
            out.push(&JsString::from(line.as_str()));
        }
        Ok(out)
    }

    /// The declared fields, in declaration order: what a form must collect.
    #[wasm_bindgen(unchecked_return_type = "FieldInfo[]")]
    pub fn fields(&self) -> Result<JsValue, JsValue> {
        let model = self.core().model();
        let mut out = String::from("[");
        for (i, f) in model.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            write_json_str(&mut out, &f.name);
            out.push_str(",\"type\":");
            write_json_str(&mut out, f.ty.as_str());
            out.push_str(",\"required\":");
            out.push_str(if f.required { "true" } else { "false" });
            out.push_str(",\"id\":");
            out.push_str(if model.id_slot == Some(i as u32) {
                "true"
            } else {
                "false"
            });
            out.push_str(",\"key\":");
            write_json_str(&mut out, &f.key);
            out.push('}');
        }
        out.push(']');
        parse_json(&out)
    }

    /// Runs the agreement's own `example` blocks and lists its warnings.
    #[wasm_bindgen(unchecked_return_type = "CheckReport")]
    pub fn check(&self) -> Result<JsValue, JsValue> {
        let results = self.core().run_examples();
        let ok = results.iter().all(|r| r.passed());
        let mut out = String::from("{\"ok\":");
        out.push_str(if ok { "true" } else { "false" });
        out.push_str(",\"warnings\":");
        out.push_str(&diagnostics_json(
            self.core().warnings(),
            &self.inner.source,
        ));
        out.push_str(",\"examples\":[");
        for (i, r) in results.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            write_json_str(&mut out, &r.name);
            out.push_str(",\"line\":");
            write_number(&mut out, r.line as f64);
            out.push_str(",\"passed\":");
            out.push_str(if r.passed() { "true" } else { "false" });
            out.push_str(",\"failures\":[");
            for (j, f) in r.failures.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_json_str(&mut out, f);
            }
            out.push_str("]}");
        }
        out.push_str("]}");
        parse_json(&out)
    }
}
