//! Compiled agreements shared by their text.
//!
//! A compiled agreement is immutable, so `compile` of a text that is already
//! compiled, and still held by some `Agreement`, hands out the same compiled
//! agreement again instead of a second copy. That matters because the
//! wasm memory an `Agreement` holds is invisible to the JS garbage collector
//! and is only reclaimed by wasm-bindgen's `FinalizationRegistry`, whose
//! callbacks run once the event loop turns: a synchronous loop that compiles
//! the same agreement again and again (per request, per render) without
//! `free()` would otherwise take a new copy each time (about 180 KB for the
//! b2b example, 4.7 MB for 10,000 rules) until the instance's 4 GiB ran out.
//!
//! The cache holds only weak references: the last `Agreement` holding a
//! compiled agreement, freed or finalized, drops it as before.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use leadgate::{Agreement as Core, Field, FieldType, OnBadValue, Raw};

/// A compiled agreement, with what the binding keeps beside it.
pub(crate) struct Compiled {
    pub(crate) core: Core,
    /// Fields that read another key (`from "…"`), by name, and their slots.
    renamed: HashMap<String, u32>,
    /// Those of them already warned about (a lead keyed by their name).
    warned: RefCell<Vec<u32>>,
    /// The `id` field's slot.
    id_slot: Option<usize>,
}

impl Compiled {
    /// The `id` field's slot, if the agreement has one.
    pub(crate) fn id_slot(&self) -> Option<usize> {
        self.id_slot
    }

    /// The slot of the field named `key`, when it reads another key.
    pub(crate) fn renamed(&self, key: &str) -> Option<u32> {
        if self.renamed.is_empty() {
            return None;
        }
        self.renamed.get(key).copied()
    }

    /// Warns, once per agreement and field, that a lead was keyed by the
    /// field's name rather than the key it reads (the core's
    /// `Agreement::misnamed_keys`; decisions do not change: keys match
    /// exactly).
    pub(crate) fn warn_misnamed(&self, field: &Field) {
        let Some(slot) = self.renamed(field.name()) else {
            return;
        };
        let mut warned = self.warned.borrow_mut();
        if !warned.contains(&slot) {
            warned.push(slot);
            crate::js::warn(&format!(
                "leadgate: a lead has the key \"{name}\" but no \"{key}\": the field {name} reads \"{key}\", so it is missing in that lead (did you mean \"{key}\"?); said once per agreement",
                name = field.name(),
                key = field.key()
            ));
        }
    }
}

thread_local! {
    /// Every compiled agreement handed out, weakly (dead ones are dropped
    /// from the list on the next `compile`).
    static LIVE: RefCell<Vec<Weak<Compiled>>> = const { RefCell::new(Vec::new()) };
}

/// The live compiled agreement of `source`, if there is one.
pub(crate) fn find(source: &str) -> Option<Rc<Compiled>> {
    LIVE.with(|live| {
        let mut live = live.borrow_mut();
        live.retain(|w| w.strong_count() > 0);
        live.iter()
            .filter_map(Weak::upgrade)
            .find(|c| c.core.source() == source)
    })
}

/// Shares a newly compiled agreement.
pub(crate) fn share(core: Core) -> Rc<Compiled> {
    let renamed = (core.fields().iter().enumerate())
        .filter(|(_, f)| f.name() != f.key())
        .map(|(slot, f)| (f.name().to_string(), slot as u32))
        .collect();
    // The core tells the `id` field only through a bound lead: each text
    // field (the id is one) gets its slot as its value, the id is read back.
    let mut probe = core.lead_builder(OnBadValue::Missing);
    for (slot, f) in core.fields().iter().enumerate() {
        if f.field_type() == FieldType::Text {
            probe.set(slot as u32, Raw::Str(slot.to_string().into()));
        }
    }
    let id_slot = core.lead_id(&probe.finish()).and_then(|id| id.parse().ok());
    let rc = Rc::new(Compiled {
        core,
        renamed,
        warned: RefCell::new(Vec::new()),
        id_slot,
    });
    LIVE.with(|live| live.borrow_mut().push(Rc::downgrade(&rc)));
    rc
}
