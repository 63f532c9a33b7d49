//! A thin layer over quick-xml's writer for the manifests: nested elements read like the
//! XML they produce, and text is always escaped by quick-xml, never by string formatting.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

pub struct XmlWriter {
    writer: Writer<Vec<u8>>,
}

pub type XmlResult = io::Result<()>;

impl XmlWriter {
    pub fn new() -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(XmlWriter { writer })
    }

    /// `<name attrs>…</name>` with children written by `inner`.
    pub fn element(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        inner: impl FnOnce(&mut XmlWriter) -> XmlResult,
    ) -> XmlResult {
        let mut start = quick_xml::events::BytesStart::new(name);
        start.extend_attributes(attributes.iter().copied());
        self.writer.write_event(Event::Start(start))?;
        inner(self)?;
        self.writer
            .write_event(Event::End(quick_xml::events::BytesEnd::new(name)))?;
        Ok(())
    }

    /// `<name attrs>text</name>`.
    pub fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) -> XmlResult {
        self.writer
            .create_element(name)
            .with_attributes(attributes.iter().copied())
            .write_text_content(BytesText::new(text))?;
        Ok(())
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> XmlResult {
        self.writer
            .create_element(name)
            .with_attributes(attributes.iter().copied())
            .write_empty()?;
        Ok(())
    }

    pub fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}
