//! Names derived from a file's relative path: document ids and fallback titles.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Hex digits of the path hash appended to lossy ids.
const HASH_CHARS: usize = 8;

/// A stable, filesystem-safe document id derived from the relative path.
///
/// Lower-case; the extension dropped; folders joined by `__`; accents removed;
/// any other run of characters outside `[a-z0-9_-]` (spaces, dots,
/// punctuation) becomes one `-`.
///
/// When the slug loses more than case, spacing and punctuation runs — a
/// non-ASCII name, a name of symbols — it gets `-` and 8 hex digits of the
/// BLAKE3 hash of the whole (NFC, `/`-separated) path appended, so that
/// `日記.txt` and `日本.txt` stay apart.
///
/// Known limit: paths that differ only in extension, case or punctuation
/// (`a.md` and `a.txt`, `My Essay.md` and `my-essay.md`) share an id; the
/// driver should check the ids of a run for duplicates.
///
/// ```
/// use precis_ingest::doc_id;
/// assert_eq!(doc_id("essays/On Walking (draft 2).md"), "essays__on-walking-draft-2");
/// assert_eq!(doc_id(r"essays\one.txt"), doc_id("essays/one.txt"));
/// assert!(doc_id("notes/café.txt").starts_with("notes__cafe-"));
/// assert_ne!(doc_id("日記.txt"), doc_id("日本.txt"));
/// ```
pub fn doc_id(relative_path: &str) -> String {
    let path: String = relative_path.replace('\\', "/").nfc().collect();
    let path = path.trim_start_matches("./");
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let mut lossy = false;
    let mut slugs = Vec::with_capacity(components.len());
    for (index, component) in components.iter().enumerate() {
        let name = if index + 1 == components.len() {
            split_extension(component).map_or(*component, |(stem, _)| stem)
        } else {
            component
        };
        let (slug, component_lossy) = slug(name);
        lossy |= component_lossy || slug.is_empty();
        if !slug.is_empty() {
            slugs.push(slug);
        }
    }
    let mut id = slugs.join("__");
    if lossy || id.is_empty() {
        let hash = blake3::hash(path.as_bytes()).to_hex();
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&hash[..HASH_CHARS]);
    }
    id
}

/// The slug of one path component, and whether it lost more than case and
/// runs of spacing or punctuation.
fn slug(name: &str) -> (String, bool) {
    let mut slug = String::with_capacity(name.len());
    let mut lossy = false;
    let mut dash = false;
    for ch in name.nfkd() {
        if is_combining_mark(ch) {
            lossy = true;
            continue;
        }
        let ch = ch.to_ascii_lowercase();
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(ch);
        } else {
            lossy |= !ch.is_ascii();
            dash = true;
        }
    }
    (slug, lossy)
}

/// The last component of a path with `/` or `\` separators.
pub(crate) fn file_name(relative_path: &str) -> &str {
    relative_path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(relative_path)
}

/// `("name", "ext")` for `name.ext`; `None` without a dot or for dot files
/// such as `.md`.
pub(crate) fn split_extension(file_name: &str) -> Option<(&str, &str)> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then_some((stem, extension))
}

/// A title made from the file name: `my_essay-2.txt` → `"my essay 2"`.
pub(crate) fn humanised_stem(relative_path: &str) -> String {
    let name = file_name(relative_path);
    let stem = split_extension(name).map_or(name, |(stem, _)| stem);
    let title = stem
        .split(|ch: char| ch == '_' || ch == '-' || ch.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        relative_path.to_owned()
    } else {
        title.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let cases = [
            ("essay.txt", "essay"),
            ("Essays/My Essay.MD", "essays__my-essay"),
            ("./a/b/c.html", "a__b__c"),
            ("a//b.txt", "a__b"),
            ("--weird--.txt", "weird"),
            ("snake_case_name.txt", "snake_case_name"),
            ("v1.2 notes.txt", "v1-2-notes"),
            ("no-extension", "no-extension"),
        ];
        for (path, id) in cases {
            assert_eq!(doc_id(path), id, "{path}");
        }
    }

    #[test]
    fn lossy_ids_get_a_hash() {
        let id = doc_id("Crème brûlée.md");
        assert!(id.starts_with("creme-brulee-"), "{id}");
        assert_eq!(id.len(), "creme-brulee-".len() + HASH_CHARS);
        assert_ne!(id, doc_id("Crême brulée.md"));
        let id = doc_id("日記.txt");
        assert_eq!(id.len(), HASH_CHARS);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        // Stable across separator styles and Unicode normal forms.
        assert_eq!(doc_id("a/cafe\u{301}.txt"), doc_id(r"a\café.txt"));
    }

    #[test]
    fn humanised_stems() {
        assert_eq!(humanised_stem("x/my_essay-2.txt"), "my essay 2");
        assert_eq!(humanised_stem("x/Plain.md"), "Plain");
        assert_eq!(humanised_stem("x/__.md"), "x/__.md");
    }
}
