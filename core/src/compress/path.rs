//! Which compression path this process takes: the fused SHA-NI one when the
//! CPU has the extensions, unless `REFINER_IDENTITY_FORCE_PORTABLE=1` asks for
//! the portable one (so the tests can run both paths on any machine).

use std::sync::atomic::{AtomicU8, Ordering};

use super::shani;

/// The environment variable that, set to `1`, forces the portable path.
pub(crate) const FORCE_PORTABLE_ENV: &str = "REFINER_IDENTITY_FORCE_PORTABLE";

const UNDECIDED: u8 = 0;
const FUSED: u8 = 1;
const PORTABLE: u8 = 2;

/// Decided once per process: the environment is read once, and a later change
/// to it cannot switch paths under a running batch.
static DECIDED: AtomicU8 = AtomicU8::new(UNDECIDED);

/// True when the fused path runs: the CPU has every feature `shani` is compiled
/// for and the portable path is not forced. One relaxed load once decided.
#[inline]
pub(super) fn fused() -> bool {
    match DECIDED.load(Ordering::Relaxed) {
        FUSED => true,
        PORTABLE => false,
        _ => decide(),
    }
}

#[cold]
fn decide() -> bool {
    let fused = shani::available() && !forced_portable();
    // Threads racing here compute the same answer, so either store is right.
    DECIDED.store(if fused { FUSED } else { PORTABLE }, Ordering::Relaxed);
    fused
}

fn forced_portable() -> bool {
    std::env::var_os(FORCE_PORTABLE_ENV).is_some_and(|value| value == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `make test` runs the core tests once as is and once with the variable
    /// set: each run checks it took the path it was asked for.
    #[test]
    fn the_variable_decides_the_path() {
        assert_eq!(fused(), shani::available() && !forced_portable());
        if forced_portable() {
            assert!(!fused(), "{FORCE_PORTABLE_ENV}=1 must select the portable path");
        }
    }
}
