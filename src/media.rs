//! Audio and video written as Markdown images (`![Interview with an officer](media/clip.mp4)`)
//! become `<video>`/`<audio>` players with the captions and transcript that sit next to the
//! file: `clip.en.vtt`, `clip.fr.vtt` (WebVTT, one per language) and `clip.transcript.md`.

use crate::config::primary_subtag;
use crate::html_policy::escape_html as escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Video,
    Audio,
}

impl MediaKind {
    /// Audio or video by the file's extension; `None` for anything else (an image).
    pub fn of(path: &str) -> Option<MediaKind> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "mp4" | "m4v" | "webm" | "ogv" | "mov" => Some(MediaKind::Video),
            "mp3" | "m4a" | "aac" | "oga" | "ogg" | "opus" | "wav" | "flac" => {
                Some(MediaKind::Audio)
            }
            _ => None,
        }
    }

    /// The HTML element, and what messages call it.
    pub fn name(self) -> &'static str {
        match self {
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        }
    }
}

/// The files that accompany one media file, by name: they sit in its folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sidecars {
    /// `(language, file name)` of each WebVTT file, sorted by language.
    pub captions: Vec<(String, String)>,
    pub transcript: Option<String>,
}

/// Picks, from the names of the files in its folder, the captions and transcript of the media
/// file `media` (a path whose last part names the file).
pub fn find_sidecars<'a>(folder: impl Iterator<Item = &'a str>, media: &str) -> Sidecars {
    let name = media.rsplit_once('/').map_or(media, |(_, name)| name);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let mut sidecars = Sidecars::default();
    for file in folder {
        let file = file.to_string();
        let Some(rest) = file
            .strip_prefix(stem)
            .and_then(|rest| rest.strip_prefix('.'))
        else {
            continue;
        };
        if rest == "transcript.md" {
            sidecars.transcript = Some(file);
        } else if let Some(language) = rest.strip_suffix(".vtt")
            && !language.is_empty()
            && !language.contains('.')
        {
            sidecars.captions.push((language.to_string(), file));
        }
    }
    sidecars.captions.sort();
    sidecars
}

/// One caption track as the page links it.
pub struct Track<'a> {
    pub language: &'a str,
    pub url: String,
}

/// The player element. `label` (the Markdown alt text) names it for screen readers and
/// shows as its caption; the course's language track is on by default.
pub fn player_html(
    kind: MediaKind,
    src: &str,
    label: &str,
    tracks: &[Track],
    course_language: &str,
    transcript: Option<(&str, &str)>,
) -> String {
    let tag = kind.name();
    let label = escape(label);
    let mut html = format!(
        "<figure class=\"cp-media\">\n<{tag} controls preload=\"metadata\" src=\"{}\" aria-label=\"{label}\">\n",
        escape(src)
    );
    let default = tracks
        .iter()
        .position(|t| t.language.eq_ignore_ascii_case(course_language))
        .or_else(|| {
            tracks
                .iter()
                .position(|t| primary_subtag(t.language) == primary_subtag(course_language))
        })
        .unwrap_or(0);
    for (n, track) in tracks.iter().enumerate() {
        html.push_str(&format!(
            "<track kind=\"captions\" src=\"{}\" srclang=\"{}\" label=\"{}\"{}>\n",
            escape(&track.url),
            escape(track.language),
            escape(language_name(track.language)),
            if n == default { " default" } else { "" }
        ));
    }
    html.push_str(&format!(
        "<a href=\"{}\">{label}</a>\n</{tag}>\n",
        escape(src)
    ));
    if !label.is_empty() {
        html.push_str(&format!("<figcaption>{label}</figcaption>\n"));
    }
    if let Some((summary, body)) = transcript {
        html.push_str(&format!(
            "<details class=\"cp-transcript\"><summary>{}</summary>\n{body}</details>\n",
            escape(summary)
        ));
    }
    html.push_str("</figure>\n");
    html
}

/// What a caption track is called in the player's menu: the language's own name.
fn language_name(language: &str) -> &str {
    match primary_subtag(language).as_str() {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "pt" => "Português",
        "ru" => "Русский",
        "uk" => "Українська",
        "ar" => "العربية",
        "de" => "Deutsch",
        "zh" => "中文",
        _ => language,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_and_transcript_are_found_beside_the_media() {
        let folder = [
            "clip.ar.vtt",
            "clip.en.vtt",
            "clip.mp4",
            "clip.transcript.md",
            "clip.vtt",
            "clip2.en.vtt",
        ];
        let found = find_sidecars(folder.into_iter(), "media/clip.mp4");
        assert_eq!(
            found.captions,
            [
                ("ar".to_string(), "clip.ar.vtt".to_string()),
                ("en".to_string(), "clip.en.vtt".to_string())
            ]
        );
        assert_eq!(found.transcript.as_deref(), Some("clip.transcript.md"));
    }

    #[test]
    fn the_course_language_track_is_the_default() {
        let tracks = [
            Track {
                language: "en",
                url: "clip.en.vtt".into(),
            },
            Track {
                language: "uk",
                url: "clip.uk.vtt".into(),
            },
        ];
        let html = player_html(
            MediaKind::Video,
            "clip.mp4",
            "A \"clip\"",
            &tracks,
            "uk",
            None,
        );
        assert!(html.contains("<track kind=\"captions\" src=\"clip.uk.vtt\" srclang=\"uk\" label=\"Українська\" default>"));
        assert!(!html.contains("label=\"English\" default"));
        assert!(html.contains("aria-label=\"A &quot;clip&quot;\""));
    }
}
