//! Text that reaches a screen or an export. (stub: being written)

use std::borrow::Cow;

/// Removes control characters (except newline; tab becomes spaces) and bidi override
/// and isolate characters, so text from a file or a paste cannot move the cursor,
/// recolour the terminal or reorder what a person reads.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}
