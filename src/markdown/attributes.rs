//! Attribute lists as pandoc and kramdown write them: `{#id .class key=value key="two words"}`
//! and `{: .class}`. Lessons brought from other tools carry them after images, links, code
//! fences, fenced divs and blocks; they must never reach the learner as text.

/// One parsed attribute list.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Attributes {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// `key=value` pairs in the order written.
    pub pairs: Vec<(String, String)>,
    /// Written `{: …}`: kramdown's block attribute list.
    pub kramdown: bool,
}

impl Attributes {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `{…}` at the start of `text`; returns the attributes and the bytes they took.
/// Anything that is not a well-formed list (`{x}` in prose, a template's `{{`) is `None`.
pub fn parse_braced(text: &str) -> Option<(Attributes, usize)> {
    let rest = text.strip_prefix('{')?;
    if rest.starts_with(['{', '%']) {
        return None;
    }
    let (kramdown, rest) = match rest.strip_prefix(':') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let mut attributes = Attributes {
        kramdown,
        ..Attributes::default()
    };
    let mut chars = rest.char_indices().peekable();
    let mut words = 0;
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let (at, c) = chars.next()?;
        match c {
            '}' => {
                let taken = text.len() - rest.len() + at + 1;
                // `{}` alone is a placeholder in prose, not an attribute list.
                return (words > 0).then_some((attributes, taken));
            }
            '#' | '.' => {
                let name = take_name(&mut chars);
                if name.is_empty() {
                    return None;
                }
                if c == '#' {
                    attributes.id = Some(name);
                } else {
                    attributes.classes.push(name);
                }
            }
            c if is_name_char(c) => {
                let mut key = String::from(c);
                key.push_str(&take_name(&mut chars));
                chars.next_if(|(_, c)| *c == '=')?;
                let value = take_value(&mut chars)?;
                attributes.pairs.push((key, value));
            }
            _ => return None,
        }
        words += 1;
    }
}

/// Parses an attribute list that is a whole line (`{: .solution}`, `{.challenge}`).
pub fn parse_line(line: &str) -> Option<Attributes> {
    let line = line.trim();
    let (attributes, taken) = parse_braced(line)?;
    (taken == line.len()).then_some(attributes)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | ':')
}

fn take_name(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> String {
    let mut name = String::new();
    while let Some((_, c)) = chars.next_if(|(_, c)| is_name_char(*c)) {
        name.push(c);
    }
    name
}

fn take_value(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> Option<String> {
    let mut value = String::new();
    match chars.peek().map(|(_, c)| *c) {
        Some(quote @ ('"' | '\'')) => {
            chars.next();
            loop {
                let (_, c) = chars.next()?;
                if c == quote {
                    break;
                }
                value.push(c);
            }
        }
        _ => {
            while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && *c != '}') {
                value.push(c);
            }
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandoc_and_kramdown_lists_are_read() {
        let text = "{#fig .wide width=50% alt='A tree' title=\"x y\"} after";
        let (attributes, taken) = parse_braced(text).unwrap();
        assert_eq!(taken, text.find(" after").unwrap());
        assert_eq!(attributes.id.as_deref(), Some("fig"));
        assert_eq!(attributes.classes, ["wide"]);
        assert_eq!(attributes.get("width"), Some("50%"));
        assert_eq!(attributes.get("alt"), Some("A tree"));
        assert_eq!(attributes.get("title"), Some("x y"));
        let kramdown = parse_line("  {: .solution}  ").unwrap();
        assert!(kramdown.kramdown);
        assert_eq!(kramdown.classes, ["solution"]);
    }

    #[test]
    fn prose_and_templates_are_not_attributes() {
        for text in [
            "{}",
            "{x}",
            "{{ site.title }}",
            "{% include x %}",
            "{#}",
            "{a=\"open",
            "{ see below",
        ] {
            assert_eq!(parse_braced(text), None, "{text}");
        }
        assert_eq!(parse_line("{.a} tail"), None);
    }
}
