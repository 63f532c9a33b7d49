//! What SCORM 1.2 adds to the manifest: its namespaces and IMS Metadata 1.2.1.
//! Moodle reads attribute names literally, so the SCO type is written as `adlcp:scormtype`
//! with exactly that prefix, and `<schemaversion>` is exactly `1.2`.

use super::xml::{XmlResult, XmlWriter};
use crate::model::Course;

pub const SCHEMA_VERSION: &str = "1.2";
pub const SCORM_TYPE_ATTRIBUTE: &str = "adlcp:scormtype";
pub const NAMESPACES: &[(&str, &str)] = &[
    ("xmlns", "http://www.imsproject.org/xsd/imscp_rootv1p1p2"),
    ("xmlns:adlcp", "http://www.adlnet.org/xsd/adlcp_rootv1p2"),
    (
        "xmlns:imsmd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    ),
    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    (
        "xsi:schemaLocation",
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd \
http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd",
    ),
];

/// IMS Metadata 1.2.1 (LOM) in the element order its schema requires.
pub fn lom(xml: &mut XmlWriter, course: &Course) -> XmlResult {
    let info = &course.config.course;
    let language = course.config.language();
    let lang = [("xml:lang", language)];
    xml.element("imsmd:lom", &[], |xml| {
        xml.element("imsmd:general", &[], |xml| {
            xml.element("imsmd:title", &[], |xml| {
                xml.text("imsmd:langstring", &lang, &info.title)
            })?;
            xml.text("imsmd:language", &[], language)?;
            if !info.description.is_empty() {
                xml.element("imsmd:description", &[], |xml| {
                    xml.text("imsmd:langstring", &lang, &info.description)
                })?;
            }
            for keyword in &info.keywords {
                xml.element("imsmd:keyword", &[], |xml| {
                    xml.text("imsmd:langstring", &lang, keyword)
                })?;
            }
            Ok(())
        })?;
        xml.element("imsmd:lifecycle", &[], |xml| {
            xml.element("imsmd:version", &[], |xml| {
                xml.text("imsmd:langstring", &lang, course.config.version())
            })
        })?;
        if let Some(minutes) = course.learning_minutes() {
            xml.element("imsmd:educational", &[], |xml| {
                xml.element("imsmd:typicallearningtime", &[], |xml| {
                    xml.text(
                        "imsmd:datetime",
                        &[],
                        &format!("{:02}:{:02}:00", minutes / 60, minutes % 60),
                    )
                })
            })?;
        }
        Ok(())
    })
}
