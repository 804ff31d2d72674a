//! leadgate for JavaScript: compile an agreement, score plain objects and
//! spreadsheet rows, explain a decision, report on many, diff two
//! agreements.
//!
//! A thin layer over the `leadgate` crate's public API. A JS value is read
//! into the core's `LeadBuilder` (`js.rs`), the coercion every front uses;
//! a decision leaves as the core's canonical JSON, parsed once by the JS
//! engine, so JS sees exactly the shape of docs/language.md ("The
//! decision"). The shapes that cross are declared in `types/` (TypeScript
//! generated from them).
//!
//! Nothing here should panic: every failure becomes a thrown `Error`, and
//! every call into JS that could throw (getters, proxies) is caught and
//! reported. Should the engine panic all the same, the panic boundary takes
//! over: on wasm32 a panic cannot unwind, so [`panic_hook`] throws an `Error`
//! "internal error in leadgate: …" out of the module instead of trapping, and
//! the JS wrapper appended to the glue (`src/guard.js`, by `build.sh`) turns
//! any other trap into such an `Error` too and stops the module: after one,
//! every call throws (docs/reliability.md, section 3).

use std::rc::Rc;

use js_sys::{Array, JsString};
use leadgate::{Agreement as Core, Decision, Lead, OnBadValue, ScoreOptions};
use leadgate_wasm_types as types;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "analysis")]
mod analysis;
#[cfg(feature = "batch-json")]
mod batch;
mod js;
mod options;
mod pieces;
mod rows;
mod shared;

use js::{error, is_array, js_message, kind, mark_kind, parse_json, read_lead, Keep, Read};
use options::read_options;
use shared::Compiled;

leadgate_wasm_types::declarations!();

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

/// Internal, for the test suite only (not part of the API, nor of the
/// declarations): panics with `message`, to prove that the panic boundary
/// holds. After it the module is stopped.
#[wasm_bindgen(js_name = __panicForTest, skip_typescript)]
#[allow(clippy::panic)]
pub fn panic_for_test(message: String) {
    install_panic_hook();
    panic!("{message}");
}

/// A value of the declared types (`types/`) as a JS value.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    let text =
        leadgate::to_canonical_json(value).map_err(|e| error(&format!("internal error: {e}")))?;
    parse_json(&text)
}

/// The core's data with its renderings first.
#[derive(Serialize)]
pub(crate) struct Rendered<'a, T: Serialize> {
    pub(crate) text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) html: Option<String>,
    #[serde(flatten)]
    pub(crate) data: &'a T,
}

/// An `Error` named `name`, with the property `key` set to `value`.
fn error_with(message: &str, name: &str, key: &str, value: &JsValue) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    // A fresh Error: setting an own property cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str(key), value);
    err.into()
}

fn diagnostic<'a>(d: &'a leadgate::Diagnostic, source: &str) -> types::DiagnosticInfo<'a> {
    types::DiagnosticInfo {
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        message: &d.message,
        line: d.line,
        column: d.column,
        help: d.help.as_deref(),
        rendered: d.render(source, "agreement.lead"),
    }
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
            inner: shared::share(core),
        }),
        Err(e) => {
            // The first line of the core's summary, then every diagnostic
            // with its source line and a caret.
            let summary = e.to_string();
            let message = format!(
                "{}\n\n{}",
                summary.lines().next().unwrap_or_default(),
                e.render().trim_end()
            );
            let diagnostics: Vec<_> = e
                .diagnostics()
                .iter()
                .map(|d| diagnostic(d, &source))
                .collect();
            Err(error_with(
                &message,
                "CompileError",
                "diagnostics",
                &to_js(&diagnostics)?,
            ))
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

impl Agreement {
    fn core(&self) -> &Core {
        &self.inner.core
    }

    /// Binds a lead read from JS.
    fn bind(&self, read: &Read, on_bad: OnBadValue, keep: &mut Keep) -> Lead {
        let mut b = self.core().lead_builder(on_bad);
        js::fill(&mut b, read, &self.inner, keep);
        b.finish()
    }

    /// Reads, binds and scores one JS lead.
    fn decide(&self, index: usize, lead: &JsValue, opts: &ScoreOptions) -> Decision {
        let lead = self.bind(&read_lead(lead), opts.bad_values(), &mut Keep::default());
        self.core().decide(index, &lead, opts)
    }

    /// An array argument of `call`, read with `Array.from`.
    fn array(value: &JsValue, call: &str, what: &str) -> Result<Array, JsValue> {
        if !is_array(value).unwrap_or(false) {
            return Err(error(&format!(
                "{call}: expected {what}, got {}",
                kind(value)
            )));
        }
        js::array_from(value).map_err(|e| error(&format!("{call}: {}", js_message(&e))))
    }

    fn leads(value: &JsValue) -> Result<Array, JsValue> {
        Self::array(value, "scoreMany", "an array of leads")
    }
}

/// A decision as a JS object: its canonical JSON, parsed, with the kind of
/// its lead error (not enumerable).
fn decision_object(d: &Decision) -> Result<JsValue, JsValue> {
    let object = parse_json(&d.to_json())?;
    if let Some(e) = d.error() {
        mark_kind(&object, &JsValue::from_str(e.kind().as_str()))?;
    }
    Ok(object)
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
        self.core().version().map(str::to_string)
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
        let (opts, _) = read_options(options.as_ref(), &[])?;
        decision_object(&self.decide(0, &lead, &opts))
    }

    /// Scores many leads, in order; a rejected lead keeps its place.
    #[wasm_bindgen(js_name = scoreMany, unchecked_return_type = "Decision[]")]
    pub fn score_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<LeadInput>")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let (opts, _) = read_options(options.as_ref(), &[])?;
        pieces::objects(&Self::leads(&leads)?, |i, lead| self.decide(i, lead, &opts))
    }

    /// As `score`, but returns the canonical JSON text of docs/language.md,
    /// byte for byte what the CLI and the other bindings print.
    #[wasm_bindgen(js_name = scoreJson)]
    pub fn score_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LeadInput")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let (opts, _) = read_options(options.as_ref(), &[])?;
        Ok(self.decide(0, &lead, &opts).to_json())
    }

    /// As `scoreMany`, but returns one canonical JSON text per lead.
    #[wasm_bindgen(js_name = scoreManyJson, unchecked_return_type = "string[]")]
    pub fn score_many_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<LeadInput>")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<Array, JsValue> {
        let (opts, _) = read_options(options.as_ref(), &[])?;
        let leads = Self::leads(&leads)?;
        let out = Array::new();
        let mut line = String::with_capacity(512);
        for (i, lead) in leads.iter().enumerate() {
            line.clear();
            self.decide(i, &lead, &opts).write_json(&mut line);
            out.push(&JsString::from(line.as_str()));
        }
        Ok(out)
    }

    /// The declared fields, in declaration order: what a form must collect.
    #[wasm_bindgen(unchecked_return_type = "FieldInfo[]")]
    pub fn fields(&self) -> Result<JsValue, JsValue> {
        let fields: Vec<_> = (self.core().fields().iter().enumerate())
            .map(|(slot, f)| types::FieldInfo {
                name: f.name(),
                ty: f.field_type().as_str(),
                required: f.is_required(),
                id: self.inner.id_slot() == Some(slot),
                key: f.key(),
            })
            .collect();
        to_js(&fields)
    }

    /// Runs the agreement's own `example` blocks and lists its warnings.
    #[wasm_bindgen(unchecked_return_type = "CheckReport")]
    pub fn check(&self) -> Result<JsValue, JsValue> {
        let results = self.core().run_examples();
        let source = self.core().source();
        to_js(&types::CheckReport {
            ok: results.iter().all(|r| r.passed()),
            warnings: self
                .core()
                .warnings()
                .iter()
                .map(|d| diagnostic(d, source))
                .collect(),
            examples: (results.iter())
                .map(|r| types::ExampleInfo {
                    name: &r.name,
                    line: r.line,
                    passed: r.passed(),
                    failures: r.failures.iter().map(|f| f.message.as_str()).collect(),
                })
                .collect(),
        })
    }

    /// Scores one lead and explains the decision for a person: every score
    /// with its rules, decay and range, the grades, the route rules in
    /// order. `text` is what `leadgate explain` prints.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LeadInput")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ScoreOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let (opts, _) = read_options(options.as_ref(), &[])?;
        let bound = self.bind(&read_lead(&lead), opts.bad_values(), &mut Keep::default());
        let explanation = self.core().explain(0, &bound, &opts);
        let object = to_js(&Rendered {
            text: explanation.text(),
            html: None,
            data: &explanation,
        })?;
        if let Some(e) = explanation.decision().error() {
            let decision = js_sys::Reflect::get(&object, &JsValue::from_str("decision"))?;
            mark_kind(&decision, &JsValue::from_str(e.kind().as_str()))?;
        }
        Ok(object)
    }
}
