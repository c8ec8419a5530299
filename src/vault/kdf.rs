//! The scrypt work factor of key files: fixed and documented (DESIGN.md, "The vault on
//! disk"), never calibrated per machine, with a cheap cost only for tests and test
//! builds (`MEND_KDF_LOG_N`, refused below the floor in release builds).

use super::VaultError;

/// The scrypt work factor for key files: fixed and documented, never calibrated per
/// machine (a vault made on a fast machine must open on a slow one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfCost {
    log_n: u8,
}

impl KdfCost {
    /// log2 of scrypt's N for every key file a release build writes.
    pub const RELEASE_LOG_N: u8 = 18;
    /// The most work an unlock will attempt: a key file asking for more was not made by
    /// mend (or was changed), and would take minutes and gigabytes to try.
    pub const MAX_LOG_N: u8 = 22;

    #[must_use]
    pub const fn release() -> Self {
        Self {
            log_n: Self::RELEASE_LOG_N,
        }
    }

    /// A cheap cost for tests.
    #[must_use]
    pub const fn for_tests(log_n: u8) -> Self {
        Self { log_n }
    }

    /// The release cost, or `MEND_KDF_LOG_N` where set; release builds refuse values
    /// below [`Self::RELEASE_LOG_N`].
    pub fn from_env() -> Result<Self, VaultError> {
        match std::env::var("MEND_KDF_LOG_N") {
            Err(std::env::VarError::NotPresent) => Ok(Self::release()),
            Err(std::env::VarError::NotUnicode(value)) => Err(VaultError::BadKdfCost {
                value: value.to_string_lossy().into_owned(),
                problem: "which is not a number",
                min: Self::min_log_n(!cfg!(debug_assertions)),
            }),
            Ok(value) => Self::parse(&value, !cfg!(debug_assertions)),
        }
    }

    /// Parses a `MEND_KDF_LOG_N` value; `release_build` applies the safe floor.
    fn parse(value: &str, release_build: bool) -> Result<Self, VaultError> {
        let min = Self::min_log_n(release_build);
        let bad = |problem| VaultError::BadKdfCost {
            value: value.to_owned(),
            problem,
            min,
        };
        let log_n: u8 = value
            .trim()
            .parse()
            .map_err(|_| bad("which is not a whole number"))?;
        if log_n > Self::MAX_LOG_N {
            Err(bad(
                "which is more work than mend will ever attempt to unlock",
            ))
        } else if log_n < min && release_build {
            Err(bad(
                "which is below the safe floor for release builds (only test builds accept it)",
            ))
        } else if log_n < min {
            Err(bad("which is too small (scrypt needs at least 1)"))
        } else {
            Ok(Self { log_n })
        }
    }

    const fn min_log_n(release_build: bool) -> u8 {
        if release_build {
            Self::RELEASE_LOG_N
        } else {
            1
        }
    }

    #[must_use]
    pub fn log_n(self) -> u8 {
        self.log_n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_cost_parsing_applies_the_release_floor() {
        let cases = [
            ("18", true, Some(18)),
            ("22", true, Some(22)),
            ("17", true, None),
            ("10", false, Some(10)),
            ("1", false, Some(1)),
            ("0", false, None),
            ("23", false, None),
            ("ten", false, None),
            ("", true, None),
        ];
        for (value, release, expected) in cases {
            let got = KdfCost::parse(value, release).ok().map(KdfCost::log_n);
            assert_eq!(got, expected, "MEND_KDF_LOG_N={value:?} release={release}");
        }
    }

    #[test]
    fn release_floor_message_says_what_to_do() {
        let err = KdfCost::parse("12", true).unwrap_err().to_string();
        assert!(err.contains("'12'") && err.contains("Unset it"), "{err}");
    }
}
