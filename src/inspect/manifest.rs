//! imsmanifest.xml read into a small namespace-aware tree, then into what inspect reports:
//! the standard, the organizations and items, the resources and their files.

use crate::diagnostics::LineIndex;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

pub const CP12: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
pub const ADLCP12: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
pub const CP2004: &str = "http://www.imsglobal.org/xsd/imscp_v1p1";
pub const ADLCP2004: &str = "http://www.adlnet.org/xsd/adlcp_v1p3";
pub const IMSSS: &str = "http://www.imsglobal.org/xsd/imsss";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// An element: its namespace, local and written names, attributes, children and text.
#[derive(Debug, Default)]
pub struct Element {
    pub namespace: String,
    pub local: String,
    /// The name as written, prefix included (Moodle reads prefixes literally).
    pub qualified: String,
    /// (namespace, local name, name as written, value)
    pub attributes: Vec<(String, String, String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: u32,
}

impl Element {
    pub fn attribute(&self, namespace: &str, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(ns, name, _, _)| ns == namespace && name == local)
            .map(|(_, _, _, value)| value.as_str())
    }

    /// An attribute of the element's own (unqualified) set.
    pub fn plain(&self, local: &str) -> Option<&str> {
        self.attribute("", local)
    }

    pub fn xml_base(&self) -> Option<&str> {
        self.attribute(XML_NS, "base")
    }

    pub fn child(&self, local: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.local == local)
    }

    pub fn children_named<'a>(&'a self, local: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.local == local)
    }

    /// Every element below this one, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(element) = stack.pop() {
            out.push(element);
            stack.extend(element.children.iter().rev());
        }
        out
    }
}

/// Why a manifest could not be read as XML.
#[derive(Debug)]
pub struct XmlError {
    pub line: u32,
    pub message: String,
    pub is_doctype: bool,
}

/// Parses the manifest. DTDs are refused outright: SCORM never needs one, and an internal
/// subset is how entity-expansion bombs and external entity reads get in.
/// Deepest nesting read. Real manifests nest a few levels (items in items, metadata); every
/// pass over the tree, and freeing it, recurses, and 10,000 levels overflowed the stack.
const MAX_DEPTH: usize = 100;

pub fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(
        |err| {
            let lines = LineIndex::new(
                std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap_or(""),
                0,
            );
            XmlError {
                line: lines.position(err.valid_up_to()).line as u32,
                message: "the manifest is not UTF-8".to_string(),
                is_doctype: false,
            }
        },
    )?;
    let lines = LineIndex::new(text, 0);
    let line_at = |offset: u64| lines.line(offset as usize) as u32;
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let position = reader.buffer_position();
        let event = reader.read_resolved_event();
        let fail = |message: String, at: u64| XmlError {
            line: line_at(at),
            message,
            is_doctype: false,
        };
        let (namespace, event) = match event {
            Ok((namespace, event)) => (resolved(namespace), event),
            Err(err) => return Err(fail(err.to_string(), reader.error_position())),
        };
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let mut element = Element {
                    namespace,
                    local: start.local_name().as_ref().to_string(),
                    qualified: start.name().as_ref().to_string(),
                    line: line_at(position),
                    ..Element::default()
                };
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|err| fail(err.to_string(), position))?;
                    let (ns, local) = reader.resolver().resolve_attribute(attribute.key);
                    let qualified = attribute.key.as_ref().to_string();
                    if qualified == "xmlns" || qualified.starts_with("xmlns:") {
                        continue;
                    }
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| fail(format!("attribute {qualified}: {err}"), position))?;
                    element.attributes.push((
                        resolved(ns),
                        local.as_ref().to_string(),
                        qualified,
                        value.into_owned(),
                    ));
                }
                if matches!(event, Event::Start(_)) {
                    if stack.len() > MAX_DEPTH {
                        return Err(fail(
                            format!("elements are nested more than {MAX_DEPTH} deep"),
                            position,
                        ));
                    }
                    stack.push(element);
                } else {
                    stack
                        .last_mut()
                        .expect("the document node")
                        .children
                        .push(element);
                }
            }
            Event::End(_) => {
                let element = stack.pop().expect("quick-xml checks end tags");
                stack
                    .last_mut()
                    .expect("the document node")
                    .children
                    .push(element);
            }
            Event::Text(text) => {
                let top = stack.last_mut().expect("the document node");
                top.text.push_str(&text.xml10_content());
            }
            Event::CData(data) => {
                let top = stack.last_mut().expect("the document node");
                top.text.push_str(&data);
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match quick_xml::escape::resolve_predefined_entity(&reference) {
                        Some(text) => text.to_string(),
                        None => {
                            return Err(fail(
                                format!("undefined entity &{};", &*reference),
                                position,
                            ));
                        }
                    },
                };
                stack
                    .last_mut()
                    .expect("the document node")
                    .text
                    .push_str(&resolved);
            }
            Event::DocType(_) => {
                return Err(XmlError {
                    line: line_at(position),
                    message: "the manifest declares a DTD (<!DOCTYPE>)".to_string(),
                    is_doctype: true,
                });
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    let document = stack.pop().expect("the document node");
    if !stack.is_empty() {
        return Err(XmlError {
            line: line_at(text.len() as u64),
            message: "the manifest ends inside an element".to_string(),
            is_doctype: false,
        });
    }
    document.children.into_iter().next().ok_or(XmlError {
        line: 1,
        message: "the manifest has no root element".to_string(),
        is_doctype: false,
    })
}

fn resolved(result: ResolveResult<'_>) -> String {
    match result {
        ResolveResult::Bound(namespace) => namespace.as_ref().to_string(),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => String::new(),
    }
}
