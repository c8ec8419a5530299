//! The Windows half of [`crate::platform`]. A file or folder under the per-user local
//! app-data folder is readable only by its account and the system by default, and new
//! ones inherit that; mend sets no modes (Windows has none) and changes no access lists.
//!
//! One of the two `unsafe` in mend is here: registering the console's event handler, a
//! plain function the system calls on its own thread, which touches only statics (the
//! other is glibc's `malloc_trim`, in the Unix half).
#![allow(unsafe_code)]

use std::fs::{DirBuilder, File, Metadata, OpenOptions};
use std::io;
use std::os::windows::fs::MetadataExt;
use std::path::Path;

use super::Identity;

/// The Windows heap gives freed memory back by itself.
pub fn return_freed_memory() {}

/// New folders inherit their parent's access list: private under app-data.
pub fn private_dir(_builder: &mut DirBuilder) {}

/// New files inherit their folder's access list: private under app-data.
pub fn private_file(_options: &mut OpenOptions) {}

pub fn make_file_private(_file: &File) -> io::Result<()> {
    Ok(())
}

pub fn make_path_private(_path: &Path, _is_dir: bool) -> io::Result<()> {
    Ok(())
}

/// Windows keeps who may open a file in its access list, not in metadata: nothing here
/// can tell, so nothing is reported as loosened.
pub fn open_to_others(_meta: &Metadata) -> bool {
    false
}

pub fn file_mode_open_to_others(_path: &Path) -> Option<u32> {
    None
}

/// NTFS journals a rename itself, and a folder cannot be opened as a file to sync it.
pub fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// A folder cannot be opened as a file on Windows; the vault's lock file alone keeps a
/// second mend out.
pub fn open_folder(_dir: &Path) -> io::Result<Option<File>> {
    Ok(None)
}

/// The volume and file index (Windows' inode), the size, the last write time and the
/// change time, read through a handle opened for attributes only. The change time is
/// set by the file system on any change, and unlike the write time no program can set
/// it back. A file that cannot be opened gets what its listing says, with no change
/// time, so the next load that can open it reads it again.
pub fn identity(path: &Path, meta: &Metadata) -> Identity {
    by_handle(path).unwrap_or_else(|| Identity {
        place: (0, 0),
        len: meta.file_size(),
        written: split(meta.last_write_time()),
        changed: (0, 0),
    })
}

/// 100 ns units since 1601 as (seconds, remainder).
fn split(t: impl TryInto<i64>) -> (i64, i64) {
    let t = t.try_into().unwrap_or(i64::MAX);
    (t / 10_000_000, t % 10_000_000)
}

fn by_handle(path: &Path) -> Option<Identity> {
    use std::os::windows::fs::OpenOptionsExt;
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_BASIC_INFO, FILE_READ_ATTRIBUTES, FILE_SHARE_DELETE,
        FILE_SHARE_READ, FILE_SHARE_WRITE, FileBasicInfo, GetFileInformationByHandle,
        GetFileInformationByHandleEx,
    };
    let file = OpenOptions::new()
        .access_mode(FILE_READ_ATTRIBUTES)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        .open(path)
        .ok()?;
    let handle = file.as_raw_handle();
    let mut info = BY_HANDLE_FILE_INFORMATION::default();
    let mut basic = FILE_BASIC_INFO::default();
    // SAFETY: `handle` is open for the life of `file`, and each buffer is the size the
    // call is told.
    let read = unsafe {
        GetFileInformationByHandle(handle, &raw mut info) != 0
            && GetFileInformationByHandleEx(
                handle,
                FileBasicInfo,
                (&raw mut basic).cast(),
                u32::try_from(std::mem::size_of::<FILE_BASIC_INFO>()).ok()?,
            ) != 0
    };
    read.then(|| Identity {
        place: (
            u64::from(info.dwVolumeSerialNumber),
            (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
        ),
        len: (u64::from(info.nFileSizeHigh) << 32) | u64::from(info.nFileSizeLow),
        written: split(basic.LastWriteTime),
        changed: split(basic.ChangeTime),
    })
}

/// What the console asked, kept for its handler: the flag the event loop watches, and
/// whether mend has finished keeping its draft.
static ENDING: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::OnceLock::new();
static ENDED: (std::sync::Mutex<bool>, std::sync::Condvar) =
    (std::sync::Mutex::new(false), std::sync::Condvar::new());

/// How long a closed console, a logoff or a shutdown is held while the draft is kept:
/// Windows ends the program after about five seconds whatever the handler does.
const HOLD: std::time::Duration = std::time::Duration::from_millis(4500);

/// The console's handler: Ctrl-C and Ctrl-Break (not read as keys in raw mode), a closed
/// window, a logoff or a shutdown set the flag; for the last three, which end the program
/// as soon as this returns, it waits until [`ended`] says the draft is kept.
unsafe extern "system" fn on_console_event(event: u32) -> windows_sys::core::BOOL {
    use std::sync::atomic::Ordering;
    use windows_sys::Win32::System::Console::{
        CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT,
    };
    if let Some(stop) = ENDING.get() {
        stop.store(true, Ordering::SeqCst);
    }
    if matches!(
        event,
        CTRL_CLOSE_EVENT | CTRL_LOGOFF_EVENT | CTRL_SHUTDOWN_EVENT
    ) {
        let (done, wake) = &ENDED;
        if let Ok(guard) = done.lock() {
            let _ = wake.wait_timeout_while(guard, HOLD, |ended| !*ended);
        }
    }
    1
}

/// Sets `stop` when the console asks mend to end; the event loop sees it within a tick,
/// keeps the draft on screen and gives the terminal back.
pub fn on_ending(stop: &std::sync::Arc<std::sync::atomic::AtomicBool>) -> io::Result<()> {
    let _ = ENDING.set(std::sync::Arc::clone(stop));
    // SAFETY: the handler is a plain function that only touches statics.
    let added = unsafe {
        windows_sys::Win32::System::Console::SetConsoleCtrlHandler(Some(on_console_event), 1)
    };
    if added == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The draft is kept: a closed console may now end the program.
pub fn ended() {
    let (done, wake) = &ENDED;
    if let Ok(mut ended) = done.lock() {
        *ended = true;
        wake.notify_all();
    }
}

/// A closed console ends the program; there is no hung-up terminal to ask.
pub fn hung_up() -> bool {
    false
}

/// Windows consoles do not hang up as Unix terminals do: the terminal library waits.
pub fn wait_for_input(_timeout: std::time::Duration) -> super::Waited {
    super::Waited::Unknown
}

/// Windows writes no core files for a program unless a debugger or an error-reporting
/// policy asks; nothing to turn off here.
pub fn no_core_dumps() -> io::Result<()> {
    Ok(())
}

/// Access lists are not changed by mend, so nothing here loosens them.
#[cfg(test)]
pub fn loosen(_path: &Path) -> io::Result<()> {
    Ok(())
}
