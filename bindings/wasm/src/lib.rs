//! leadgate for JavaScript: compile an agreement, score plain objects and
//! spreadsheet rows, explain a decision, report on many, diff two
//! agreements. A thin layer over the `leadgate` crate's public API: the
//! arguments are read in JS (`src/args.js`), a lead's values go into the
//! core's `LeadBuilder` (`js.rs`); what leaves is the core's canonical JSON
//! (or its `Serialize` data and renderings), parsed once by the JS engine,
//! in the shapes declared in `types/` (TypeScript generated from them).
//!
//! Every failure becomes a thrown `Error`; should the engine panic all the
//! same, [`panic_hook`] throws "internal error in leadgate: …" instead of
//! trapping, and `src/guard.js` (appended to the glue by `build.sh`) turns
//! any other trap into such an `Error` and stops the module: after one,
//! every call throws (docs/reliability.md, section 3).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use leadgate::{Agreement as Core, Decision, Lead, OnBadValue, ScoreOptions};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "analysis")]
mod analysis;
#[cfg(feature = "analyze")]
mod analyze;
mod batch;
mod js;
#[cfg(feature = "rosters")]
mod roster;
// Spreadsheet rows: not in the form runtime (a form sends objects).
#[cfg(not(feature = "runtime"))]
mod rows;

use js::{error, mark_kind, named_error, parse_json, read_lead, read_options};
use js::{LeadInput, Leads, Options};

/// What a method returns to JS, or throws.
type JsResult = Result<JsValue, JsValue>;

/// The scoring calls' own options (`src/args.js` knows them too).
const SCORE_OPTIONS: &str = match cfg!(feature = "rosters") {
    true => "roster,asOfColumn,load",
    false => "",
};

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
    let err = js_sys::Error::new(&leadgate::internal_error(info.payload()));
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
fn to_js(value: &impl Serialize) -> JsResult {
    let text =
        leadgate::to_canonical_json(value).map_err(|e| error(&format!("internal error: {e}")))?;
    parse_json(&text)
}

/// The core's data with its renderings first.
#[cfg(not(feature = "runtime"))]
#[derive(Serialize)]
pub(crate) struct Rendered<'a, T: Serialize> {
    pub(crate) text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) html: Option<String>,
    #[serde(flatten)]
    pub(crate) data: &'a T,
}

#[cfg(not(feature = "runtime"))]
/// Compiles an agreement text. Throws a `CompileError` (an `Error` whose
/// `diagnostics` lists every problem, with line and column) when it does
/// not compile.
#[wasm_bindgen]
pub fn compile(text: String) -> Result<Agreement, JsValue> {
    install_panic_hook();
    match Core::compile(&text) {
        Ok(core) => Ok(Agreement {
            inner: Rc::new((core, RefCell::default())),
        }),
        Err(e) => {
            let list = to_js(&e.rendered_diagnostics())?;
            let message = e.to_text().trim_end().to_string();
            Err(named_error(&message, "CompileError", "diagnostics", &list))
        }
    }
}

/// Loads a compiled agreement: the bytes `toCompiled()` gives or `leadgate
/// compile AGREEMENT -o agreement.lgc` writes (a `Uint8Array` or an
/// `ArrayBuffer`), without parsing or checking the agreement again; its
/// decisions are the text's. Throws a `LoadError` whose `kind` is
/// `"not_compiled"`, `"version"` (written by another format version: compile
/// it again) or `"damaged"`.
#[wasm_bindgen(js_name = loadCompiled)]
pub fn load_compiled(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: &[u8],
) -> Result<Agreement, JsValue> {
    install_panic_hook();
    let core = Core::from_compiled(bytes)
        .map_err(|e| named_error(&e.to_string(), "LoadError", "kind", &e.kind().into()))?;
    Ok(Agreement {
        inner: Rc::new((core, RefCell::default())),
    })
}

/// A compiled agreement. Immutable; call `free()` when done with it (or
/// let the garbage collector's finalizer do it).
#[wasm_bindgen]
pub struct Agreement {
    /// The compiled agreement, and the fields warned about (`warn_misnamed`):
    /// immutable, so `compile` of a text a live `Agreement` holds shares it
    /// (`__share`, called by `src/guard.js`, which says why).
    inner: Rc<(Core, RefCell<Vec<String>>)>,
}

impl Agreement {
    fn core(&self) -> &Core {
        &self.inner.0
    }

    /// Warns, once per agreement and field, of each field `lead` was keyed
    /// by the name of rather than the key it reads (the core's
    /// `misnamed_keys`; decisions do not change: keys match exactly).
    fn warn_misnamed(&self, lead: &Lead) {
        for f in self.core().misnamed_keys(lead) {
            // Not borrowed while console.warn (the caller's code) runs.
            if !self.inner.1.borrow().iter().any(|w| w == f.name()) {
                self.inner.1.borrow_mut().push(f.name().to_string());
                let (name, key) = (f.name().into(), f.key().into());
                let m = leadgate::MisnamedKey {
                    name,
                    key,
                    leads: 1,
                };
                js::warn(&format!("leadgate: {m}; said once per agreement"));
            }
        }
    }

    /// Binds a lead `src/args.js` read.
    fn bind(&self, read: &JsValue, on_bad: OnBadValue) -> Lead {
        let mut b = self.core().lead_builder(on_bad);
        js::fill(&mut b, read);
        let lead = b.finish();
        self.warn_misnamed(&lead);
        lead
    }

    /// Reads, binds and scores one JS lead.
    fn decide(&self, index: usize, lead: &JsValue, opts: &ScoreOptions) -> Decision {
        let lead = self.bind(&read_lead(lead), opts.bad_values());
        self.core().decide(index, &lead, opts)
    }

    /// `score`, or with `many` `scoreMany`; `lines`: as canonical texts.
    fn scored(
        &self,
        leads: &JsValue,
        options: Option<&JsValue>,
        many: bool,
        lines: bool,
    ) -> JsResult {
        let (opts, extra) = read_options(options, SCORE_OPTIONS)?;
        self.scored_read(leads, opts, &extra, many, lines)
    }

    /// `scored`, its options read already (`extra`: the call's own).
    fn scored_read(
        &self,
        leads: &JsValue,
        opts: ScoreOptions,
        _extra: &Array,
        many: bool,
        lines: bool,
    ) -> JsResult {
        let leads = match many {
            true => js::array(leads, "scoreMany", "an array of leads")?,
            false => Array::of1(leads),
        };
        #[cfg(feature = "rosters")]
        if let Some(mut a) = roster::Assign::new(self, _extra)? {
            let read = |(i, lead)| a.decide(self, i, &read_lead(&lead), &opts);
            let mut ds: Vec<_> = leads.iter().enumerate().map(read).collect();
            a.settle(&mut ds);
            return output(ds.into_iter(), many, lines);
        }
        let ds = leads
            .iter()
            .enumerate()
            .map(|(i, lead)| self.decide(i, &lead, &opts));
        output(ds, many, lines)
    }
}

/// A decision as a JS object: its canonical JSON, parsed, with the kind of
/// its lead error (not enumerable).
fn decision_object(d: &Decision) -> JsResult {
    let object = parse_json(&d.to_json())?;
    if let Some(e) = d.error() {
        mark_kind(&object, e.kind().as_str());
    }
    Ok(object)
}

/// The decisions as objects, or (`lines`) canonical texts: in an array, or
/// (not `many`) the first. An array is written as the core's
/// `DecisionPieces` (JSON array texts of up to 8,192 decisions or 16 MiB)
/// and each piece parsed by one `JSON.parse` (`leadgateAppend`, which also
/// marks the rejected decisions' kinds): one crossing and one parse a
/// piece rather than a decision.
fn output(decisions: impl Iterator<Item = Decision>, many: bool, lines: bool) -> JsResult {
    if !many {
        let Some(d) = decisions.into_iter().next() else {
            return Ok(JsValue::UNDEFINED);
        };
        return match lines {
            true => Ok(d.to_json().into()),
            false => decision_object(&d),
        };
    }
    let (low, _) = decisions.size_hint();
    let mut pieces = leadgate::DecisionPieces::new(low.try_into().unwrap_or(u32::MAX), lines, 0);
    let mut out: JsValue = Array::new().into();
    let mut hand = |text: &str, rejected: &[(u32, String)]| {
        out = crate::js::append_piece(&out, text, rejected, lines);
    };
    for d in decisions {
        pieces.push(d.error().map(|e| e.kind().as_str()), |t| d.write_json(t));
        if pieces.full() {
            pieces.end(&mut hand);
        }
    }
    pieces.end(&mut hand);
    Ok(out)
}

#[wasm_bindgen]
impl Agreement {
    /// Internal, for `src/guard.js`: another `Agreement` of this one's
    /// compiled agreement (`compile` of the same text).
    #[wasm_bindgen(js_name = __share, skip_typescript)]
    pub fn share(&self) -> Agreement {
        Agreement {
            inner: Rc::clone(&self.inner),
        }
    }

    /// The compiled agreement as bytes, for `loadCompiled` (the same bytes
    /// `leadgate compile` writes for the same text).
    #[cfg(feature = "to-compiled")]
    #[wasm_bindgen(js_name = toCompiled)]
    pub fn to_compiled(&self) -> Vec<u8> {
        self.core().to_compiled()
    }

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
    pub fn score(&self, lead: LeadInput, options: Option<Options>) -> JsResult {
        self.scored(&lead, options.as_deref(), false, false)
    }

    /// Scores many leads, in order; a rejected lead keeps its place.
    #[wasm_bindgen(js_name = scoreMany, unchecked_return_type = "Decision[]")]
    pub fn score_many(&self, leads: Leads, options: Option<Options>) -> JsResult {
        self.scored(&leads, options.as_deref(), true, false)
    }

    /// As `score`, but returns the canonical JSON text of docs/language.md,
    /// byte for byte what the CLI and the other bindings print.
    #[wasm_bindgen(js_name = scoreJson, unchecked_return_type = "string")]
    pub fn score_json(&self, lead: LeadInput, options: Option<Options>) -> JsResult {
        self.scored(&lead, options.as_deref(), false, true)
    }

    /// As `scoreMany`, but returns one canonical JSON text per lead.
    #[wasm_bindgen(js_name = scoreManyJson, unchecked_return_type = "string[]")]
    pub fn score_many_json(&self, leads: Leads, options: Option<Options>) -> JsResult {
        self.scored(&leads, options.as_deref(), true, true)
    }

    /// Internal, for `src/fast.js`: `scoreMany` (`lines`: `scoreManyJson`)
    /// with a roster, on the per-lead path, from the options the fast path
    /// has read already (`leadgateOptions`), so that they are read once.
    #[cfg(feature = "rosters")]
    #[wasm_bindgen(js_name = __scoreManyRead, skip_typescript)]
    pub fn score_many_read(&self, leads: JsValue, read: Array, lines: bool) -> JsResult {
        self.scored_read(&leads, js::score_options(&read), &read, true, lines)
    }

    /// The declared fields, in declaration order: what a form must collect.
    #[wasm_bindgen(unchecked_return_type = "FieldInfo[]")]
    pub fn fields(&self) -> JsResult {
        to_js(&self.core().info().fields)
    }

    /// Runs the agreement's own `example` blocks and lists its warnings:
    /// the core's `CheckReport`, with `text` what `leadgate check` prints
    /// (its analysis notes aside). (Not in the form runtime: `leadgate
    /// compile` checked the agreement.)
    #[cfg(not(feature = "runtime"))]
    #[wasm_bindgen(unchecked_return_type = "CheckReport")]
    pub fn check(&self) -> JsResult {
        let report = self.core().check_report("agreement.lead");
        to_js(&Rendered {
            text: report.to_text(),
            html: None,
            data: &report,
        })
    }

    /// Scores one lead and explains the decision for a person: every score
    /// with its rules, decay and range, the grades, the route rules in
    /// order. `text` is what `leadgate explain` prints. (Not in the form
    /// runtime, which scores and routes with the decision's reasons: a page
    /// that shows explanations loads the web build for them, as the demo
    /// does when its explanation is opened.)
    #[cfg(not(feature = "runtime"))]
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(&self, lead: LeadInput, options: Option<Options>) -> JsResult {
        explained(&self.explanation(&lead, options.as_deref())?)
    }

    /// As `explain`, its data only, as the canonical JSON text every front
    /// writes (`leadgate explain --format json`, on one line): byte for
    /// byte, `1e+16` included, which a JS number cannot keep.
    #[cfg(not(feature = "runtime"))]
    #[wasm_bindgen(js_name = explainJson)]
    pub fn explain_json(
        &self,
        lead: LeadInput,
        options: Option<Options>,
    ) -> Result<String, JsValue> {
        let explanation = self.explanation(&lead, options.as_deref())?;
        leadgate::to_canonical_json(&explanation)
            .map_err(|e| error(&format!("internal error: {e}")))
    }
}

#[cfg(not(feature = "runtime"))]
impl Agreement {
    fn explanation(
        &self,
        lead: &JsValue,
        options: Option<&JsValue>,
    ) -> Result<leadgate::Explanation, JsValue> {
        let (opts, _extra) = read_options(options, SCORE_OPTIONS)?;
        let read = read_lead(lead);
        #[cfg(feature = "rosters")]
        if let Some(mut a) = roster::Assign::new(self, &_extra)? {
            return Ok(a.explain(self, &read, &opts));
        }
        Ok(self
            .core()
            .explain(0, &self.bind(&read, opts.bad_values()), &opts))
    }
}

/// An explanation as a JS object: its text and data.
#[cfg(not(feature = "runtime"))]
fn explained(explanation: &leadgate::Explanation) -> JsResult {
    let object = to_js(&Rendered {
        text: explanation.text(),
        html: None,
        data: explanation,
    })?;
    if let Some(e) = explanation.decision().error() {
        let decision = js_sys::Reflect::get(&object, &JsValue::from_str("decision"))?;
        mark_kind(&decision, e.kind().as_str());
    }
    Ok(object)
}
