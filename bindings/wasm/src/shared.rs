//! A compiled agreement, shared by every `Agreement` of its text: a
//! compiled agreement is immutable, so `compile` of a text a live
//! `Agreement` holds hands out another `Agreement` of the same one
//! (`__share`, called by `src/guard.js`, which says why).

use std::cell::RefCell;

use leadgate::{Agreement as Core, Lead};

/// A compiled agreement, with the fields already warned about (a lead
/// keyed by the name of a field that reads another key).
pub(crate) struct Compiled {
    pub(crate) core: Core,
    warned: RefCell<Vec<String>>,
}

impl Compiled {
    pub(crate) fn new(core: Core) -> Self {
        Compiled {
            core,
            warned: RefCell::new(Vec::new()),
        }
    }

    /// Warns, once per agreement and field, of each field `lead` was keyed
    /// by the name of rather than the key it reads (the core's
    /// `Agreement::misnamed_keys`; decisions do not change: keys match
    /// exactly).
    pub(crate) fn warn_misnamed(&self, lead: &Lead) {
        for field in self.core.misnamed_keys(lead) {
            let mut warned = self.warned.borrow_mut();
            if !warned.iter().any(|w| w == field.name()) {
                warned.push(field.name().to_string());
                crate::js::warn(&format!(
                    "leadgate: a lead has the key \"{name}\" but no \"{key}\": the field {name} reads \"{key}\", so it is missing in that lead (did you mean \"{key}\"?); said once per agreement",
                    name = field.name(),
                    key = field.key()
                ));
            }
        }
    }
}
