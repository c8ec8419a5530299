//! Which rows of a long list are left out, where a whole stretch of rows is ticked or
//! unticked at once (the export screen's modules, exercises and entries).
//!
//! The rows are the leaves of a tree; each node knows how much of what is under it is
//! left out. Setting a stretch marks the few nodes that cover it (their children are
//! told only when something below them is next set), and counting a stretch adds up
//! those same nodes. So ticking a module of 10,000 entries costs what ticking one entry
//! does, and asking whether a row is ticked does not walk the entries under it.

use std::ops::{AddAssign, Range};

/// What a row, or a stretch of rows, weighs: entries, and of them, this person's
/// private ones. A heading row weighs nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Weight {
    pub entries: u32,
    pub private: u32,
}

impl AddAssign for Weight {
    fn add_assign(&mut self, other: Self) {
        self.entries += other.entries;
        self.private += other.private;
    }
}

#[derive(Clone, Debug, Default)]
pub struct Ticks {
    rows: usize,
    /// Per node (the root is 1, node `i`'s children `2i` and `2i + 1`): what the rows
    /// under it weigh in all, and how much of that is left out.
    weight: Vec<Weight>,
    out: Vec<Weight>,
    /// Per node: every row under it was set left out (`Some(true)`) or in, and its
    /// children are not yet told. Newer than anything below it.
    pending: Vec<Option<bool>>,
}

impl Ticks {
    /// Rows weighing `weights`, those for which `left_out` holds left out.
    pub fn new(weights: &[Weight], left_out: impl Fn(usize) -> bool) -> Self {
        let nodes = 2 * weights.len().next_power_of_two();
        let mut ticks = Self {
            rows: weights.len(),
            weight: vec![Weight::default(); nodes],
            out: vec![Weight::default(); nodes],
            pending: vec![None; nodes],
        };
        if !weights.is_empty() {
            ticks.build(1, 0..weights.len(), weights, &left_out);
        }
        ticks
    }

    fn build(
        &mut self,
        node: usize,
        span: Range<usize>,
        weights: &[Weight],
        left_out: &impl Fn(usize) -> bool,
    ) {
        if span.len() == 1 {
            self.weight[node] = weights[span.start];
            if left_out(span.start) {
                self.out[node] = weights[span.start];
            }
            return;
        }
        let (low, high) = halves(&span);
        self.build(2 * node, low, weights, left_out);
        self.build(2 * node + 1, high, weights, left_out);
        let mut weight = self.weight[2 * node];
        weight += self.weight[2 * node + 1];
        self.weight[node] = weight;
        self.pull(node);
    }

    /// How much of rows `range` is left out.
    pub fn out_within(&self, range: Range<usize>) -> Weight {
        let range = range.start.min(self.rows)..range.end.min(self.rows);
        let mut found = Weight::default();
        if !range.is_empty() {
            self.count(1, 0..self.rows, &range, None, &mut found);
        }
        found
    }

    fn count(
        &self,
        node: usize,
        span: Range<usize>,
        range: &Range<usize>,
        set: Option<bool>,
        found: &mut Weight,
    ) {
        if span.end <= range.start || range.end <= span.start {
            return;
        }
        // The nearest mark above is the newest word on every row below it.
        let set = set.or(self.pending[node]);
        if range.start <= span.start && span.end <= range.end {
            *found += match set {
                Some(true) => self.weight[node],
                Some(false) => Weight::default(),
                None => self.out[node],
            };
            return;
        }
        let (low, high) = halves(&span);
        self.count(2 * node, low, range, set, found);
        self.count(2 * node + 1, high, range, set, found);
    }

    /// How much of every row is left out.
    pub fn out(&self) -> Weight {
        self.out.get(1).copied().unwrap_or_default()
    }

    /// What every row weighs.
    pub fn weight(&self) -> Weight {
        self.weight.get(1).copied().unwrap_or_default()
    }

    /// Rows `range` are left out (`out`) or put in.
    pub fn set(&mut self, range: Range<usize>, out: bool) {
        let range = range.start.min(self.rows)..range.end.min(self.rows);
        if !range.is_empty() {
            self.mark(1, 0..self.rows, &range, out);
        }
    }

    fn mark(&mut self, node: usize, span: Range<usize>, range: &Range<usize>, out: bool) {
        if span.end <= range.start || range.end <= span.start {
            return;
        }
        if range.start <= span.start && span.end <= range.end {
            self.settle(node, out);
            return;
        }
        if let Some(set) = self.pending[node].take() {
            self.settle(2 * node, set);
            self.settle(2 * node + 1, set);
        }
        let (low, high) = halves(&span);
        self.mark(2 * node, low, range, out);
        self.mark(2 * node + 1, high, range, out);
        self.pull(node);
    }

    /// Every row under `node` is now left out (`out`) or in.
    fn settle(&mut self, node: usize, out: bool) {
        self.out[node] = if out {
            self.weight[node]
        } else {
            Weight::default()
        };
        self.pending[node] = Some(out);
    }

    fn pull(&mut self, node: usize) {
        let mut out = self.out[2 * node];
        out += self.out[2 * node + 1];
        self.out[node] = out;
    }

    /// The rows left out that weigh something, in order. Walks only the parts of the
    /// tree that hold one.
    pub fn each_out(&self, mut found: impl FnMut(usize)) {
        if self.rows > 0 {
            self.walk(1, 0..self.rows, None, &mut found);
        }
    }

    fn walk(
        &self,
        node: usize,
        span: Range<usize>,
        set: Option<bool>,
        found: &mut impl FnMut(usize),
    ) {
        let set = set.or(self.pending[node]);
        let any = match set {
            Some(out) => out && self.weight[node] != Weight::default(),
            None => self.out[node] != Weight::default(),
        };
        if !any {
            return;
        }
        if span.len() == 1 {
            found(span.start);
            return;
        }
        let (low, high) = halves(&span);
        self.walk(2 * node, low, set, found);
        self.walk(2 * node + 1, high, set, found);
    }
}

fn halves(span: &Range<usize>) -> (Range<usize>, Range<usize>) {
    let middle = span.start + span.len() / 2;
    (span.start..middle, middle..span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any run of sets and counts agrees with a plain row-by-row list.
    #[test]
    fn stretches_set_and_counted_agree_with_each_row_on_its_own() {
        // A small generator, so the test needs no crate and fails the same way twice.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % below as u64).unwrap()
        };
        for rows in [1, 2, 3, 7, 8, 9, 33, 100] {
            let weights: Vec<Weight> = (0..rows)
                .map(|_| Weight {
                    entries: u32::from(next(3) != 0),
                    private: u32::from(next(3) == 0),
                })
                .collect();
            let mut plain: Vec<bool> = (0..rows).map(|_| next(2) == 0).collect();
            let mut ticks = Ticks::new(&weights, |i| plain[i]);
            let sum = |plain: &[bool], range: Range<usize>| {
                let mut w = Weight::default();
                for i in range {
                    if plain[i] {
                        w += weights[i];
                    }
                }
                w
            };
            for _ in 0..300 {
                let a = next(rows + 1);
                let b = next(rows + 1);
                let range = a.min(b)..a.max(b);
                if next(2) == 0 {
                    let out = next(2) == 0;
                    plain[range.clone()].fill(out);
                    ticks.set(range, out);
                } else {
                    assert_eq!(ticks.out_within(range.clone()), sum(&plain, range));
                }
                assert_eq!(ticks.out(), sum(&plain, 0..rows));
                let mut listed = Vec::new();
                ticks.each_out(|i| listed.push(i));
                let expected: Vec<usize> = (0..rows)
                    .filter(|&i| plain[i] && weights[i] != Weight::default())
                    .collect();
                assert_eq!(listed, expected);
            }
        }
    }

    #[test]
    fn no_rows_count_nothing() {
        let mut ticks = Ticks::new(&[], |_| true);
        ticks.set(0..5, true);
        assert_eq!(ticks.out_within(0..5), Weight::default());
        assert_eq!(ticks.out(), Weight::default());
        ticks.each_out(|_| panic!("no row to list"));
    }
}
