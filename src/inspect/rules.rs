//! The checks: zip entries as an LMS unzips them, the manifest as the schemas and as LMSs read
//! it, and the file references between the two.

use super::manifest::{self, ADLCP12, ADLCP2004, CP12, CP2004, Element, IMSSS};
use super::xsd::{self, SchemaFamily};
use super::zipread::{Archive, Entry};
use super::{FileSize, Item, Options, Organization, Problem, Report, Rule, Sco};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const MANIFEST: &str = "imsmanifest.xml";
/// Larger manifests are not parsed (the sample course's is 20 KiB; 10,000 pages ~2 MiB).
const MAX_MANIFEST: u64 = 16 << 20;
/// The schemaversion values Moodle recognises; anything else makes it play the package as
/// SCORM 1.2.
const MOODLE_2004_VERSIONS: [&str; 4] = ["1.3", "CAM 1.3", "2004 3rd Edition", "2004 4th Edition"];
/// Extensions of files an LMS either refuses or would execute on its server.
const SERVER_SCRIPTS: [&str; 16] = [
    "php", "php3", "php4", "php5", "php7", "php8", "phtml", "phar", "asp", "aspx", "ashx", "jsp",
    "jspx", "cgi", "pl", "py",
];
const EXECUTABLES: [&str; 12] = [
    "exe", "dll", "bat", "cmd", "com", "msi", "scr", "ps1", "vbs", "jar", "sh", "so",
];
/// Characters Moodle's PARAM_FILE cleaning removes from each name when it unzips a package,
/// which breaks every reference to that file.
const MOODLE_STRIPPED: [char; 8] = ['&', '<', '>', '"', '`', '|', '\'', ':'];

pub fn check_package(archive: &mut Archive, report: &mut Report, options: Options) {
    let problems = &mut report.problems;
    check_entries(archive, problems, options);
    summarise_files(archive, report);
    let Some(manifest_entry) = archive
        .entries
        .iter()
        .find(|e| e.name == MANIFEST)
        .map(|e| e.index)
    else {
        let nested = archive
            .entries
            .iter()
            .find(|e| e.name.ends_with("/imsmanifest.xml"));
        report.problems.push(match nested {
            Some(entry) => Problem::error(
                Rule::MissingManifest,
                Some(&entry.name),
                "imsmanifest.xml is in a subfolder, not at the root of the zip",
            )
            .help("zip the contents of the package folder, not the folder itself"),
            None => Problem::error(
                Rule::MissingManifest,
                None,
                "no imsmanifest.xml in the package",
            )
            .help("this is not a SCORM package; LMSs refuse it"),
        });
        verify_entries(archive, &mut report.problems);
        return;
    };
    let bytes = match archive.read_small(manifest_entry, MAX_MANIFEST) {
        Ok(Some(bytes)) => Some(bytes),
        Ok(None) => {
            report.problems.push(Problem::error(
                Rule::ManifestTooLarge,
                Some(MANIFEST),
                format!("the manifest is larger than {} MiB", MAX_MANIFEST >> 20),
            ));
            None
        }
        Err(err) => {
            report.problems.push(Problem::error(
                Rule::CorruptEntry,
                Some(MANIFEST),
                format!("cannot be read: {err}"),
            ));
            None
        }
    };
    if let Some(bytes) = bytes {
        check_manifest(&bytes, archive, report);
    }
    verify_entries(archive, &mut report.problems);
}

/// Names, kinds and sizes of the entries, before anything is decompressed.
fn check_entries(archive: &Archive, problems: &mut Vec<Problem>, options: Options) {
    for name in &archive.duplicates {
        problems.push(
            Problem::error(
                Rule::DuplicateEntry,
                Some(name),
                "appears more than once in the zip",
            )
            .help("which copy an LMS keeps depends on its unzip code; keep one"),
        );
    }
    let mut lower_case: HashMap<String, &str> = HashMap::new();
    for entry in &archive.entries {
        let name = entry.name.as_str();
        let at = Some(name);
        if name.starts_with('/') || name.get(1..2) == Some(":") {
            problems.push(
                Problem::error(Rule::AbsolutePath, at, "absolute path in the zip")
                    .help("entries must be relative to the package root"),
            );
        }
        if name.split(['/', '\\']).any(|part| part == "..") {
            problems.push(
                Problem::error(
                    Rule::ParentPath,
                    at,
                    "`..` in an entry name points outside the package",
                )
                .help("a careless unzip writes this file outside its folder (zip slip)"),
            );
        }
        if name.contains('\\') {
            problems.push(
                Problem::error(Rule::Backslash, at, "backslash in an entry name")
                    .help("zip paths use `/`; on Linux servers `\\` becomes part of the file name"),
            );
        }
        if entry.is_symlink {
            problems.push(
                Problem::error(Rule::SymlinkEntry, at, "symbolic link entry")
                    .help("LMSs do not unzip links; a link can point at the server's files"),
            );
        }
        if !entry.name_is_utf8 {
            problems.push(
                Problem::error(Rule::NameNotUtf8, at, "entry name is not UTF-8")
                    .help("rename the file with ASCII letters, digits, `-`, `_` and `.`"),
            );
        } else if !name.is_ascii() && !entry.utf8_flag {
            problems.push(
                Problem::error(Rule::Utf8FlagMissing, at, "non-ASCII name without the zip UTF-8 flag")
                    .help("unzip code then reads the name in a legacy code page and the file is not found; use ASCII names or a zip tool that sets the flag"),
            );
        }
        if entry.encrypted {
            problems.push(Problem::error(
                Rule::EncryptedEntry,
                at,
                "encrypted entry; no LMS can read it",
            ));
        }
        if entry.is_dir {
            continue;
        }
        if let Some(other) = lower_case.insert(name.to_lowercase(), name) {
            problems.push(
                Problem::error(
                    Rule::CaseCollision,
                    at,
                    format!("differs from `{other}` only in letter case"),
                )
                .help("on Windows and macOS servers one file overwrites the other"),
            );
        }
        if entry.looks_like_bomb() {
            problems.push(
                Problem::error(
                    Rule::ZipBomb,
                    at,
                    format!(
                        "expands {}× ({} → {} bytes); not decompressed",
                        entry.expansion(),
                        entry.compressed_size,
                        entry.size
                    ),
                )
                .help("no course file compresses like this; the package looks hostile"),
            );
        }
        let lower = name.to_ascii_lowercase();
        let extension = lower.rsplit_once('.').map_or("", |(_, e)| e);
        let file_name = lower.rsplit('/').next().unwrap_or_default();
        if matches!(extension, "zip" | "pif" | "7z" | "rar" | "gz" | "tar") {
            problems.push(
                Problem::warning(Rule::NestedArchive, at, "archive inside the package; it is not inspected")
                    .help("LMSs serve it as a download; unpack it into the package if learners should see its files"),
            );
        }
        if SERVER_SCRIPTS.contains(&extension) || file_name == ".htaccess" {
            problems.push(
                Problem::error(Rule::ServerScript, at, "server-side script")
                    .help("Moodle and other LMSs refuse or quarantine packages with server code; remove it"),
            );
        } else if EXECUTABLES.contains(&extension) {
            problems.push(
                Problem::error(Rule::Executable, at, "executable file").help(
                    "LMS virus and policy checks reject packages with executables; remove it",
                ),
            );
        }
        if name.split('/').any(|part| {
            part.chars()
                .any(|c| MOODLE_STRIPPED.contains(&c) || c.is_control())
        }) {
            problems.push(
                Problem::error(Rule::MoodleMangledName, at, "Moodle removes characters of this name when it unzips the package")
                    .help("links to the file then break; avoid & < > \" ` | ' : and control characters in names"),
            );
        }
    }
    if archive.too_large_to_expand() {
        problems.push(Problem::error(
            Rule::ZipBomb,
            None,
            format!(
                "the entries expand to {} GiB; not decompressed",
                archive.declared_size() >> 30
            ),
        ));
    }
    let limit = options.max_upload_mib << 20;
    if archive.file_size > limit {
        problems.push(
            Problem::error(
                Rule::MoodleUploadLimit,
                None,
                format!(
                    "the package is {:.1} MiB, over the upload limit of {} MiB",
                    archive.file_size as f64 / 1048576.0,
                    options.max_upload_mib
                ),
            )
            .help("ask the LMS administrator for the site's limit (--max-upload-mib), or move large videos to a streaming service"),
        );
    }
}

fn summarise_files(archive: &Archive, report: &mut Report) {
    let files: Vec<&Entry> = archive.entries.iter().filter(|e| !e.is_dir).collect();
    report.files.zip_bytes = archive.file_size;
    report.files.count = files.len();
    report.files.bytes = files.iter().fold(0, |sum, e| sum.saturating_add(e.size));
    report.files.compressed_bytes = files
        .iter()
        .fold(0, |sum, e| sum.saturating_add(e.compressed_size));
    report.files.stored = files.iter().filter(|e| e.stored).count();
    report.files.deflated = files.len() - report.files.stored;
    let mut largest = files.clone();
    largest.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.name.cmp(&b.name)));
    report.largest = largest
        .iter()
        .take(5)
        .map(|e| FileSize {
            name: e.name.clone(),
            bytes: e.size,
            compressed_bytes: e.compressed_size,
        })
        .collect();
}

/// Decompresses every entry that is safe to decompress, to find corrupt ones.
fn verify_entries(archive: &mut Archive, problems: &mut Vec<Problem>) {
    if archive.too_large_to_expand() {
        return;
    }
    let indices: Vec<(usize, String)> = archive
        .entries
        .iter()
        .filter(|e| !e.is_dir && !e.encrypted && !e.looks_like_bomb())
        .map(|e| (e.index, e.name.clone()))
        .collect();
    for (index, name) in indices {
        if let Err(message) = archive.verify(index) {
            problems.push(
                Problem::error(
                    Rule::CorruptEntry,
                    Some(&name),
                    format!("damaged: {message}"),
                )
                .help(
                    "the zip was damaged in transfer or written badly; build or download it again",
                ),
            );
        }
    }
}

fn check_manifest(bytes: &[u8], archive: &Archive, report: &mut Report) {
    let root = match manifest::parse(bytes) {
        Ok(root) => root,
        Err(err) => {
            let rule = if err.is_doctype {
                Rule::XmlDoctype
            } else {
                Rule::XmlMalformed
            };
            let help = if err.is_doctype {
                "SCORM manifests need no DTD; a DTD can expand entities without bound or read other files"
            } else {
                "LMSs stop the upload at the first XML error (Moodle: \"XML error … at line N\")"
            };
            report.problems.push(
                Problem::error(rule, Some(MANIFEST), err.message)
                    .at_line(err.line)
                    .help(help),
            );
            return;
        }
    };
    let family = match root.namespace.as_str() {
        CP12 => SchemaFamily::Scorm12,
        CP2004 => SchemaFamily::Scorm2004,
        other => {
            report.problems.push(
                Problem::error(
                    Rule::UnknownStandard,
                    Some(MANIFEST),
                    format!(
                        "the root element <{}> is in namespace \"{other}\", neither SCORM 1.2's nor SCORM 2004's content packaging namespace",
                        root.qualified
                    ),
                )
                .at_line(root.line),
            );
            return;
        }
    };
    let schema_version = root
        .child("metadata")
        .and_then(|m| m.child("schemaversion"))
        .map(|v| v.text.as_str());
    report.standard = Some(standard_name(family, schema_version));
    check_schema_version(family, schema_version, &root, &mut report.problems);
    match xsd::validate(bytes, family) {
        Ok(violations) => {
            for violation in violations {
                report.problems.push(
                    Problem::error(Rule::Schema, Some(MANIFEST), violation.message)
                        .at_line(violation.line),
                );
            }
        }
        // Not validated is not valid: the verdict fails closed.
        Err(err) => report.problems.push(Problem::error(
            Rule::Schema,
            Some(MANIFEST),
            format!(
                "schema validation could not run ({err}), so the manifest cannot be called valid"
            ),
        )),
    }
    report.identifier = root.plain("identifier").map(str::to_string);
    let names: BTreeSet<&str> = archive
        .entries
        .iter()
        .filter(|e| !e.is_dir)
        .map(|e| e.name.as_str())
        .collect();
    let mut references = References {
        by_lower_case: names
            .iter()
            .map(|name| (name.to_ascii_lowercase(), *name))
            .collect(),
        names,
        listed: BTreeSet::new(),
        problems: Vec::new(),
    };
    let resources = read_resources(&root, family, &mut references);
    read_organizations(&root, family, &resources, report, &mut references);
    check_identifiers(&root, &mut references.problems);
    for entry in &archive.entries {
        let schema_file = entry.name.ends_with(".xsd") || entry.name.ends_with(".dtd");
        let listed = entry.is_dir
            || entry.name == MANIFEST
            || schema_file
            || references.listed.contains(entry.name.as_str());
        if !listed {
            references.problems.push(
                Problem::warning(Rule::UnlistedFile, Some(&entry.name), "no resource lists this file")
                    .help("list every file a resource uses in its <file> elements; LMSs that copy only listed files leave it out"),
            );
        }
    }
    report.problems.append(&mut references.problems);
}

fn standard_name(family: SchemaFamily, schema_version: Option<&str>) -> String {
    match (family, schema_version.map(str::trim)) {
        (SchemaFamily::Scorm12, _) => "SCORM 1.2".to_string(),
        (SchemaFamily::Scorm2004, Some("2004 4th Edition")) => "SCORM 2004 4th Edition".to_string(),
        (SchemaFamily::Scorm2004, Some("2004 3rd Edition")) => "SCORM 2004 3rd Edition".to_string(),
        (SchemaFamily::Scorm2004, Some("CAM 1.3" | "1.3")) => "SCORM 2004 2nd Edition".to_string(),
        (SchemaFamily::Scorm2004, _) => "SCORM 2004 (edition unknown)".to_string(),
    }
}

fn check_schema_version(
    family: SchemaFamily,
    version: Option<&str>,
    root: &Element,
    problems: &mut Vec<Problem>,
) {
    let line = root.child("metadata").map_or(root.line, |m| m.line);
    match (family, version) {
        (SchemaFamily::Scorm2004, Some(v)) if MOODLE_2004_VERSIONS.contains(&v) => {}
        (SchemaFamily::Scorm2004, found) => problems.push(
            Problem::error(
                Rule::Schemaversion,
                Some(MANIFEST),
                match found {
                    Some(v) => format!("<schemaversion>{v}</schemaversion> is not a SCORM 2004 version an LMS recognises"),
                    None => "a SCORM 2004 manifest without <metadata><schemaversion>".to_string(),
                },
            )
            .at_line(line)
            .help("write exactly `2004 4th Edition`; Moodle plays anything else as SCORM 1.2 and loses the tracking"),
        ),
        (SchemaFamily::Scorm12, Some(v)) if v != "1.2" => problems.push(
            Problem::warning(Rule::Schemaversion, Some(MANIFEST), format!("<schemaversion>{v}</schemaversion> in a SCORM 1.2 manifest"))
                .at_line(line)
                .help("write exactly `1.2`"),
        ),
        _ => {}
    }
}

/// What the file checks share: the package's file names, the ones some reference lists, and
/// the problems found.
struct References<'a> {
    names: BTreeSet<&'a str>,
    /// The names by their ASCII lower case, for the hint on a reference that differs only in
    /// case: looked up, not searched for (10,000 entries × 100,000 references took 25 s).
    by_lower_case: HashMap<String, &'a str>,
    listed: BTreeSet<String>,
    problems: Vec<Problem>,
}

impl References<'_> {
    /// Resolves `href` against `base` and checks it names a file in the package. Returns the
    /// package path, when it is one.
    fn check(&mut self, base: &str, href: &str, line: u32, what: &str) -> Option<String> {
        if href.contains('\\') {
            self.problems.push(
                Problem::error(
                    Rule::UnsafeHref,
                    Some(MANIFEST),
                    format!("{what} \"{href}\" contains a backslash"),
                )
                .at_line(line)
                .help("use `/` in paths"),
            );
            return None;
        }
        let joined = format!("{base}{href}");
        if has_scheme(&joined) {
            self.problems.push(
                Problem::warning(
                    Rule::ExternalUrl,
                    Some(MANIFEST),
                    format!("{what} \"{joined}\" is on another site"),
                )
                .at_line(line)
                .help(
                    "the package then needs the network and that site; put the file in the package",
                ),
            );
            return None;
        }
        if joined.starts_with('/') {
            self.problems.push(
                Problem::error(
                    Rule::UnsafeHref,
                    Some(MANIFEST),
                    format!("{what} \"{joined}\" is an absolute path"),
                )
                .at_line(line)
                .help("paths in the manifest are relative to the package root"),
            );
            return None;
        }
        let path = joined.split(['?', '#']).next().unwrap_or_default();
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let mut parts: Vec<&str> = Vec::new();
        for part in decoded.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        self.problems.push(
                            Problem::error(
                                Rule::UnsafeHref,
                                Some(MANIFEST),
                                format!("{what} \"{joined}\" points outside the package"),
                            )
                            .at_line(line),
                        );
                        return None;
                    }
                }
                part => parts.push(part),
            }
        }
        let resolved = parts.join("/");
        if !self.names.contains(resolved.as_str()) {
            let near = self
                .by_lower_case
                .get(&resolved.to_ascii_lowercase())
                .map(|name| format!("the package has `{name}`, which differs in letter case; LMS servers compare names exactly"));
            let mut problem = Problem::error(
                Rule::MissingFile,
                Some(MANIFEST),
                format!("{what} \"{resolved}\" is not in the package"),
            )
            .at_line(line);
            problem.help =
                near.or_else(|| Some("add the file, or correct the reference".to_string()));
            self.problems.push(problem);
        }
        self.listed.insert(resolved.clone());
        Some(resolved)
    }
}

fn has_scheme(href: &str) -> bool {
    let scheme_length = href
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    scheme_length > 1 && href.as_bytes().get(scheme_length) == Some(&b':')
}

struct Resource {
    is_sco: bool,
    launch: Option<String>,
}

fn read_resources(
    root: &Element,
    family: SchemaFamily,
    refs: &mut References,
) -> BTreeMap<String, Resource> {
    let adlcp = match family {
        SchemaFamily::Scorm12 => ADLCP12,
        SchemaFamily::Scorm2004 => ADLCP2004,
    };
    let mut resources = BTreeMap::new();
    let Some(list) = root.child("resources") else {
        return resources;
    };
    let base_of = |e: &Element| e.xml_base().unwrap_or("").to_string();
    let outer = format!("{}{}", base_of(root), base_of(list));
    for resource in list.children_named("resource") {
        let identifier = resource
            .plain("identifier")
            .unwrap_or_default()
            .trim()
            .to_string();
        let base = format!("{outer}{}", base_of(resource));
        let scorm_type = resource
            .attributes
            .iter()
            .find(|(ns, local, _, _)| ns == adlcp && local.eq_ignore_ascii_case("scormtype"));
        let is_sco = scorm_type.is_some_and(|(_, _, _, v)| v == "sco");
        match scorm_type {
            None => refs.problems.push(
                Problem::error(Rule::MissingScormtype, Some(MANIFEST), format!("resource \"{identifier}\" has no adlcp:scormtype"))
                    .at_line(resource.line)
                    .help("add adlcp:scormtype=\"sco\" to what should be tracked; LMSs treat the rest as untracked assets"),
            ),
            Some((_, _, qualified, _)) if family == SchemaFamily::Scorm12 && !qualified.eq_ignore_ascii_case("adlcp:scormtype") => {
                refs.problems.push(
                    Problem::error(Rule::MoodlePrefix, Some(MANIFEST), format!("resource \"{identifier}\" writes the SCO type as `{qualified}`"))
                        .at_line(resource.line)
                        .help("Moodle reads only the literal `adlcp:scormtype`; with any other prefix it plays the SCO as an untracked asset"),
                );
            }
            _ => {}
        }
        let launch = resource
            .plain("href")
            .and_then(|href| refs.check(&base, href, resource.line, "launch file"))
            .map(|path| {
                let query = resource
                    .plain("href")
                    .and_then(|h| h.find(['?', '#']).map(|i| h[i..].to_string()));
                path + &query.unwrap_or_default()
            });
        for file in resource.children_named("file") {
            if let Some(href) = file.plain("href") {
                refs.check(&base, href, file.line, "file");
            }
        }
        for element in resource.descendants() {
            if element.local == "location" && element.namespace == adlcp {
                refs.check(&base, element.text.trim(), element.line, "metadata file");
            }
        }
        resources.insert(identifier, Resource { is_sco, launch });
    }
    for resource in list.children_named("resource") {
        for dependency in resource.children_named("dependency") {
            let target = dependency.plain("identifierref").unwrap_or_default().trim();
            if !resources.contains_key(target) {
                refs.problems.push(
                    Problem::error(Rule::DanglingIdentifierref, Some(MANIFEST), format!("dependency names resource \"{target}\", which the manifest does not declare"))
                        .at_line(dependency.line),
                );
            }
        }
    }
    resources
}

fn read_organizations(
    root: &Element,
    family: SchemaFamily,
    resources: &BTreeMap<String, Resource>,
    report: &mut Report,
    refs: &mut References,
) {
    let Some(list) = root.child("organizations") else {
        return;
    };
    let default = list.plain("default").map(str::trim);
    let organizations: Vec<&Element> = list.children_named("organization").collect();
    if let Some(default) = default
        && !organizations
            .iter()
            .any(|o| o.plain("identifier").map(str::trim) == Some(default))
    {
        refs.problems.push(
            Problem::error(
                Rule::DefaultOrganization,
                Some(MANIFEST),
                format!("the default organization \"{default}\" does not exist"),
            )
            .at_line(list.line)
            .help("LMSs launch the first item of the default organization"),
        );
    }
    let mut scos: BTreeMap<String, Sco> = BTreeMap::new();
    for organization in &organizations {
        let identifier = organization
            .plain("identifier")
            .unwrap_or_default()
            .trim()
            .to_string();
        let is_default = default.map_or(report.organizations.is_empty(), |d| d == identifier);
        if is_default && report.title.is_none() {
            report.title = organization
                .child("title")
                .map(|t| t.text.trim().to_string());
        }
        let items = organization
            .children_named("item")
            .map(|item| read_item(item, family, resources, &mut scos, refs))
            .collect();
        report.organizations.push(Organization {
            identifier,
            title: organization
                .child("title")
                .map(|t| t.text.trim().to_string())
                .unwrap_or_default(),
            is_default,
            items,
        });
    }
    report.scos = scos.into_values().collect();
    if report.scos.is_empty() && !resources.is_empty() {
        refs.problems.push(
            Problem::error(
                Rule::NoSco,
                Some(MANIFEST),
                "no item launches a SCO; the LMS will track nothing",
            )
            .help("mark the tracked resource adlcp:scormtype=\"sco\""),
        );
    }
}

fn read_item(
    item: &Element,
    family: SchemaFamily,
    resources: &BTreeMap<String, Resource>,
    scos: &mut BTreeMap<String, Sco>,
    refs: &mut References,
) -> Item {
    let identifier = item
        .plain("identifier")
        .unwrap_or_default()
        .trim()
        .to_string();
    let children: Vec<Item> = item
        .children_named("item")
        .map(|child| read_item(child, family, resources, scos, refs))
        .collect();
    let mut launch = None;
    match item.plain("identifierref").map(str::trim) {
        Some(target) => match resources.get(target) {
            Some(resource) => {
                launch = resource.launch.clone().map(|href| href + item.plain("parameters").unwrap_or(""));
                if resource.is_sco {
                    let sco = scos.entry(target.to_string()).or_insert_with(|| Sco {
                        resource: target.to_string(),
                        items: Vec::new(),
                        launch: launch.clone().unwrap_or_default(),
                        mastery_score: mastery_score(item, family),
                    });
                    sco.items.push(identifier.clone());
                }
            }
            None => refs.problems.push(
                Problem::error(Rule::DanglingIdentifierref, Some(MANIFEST), format!("item \"{identifier}\" names resource \"{target}\", which the manifest does not declare"))
                    .at_line(item.line)
                    .help("LMSs show this item but cannot launch it"),
            ),
        },
        None if children.is_empty() => refs.problems.push(
            Problem::error(Rule::ItemWithoutLaunch, Some(MANIFEST), format!("item \"{identifier}\" has no identifierref and no child items"))
                .at_line(item.line)
                .help("a leaf item must launch a resource"),
        ),
        None => {}
    }
    Item {
        identifier,
        title: item
            .child("title")
            .map(|t| t.text.trim().to_string())
            .unwrap_or_default(),
        launch,
        children,
    }
}

/// 1.2: `adlcp:masteryscore` (0–100); 2004: the primary objective's minimum normalized
/// measure when it is satisfied by measure (0–1).
fn mastery_score(item: &Element, family: SchemaFamily) -> Option<String> {
    match family {
        SchemaFamily::Scorm12 => item
            .children
            .iter()
            .find(|c| c.namespace == ADLCP12 && c.local == "masteryscore")
            .map(|c| c.text.trim().to_string()),
        SchemaFamily::Scorm2004 => item
            .descendants()
            .into_iter()
            .find(|e| {
                e.namespace == IMSSS
                    && e.local == "primaryObjective"
                    && e.plain("satisfiedByMeasure") == Some("true")
            })
            .and_then(|objective| objective.child("minNormalizedMeasure"))
            .map(|m| m.text.trim().to_string()),
    }
}

/// Manifest, organization, item and resource identifiers must be unique: LMSs key learner
/// records on them.
fn check_identifiers(root: &Element, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut elements = vec![root];
    elements.extend(root.descendants());
    for element in elements {
        if !matches!(
            element.local.as_str(),
            "manifest" | "organization" | "item" | "resource"
        ) {
            continue;
        }
        if !(element.namespace == CP12 || element.namespace == CP2004) {
            continue;
        }
        let Some(identifier) = element.plain("identifier") else {
            continue;
        };
        if let Some(first) = seen.insert(identifier.trim().to_string(), element.line) {
            problems.push(
                Problem::error(
                    Rule::DuplicateIdentifier,
                    Some(MANIFEST),
                    format!(
                        "identifier \"{}\" is also used on line {first}",
                        identifier.trim()
                    ),
                )
                .at_line(element.line)
                .help("every identifier in a manifest must be unique"),
            );
        }
    }
}
