//! Passphrases made for the person: six words drawn at random from mend's own list, for
//! someone who would rather write one down than invent one.
//!
//! The list (`words.txt`, one word a line, sorted) was written for mend: short, everyday
//! English words, with none that could sting someone reading them here (nothing about
//! lying, leaving, bodies or harm, and no common first names, which could be someone's).
//! With 1,568 words, six of them carry 6 × log2(1568) ≈ 63.7 bits: someone with a copy of
//! the vault, guessing 10,000 passphrases a second, would need over 20 million years to
//! try half of them.
//!
//! Pure, like the rest of the core: the randomness comes in from the shell, as the 122
//! random bits of the fresh id every action's `Moment` carries (see [`Seed`]).

use std::sync::LazyLock;

use age::secrecy::SecretString;
use uuid::Uuid;

/// How many words a passphrase made here has.
pub const WORDS_IN_A_PASSPHRASE: usize = 6;

static LIST: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| include_str!("words.txt").lines().collect());

/// Every word a passphrase can be made of, sorted.
pub fn list() -> &'static [&'static str] {
    &LIST
}

/// The entropy of a passphrase made here, in bits: every word is one of [`list`],
/// chosen independently and (as near as can be told) uniformly.
// Exact: both counts are small enough for an f64 to hold without loss.
#[allow(clippy::cast_precision_loss)]
pub fn entropy_bits() -> f64 {
    WORDS_IN_A_PASSPHRASE as f64 * (list().len() as f64).log2()
}

/// Random bits to choose words with: a number below 2^122, uniformly random.
#[derive(Clone, Copy)]
pub struct Seed(u128);

impl Seed {
    /// Bits that make up a seed.
    pub const BITS: u32 = 122;

    /// The 122 random bits of a version 4 UUID (its 6 version and variant bits are fixed,
    /// so they are left out). The shell draws a fresh one from the operating system's
    /// random source for every action (`Moment::fresh_id`), and an action that makes a
    /// passphrase starts no entry, so no id is ever both a file name and a passphrase.
    pub fn from_uuid(id: Uuid) -> Self {
        let bits = id.as_u128();
        // From the least significant end: 62 random bits, the 2 variant bits, 12 random
        // bits, the 4 version bits, 48 random bits.
        let low = bits & ((1 << 62) - 1);
        let middle = (bits >> 64) & 0xfff;
        let high = bits >> 80;
        Self(low | (middle << 62) | (high << 74))
    }

    /// A seed from raw bits, for tests that want a known passphrase; bits above the
    /// 122nd are dropped.
    pub fn from_bits(bits: u128) -> Self {
        Self(bits & ((1 << Self::BITS) - 1))
    }
}

/// Six words from the list, separated by spaces, chosen by `seed`.
///
/// The words are the first six digits of the seed written in base `list().len()`. The
/// seed is uniform below 2^122 and 1568^6 is below 2^64, so every six-word choice is as
/// likely as every other to within 2^-58: as good as uniform.
pub fn passphrase(seed: Seed) -> SecretString {
    let words = list();
    let base = words.len() as u128;
    let mut rest = seed.0;
    let chosen: [&str; WORDS_IN_A_PASSPHRASE] = std::array::from_fn(|_| {
        let word = words[(rest % base) as usize];
        rest /= base;
        word
    });
    // Sized exactly, so the secret is never copied on its way into the SecretString.
    let len = chosen.iter().map(|w| w.len()).sum::<usize>() + WORDS_IN_A_PASSPHRASE - 1;
    let mut phrase = String::with_capacity(len);
    for (i, word) in chosen.iter().enumerate() {
        if i > 0 {
            phrase.push(' ');
        }
        phrase.push_str(word);
    }
    SecretString::from(phrase)
}

#[cfg(test)]
mod tests {
    use age::secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn a_seed_keeps_exactly_the_random_bits_of_a_uuid() {
        let all_ones = uuid::Builder::from_random_bytes([0xff; 16]).into_uuid();
        assert_eq!(Seed::from_uuid(all_ones).0, (1 << 122) - 1);
        let all_zeros = uuid::Builder::from_random_bytes([0; 16]).into_uuid();
        assert_eq!(Seed::from_uuid(all_zeros).0, 0);
        // One random bit at a time lands on its own bit of the seed.
        let mut seen = 0u128;
        for bit in 0..128 {
            let mut bytes = [0u8; 16];
            bytes[15 - bit / 8] = 1 << (bit % 8);
            let landed = Seed::from_uuid(uuid::Builder::from_random_bytes(bytes).into_uuid()).0;
            assert_eq!(landed & seen, 0, "bit {bit} landed where another did");
            seen |= landed;
        }
        assert_eq!(seen, (1 << 122) - 1);
    }

    #[test]
    fn the_words_are_the_seed_in_base_list_length() {
        let n = list().len() as u128;
        let seed = Seed::from_bits(3 + 5 * n + 7 * n * n * n * n * n);
        let phrase = passphrase(seed);
        let words: Vec<&str> = phrase.expose_secret().split(' ').collect();
        let l = list();
        assert_eq!(words, [l[3], l[5], l[0], l[0], l[0], l[7]]);
    }
}
