//! Manifest validation against the official SCORM XML Schemas, carried in the binary
//! (`schemas/`: ADL's SCORM 1.2 set — IMS CP 1.1.2, ADL CP, IMS MD 1.2.1 — and ADL's SCORM 2004
//! 4th Edition set — IMS CP 1.1.4, ADL CP/SEQ/NAV, IMS SS 1.0, IEEE LOM — unedited).
//!
//! libxml2 (built from source into the binary) is the one complete XSD 1.0 validator
//! available to Rust; no pure-Rust validator compiles the IMS/ADL schemas. It only sees a
//! manifest that our own reader has already found well-formed, at most 16 MiB and free of
//! DTDs (so no entity expansion and no external entities), with network access switched off.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::path::Path;
use std::sync::Mutex;
use xml2_sys as ffi;
// libxml2 is built with zlib support; this links the static zlib it calls.
use libz_sys as _;

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

/// libxml2 keeps global state (error handlers, entity loader): one validation at a time.
static LIBXML: Mutex<()> = Mutex::new(());

/// Validates `manifest` against the schemas of `family`. `Err` means the validator itself
/// could not run (schemas unwritable or not compiling), not that the manifest is invalid.
pub fn validate(manifest: &[u8], family: SchemaFamily) -> anyhow::Result<Vec<Violation>> {
    let _one_at_a_time = crate::lock(&LIBXML);
    let dir = tempfile::tempdir()?;
    for (name, bytes) in family.files() {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("schema files live in the folder"))?;
        std::fs::write(path, bytes)?;
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
    std::fs::write(&wrapper_path, wrapper)?;
    validate_with(manifest, &wrapper_path)
}

fn validate_with(manifest: &[u8], wrapper: &Path) -> anyhow::Result<Vec<Violation>> {
    let wrapper = CString::new(wrapper.to_string_lossy().into_owned())?;
    let length = c_int::try_from(manifest.len())?;
    let mut compile_errors: Vec<Violation> = Vec::new();
    let mut violations: Vec<Violation> = Vec::new();
    // SAFETY: every pointer passed to libxml2 is either one it returned (checked for null,
    // freed once below) or borrowed from a live Rust value (`wrapper`, `manifest`, the two
    // Vecs the error callback appends to) that outlives the call using it. The mutex held by
    // the caller keeps the global handlers ours for the duration.
    unsafe {
        ffi::xmlInitParser();
        ffi::xmlSetExternalEntityLoader(Some(ffi::xmlNoNetExternalEntityLoader));
        ffi::xmlSetStructuredErrorFunc(
            (&raw mut compile_errors).cast::<c_void>(),
            Some(collect_error),
        );
        let parser = ffi::xmlSchemaNewParserCtxt(wrapper.as_ptr());
        if parser.is_null() {
            ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), None);
            anyhow::bail!("cannot start the schema parser");
        }
        ffi::xmlSchemaSetParserStructuredErrors(
            parser,
            Some(collect_error),
            (&raw mut compile_errors).cast::<c_void>(),
        );
        let schema = ffi::xmlSchemaParse(parser);
        ffi::xmlSchemaFreeParserCtxt(parser);
        if schema.is_null() {
            ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), None);
            let first = compile_errors.first().map(|e| e.message.clone());
            anyhow::bail!(
                "the built-in schemas do not compile: {}",
                first.unwrap_or_default()
            );
        }
        ffi::xmlSetStructuredErrorFunc((&raw mut violations).cast::<c_void>(), Some(collect_error));
        let options = ffi::xmlParserOption_XML_PARSE_NONET as c_int;
        let doc = ffi::xmlReadMemory(
            manifest.as_ptr().cast::<c_char>(),
            length,
            c"imsmanifest.xml".as_ptr(),
            std::ptr::null(),
            options,
        );
        if !doc.is_null() {
            let validator = ffi::xmlSchemaNewValidCtxt(schema);
            if !validator.is_null() {
                ffi::xmlSchemaSetValidStructuredErrors(
                    validator,
                    Some(collect_error),
                    (&raw mut violations).cast::<c_void>(),
                );
                ffi::xmlSchemaValidateDoc(validator, doc);
                ffi::xmlSchemaFreeValidCtxt(validator);
            }
            ffi::xmlFreeDoc(doc);
        }
        ffi::xmlSchemaFree(schema);
        ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), None);
    }
    Ok(violations)
}

/// libxml2's structured error callback: appends errors (not warnings) to the Vec behind `data`.
unsafe extern "C" fn collect_error(data: *mut c_void, error: ffi::xmlErrorPtr) {
    // SAFETY: `data` is the `&mut Vec<Violation>` registered with this callback, and libxml2
    // passes a valid error record for the duration of the call.
    unsafe {
        if data.is_null() || error.is_null() {
            return;
        }
        let error = &*error;
        if error.level < ffi::xmlErrorLevel_XML_ERR_ERROR {
            return;
        }
        let message = if error.message.is_null() {
            String::from("schema violation")
        } else {
            CStr::from_ptr(error.message)
                .to_string_lossy()
                .trim()
                .to_string()
        };
        let sink = &mut *data.cast::<Vec<Violation>>();
        sink.push(Violation {
            line: u32::try_from(error.line).unwrap_or(0),
            message,
        });
    }
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
        let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected");
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
