//! Code blocks highlighted at build time: the page needs no script, and the colours come from
//! the theme's stylesheet (class names only), where they are checked for contrast. Done when
//! pages are rendered, not when they are checked: `check` has no use for colours.

use crate::html_policy::escape_html;
use crate::markdown::{CodeBlock, code_placeholder};
use std::sync::LazyLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The grammars of the common languages, loaded once per process on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The page's HTML with each code block in place of its placeholder, highlighted or not.
pub fn fill_code_blocks(html: &str, blocks: &[CodeBlock], highlighted: bool) -> String {
    let mut html = html.to_string();
    for (n, block) in blocks.iter().enumerate() {
        let code = if highlighted {
            highlight(block)
        } else {
            escape_html(&block.code)
        };
        html = html.replacen(&code_placeholder(n), &block.html(&code), 1);
    }
    html
}

/// The block's code as HTML: highlighted when its language is known, escaped otherwise.
fn highlight(block: &CodeBlock) -> String {
    let Some(syntax) = syntax_for(&block.language) else {
        return escape_html(&block.code);
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        &SYNTAXES,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(&block.code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape_html(&block.code);
        }
    }
    generator.finalize()
}

/// The grammar for a language as info strings name it (`python`, `py`, `sh`, `js`).
fn syntax_for(language: &str) -> Option<&'static SyntaxReference> {
    let language = language.trim().to_ascii_lowercase();
    let language = match language.as_str() {
        "" | "text" | "plain" | "output" | "error" | "source" => return None,
        "shell" | "console" | "zsh" => "bash",
        "py" | "python3" => "python",
        "js" | "javascript" | "node" => "js",
        "yml" => "yaml",
        "rs" => "rust",
        other => other,
    };
    SYNTAXES
        .find_syntax_by_token(language)
        .filter(|syntax| syntax.name != "Plain Text")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(language: &str, code: &str) -> CodeBlock {
        CodeBlock {
            language: language.to_string(),
            code: code.to_string(),
            id: None,
            classes: String::new(),
        }
    }

    #[test]
    fn known_languages_get_classes_and_others_are_escaped() {
        let html = fill_code_blocks(
            "<!--coursepack-code-0-->\n<!--coursepack-code-1-->\n",
            &[
                block("python", "def f(x):\n    return x < 2  # small\n"),
                block("klingon", "<b>qaStaH</b>\n"),
            ],
            true,
        );
        assert!(
            html.starts_with(
                "<pre><code class=\"language-python\"><span class=\"hl-source hl-python\">"
            ),
            "{html}"
        );
        assert!(html.contains("hl-keyword"), "{html}");
        assert!(html.contains("hl-comment"), "{html}");
        assert!(
            html.contains("&lt;</span>"),
            "the code stays escaped: {html}"
        );
        assert!(html.contains(
            "<pre><code class=\"language-klingon\">&lt;b&gt;qaStaH&lt;/b&gt;\n</code></pre>"
        ));
    }
}
