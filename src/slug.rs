//! ASCII-safe names. Package file names and identifiers must survive every LMS's unzip code
//! and XML id rules, whatever script the designer named a file in.

use std::borrow::Cow;

/// Lower-case ASCII words joined by `-`, transliterated from any script
/// (`"Что такое риск?"` → `"chto-takoe-risk"`). May be empty for names with no letters.
pub fn slugify(text: &str) -> String {
    // Transliteration leaves ASCII as it is: most headings and file names need none.
    let ascii = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(deunicode::deunicode(text))
    };
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Splits the ordering prefix off a source name: `"02-what-is-risk"` → `Some((2, "what-is-risk"))`.
/// Names without a numeric prefix are not part of the course order.
pub fn split_order_prefix(name: &str) -> Option<(u64, &str)> {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let number = name[..digits].parse().ok()?;
    let rest = &name[digits..];
    let rest = rest.strip_prefix(['-', '_', '.', ' ']).unwrap_or(rest);
    Some((number, rest))
}

/// A file or folder name made of `[a-z0-9._-]` only. A name that is already safe is kept as
/// it is; any other name is transliterated and gets a short hash of the original, so two
/// sources that transliterate alike (`Été.png`, `ete.png`) never share a package name.
pub fn safe_file_name(name: &str) -> Cow<'_, str> {
    let is_safe =
        |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-');
    if !name.is_empty()
        && name.bytes().all(is_safe)
        && !name.starts_with('.')
        && !looks_hashed(name)
    {
        return Cow::Borrowed(name);
    }
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], slugify(&name[dot + 1..])),
        _ => (name, String::new()),
    };
    let mut safe = slugify(stem);
    if !safe.is_empty() {
        safe.push('-');
    }
    safe.push_str(&format!("{:08x}", fnv1a(name.as_bytes())));
    if !extension.is_empty() {
        safe.push('.');
        safe.push_str(&extension);
    }
    Cow::Owned(safe)
}

/// Whether a safe name has the shape of a hashed one (`map-ee65de64.png`, what `Map.png`
/// becomes): kept as it is, it could be the package name of another file.
fn looks_hashed(name: &str) -> bool {
    let stem = name
        .rfind('.')
        .filter(|&dot| dot > 0)
        .map_or(name, |dot| &name[..dot]);
    stem.len() >= 8 && {
        let (rest, hash) = stem.split_at(stem.len() - 8);
        hash.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && (rest.is_empty() || rest.ends_with('-'))
    }
}

/// A slug no earlier source took. The first source keeps the plain slug; a later one that
/// transliterates alike (`Été` after `ete`) gets a hash of its own name, so its identity does
/// not depend on its position or on what other files exist. `names` are tried in turn
/// (the name without its order number first, then the whole file name).
pub fn distinct_slug(slug: &str, names: &[&str], taken: impl Fn(&str) -> bool) -> String {
    if !taken(slug) {
        return slug.to_string();
    }
    names
        .iter()
        .map(|name| format!("{slug}-{:08x}", fnv1a(name.as_bytes())))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| format!("{slug}-{:08x}", fnv1a(names.concat().as_bytes())))
}

/// 32-bit FNV-1a: a stable, tiny hash for name suffixes (not for security).
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_that_slug_alike_get_distinct_stable_slugs() {
        let taken = |s: &str| s == "ete";
        let second = distinct_slug("ete", &["Été", "02-Été"], taken);
        assert_eq!(second, format!("ete-{:08x}", fnv1a("Été".as_bytes())));
        assert_eq!(distinct_slug("ete", &["Été", "02-Été"], taken), second);
        assert_eq!(distinct_slug("risk", &["risk"], taken), "risk");
        // Same name after the number: the whole file name decides.
        let taken = |s: &str| s == "ete" || s == second;
        assert_eq!(
            distinct_slug("ete", &["Été", "03-Été"], taken),
            format!("ete-{:08x}", fnv1a("03-Été".as_bytes()))
        );
    }

    #[test]
    fn slugify_transliterates_and_joins_words() {
        assert_eq!(slugify("What is Internal Risk?"), "what-is-internal-risk");
        assert_eq!(slugify("Что такое риск"), "chto-takoe-risk");
        assert_eq!(slugify("Що таке ризик"), "shcho-take-rizik");
        assert_eq!(slugify("ما هو الخطر"), "m-hw-lkhtr");
        assert_eq!(slugify("风险管理"), "feng-xian-guan-li");
        assert_eq!(
            slugify("  Déclaration d'Arusha révisée "),
            "declaration-d-arusha-revisee"
        );
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn order_prefix_is_split_from_the_slug() {
        assert_eq!(
            split_order_prefix("02-what-is-risk"),
            Some((2, "what-is-risk"))
        );
        assert_eq!(split_order_prefix("10_glossary"), Some((10, "glossary")));
        assert_eq!(split_order_prefix("007"), Some((7, "")));
        assert_eq!(split_order_prefix("media"), None);
    }

    #[test]
    fn safe_names_are_kept_and_others_are_distinct() {
        assert_eq!(safe_file_name("risk-map.svg"), "risk-map.svg");
        let accented = safe_file_name("Été.PNG");
        let plain = safe_file_name("ete.png");
        assert_eq!(plain, "ete.png");
        assert!(
            accented.starts_with("ete-") && accented.ends_with(".png"),
            "{accented}"
        );
        assert_ne!(accented, safe_file_name("Ete.PNG"));
        assert_eq!(safe_file_name("Схема.svg"), safe_file_name("Схема.svg"));
        assert!(safe_file_name("Схема.svg").bytes().all(|b| b.is_ascii()));
        assert!(!safe_file_name(".hidden").starts_with('.'));
    }

    #[test]
    fn a_safe_name_shaped_like_a_hashed_one_is_hashed_too() {
        let hashed = safe_file_name("Map.png");
        assert!(looks_hashed(&hashed), "{hashed}");
        // The file that happens to be named like it does not take its place.
        assert_ne!(safe_file_name(&hashed), hashed);
        assert_eq!(safe_file_name("map-2024.png"), "map-2024.png");
        assert_eq!(safe_file_name("deadbeef"), safe_file_name("deadbeef"));
        assert_ne!(safe_file_name("deadbeef"), "deadbeef");
        assert_eq!(safe_file_name("notes-draft.txt"), "notes-draft.txt");
    }
}
