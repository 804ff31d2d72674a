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
use std::rc::{Rc, Weak};

use leadgate::Agreement as Core;

/// A compiled agreement and the text it was compiled from.
pub(crate) struct Compiled {
    pub(crate) core: Core,
    pub(crate) source: String,
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
            .find(|c| c.source == source)
    })
}

/// Shares a newly compiled agreement.
pub(crate) fn share(compiled: Compiled) -> Rc<Compiled> {
    let rc = Rc::new(compiled);
    LIVE.with(|live| live.borrow_mut().push(Rc::downgrade(&rc)));
    rc
}
