//! The Unix half of [`crate::platform`]: modes, folder syncs, inodes and signals.

use std::fs::{self, DirBuilder, File, Metadata, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::Identity;

const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// New folders made by `builder` are private (0700, before the umask).
pub fn private_dir(builder: &mut DirBuilder) {
    builder.mode(DIR_MODE);
}

/// New files opened by `options` are private (0600, before the umask).
pub fn private_file(options: &mut OpenOptions) {
    options.mode(FILE_MODE);
}

/// Sets an open file to 0600, whatever the umask did.
pub fn make_file_private(file: &File) -> io::Result<()> {
    file.set_permissions(Permissions::from_mode(FILE_MODE))
}

/// Sets `path` to 0700 (a folder) or 0600 (a file), whatever it was.
pub fn make_path_private(path: &Path, is_dir: bool) -> io::Result<()> {
    let mode = if is_dir { DIR_MODE } else { FILE_MODE };
    fs::set_permissions(path, Permissions::from_mode(mode))
}

/// Whether another account could read or change it (any group or other bit).
pub fn open_to_others(meta: &Metadata) -> bool {
    meta.permissions().mode() & 0o077 != 0
}

/// The permission bits, when an ordinary file's let others in (for naming a secret
/// file a script passed in).
pub fn file_mode_open_to_others(path: &Path) -> Option<u32> {
    let metadata = fs::metadata(path).ok()?;
    let mode = metadata.permissions().mode() & 0o7777;
    (metadata.is_file() && mode & 0o077 != 0).then_some(mode)
}

/// Makes a rename or removal in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The folder itself, held open and locked so it cannot be swapped while in use.
pub fn open_folder(dir: &Path) -> io::Result<Option<File>> {
    File::open(dir).map(Some)
}

/// `path` is not needed here: a listing's metadata has it all.
pub fn identity(_path: &Path, meta: &Metadata) -> Identity {
    Identity {
        place: (meta.dev(), meta.ino()),
        len: meta.len(),
        written: (meta.mtime(), meta.mtime_nsec()),
        // Set by the kernel on any change, and unlike the modification time no program
        // can set it back.
        changed: (meta.ctime(), meta.ctime_nsec()),
    }
}

/// Every signal that would otherwise end mend with the terminal left raw and the answer
/// on screen lost: each is caught, and ends mend as a quit does. SIGINT comes only from
/// outside (Ctrl-C is a key in raw mode); SIGPIPE is ignored by Rust programs by
/// default, caught here so it cannot end mend either way unnoticed.
pub const ENDING_SIGNALS: &[i32] = {
    use signal_hook::consts::{
        SIGALRM, SIGHUP, SIGINT, SIGPIPE, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
    };
    &[
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
    ]
};

/// Sets `stop` when mend is asked to end ([`ENDING_SIGNALS`]); the event loop sees it
/// within a tick, keeps the draft on screen and gives the terminal back.
pub fn on_ending(stop: &std::sync::Arc<std::sync::atomic::AtomicBool>) -> io::Result<()> {
    for &signal in ENDING_SIGNALS {
        signal_hook::flag::register(signal, std::sync::Arc::clone(stop))?;
    }
    Ok(())
}

/// Called once the draft is kept, on the way out. A signal waits for nothing on Unix.
pub fn ended() {}

/// Whether the terminal has hung up (its window was closed): a hung-up terminal no
/// longer answers even a question about its settings.
pub fn hung_up() -> bool {
    rustix::termios::tcgetattr(io::stdout()).is_err()
}

/// Waits up to `timeout` for the terminal to have something to read. Asked before the
/// terminal library is, because that library, handed a hung-up terminal, keeps asking
/// it until its own timeout runs out with a core spinning; here the hang-up is seen at
/// once. A signal (a resize, SIGHUP, SIGTERM) ends the wait early as [`Waited::Input`],
/// so whoever waits looks at what came.
pub fn wait_for_input(timeout: std::time::Duration) -> super::Waited {
    use super::Waited;
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::sync::OnceLock;
    // The terminal crossterm reads (its /dev/tty source), opened once to be waited on.
    static TTY: OnceLock<Option<File>> = OnceLock::new();
    let Some(tty) = TTY.get_or_init(|| File::open("/dev/tty").ok()).as_ref() else {
        return Waited::Unknown;
    };
    let mut fds = [PollFd::new(tty, PollFlags::IN)];
    let Ok(timeout) = Timespec::try_from(timeout) else {
        return Waited::Unknown;
    };
    match poll(&mut fds, Some(&timeout)) {
        Ok(0) => Waited::Quiet,
        Ok(_)
            if fds[0]
                .revents()
                .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) =>
        {
            Waited::HungUp
        }
        // Input, or a signal (EINTR): either way, look.
        Ok(_) | Err(_) => Waited::Input,
    }
}

/// Hands memory the program freed back to the system. An unlock builds ten years of
/// entries from the cache through short-lived buffers; glibc keeps the pages they
/// leave free inside its heaps, so without this a process holding 103 MiB of entries
/// stayed at 174 MiB resident (122 MiB after it, at 100,000 entries; about 5 ms).
/// Elsewhere (macOS, musl) the allocator is left to itself.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::trim();
}

/// The second and last `unsafe` in mend (the first is the Windows console handler):
/// glibc's `malloc_trim`, which takes a number and no pointers, so nothing it does
/// can reach memory mend holds. No crate offers it safely.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
mod glibc {
    unsafe extern "C" {
        /// `int malloc_trim(size_t pad)`: frees whole pages no allocation uses, in every
        /// arena, keeping `pad` bytes at the top of the main heap.
        fn malloc_trim(pad: usize) -> core::ffi::c_int;
    }

    pub fn trim() {
        // SAFETY: no pointers cross; glibc takes its own locks.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Turns core dumps off for this process: one would hold decrypted answers and keys.
pub fn no_core_dumps() -> io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let none = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    setrlimit(Resource::Core, none).map_err(io::Error::from)
}

/// Opens `path` to group and others (0755 or 0644), as a copy or a sync tool might: for
/// tests that mend notices and sets it back.
#[cfg(test)]
pub fn loosen(path: &Path) -> io::Result<()> {
    let mode = if path.is_dir() { 0o755 } else { 0o644 };
    fs::set_permissions(path, Permissions::from_mode(mode))
}
