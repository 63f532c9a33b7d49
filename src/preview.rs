//! `coursepack preview`: the course served on 127.0.0.1 as an LMS launches it, inside a page
//! that plays the LMS (scorm-again, the maintained run-time, carried in the binary) and shows
//! what it records. Sources are watched; each change rebuilds the course in memory and the
//! open page reloads. A build error is shown over the last good version, which stays usable.

use crate::lock;
use crate::memo::Memo;
use crate::package::{Content, PackageFiles, PackageOptions};
use crate::standard::Standard;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The standards the preview page can switch between.
const STANDARDS: [Standard; 2] = [Standard::Scorm12, Standard::Scorm2004];
/// A long poll answers after this long even when nothing changed.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);
/// Changes closer together than this are one rebuild (editors write files in several steps).
const SETTLE: Duration = Duration::from_millis(30);
/// Learner records posted by the page; far above SCORM 2004's 64,000-character suspend_data.
const MAX_LEARNER_RECORD: u64 = 4 << 20;
/// Largest course file the preview serves (a video): it is read whole for each request.
const MAX_SERVED_FILE: u64 = 2 << 30;

/// What the server shows: the last good build, and the current build error if any.
#[derive(Default)]
struct Site {
    version: u64,
    prepared: Option<Arc<crate::Prepared>>,
    /// The last good build laid out per standard, when a standard is first asked for: a
    /// rebuild lays out only the standard on screen.
    packages: HashMap<Standard, Arc<PackageFiles>>,
    /// The standard the page last asked for.
    shown: Standard,
    error: Option<String>,
    /// Learner record per standard, as the page's LMS last committed it.
    learners: HashMap<Standard, String>,
}

struct Shared {
    site: Mutex<Site>,
    changed: Condvar,
    /// What rebuilds reuse: each page's Markdown and template, the compiled theme.
    memo: Memo,
    /// The course folder (canonical): files are read through its gate on every request.
    root: PathBuf,
    /// `Host` values the server answers to: a page on another name (DNS rebinding) is refused.
    hosts: Vec<String>,
    /// Given to the preview page only; the requests that change the learner record carry it,
    /// which a page of another origin cannot (it can neither read the page nor set a header
    /// without a preflight this server never grants).
    token: String,
}

pub struct Options {
    pub port: u16,
    pub templates: Option<PathBuf>,
    /// Called with the address once the server listens (the command prints it, opens a browser).
    pub on_ready: Box<dyn FnOnce(&str) + Send>,
}

/// Serves the course until the process is stopped.
pub fn serve(course: &Path, options: Options) -> Result<()> {
    let server = tiny_http::Server::http(("127.0.0.1", options.port))
        .map_err(|err| anyhow::anyhow!("cannot listen on 127.0.0.1:{}: {err}", options.port))?;
    let bound = server.server_addr().to_ip().context("a TCP address")?;
    let address = format!("http://{bound}/");
    let shared = Arc::new(Shared {
        site: Mutex::new(Site::default()),
        changed: Condvar::new(),
        memo: Memo::keeping(),
        root: course
            .canonicalize()
            .unwrap_or_else(|_| course.to_path_buf()),
        hosts: vec![bound.to_string(), format!("localhost:{}", bound.port())],
        token: secret(),
    });
    rebuild(course, options.templates.as_deref(), &shared, "built");
    let _watcher = watch(course, options.templates.clone(), Arc::clone(&shared))?;
    (options.on_ready)(&address);
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || respond(request, &shared));
    }
    Ok(())
}

/// Rebuilds the course in memory; on success the packages are replaced, on failure they stay
/// and the error is shown. Reports on the terminal either way.
fn rebuild(course: &Path, templates: Option<&Path>, shared: &Shared, what: &str) {
    let started = Instant::now();
    let shown = lock(&shared.site).shown;
    let result = build(course, templates, &shared.memo, shown);
    let elapsed = started.elapsed();
    let mut site = lock(&shared.site);
    site.version += 1;
    match result {
        Ok((prepared, files)) => {
            site.prepared = Some(prepared);
            site.packages = HashMap::from([(shown, files)]);
            site.error = None;
            eprintln!("{}: {what} in {} ms", course.display(), elapsed.as_millis());
        }
        Err(error) => {
            eprintln!("{error}");
            eprintln!(
                "{}: the preview keeps the last good version",
                course.display()
            );
            site.error = Some(error);
        }
    }
    shared.changed.notify_all();
}

/// The course prepared, and laid out for `standard` (which also surfaces launch-page
/// template errors at once).
fn build(
    course: &Path,
    templates: Option<&Path>,
    memo: &Memo,
    standard: Standard,
) -> Result<(Arc<crate::Prepared>, Arc<PackageFiles>), String> {
    let outcome = crate::prepare(course, templates, memo, crate::render::Code::Highlighted)
        .map_err(|err| format!("error: {err:#}"))?;
    let problems: Vec<String> = outcome
        .diagnostics()
        .sorted()
        .iter()
        .map(|d| d.display_in(course))
        .collect();
    let crate::Outcome::Ready(prepared, _) = outcome else {
        return Err(problems.join("\n"));
    };
    for warning in &problems {
        eprintln!("{warning}");
    }
    let prepared = Arc::new(prepared);
    let files = lay_out(&prepared, standard, memo).map_err(|err| format!("error: {err:#}"))?;
    Ok((prepared, files))
}

fn lay_out(
    prepared: &crate::Prepared,
    standard: Standard,
    memo: &Memo,
) -> Result<Arc<PackageFiles>> {
    let options = PackageOptions {
        standard,
        sco_per_module: prepared.course.config.package.sco_per_module,
    };
    Ok(Arc::new(prepared.package(options, memo)?))
}

/// Watches the course folder (and the theme folder) and rebuilds after each burst of changes.
fn watch(
    course: &Path,
    templates: Option<PathBuf>,
    shared: Arc<Shared>,
) -> Result<notify::RecommendedWatcher> {
    use notify::Watcher;
    let (sender, events) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender)?;
    watcher
        .watch(course, notify::RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", course.display()))?;
    if let Some(dir) = &templates {
        watcher.watch(dir, notify::RecursiveMode::Recursive)?;
    }
    let course = course.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(first) = events.recv() {
            // Let the burst settle, then act once on all of it.
            let mut burst = vec![first];
            while let Ok(event) = events.recv_timeout(SETTLE) {
                burst.push(event);
            }
            match classify(&burst) {
                Change::None => {}
                Change::Files => rebuild(&course, templates.as_deref(), &shared, "rebuilt"),
            }
        }
    });
    Ok(watcher)
}

/// What a burst of file events asks for.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// Only editors' scratch files, or files read or touched: nothing to do.
    None,
    /// Files of the course or the theme changed, appeared or went: rebuild. The memo makes a
    /// rebuild cost what changed: a saved page costs about one page.
    Files,
}

fn classify(burst: &[notify::Result<notify::Event>]) -> Change {
    use notify::EventKind;
    use notify::event::ModifyKind;
    let changes = |event: &notify::Event| {
        !matches!(
            event.kind,
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
        ) && event.paths.iter().any(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            !(name.ends_with('~') || name.ends_with(".swp") || name.starts_with(".#"))
        })
    };
    // An event the watcher could not read may be anything.
    if burst
        .iter()
        .any(|event| event.as_ref().map_or(true, changes))
    {
        Change::Files
    } else {
        Change::None
    }
}

fn respond(mut request: tiny_http::Request, shared: &Shared) {
    let header = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_string())
    };
    if !header("Host").is_some_and(|host| shared.hosts.contains(&host)) {
        let _ = request.respond(reply(
            421,
            "text/plain",
            b"the preview answers to 127.0.0.1 and localhost only".to_vec(),
        ));
        return;
    }
    let changes = matches!(
        request.method(),
        tiny_http::Method::Post | tiny_http::Method::Delete
    );
    if changes && header("X-Coursepack-Token").as_deref() != Some(shared.token.as_str()) {
        let _ = request.respond(reply(
            403,
            "text/plain",
            b"only the preview page changes the learner record".to_vec(),
        ));
        return;
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let standard = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("standard="))
        .and_then(|name| STANDARDS.into_iter().find(|s| s.as_str() == name))
        .unwrap_or(Standard::Scorm12);
    let method = request.method().clone();
    let response = match (method, path) {
        (tiny_http::Method::Get, "/") => preview_page(shared),
        (tiny_http::Method::Get, "/__preview/state") => {
            let after = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("after="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            state(shared, after)
        }
        (tiny_http::Method::Get, "/__preview/learner") => {
            let site = lock(&shared.site);
            let record = site
                .learners
                .get(&standard)
                .cloned()
                .unwrap_or_else(|| "{}".into());
            reply(200, "application/json", record.into_bytes())
        }
        (tiny_http::Method::Post, "/__preview/learner") => {
            let mut body = String::new();
            let read = request
                .as_reader()
                .take(MAX_LEARNER_RECORD)
                .read_to_string(&mut body);
            if read.is_err() || serde_json::from_str::<serde_json::Value>(&body).is_err() {
                reply(400, "text/plain", b"a JSON learner record".to_vec())
            } else {
                let mut site = lock(&shared.site);
                site.learners.insert(standard, body);
                reply(204, "text/plain", Vec::new())
            }
        }
        (tiny_http::Method::Delete, "/__preview/learner") => {
            let mut site = lock(&shared.site);
            site.learners.remove(&standard);
            reply(204, "text/plain", Vec::new())
        }
        (tiny_http::Method::Get, path) if path.starts_with("/__preview/") => {
            embedded(&format!("preview/{}", &path["/__preview/".len()..]))
        }
        (tiny_http::Method::Get, path) if path.starts_with("/course/") => {
            course_file(shared, &path["/course/".len()..])
        }
        _ => reply(404, "text/plain", b"not found".to_vec()),
    };
    let _ = request.respond(response);
}

/// Waits until the site is newer than `after` (or the poll times out), then describes it.
fn state(shared: &Shared, after: u64) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let site = lock(&shared.site);
    let (site, _) = shared
        .changed
        .wait_timeout_while(site, POLL_TIMEOUT, |site| site.version <= after)
        .unwrap_or_else(|e| e.into_inner());
    let body = serde_json::json!({
        "version": site.version,
        "error": site.error,
        "ready": site.prepared.is_some(),
    });
    reply(200, "application/json", body.to_string().into_bytes())
}

/// `<standard>/<package path>` from the last good build.
fn course_file(shared: &Shared, rest: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let (standard, file) = rest.split_once('/').unwrap_or((rest, ""));
    let file = percent_encoding::percent_decode_str(file)
        .decode_utf8_lossy()
        .into_owned();
    let Some(standard) = STANDARDS.into_iter().find(|s| s.as_str() == standard) else {
        return reply(404, "text/plain", b"not found".to_vec());
    };
    let files = match package_for(shared, standard) {
        Ok(Some(files)) => files,
        Ok(None) => return reply(503, "text/plain", b"the course has not built yet".to_vec()),
        Err(err) => return reply(500, "text/plain", format!("{err:#}").into_bytes()),
    };
    let content = files.get(&file).cloned();
    let bytes = match content {
        Some(Content::Bytes(bytes)) => bytes.to_vec(),
        // Course files are read when asked for, through the gate: an edited image shows at the
        // next reload, and a file swapped for a link out of the course is not served.
        Some(Content::File(path)) => {
            let relative = path
                .strip_prefix(&shared.root)
                .ok()
                .and_then(|p| p.to_str());
            match relative.map(|r| {
                crate::load::read_course_file(&shared.root, &r.replace('\\', "/"), MAX_SERVED_FILE)
            }) {
                Some(Ok(Ok(bytes))) => bytes,
                _ => return reply(404, "text/plain", b"not found".to_vec()),
            }
        }
        None => return reply(404, "text/plain", b"not found".to_vec()),
    };
    reply(200, content_type(&file), bytes)
}

/// The last good build laid out for `standard`, laying it out on first request.
fn package_for(shared: &Shared, standard: Standard) -> Result<Option<Arc<PackageFiles>>> {
    let (prepared, version) = {
        let mut site = lock(&shared.site);
        site.shown = standard;
        if let Some(files) = site.packages.get(&standard) {
            return Ok(Some(Arc::clone(files)));
        }
        let Some(prepared) = site.prepared.clone() else {
            return Ok(None);
        };
        (prepared, site.version)
    };
    let files = lay_out(&prepared, standard, &shared.memo)?;
    let mut site = lock(&shared.site);
    if site.version == version {
        site.packages.insert(standard, Arc::clone(&files));
    }
    Ok(Some(files))
}

/// The preview page, with the token its requests carry.
fn preview_page(shared: &Shared) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let page = crate::templates::embedded("preview/index.html").unwrap_or_default();
    let page = String::from_utf8_lossy(page).replace("{{token}}", &shared.token);
    reply(200, "text/html; charset=utf-8", page.into_bytes())
}

/// 128 bits no other page can guess: the standard library seeds its hasher keys from the
/// operating system's random source for each process.
fn secret() -> String {
    use std::hash::{BuildHasher, Hasher};
    (0..2)
        .map(|i| {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(i);
            format!("{:016x}", hasher.finish())
        })
        .collect()
}

fn embedded(name: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    match crate::templates::embedded(name) {
        Some(bytes) => reply(200, content_type(name), bytes.to_vec()),
        None => reply(404, "text/plain", b"not found".to_vec()),
    }
}

fn reply(
    status: u16,
    content_type: &str,
    body: Vec<u8>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
    };
    tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn content_type(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "vtt" => "text/vtt; charset=utf-8",
        "pdf" => "application/pdf",
        "txt" | "xml" | "xsd" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, MetadataKind, ModifyKind};
    use notify::{Event, EventKind};

    fn event(kind: EventKind, path: &str) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn bursts_of_real_changes_rebuild_and_scratch_files_do_not() {
        let edit = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        for path in [
            "c/01-a/01-p.md",
            "c/01-a/media/f.png",
            "c/01-a/media/f.svg",
            "c/course.toml",
            "c/templates/assets/coursepack.css",
        ] {
            assert_eq!(classify(&[event(edit, path)]), Change::Files, "{path}");
        }
        let new_page = event(EventKind::Create(CreateKind::File), "c/01-a/02-q.md");
        assert_eq!(classify(&[new_page]), Change::Files);
        let touched = event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any)),
            "c/01-a/01-p.md",
        );
        let swap = event(edit, "c/01-a/.01-p.md.swp");
        let backup = event(edit, "c/01-a/01-p.md~");
        assert_eq!(classify(&[touched, swap, backup]), Change::None);
        let broken: notify::Result<Event> = Err(notify::Error::generic("lost"));
        assert_eq!(classify(&[broken]), Change::Files);
    }
}
