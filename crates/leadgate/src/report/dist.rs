//! A score's distribution, mergeable: the same figures however the leads
//! were split into parts and in whatever order the parts are merged.
//!
//! Every distinct value is counted exactly (with the outcomes of its leads,
//! for calibration) while there are at most [`EXACT_VALUES`] of them; past
//! that, values are counted in logarithmic bins of relative width
//! [`RELATIVE_ERROR`] (the DDSketch mapping, never collapsed), so quantiles
//! are within that relative error. Which of the two a distribution is
//! depends only on the values, not on how they were split, and so does
//! every figure drawn from it.

use std::collections::BTreeMap;

use super::Outcome;

/// Distinct values counted exactly.
pub(crate) const EXACT_VALUES: usize = 1 << 16;
/// Relative error of a quantile once values are binned.
pub(crate) const RELATIVE_ERROR: f64 = 0.005;

/// Leads of one value (or one bin), and their outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Cell {
    pub n: u64,
    pub outcome: Outcome,
}

impl Cell {
    fn merge(&mut self, other: &Cell) {
        self.n += other.n;
        self.outcome.merge(&other.outcome);
    }
}

/// A value's key in a `BTreeMap`: its bits, ordered as the numbers are.
fn key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    if bits < 0 {
        bits ^ i64::MAX
    } else {
        bits
    }
}

fn value(key: i64) -> f64 {
    let bits = if key < 0 { key ^ i64::MAX } else { key };
    f64::from_bits(bits as u64)
}

/// The DDSketch bin of a value: 0 for zero, ±(i + 1) for |x| in
/// (γ^(i-1), γ^i], signed like the value; bins order as their values.
fn bin(x: f64) -> i64 {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    let gamma_ln = libm::log((1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR));
    // Magnitudes below 1e-9 share the bin next to zero.
    let i = (libm::ceil(libm::log(x.abs().max(1e-9)) / gamma_ln) as i64).clamp(-100_000, 100_000);
    // Shift so that every magnitude bin is positive, then sign it.
    let i = i + 100_001;
    if x > 0.0 {
        i
    } else {
        -i
    }
}

/// The value a bin stands for (the middle of its range, in relative terms).
fn bin_value(b: i64) -> f64 {
    if b == 0 {
        return 0.0;
    }
    let gamma = (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR);
    let i = b.abs() - 100_001;
    let v = 2.0 * libm::pow(gamma, i as f64) / (gamma + 1.0);
    if b > 0 {
        v
    } else {
        -v
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Store {
    /// Distinct value (by [`key`]) → its leads.
    Exact(BTreeMap<i64, Cell>),
    /// Bin (by [`bin`]) → its leads.
    Binned(BTreeMap<i64, Cell>),
}

/// A score's distribution over the leads of a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(into = "DistState", from = "DistState")]
pub(crate) struct Dist {
    pub count: u64,
    pub min: f64,
    pub max: f64,
    store: Store,
    /// Distinct values counted exactly ([`EXACT_VALUES`]; smaller in tests).
    limit: usize,
}

impl Default for Dist {
    fn default() -> Self {
        Dist::with_limit(EXACT_VALUES)
    }
}

/// A distribution as saved in a report's state (JSON has no infinities).
#[derive(serde::Serialize, serde::Deserialize)]
struct DistState {
    count: u64,
    min: Option<f64>,
    max: Option<f64>,
    exact: bool,
    cells: Vec<(i64, Cell)>,
}

impl From<Dist> for DistState {
    fn from(d: Dist) -> DistState {
        let (exact, cells) = match d.store {
            Store::Exact(v) => (true, v.into_iter().collect()),
            Store::Binned(b) => (false, b.into_iter().collect()),
        };
        DistState {
            count: d.count,
            min: (d.count > 0).then_some(d.min),
            max: (d.count > 0).then_some(d.max),
            exact,
            cells,
        }
    }
}

impl From<DistState> for Dist {
    fn from(s: DistState) -> Dist {
        let cells: BTreeMap<i64, Cell> = s.cells.into_iter().collect();
        Dist {
            count: s.count,
            min: s.min.unwrap_or(f64::INFINITY),
            max: s.max.unwrap_or(f64::NEG_INFINITY),
            store: if s.exact {
                Store::Exact(cells)
            } else {
                Store::Binned(cells)
            },
            limit: EXACT_VALUES,
        }
    }
}

fn to_bins(values: &BTreeMap<i64, Cell>) -> BTreeMap<i64, Cell> {
    let mut bins: BTreeMap<i64, Cell> = BTreeMap::new();
    for (k, c) in values {
        bins.entry(bin(value(*k))).or_default().merge(c);
    }
    bins
}

impl Dist {
    fn with_limit(limit: usize) -> Dist {
        Dist {
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            store: Store::Exact(BTreeMap::new()),
            limit,
        }
    }

    /// Counts one lead's value, with its outcome (`None`: unknown or not asked).
    pub fn add(&mut self, x: f64, outcome: Option<bool>) {
        self.count += 1;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        let cell = match &mut self.store {
            Store::Exact(values) => values.entry(key(x)).or_default(),
            Store::Binned(bins) => bins.entry(bin(x)).or_default(),
        };
        cell.n += 1;
        cell.outcome.add(outcome);
        self.bin_if_too_many();
    }

    fn bin_if_too_many(&mut self) {
        if let Store::Exact(values) = &self.store {
            if values.len() > self.limit {
                self.store = Store::Binned(to_bins(values));
            }
        }
    }

    /// Adds another part's distribution.
    pub fn merge(&mut self, other: &Dist) {
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        let binned = |s: &Store| match s {
            Store::Exact(v) => to_bins(v),
            Store::Binned(b) => b.clone(),
        };
        match (&mut self.store, &other.store) {
            (Store::Exact(a), Store::Exact(b)) => {
                for (k, c) in b {
                    a.entry(*k).or_default().merge(c);
                }
            }
            (Store::Binned(a), other_store) => {
                for (k, c) in binned(other_store) {
                    a.entry(k).or_default().merge(&c);
                }
            }
            (mine @ Store::Exact(_), Store::Binned(b)) => {
                let mut bins = binned(mine);
                for (k, c) in b {
                    bins.entry(*k).or_default().merge(c);
                }
                *mine = Store::Binned(bins);
            }
        }
        self.bin_if_too_many();
    }

    /// Whether every value is counted exactly (else within [`RELATIVE_ERROR`]).
    pub fn exact(&self) -> bool {
        matches!(self.store, Store::Exact(_))
    }

    /// (value, leads and outcomes) in increasing order of value; a bin's
    /// value is the one it stands for, kept within the observed range.
    pub fn cells(&self) -> Vec<(f64, Cell)> {
        match &self.store {
            Store::Exact(values) => values.iter().map(|(k, c)| (value(*k), *c)).collect(),
            Store::Binned(bins) => bins
                .iter()
                .map(|(b, c)| (bin_value(*b).clamp(self.min, self.max), *c))
                .collect(),
        }
    }

    /// The mean, summed in increasing order of value (so it does not depend
    /// on the order leads came in).
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| {
            let sum: f64 = self.cells().iter().map(|(v, c)| v * c.n as f64).sum();
            sum / self.count as f64
        })
    }

    /// Quantiles by the nearest-rank method.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        let cells = self.cells();
        qs.iter()
            .map(|q| {
                if self.count == 0 {
                    return 0.0;
                }
                let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
                let mut seen = 0;
                for (v, c) in &cells {
                    seen += c.n;
                    if seen >= rank {
                        return *v;
                    }
                }
                self.max
            })
            .collect()
    }

    /// `bins` equal-width bins from min to max: (from, to, leads).
    pub fn histogram(&self, bins: usize) -> Vec<(f64, f64, u64)> {
        if self.count == 0 || bins == 0 {
            return Vec::new();
        }
        let (lo, hi) = (self.min, self.max);
        let w = if hi > lo {
            (hi - lo) / bins as f64
        } else {
            1.0
        };
        let mut counts = vec![0u64; bins];
        for (x, c) in self.cells() {
            let i = (((x - lo) / w) as usize).min(bins - 1);
            counts[i] += c.n;
        }
        counts
            .iter()
            .enumerate()
            .map(|(i, c)| (lo + w * i as f64, lo + w * (i + 1) as f64, *c))
            .collect()
    }

    /// The leads in ten groups of (nearly) equal size by increasing value:
    /// (lowest value, highest value, leads and outcomes) per decile. Leads
    /// of one value stay together, in the decile where the first of them
    /// falls; a decile may so be empty (left out).
    pub fn deciles(&self) -> Vec<(usize, f64, f64, Cell)> {
        let mut out: Vec<(usize, f64, f64, Cell)> = Vec::new();
        let mut before = 0u64;
        for (v, c) in self.cells() {
            let d = ((before * 10) / self.count.max(1)) as usize + 1;
            before += c.n;
            match out.last_mut() {
                Some(last) if last.0 == d => {
                    last.2 = v;
                    last.3.merge(&c);
                }
                _ => out.push((d, v, v, c)),
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_the_numbers() {
        let xs = [-1e300, -2.5, -0.0, 0.0, 1e-300, 0.5, 3.0, 1e300];
        for w in xs.windows(2) {
            assert!(key(w[0]) <= key(w[1]), "{w:?}");
            assert_eq!(value(key(w[0])).to_bits(), w[0].to_bits());
        }
        for w in xs.windows(2) {
            assert!(bin(w[0]) <= bin(w[1]), "{w:?}");
        }
    }

    #[test]
    fn binned_quantiles_are_within_the_relative_error() {
        let mut d = Dist::default();
        let xs: Vec<f64> = (1..=200_000).map(|i| i as f64 * 0.731).collect();
        for x in &xs {
            d.add(*x, None);
        }
        assert!(!d.exact());
        for q in [0.1, 0.5, 0.9, 0.99] {
            let want = xs[((q * xs.len() as f64).ceil() as usize) - 1];
            let got = d.quantiles(&[q])[0];
            assert!(
                (got - want).abs() <= want * RELATIVE_ERROR * 1.01,
                "{q}: {got} vs {want}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_split_merges_to_the_same_distribution(
            xs in proptest::collection::vec((-1000i32..1000, proptest::option::of(proptest::bool::ANY)), 0..400),
            cuts in proptest::collection::vec(0usize..400, 0..8),
            many in proptest::bool::ANY,
        ) {
            // Many distinct values force the binned store in some cases.
            let value = |i: i32| if many { i as f64 * 1.000_123 + (i as f64).sin() } else { (i / 10) as f64 };
            let limit = 50;
            let mut whole = Dist::with_limit(limit);
            for (x, o) in &xs {
                whole.add(value(*x), *o);
            }
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(xs.len())).collect();
            cuts.push(0);
            cuts.push(xs.len());
            cuts.sort_unstable();
            let mut parts: Vec<Dist> = cuts.windows(2).map(|w| {
                let mut d = Dist::with_limit(limit);
                for (x, o) in &xs[w[0]..w[1]] {
                    d.add(value(*x), *o);
                }
                d
            }).collect();
            parts.reverse();
            let mut merged = Dist::with_limit(limit);
            for p in &parts {
                merged.merge(p);
            }
            proptest::prop_assert_eq!(merged.exact(), whole.exact());
            proptest::prop_assert_eq!(merged.cells(), whole.cells());
            proptest::prop_assert_eq!(merged.count, whole.count);
            proptest::prop_assert_eq!(merged.mean().map(f64::to_bits), whole.mean().map(f64::to_bits));
        }
    }
}
