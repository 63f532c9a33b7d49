//! The package standards coursepack writes: named by settings and the command line, read by
//! every stage after loading.

/// The package formats coursepack writes.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Standard {
    /// SCORM 1.2: what Moodle and most LMSs support best.
    #[default]
    Scorm12,
    /// SCORM 2004 4th Edition.
    Scorm2004,
    /// A plain offline website; progress kept in the browser.
    Web,
}

impl Standard {
    pub fn as_str(self) -> &'static str {
        match self {
            Standard::Scorm12 => "scorm12",
            Standard::Scorm2004 => "scorm2004",
            Standard::Web => "web",
        }
    }
}
