//! Python bindings for leadgate (the `leadgate._leadgate` extension module).
//!
//! Thin by design: Python objects or Arrow columns are turned into the core's
//! raw values, the core binds, scores and writes the canonical JSON, and the
//! results come back as Python objects or Arrow columns. Binding and scoring
//! run with the GIL released, on a rayon thread pool (the core's `Threads`,
//! `pool.rs`); `score_many` reads its leads in blocks while the pool scores
//! the previous ones (`many.rs`), and `score_arrow` reads record batches
//! (`stream.rs`) and builds its output columns on the pool (`arrow.rs`).
//! Between two blocks or slices, pending signals are handled, so Ctrl-C
//! ends a long call.

mod agreement;
mod analysis;
mod block;
mod convert;
mod dates;
mod decision;
mod errors;
mod many;
mod pool;
mod report;
mod roster;
mod run;
mod stream;

// mimalloc for every allocation of the extension (the core's too): binding
// and scoring a lead make a few dozen small allocations, and glibc's malloc
// spent a quarter of score_many's and score_arrow's time on them. Local-dynamic
// TLS, as a library loaded with dlopen needs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use leadgate::{Agreement, AgreementFile, ReadError, ScoreOptions, Threads};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::{agreement_error, guard, value_error};

/// Reads an agreement file as the CLI does: a text (UTF-8, at most the size
/// limit; one byte more is the compile error `E0017`), or the bytes of a
/// compiled agreement (`leadgate compile`), which `Agreement` loads.
#[pyfunction]
#[pyo3(name = "_read_agreement")]
fn read_agreement(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Py<PyAny>> {
    let file = std::fs::File::open(&path)?;
    match py.detach(|| leadgate::read_agreement_file(file)) {
        Ok(AgreementFile::Text(text)) => Ok(PyString::new(py, &text).into_any().unbind()),
        Ok(AgreementFile::Compiled(bytes)) => Ok(PyBytes::new(py, &bytes).into_any().unbind()),
        Err(ReadError::Io(e)) => Err(e.into()),
        Err(ReadError::Invalid { error, .. }) => {
            Err(agreement_error(py, &error, &path.display().to_string()))
        }
    }
}

/// Internal, for the test suite only (not part of the API): panics inside
/// the panic boundary every entry point uses ([`guard`]), to prove that a
/// Rust panic comes out as `LeadgateError`. `place`: `"gil"` (holding the
/// GIL), `"detached"` (with the GIL released) or `"pool"` (on a scoring
/// thread of a two-thread batch, as `score_many` and `score_arrow` run).
#[pyfunction]
#[pyo3(name = "_panic_for_test")]
#[allow(clippy::panic)]
fn panic_for_test(py: Python<'_>, place: &str) -> PyResult<()> {
    guard(py, || match place {
        "gil" => panic!("test panic with the GIL held"),
        "detached" => py.detach(|| panic!("test panic with the GIL released")),
        "pool" => {
            let agreement = Agreement::compile(
                "agreement \"t\"\nfields { a : number }\nscore s { +1 \"r\" when a > 1 }\nroute { nurture otherwise }\n",
            )
            .map_err(|e| value_error(e.to_string()))?;
            let pool = Threads::new(Some(2)).map_err(value_error)?;
            let opts = ScoreOptions::now();
            py.detach(|| {
                pool.map_ranges(1000, 1, |rows| {
                    rows.map(|row| {
                        if row == 700 {
                            panic!("test panic on a scoring thread");
                        }
                        let lead = agreement.lead_builder(leadgate::OnBadValue::Error).finish();
                        agreement.decide(row, &lead, &opts)
                    })
                    .collect::<Vec<_>>()
                })
            });
            Ok(())
        }
        other => Err(value_error(format!(
            "_panic_for_test: unknown place {other:?}; use \"gil\", \"detached\" or \"pool\""
        ))),
    })
}

/// The native part of the `leadgate` package; use `leadgate` itself.
#[pymodule]
fn _leadgate(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(panic_for_test, m)?)?;
    m.add_function(wrap_pyfunction!(read_agreement, m)?)?;
    m.add_function(wrap_pyfunction!(decision::from_pickle, m)?)?;
    m.add_class::<agreement::PyAgreement>()?;
    m.add_class::<decision::PyDecision>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<roster::PyRoster>()?;
    m.add_class::<roster::PyLoad>()?;
    Ok(())
}
