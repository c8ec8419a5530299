//! The one seeded generator every randomised test draws from: `SplitMix64`, small,
//! fast in a debug build and plenty for choosing delays, text and cases. A property
//! test gets a proptest runner seeded from it, so every random choice in the suite
//! follows from one number per test.
//!
//! Each test says where its seed comes from ([`Seed`]): a fixed number, so every run
//! tries the same things, or a fresh one from the clock, so runs cover more ground.
//! `MEND_TEST_SEED` overrides either, and each test prints (or fails with) the seed it
//! used, so any run can be repeated exactly.

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Where a test's seed comes from when `MEND_TEST_SEED` is not set.
#[derive(Clone, Copy, Debug)]
pub enum Seed {
    /// The same on every run.
    Fixed(u64),
    /// A new one each run, from the clock.
    Fresh,
}

impl Seed {
    /// `MEND_TEST_SEED` if set, else this seed.
    pub fn get(self) -> u64 {
        if let Ok(text) = std::env::var("MEND_TEST_SEED") {
            return text.parse().expect("MEND_TEST_SEED is a number");
        }
        match self {
            Seed::Fixed(seed) => seed,
            Seed::Fresh => {
                let since = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("the clock is after 1970");
                // The low 64 bits of the nanoseconds: all that changes between runs.
                since.as_nanos() as u64
            }
        }
    }
}

/// `SplitMix64` (Steele, Lea and Flood): every seed, even 0, gives a good sequence.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// An index into something `len` long.
    pub fn pick(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A proptest runner whose cases follow from this generator (proptest's `ChaCha`,
    /// keyed with the next 32 bytes drawn here).
    pub fn proptest_runner(&mut self, config: Config) -> TestRunner {
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes());
        }
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &key))
    }
}
