//! Manifest validation against the official SCORM XML Schemas, carried in the binary
//! (`schemas/`: ADL's SCORM 1.2 set — IMS CP 1.1.2, ADL CP, IMS MD 1.2.1 — and ADL's SCORM 2004
//! 4th Edition set — IMS CP 1.1.4, ADL CP/SEQ/NAV, IMS SS 1.0, IEEE LOM — unedited).
//!
//! libxml2 is the one complete XSD 1.0 validator available to Rust; no pure-Rust validator
//! compiles the IMS/ADL schemas. It is the system's own, kept patched by the distribution,
//! through the maintained `libxml` binding. Each schema set is compiled once per process. The
//! validator only sees a manifest that our own reader has already found well-formed, at most
//! 16 MiB and free of DTDs (so no entity expansion and no external entities), and nothing it
//! loads may come from the network: the schemas import each other from the carried files.
#![allow(unsafe_code)]

use libxml::error::{StructuredError, XmlErrorLevel};
use libxml::parser::{Parser, ParserOptions};
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use std::sync::Mutex;

/// Schema file name → bytes, for one standard's folder.
type SchemaSet = &'static [(&'static str, &'static [u8])];

include!(concat!(env!("OUT_DIR"), "/embedded_schemas.rs"));

/// Which schema set a manifest is validated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SchemaFamily {
    Scorm12,
    Scorm2004,
}

impl SchemaFamily {
    fn files(self) -> SchemaSet {
        match self {
            SchemaFamily::Scorm12 => SCORM12,
            SchemaFamily::Scorm2004 => SCORM2004,
        }
    }

    /// (namespace, schema file) pairs the wrapper schema imports, the XML namespace first so
    /// that a schema importing it from the web finds it already loaded.
    fn imports(self) -> &'static [(&'static str, &'static str)] {
        match self {
            SchemaFamily::Scorm12 => &[
                ("http://www.w3.org/XML/1998/namespace", "ims_xml.xsd"),
                (
                    "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
                    "imscp_rootv1p1p2.xsd",
                ),
                (
                    "http://www.adlnet.org/xsd/adlcp_rootv1p2",
                    "adlcp_rootv1p2.xsd",
                ),
                (
                    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
                    "imsmd_rootv1p2p1.xsd",
                ),
            ],
            SchemaFamily::Scorm2004 => &[
                ("http://www.w3.org/XML/1998/namespace", "xml.xsd"),
                ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
                ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
                ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
                ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
                ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
                ("http://ltsc.ieee.org/xsd/LOM", "lom.xsd"),
            ],
        }
    }
}

/// One schema violation: the manifest line and libxml2's message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    pub line: u32,
    pub message: String,
}

/// A schema set compiled into a validator, or why it could not be.
type Compiled = Result<Validator, String>;

/// A compiled schema set and its validation context.
struct Validator(SchemaValidationContext);

// SAFETY: a libxml2 schema and its validation context belong to no thread; the mutex they
// live behind lets one thread at a time use them, and libxml2's global state (the entity
// loader) is set before any of them is made.
unsafe impl Send for Validator {}

/// Each family's validator, compiled on first use.
static VALIDATORS: Mutex<[Option<Compiled>; 2]> = Mutex::new([None, None]);

/// Validates `manifest` against the schemas of `family`. `Err` means the validator itself
/// could not run (schemas unwritable or not compiling), not that the manifest is invalid.
pub fn validate(manifest: &[u8], family: SchemaFamily) -> anyhow::Result<Vec<Violation>> {
    let mut validators = crate::lock(&VALIDATORS);
    quiet_and_offline();
    let compiled = validators[family as usize].get_or_insert_with(|| compile(family));
    let validator = compiled
        .as_mut()
        .map_err(|problem| anyhow::anyhow!("{problem}"))?;
    let options = ParserOptions {
        no_net: true,
        ..ParserOptions::default()
    };
    let document = Parser::default()
        .parse_string_with_options(manifest, options)
        .map_err(|err| {
            anyhow::anyhow!("the manifest cannot be read for the schema check: {err:?}")
        })?;
    Ok(match validator.0.validate_document(&document) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().filter_map(violation).collect(),
    })
}

/// Writes the family's schemas and a schema importing them all into a temporary folder, and
/// compiles them; the folder is gone once they are compiled.
fn compile(family: SchemaFamily) -> Compiled {
    let dir = tempfile::tempdir().map_err(|err| format!("no folder for the schemas: {err}"))?;
    for (name, bytes) in family.files() {
        let path = dir.path().join(name);
        let written =
            std::fs::create_dir_all(path.parent().expect("schema files live in the folder"))
                .and_then(|()| std::fs::write(&path, bytes));
        written.map_err(|err| format!("cannot write the schema {name}: {err}"))?;
    }
    let mut wrapper = String::from(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" elementFormDefault=\"qualified\">\n",
    );
    for (namespace, file) in family.imports() {
        wrapper.push_str(&format!(
            "  <xs:import namespace=\"{namespace}\" schemaLocation=\"{file}\"/>\n"
        ));
    }
    wrapper.push_str("</xs:schema>\n");
    let wrapper_path = dir.path().join("coursepack-all.xsd");
    std::fs::write(&wrapper_path, wrapper)
        .map_err(|err| format!("cannot write the schema set: {err}"))?;
    let path = wrapper_path
        .to_str()
        .ok_or("the temporary folder's path is not UTF-8")?;
    let mut parser = SchemaParserContext::from_file(path);
    SchemaValidationContext::from_parser(&mut parser)
        .map(Validator)
        .map_err(|errors| {
            let first = errors
                .into_iter()
                .find_map(|e| e.message)
                .unwrap_or_default();
            format!("the built-in schemas do not compile: {}", first.trim())
        })
}

/// Points libxml2's loader of external resources at one that never goes to the network, and
/// drops what libxml2 would print on this thread outside the contexts that collect their own
/// errors: reading the official schemas it reports a harmless namespace quirk of
/// `ims_xml.xsd`, and nothing from a package may reach the terminal unescaped.
fn quiet_and_offline() {
    // SAFETY: both calls set a function pointer inside libxml2, one to libxml2's own loader,
    // one to a function that reads nothing; they run under the validators' mutex, before
    // anything of ours is parsed.
    unsafe {
        libxml::bindings::xmlSetExternalEntityLoader(Some(
            libxml::bindings::xmlNoNetExternalEntityLoader,
        ));
        libxml::bindings::xmlSetStructuredErrorFunc(std::ptr::null_mut(), Some(ignore_error));
    }
}

/// A structured error handler that drops the error (generic over the error pointer, which is
/// `*const` from libxml2 2.12 on and `*mut` before).
unsafe extern "C" fn ignore_error<Error>(_: *mut std::ffi::c_void, _: Error) {}

/// An error (not a warning) of the validation, as a violation at its manifest line.
fn violation(error: StructuredError) -> Option<Violation> {
    if matches!(error.level, XmlErrorLevel::None | XmlErrorLevel::Warning) {
        return None;
    }
    Some(Violation {
        line: error.line.and_then(|l| u32::try_from(l).ok()).unwrap_or(0),
        message: error
            .message
            .map_or_else(|| "schema violation".to_string(), |m| m.trim().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST_12: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>T</title>
    <item identifier="I" identifierref="R"><title>Page</title></item>
  </organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"#;

    #[test]
    fn a_valid_manifest_has_no_violations() {
        let violations = validate(MANIFEST_12.as_bytes(), SchemaFamily::Scorm12).unwrap();
        assert_eq!(violations, vec![]);
    }

    #[test]
    fn violations_name_the_line_and_the_element() {
        let broken = MANIFEST_12.replace("<title>T</title>", "<title>T</title><bogus/>");
        let violations = validate(broken.as_bytes(), SchemaFamily::Scorm12).unwrap();
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(violations[0].line, 5);
        assert!(violations[0].message.contains("bogus"), "{violations:?}");
        let wrong_type = MANIFEST_12.replace("scormtype=\"sco\"", "scormtype=\"lesson\"");
        let violations = validate(wrong_type.as_bytes(), SchemaFamily::Scorm12).unwrap();
        assert!(violations[0].message.contains("lesson"), "{violations:?}");
    }

    #[test]
    fn the_reviewed_manifests_of_both_standards_are_valid() {
        let expected = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected");
        for (file, family) in [
            ("imsmanifest-scorm12.xml", SchemaFamily::Scorm12),
            (
                "imsmanifest-scorm12-sco-per-module.xml",
                SchemaFamily::Scorm12,
            ),
            ("imsmanifest-scorm2004.xml", SchemaFamily::Scorm2004),
        ] {
            let manifest = std::fs::read(expected.join(file)).unwrap();
            assert_eq!(validate(&manifest, family).unwrap(), vec![], "{file}");
        }
        let manifest = std::fs::read(expected.join("imsmanifest-scorm2004.xml")).unwrap();
        let text = String::from_utf8(manifest).unwrap();
        let broken = text.replacen(
            "<language>en</language>",
            "<language>en</language><language/><bogus/>",
            1,
        );
        let violations = validate(broken.as_bytes(), SchemaFamily::Scorm2004).unwrap();
        assert!(
            violations.iter().any(|v| v.message.contains("bogus")),
            "{violations:?}"
        );
    }
}
