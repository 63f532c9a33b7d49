//! What SCORM 2004 4th Edition adds to the manifest: its namespaces and IEEE LOM.
//! `adlcp:scormType`, `<schemaversion>2004 4th Edition</schemaversion>`, and no sequencing
//! beyond the defaults.

use super::xml::{XmlResult, XmlWriter};
use crate::model::Course;

pub const SCHEMA_VERSION: &str = "2004 4th Edition";
pub const SCORM_TYPE_ATTRIBUTE: &str = "adlcp:scormType";
pub const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns", "http://www.imsglobal.org/xsd/imscp_v1p1"),
    ("xmlns:adlcp", "http://www.adlnet.org/xsd/adlcp_v1p3"),
    ("xmlns:imsss", "http://www.imsglobal.org/xsd/imsss"),
    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    (
        "xsi:schemaLocation",
        "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd \
http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd \
http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd \
http://ltsc.ieee.org/xsd/LOM lom.xsd",
    ),
];

/// IEEE LOM in its own namespace.
pub fn lom(xml: &mut XmlWriter, course: &Course) -> XmlResult {
    let info = &course.config.course;
    let language = course.config.language();
    let lang = [("language", language)];
    xml.element("lom", &[("xmlns", "http://ltsc.ieee.org/xsd/LOM")], |xml| {
        xml.element("general", &[], |xml| {
            xml.element("title", &[], |xml| xml.text("string", &lang, &info.title))?;
            xml.text("language", &[], language)?;
            if !info.description.is_empty() {
                xml.element("description", &[], |xml| {
                    xml.text("string", &lang, &info.description)
                })?;
            }
            for keyword in &info.keywords {
                xml.element("keyword", &[], |xml| xml.text("string", &lang, keyword))?;
            }
            Ok(())
        })?;
        xml.element("lifeCycle", &[], |xml| {
            xml.element("version", &[], |xml| {
                xml.text("string", &lang, course.config.version())
            })
        })?;
        if let Some(minutes) = course.learning_minutes() {
            xml.element("educational", &[], |xml| {
                xml.element("typicalLearningTime", &[], |xml| {
                    xml.text("duration", &[], &format!("PT{minutes}M"))
                })
            })?;
        }
        Ok(())
    })
}
