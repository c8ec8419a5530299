//! `mend check` (stub: being written)
use std::path::PathBuf;

pub fn check_files(paths: &[PathBuf], out: &mut impl std::io::Write) -> std::io::Result<usize> {
    let _ = (paths, out);
    todo!()
}
