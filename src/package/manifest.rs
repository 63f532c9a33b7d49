//! `imsmanifest.xml` for both SCORM editions: one organization whose items are the SCOs,
//! identifiers derived from the course id and module slugs (stable across builds, so an LMS
//! keeps learners' tracking when a package is replaced), and a `<file>` for every file.

use super::xml::{XmlResult, XmlWriter};
use super::{LAUNCH_PAGE, PackageFiles, Sco, scorm12, scorm2004, scos};
use crate::config::Completion;
use crate::model::Course;
use crate::standard::Standard;
use anyhow::{Result, bail};

pub fn manifest(
    course: &Course,
    files: &PackageFiles,
    standard: Standard,
    sco_per_module: bool,
) -> Result<Vec<u8>> {
    let (schema_version, scorm_type, namespaces): (_, _, &[(&str, &str)]) = match standard {
        Standard::Scorm12 => (
            scorm12::SCHEMA_VERSION,
            scorm12::SCORM_TYPE_ATTRIBUTE,
            scorm12::NAMESPACES,
        ),
        Standard::Scorm2004 => (
            scorm2004::SCHEMA_VERSION,
            scorm2004::SCORM_TYPE_ATTRIBUTE,
            scorm2004::NAMESPACES,
        ),
        Standard::Web => bail!("the web standard has no manifest"),
    };
    let config = &course.config;
    let id = config.id();
    let (scos, shared) = scos(course, files, sco_per_module);
    let shared_id = format!("RES-{id}-shared");
    let organization_id = format!("ORG-{id}");
    let manifest_id = format!("MANIFEST-{id}");
    let mut attributes = vec![
        ("identifier", manifest_id.as_str()),
        ("version", config.version()),
    ];
    attributes.extend_from_slice(namespaces);

    let mut xml = XmlWriter::new()?;
    xml.element("manifest", &attributes, |xml| {
        xml.element("metadata", &[], |xml| {
            xml.text("schema", &[], "ADL SCORM")?;
            xml.text("schemaversion", &[], schema_version)?;
            match standard {
                Standard::Scorm12 => scorm12::lom(xml, course),
                _ => scorm2004::lom(xml, course),
            }
        })?;
        xml.element("organizations", &[("default", &organization_id)], |xml| {
            xml.element("organization", &[("identifier", &organization_id)], |xml| {
                xml.text("title", &[], &config.course.title)?;
                if sco_per_module {
                    // Moodle's player navigation needs one non-launchable root item.
                    xml.element("item", &[("identifier", &format!("ITEM-{id}"))], |xml| {
                        xml.text("title", &[], &config.course.title)?;
                        scos.iter()
                            .try_for_each(|sco| item(xml, sco, course, standard))
                    })
                } else {
                    scos.iter()
                        .try_for_each(|sco| item(xml, sco, course, standard))
                }
            })
        })?;
        xml.element("resources", &[], |xml| {
            for sco in &scos {
                let attributes = [
                    ("identifier", sco.resource_id.as_str()),
                    ("type", "webcontent"),
                    (scorm_type, "sco"),
                    ("href", LAUNCH_PAGE),
                ];
                xml.element("resource", &attributes, |xml| {
                    sco.files
                        .iter()
                        .try_for_each(|f| xml.empty("file", &[("href", f)]))?;
                    if !shared.is_empty() {
                        xml.empty("dependency", &[("identifierref", &shared_id)])?;
                    }
                    Ok(())
                })?;
            }
            if !shared.is_empty() {
                let attributes = [
                    ("identifier", shared_id.as_str()),
                    ("type", "webcontent"),
                    (scorm_type, "asset"),
                ];
                xml.element("resource", &attributes, |xml| {
                    shared
                        .iter()
                        .try_for_each(|f| xml.empty("file", &[("href", f)]))
                })?;
            }
            Ok(())
        })
    })?;
    Ok(xml.finish())
}

fn item(xml: &mut XmlWriter, sco: &Sco, course: &Course, standard: Standard) -> XmlResult {
    let mut attributes = vec![
        ("identifier", sco.item_id.as_str()),
        ("identifierref", sco.resource_id.as_str()),
    ];
    if let Some(parameters) = &sco.parameters {
        attributes.push(("parameters", parameters));
    }
    let info = &course.config.course;
    // The pass mark goes into the manifest only on request: Moodle's "mastery score overrides
    // status" then recomputes the status from the raw score, and its 2004 player hands the SCO
    // a passing score of 1.
    let mastery = (info.mastery_in_manifest && sco.graded).then(|| *info.mastery_score.get_ref());
    xml.element("item", &attributes, |xml| {
        xml.text("title", &[], sco.title)?;
        match standard {
            Standard::Scorm12 => {
                if let Some(mastery) = mastery {
                    xml.text("adlcp:masteryscore", &[], &format_number(mastery))?;
                }
            }
            _ => {
                if info.completion == Completion::Pages {
                    // The run-time reports progress_measure: visiting every page is 1.
                    xml.empty(
                        "adlcp:completionThreshold",
                        &[("completedByMeasure", "true"), ("minProgressMeasure", "1")],
                    )?;
                }
                if let Some(mastery) = mastery {
                    xml.element("imsss:sequencing", &[], |xml| {
                        xml.element("imsss:objectives", &[], |xml| {
                            let attributes = [
                                ("objectiveID", "PRIMARYOBJ"),
                                ("satisfiedByMeasure", "true"),
                            ];
                            xml.element("imsss:primaryObjective", &attributes, |xml| {
                                xml.text(
                                    "imsss:minNormalizedMeasure",
                                    &[],
                                    &format_number(mastery / 100.0),
                                )
                            })
                        })
                    })?;
                }
            }
        }
        Ok(())
    })
}

/// `80` rather than `80.0`, `0.8` rather than `0.8000000000000002`.
fn format_number(n: f64) -> String {
    let rounded = (n * 1e6).round() / 1e6;
    format!("{rounded}")
}
