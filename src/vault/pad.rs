//! Padding: every entry, draft, profile and cache is padded to a size bucket before it
//! is encrypted, so the size of a file on disk no longer tells which exercise it
//! answers or which role its owner chose.
//!
//! The buckets: everything up to 8 KiB is 8 KiB (every built-in exercise answered
//! briefly fits); above that, sizes go up in steps of an eighth of the next power of
//! two (10, 12, 14, 16 KiB, then 20, 24, 28, 32 KiB, ...), so a long entry costs at
//! most an eighth more space. TOML is padded with one trailing
//! comment line of spaces, which every TOML reader (and a person reading the file with
//! the stock age tool) passes over; the cache, which is binary, with zero bytes after
//! its end, which its decoder never reads. Files written before padding still open.

use age::secrecy::zeroize::Zeroizing;

/// The smallest size a padded plaintext has.
pub(crate) const FLOOR: usize = 8192;

/// The size a plaintext of `len` bytes is padded to.
pub(crate) fn bucket(len: usize) -> usize {
    if len <= FLOOR {
        return FLOOR;
    }
    let step = len.next_power_of_two() / 8;
    len.div_ceil(step) * step
}

/// `text` (TOML) with a trailing comment that brings it to its bucket.
pub(crate) fn toml(text: &str) -> Zeroizing<String> {
    const FRAME: usize = "\n#\n".len();
    let size = bucket(text.len() + FRAME);
    let mut padded = Zeroizing::new(String::with_capacity(size));
    padded.push_str(text);
    padded.push_str("\n#");
    padded.extend(std::iter::repeat_n(' ', size - text.len() - FRAME));
    padded.push('\n');
    padded
}

/// `bytes` with zero bytes after them up to their bucket.
pub(crate) fn binary(mut bytes: Zeroizing<Vec<u8>>) -> Zeroizing<Vec<u8>> {
    let size = bucket(bytes.len());
    bytes.resize(size, 0);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_the_floor_then_eighths_of_a_power_of_two() {
        for (len, size) in [
            (0, 8192),
            (4096, 8192),
            (8192, 8192),
            (8193, 10240),
            (10240, 10240),
            (16385, 20480),
            (100_000, 114_688),
        ] {
            assert_eq!(bucket(len), size, "{len}");
        }
        for len in [1, 5000, 70_000, 3_000_000] {
            let size = bucket(len);
            assert!(
                size >= len && size - len <= size / 8 + FLOOR,
                "{len} -> {size}"
            );
        }
    }

    #[test]
    fn padded_toml_is_its_bucket_long_and_reads_back_the_same() {
        #[derive(serde::Deserialize, PartialEq, Debug)]
        struct T {
            a: String,
        }
        for text in [
            "a = \"x\"",
            "a = \"信頼 🌱\"\n",
            &format!("a = \"{}\"", "y".repeat(5000)),
        ] {
            let padded = toml(text);
            assert_eq!(padded.len(), bucket(padded.len()), "{text:.20}");
            assert_eq!(
                ::toml::from_str::<T>(&padded).unwrap(),
                ::toml::from_str::<T>(text).unwrap()
            );
        }
    }
}
