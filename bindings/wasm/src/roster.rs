//! Rosters (feature `rosters`, on in the node build; docs/rosters.md):
//! `Roster.parse`, and the scoring calls' options `roster` (the core's
//! `Staffing` assigns each scored lead, in input order), `asOfColumn` (each
//! lead's own arrival) and `load` (leads people have taken already).

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Array;
use leadgate::{Arrival, Assigner, Decision, Lead, Load, ScoreOptions, Staffing};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::{error, find, named_error, raw};
use crate::{to_js, Agreement};

thread_local! {
    /// The rosters of live `Roster` objects, by id: a `roster` option
    /// names one by its id (`src/args.js` reads it).
    static ROSTERS: RefCell<(u32, HashMap<u32, leadgate::Roster>)> = RefCell::default();
}

/// A roster: who works each queue, when, and how many leads a day.
#[wasm_bindgen]
pub struct Roster {
    id: u32,
}

impl Drop for Roster {
    fn drop(&mut self) {
        ROSTERS.with(|r| r.borrow_mut().1.remove(&self.id));
    }
}

fn roster_error(e: &leadgate::RosterError) -> JsValue {
    let list = to_js(&e.diagnostics()).unwrap_or_else(|e| e);
    named_error(&e.to_string(), "RosterError", "diagnostics", &list)
}

fn with<T>(id: u32, f: impl FnOnce(&leadgate::Roster) -> T) -> Result<T, JsValue> {
    ROSTERS
        .with(|r| r.borrow().1.get(&id).map(f))
        .ok_or_else(|| error("roster: this Roster was freed"))
}

#[wasm_bindgen]
impl Roster {
    /// Reads a roster (YAML). Throws a `RosterError` whose `diagnostics`
    /// locate every problem (line, column, key).
    pub fn parse(text: String) -> Result<Roster, JsValue> {
        let roster = leadgate::Roster::parse(&text).map_err(|e| roster_error(&e))?;
        ROSTERS.with(|r| {
            let (next, map) = &mut *r.borrow_mut();
            *next += 1;
            map.insert(*next, roster);
            Ok(Roster { id: *next })
        })
    }

    /// Internal, for `src/args.js`: the id a `roster` option is read by.
    #[wasm_bindgen(getter, js_name = __id, skip_typescript)]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The roster's time zone (IANA).
    #[wasm_bindgen(getter)]
    pub fn timezone(&self) -> Result<String, JsValue> {
        with(self.id, |r| r.timezone().to_string())
    }

    /// The queues, in file order.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn queues(&self) -> Result<JsValue, JsValue> {
        with(self.id, |r| {
            r.queues().map(JsValue::from).collect::<Array>().into()
        })
    }
}

/// The roster options of one call (`extra`, as `read_options` gave them:
/// roster id, asOfColumn, load, whether `asOf` was given): the core's
/// `Assigner`, and the leads taken already.
pub(crate) struct Assign {
    core: Assigner,
    load: Load,
}

impl Assign {
    /// `None` when the call has neither `roster` nor `asOfColumn`.
    pub(crate) fn new(a: &Agreement, extra: &Array) -> Result<Option<Assign>, JsValue> {
        let (id, key) = (extra.get(3).as_f64(), extra.get(4).as_string());
        if id.is_none() && key.is_none() {
            return Ok(None);
        }
        let staffing = match id {
            Some(id) => {
                Some(with(id as u32, |r| r.staff(a.core()))?.map_err(|e| roster_error(&e))?)
            }
            None => None,
        };
        let mut load = Load::new();
        let counts: Array = extra.get(5).dyn_into().unwrap_or_default();
        for i in (0..counts.length()).step_by(3) {
            let [person, date] = [i, i + 1].map(|j| counts.get(j).as_string().unwrap_or_default());
            let count = counts.get(i + 2).as_f64().unwrap_or_default() as u32;
            load.set(&person, &date, count)
                .map_err(|e| error(&format!("load: {e}")))?;
        }
        // With `asOf`: a lead without an arrival is scored as of it.
        let fallback = extra.get(6).is_truthy();
        let roster = staffing.as_ref().map(Staffing::roster);
        let arrival = key.map(|key| Arrival::new(&key, roster, fallback, "asOf"));
        let core = Assigner::new(a.core(), staffing, arrival);
        Ok(Some(Assign { core, load }))
    }

    /// Binds a lead `src/args.js` read, with its options as of its arrival
    /// (no readable arrival: a lead error in its place).
    fn bind(&self, a: &Agreement, read: &JsValue, opts: &ScoreOptions) -> (Lead, ScoreOptions) {
        let mut lead = a.bind(read, opts.bad_values());
        let Some(arrival) = self.core.arrival() else {
            return (lead, *opts);
        };
        let value = raw(&find(read, arrival.key()), false);
        let opts = arrival.apply(&mut lead, &value, opts);
        (lead, opts)
    }

    /// Scores a lead, ranked for its queue's people; `settle` assigns.
    pub(crate) fn decide(
        &self,
        a: &Agreement,
        i: usize,
        read: &JsValue,
        opts: &ScoreOptions,
    ) -> Decision {
        let (lead, opts) = self.bind(a, read, opts);
        self.core.decide(i, &lead, &opts)
    }

    /// Assigns `decisions`, in order, within `per_day`.
    pub(crate) fn settle(&mut self, decisions: &mut [Decision]) {
        self.core.settle(decisions, &mut self.load);
    }

    /// Scores, assigns and explains one lead.
    pub(crate) fn explain(
        &mut self,
        a: &Agreement,
        read: &JsValue,
        opts: &ScoreOptions,
    ) -> leadgate::Explanation {
        let (lead, opts) = self.bind(a, read, opts);
        self.core.explain(0, &lead, &opts, &mut self.load)
    }
}
