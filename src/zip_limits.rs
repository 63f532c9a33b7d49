//! What `validate` (and the LMSs' unzip code it stands for) accepts of a zip. The reader
//! enforces these; the writer keeps inside them, so a package coursepack builds always passes
//! its own `validate`, whether or not the reader is compiled in.

/// More entries than this and the package is refused unread (a 10,000-page course has about
/// 12,000). Also the most a zip without zip64 can count.
pub const MAX_ENTRIES: usize = 65_535;
/// A deflated entry expanding more than this is treated as a bomb (text deflates ~5–20×).
pub const MAX_RATIO: u64 = 500;
/// Entries smaller than this are decompressed whatever their ratio.
pub const SMALL_ENTRY: u64 = 1 << 20;
