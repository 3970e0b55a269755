//! Standard output. A reader that goes away (`| head -1`, EPIPE) ends the run
//! quietly; a descriptor 1 closed before the start (`>&-`) is an error. Rust's
//! runtime reopens a closed descriptor 1 on /dev/null before `main` (so writes
//! would vanish and succeed); a constructor, which runs before the runtime's
//! setup, records whether it was closed.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::Failure;

static CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_STDOUT: extern "C" fn() = record_closed_stdout;

#[cfg(target_os = "linux")]
extern "C" fn record_closed_stdout() {
    use std::ffi::c_int;
    extern "C" {
        fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    }
    const STDOUT_FILENO: c_int = 1;
    const F_GETFD: c_int = 1;
    // SAFETY: F_GETFD only reads the flags of a descriptor (EBADF if it is not open).
    if unsafe { fcntl(STDOUT_FILENO, F_GETFD) } == -1 {
        CLOSED_AT_START.store(true, Ordering::Relaxed);
    }
}

/// True when the process started with descriptor 1 closed.
pub fn closed_at_start() -> bool {
    CLOSED_AT_START.load(Ordering::Relaxed)
}

/// Maps a failed write or flush of standard output.
pub fn write_failed(error: io::Error) -> Failure {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Failure::ReaderGone
    } else {
        Failure::Error(format!("cannot write standard output: {error}"))
    }
}
