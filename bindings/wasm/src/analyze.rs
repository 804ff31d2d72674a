//! The analysis of an agreement over every possible lead, and the symbolic
//! diff of two (docs/analysis.md): the core's `Analysis` and `SymbolicDiff`
//! handed to JS as the data they serialise to. In both builds.

use leadgate::{Analysis, SymbolicDiff};
use wasm_bindgen::prelude::*;

use crate::{to_js, Agreement, JsResult, Rendered};

#[wasm_bindgen]
impl Agreement {
    /// What no lead can ever do (findings W0007 … W0011, as `leadgate
    /// check` reports them), every route rule with a witness lead when one
    /// can reach it, and what was left undecided: the core's `Analysis`.
    #[wasm_bindgen(unchecked_return_type = "Analysis")]
    pub fn analyze(&self) -> JsResult {
        to_js(&Analysis::of(self.core()))
    }

    /// Ready-to-paste `example` blocks, one per reachable route rule (what
    /// `leadgate examples` prints).
    #[wasm_bindgen(js_name = exampleBlocks)]
    pub fn example_blocks(&self) -> String {
        Analysis::of(self.core()).example_blocks(self.core())
    }

    /// This agreement (in force) against `proposed` over every possible
    /// lead: the regions of leads whose destination changes, each with a
    /// lead both agreements confirm (`leadgate diff OLD NEW`: its JSON, and
    /// its text as `text`).
    #[wasm_bindgen(js_name = symbolicDiff, unchecked_return_type = "SymbolicDiff")]
    pub fn symbolic_diff(&self, proposed: &Agreement) -> JsResult {
        let diff = SymbolicDiff::between(self.core(), proposed.core());
        to_js(&Rendered {
            text: diff.to_text(),
            html: None,
            data: &diff,
        })
    }
}
