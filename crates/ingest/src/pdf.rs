//! PDF: the characters and their positions from `pdf-extract` (over
//! `lopdf`), laid out again here into lines, columns and paragraphs, with
//! page furniture removed.

use crate::blocks::{looks_like_title, BlockWriter, Extracted};
use crate::plain::{join_lines, Compounds};
use crate::{Notice, Skip};
use pdf_extract::{Document, Error, MediaBox, OutputDev, OutputError, Transform};
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;

const FORMAT: &str = "PDF";

/// How many lines at the top and at the bottom of a page may be furniture.
const EDGE_LINES: usize = 2;

/// Reads a PDF's text layer.
///
/// 1. Characters become lines: consecutive characters on one baseline,
///    with a space where the gap is wider than a sixth of the font size; a
///    gap of more than 1.5 em starts a new line (a column gutter).
/// 2. Lines are put in reading order per page: when a vertical gutter
///    splits the page (a strip in the middle third that at most a tenth of
///    the lines cross, with lines on both sides), the left column is read
///    before the right one, between any full-width lines; otherwise top to
///    bottom.
/// 3. Page furniture is dropped: among the [`EDGE_LINES`] top and bottom
///    lines of each page, a line that is only a page number (`7`, `- 7 -`,
///    `Page 7 of 9`, `vii`), or whose text with digits masked repeats at the
///    edge of at least two pages and a third of all pages.
/// 4. Lines become paragraphs: a new paragraph starts after a vertical gap
///    clearly wider than the usual line spacing, at an indented line, or
///    where the font size changes; across a column or page break a line
///    that ends a sentence well short of the column's right edge ends its
///    paragraph; so does a short line alone without final punctuation (a
///    heading in the body's font) before a capital. Lines are joined, and
///    end-of-line hyphens repaired, as for
///    plain text. Lines in a font over 15% larger than the body's are
///    headings, the largest level 1.
///
/// A PDF with pages but no characters is a scan ([`Skip::NoTextLayer`]).
/// A page that cannot be read is left out with a notice.
pub(crate) fn extract(bytes: &[u8]) -> Result<(Extracted, Vec<Notice>), Skip> {
    let document = load(bytes)?;
    let page_numbers: Vec<u32> = document.get_pages().keys().copied().collect();
    if page_numbers.is_empty() {
        return Err(damaged("it has no pages"));
    }
    let mut collector = Collector::default();
    let mut unreadable = 0;
    for &number in &page_numbers {
        // pdf-extract (and lopdf under it) panic on some malformed content
        // streams, fonts and page trees rather than returning an error, and
        // have no option to stop that; a damaged page must cost the page,
        // not the run. `collector` is only appended to, and a page that
        // fails is dropped whole, so it is never seen half-written.
        let read = crate::contained(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&document, &mut collector, number)
        }));
        match read {
            Ok(Ok(())) => collector.finish_page(),
            _ => {
                collector.current = None;
                unreadable += 1;
            }
        }
    }
    if unreadable == page_numbers.len() {
        return Err(damaged("none of its pages could be read"));
    }
    if collector
        .pages
        .iter()
        .all(|page| page.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(Skip::NoTextLayer);
    }
    let mut notices = Vec::new();
    if unreadable > 0 {
        notices.push(Notice::PagesUnreadable {
            unreadable,
            pages: page_numbers.len(),
        });
    }
    let pages: Vec<Vec<Line>> = collector.pages.iter().map(page_lines).collect();
    // A gutter found on most pages also splits a page whose second column
    // holds only a line or two (the end of the text).
    let gutters: Vec<Option<f64>> = pages.iter().map(|lines| gutter(lines)).collect();
    let found: Vec<f64> = gutters.iter().flatten().copied().collect();
    let usual = (!found.is_empty()).then(|| median(found));
    let pages = pages
        .into_iter()
        .zip(gutters)
        .map(|(lines, gutter)| {
            let gutter = gutter.or(usual.filter(|&at| splits(&lines, at, 1)));
            reading_order(lines, gutter)
        })
        .collect();
    let pages = drop_furniture(pages);
    Ok((
        Extracted {
            blocks: paragraphs(&pages).into_blocks(),
            ..Extracted::default()
        },
        notices,
    ))
}

fn damaged(problem: impl Into<String>) -> Skip {
    Skip::Damaged {
        format: FORMAT,
        problem: problem.into(),
    }
}

/// Parses the file and opens it when its password is empty (an owner
/// password only restricts printing or copying).
fn load(bytes: &[u8]) -> Result<Document, Skip> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(damaged(
            "no PDF header (not a PDF, or another file renamed)",
        ));
    }
    // lopdf panics on some malformed objects (see `extract`).
    let mut document = crate::contained(|| Document::load_mem(bytes))
        .map_err(|_| damaged("the PDF parser could not make sense of it"))?
        .map_err(|error| load_error(&error))?;
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(Skip::Encrypted { format: FORMAT });
    }
    Ok(document)
}

fn load_error(error: &Error) -> Skip {
    match error {
        Error::Decryption(_) | Error::InvalidPassword | Error::UnsupportedSecurityHandler(_) => {
            Skip::Encrypted { format: FORMAT }
        }
        Error::Xref(_) | Error::MissingXrefEntry | Error::InvalidOffset(_) => {
            damaged("broken cross-reference table")
        }
        // lopdf does not export its `ParseError`; its messages are stable.
        Error::Parse(parse) => match parse.to_string().as_str() {
            "invalid cross reference table" => damaged("broken cross-reference table"),
            "unexpected end of input" | "invalid file trailer" => {
                damaged("truncated (no trailer at the end)")
            }
            other => damaged(other.to_owned()),
        },
        other => {
            let message = other.to_string();
            damaged(
                message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(80)
                    .collect::<String>(),
            )
        }
    }
}

/// One character as drawn: `x`, `end` and `y` (the baseline, from the top
/// of the page) in points.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    end: f64,
    y: f64,
    size: f64,
    text: String,
}

#[derive(Debug, Default)]
struct Page {
    height: f64,
    left: f64,
    glyphs: Vec<Glyph>,
}

/// Receives what pdf-extract draws.
#[derive(Debug, Default)]
struct Collector {
    pages: Vec<Page>,
    current: Option<Page>,
}

impl Collector {
    fn finish_page(&mut self) {
        self.pages.extend(self.current.take());
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.current = Some(Page {
            height: media_box.ury,
            left: media_box.llx,
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let Some(page) = self.current.as_mut() else {
            return Ok(());
        };
        // The size of a font_size square under the text matrix.
        let vx = font_size * (trm.m11 + trm.m21);
        let vy = font_size * (trm.m12 + trm.m22);
        let size = (vx * vy).abs().sqrt();
        let x = trm.m31 - page.left;
        let y = page.height - trm.m32;
        if !(x.is_finite() && y.is_finite() && size.is_finite()) || size <= 0.0 {
            return Ok(());
        }
        page.glyphs.push(Glyph {
            x,
            end: x + width * size,
            y,
            size,
            text: expand_ligatures(text),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Typographic ligatures (`ﬁ`) as their letters; a soft hyphen as a hyphen,
/// since one drawn at a line end marks a break.
fn expand_ligatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\u{ad}' => out.push('-'),
            ch => out.push(ch),
        }
    }
    out
}

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    /// 0 single column or full width, 1 left, 2 right column.
    column: u8,
}

/// The lines of a page, top to bottom.
fn page_lines(page: &Page) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut pending_space = false;
    for glyph in &page.glyphs {
        if glyph.text.trim().is_empty() {
            pending_space = true;
            if let Some(line) = lines.last_mut() {
                line.x1 = line.x1.max(glyph.end);
            }
            continue;
        }
        let continues = lines.last().is_some_and(|line| {
            (glyph.y - line.y).abs() < 0.5 * line.size.max(glyph.size)
                && glyph.x > line.x1 - 0.5 * glyph.size
                && glyph.x - line.x1 < 1.5 * glyph.size
        });
        match lines.last_mut() {
            Some(line) if continues => {
                if pending_space || glyph.x - line.x1 > glyph.size / 6.0 {
                    line.text.push(' ');
                }
                line.text.push_str(&glyph.text);
                line.x1 = line.x1.max(glyph.end);
                line.size = line.size.max(glyph.size);
            }
            _ => lines.push(Line {
                x0: glyph.x,
                x1: glyph.end,
                y: glyph.y,
                size: glyph.size,
                text: glyph.text.clone(),
                column: 0,
            }),
        }
        pending_space = false;
    }
    for line in &mut lines {
        line.text = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    lines.retain(|line| !line.text.is_empty());
    lines.sort_by(|a, b| a.y.total_cmp(&b.y));
    lines
}

/// Orders a page's lines (sorted top to bottom): by columns when a gutter
/// splits the page, else top to bottom; lines on one baseline are merged
/// left to right.
fn reading_order(mut lines: Vec<Line>, gutter: Option<f64>) -> Vec<Line> {
    if let Some(gutter) = gutter {
        for line in &mut lines {
            line.column = if line.x1 <= gutter {
                1
            } else if line.x0 >= gutter {
                2
            } else {
                0
            };
        }
    }
    let lines = merge_baselines(lines);
    if gutter.is_none() {
        return lines;
    }
    // Full-width lines cut the page into bands, each read left then right.
    let mut ordered = Vec::with_capacity(lines.len());
    let mut band: Vec<Line> = Vec::new();
    let flush = |band: &mut Vec<Line>, ordered: &mut Vec<Line>| {
        band.sort_by_key(|line| line.column);
        ordered.append(band);
    };
    for line in lines {
        if line.column == 0 {
            flush(&mut band, &mut ordered);
            ordered.push(line);
        } else {
            band.push(line);
        }
    }
    flush(&mut band, &mut ordered);
    ordered
}

/// The x of a vertical gutter that splits the page into two columns.
fn gutter(lines: &[Line]) -> Option<f64> {
    if lines.len() < 6 {
        return None;
    }
    let left = lines.iter().map(|l| l.x0).fold(f64::INFINITY, f64::min);
    let right = lines.iter().map(|l| l.x1).fold(f64::NEG_INFINITY, f64::max);
    let width = right - left;
    if width <= 0.0 {
        return None;
    }
    // Coverage of the middle third, one-point steps.
    let mut best: Option<(usize, f64, f64)> = None; // (crossings, start, end)
    let mut x = left + width / 3.0;
    while x <= left + 2.0 * width / 3.0 {
        let crossings = lines.iter().filter(|l| l.x0 < x && l.x1 > x).count();
        match best.as_mut() {
            Some((count, _, end)) if crossings == *count && (x - *end) <= 1.0 => *end = x,
            Some((count, _, _)) if crossings >= *count => {}
            _ => best = Some((crossings, x, x)),
        }
        x += 1.0;
    }
    let (_, start, end) = best?;
    let middle = (start + end) / 2.0;
    let body_size = median(lines.iter().map(|l| l.size).collect());
    let wide_enough = end - start + 1.0 >= 0.5 * body_size;
    (wide_enough && splits(lines, middle, 3)).then_some(middle)
}

/// Whether a vertical line at `x` is crossed by at most a tenth of the
/// lines and has at least `least` lines on either side.
fn splits(lines: &[Line], x: f64, least: usize) -> bool {
    let crossings = lines.iter().filter(|l| l.x0 < x && l.x1 > x).count();
    let on_left = lines.iter().filter(|l| l.x1 <= x).count();
    let on_right = lines.iter().filter(|l| l.x0 >= x).count();
    crossings * 10 <= lines.len() && on_left >= least && on_right >= least
}

/// Merges lines of one column that share a baseline (text split by a tab
/// stop or a change of font), left to right.
fn merge_baselines(lines: Vec<Line>) -> Vec<Line> {
    let mut merged: Vec<Line> = Vec::with_capacity(lines.len());
    let mut group: Vec<Line> = Vec::new();
    let close = |group: &mut Vec<Line>, merged: &mut Vec<Line>| {
        group.sort_by(|a, b| a.column.cmp(&b.column).then(a.x0.total_cmp(&b.x0)));
        let mut current: Option<Line> = None;
        for line in group.drain(..) {
            match current.as_mut() {
                Some(previous) if previous.column == line.column => {
                    previous.text.push(' ');
                    previous.text.push_str(&line.text);
                    previous.x1 = previous.x1.max(line.x1);
                    previous.size = previous.size.max(line.size);
                }
                _ => merged.extend(current.replace(line)),
            }
        }
        merged.extend(current);
    };
    for line in lines {
        let same = group
            .first()
            .is_some_and(|first| (line.y - first.y).abs() < 0.3 * first.size.max(line.size));
        if !same {
            close(&mut group, &mut merged);
        }
        group.push(line);
    }
    close(&mut group, &mut merged);
    merged
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A line's text with digit runs masked and case folded: running headers
/// and footers compare equal on every page though their numbers change.
fn furniture_key(text: &str) -> String {
    let mut key = String::new();
    let mut in_digits = false;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            key.extend(ch.to_lowercase());
        }
    }
    key.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `7`, `- 7 -`, `[7]`, `Page 7`, `page 7 of 9`, `7 / 9`, `p. 7`, `vii`.
fn is_page_number(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|ch: char| ch.is_whitespace() || "-–—|/()[].·•".contains(ch))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect();
    let numbers = words
        .iter()
        .filter(|word| word.chars().all(|ch| ch.is_ascii_digit()) || is_roman(word))
        .count();
    let others_are_labels = words.iter().all(|word| {
        word.chars().all(|ch| ch.is_ascii_digit())
            || is_roman(word)
            || matches!(
                word.to_lowercase().as_str(),
                "page" | "p" | "pg" | "of" | "seite" | "página"
            )
    });
    (1..=2).contains(&numbers) && others_are_labels
}

/// Lower-case only: front matter is numbered `vii`, while `I` is a word.
fn is_roman(word: &str) -> bool {
    !word.is_empty() && word.len() <= 7 && word.chars().all(|ch| "ivxlc".contains(ch))
}

/// Drops page numbers and running headers and footers (see [`extract`]).
fn drop_furniture(mut pages: Vec<Vec<Line>>) -> Vec<Vec<Line>> {
    // Edge lines: the top and bottom lines of a page by position.
    let edges = |lines: &[Line]| -> Vec<usize> {
        let mut by_y: Vec<usize> = (0..lines.len()).collect();
        by_y.sort_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
        let mut edge: Vec<usize> = by_y.iter().take(EDGE_LINES).copied().collect();
        edge.extend(by_y.iter().rev().take(EDGE_LINES).copied());
        edge.sort_unstable();
        edge.dedup();
        edge
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for lines in &pages {
        let keys: HashSet<String> = edges(lines)
            .into_iter()
            .map(|index| furniture_key(&lines[index].text))
            .collect();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    let needed = 2.max(pages.len().div_ceil(3));
    for lines in &mut pages {
        let furniture: HashSet<usize> = edges(lines)
            .into_iter()
            .filter(|&index| {
                let text = &lines[index].text;
                is_page_number(text)
                    || counts.get(&furniture_key(text)).copied().unwrap_or(0) >= needed
            })
            .collect();
        let mut index = 0;
        lines.retain(|_| {
            index += 1;
            !furniture.contains(&(index - 1))
        });
    }
    pages
}

/// Groups the lines of all pages into paragraphs (see [`extract`]).
fn paragraphs(pages: &[Vec<Line>]) -> BlockWriter {
    let all: Vec<&Line> = pages.iter().flatten().collect();
    let body_size = {
        // The size most characters are set in.
        let mut weights: HashMap<u64, usize> = HashMap::new();
        for line in &all {
            *weights
                .entry((line.size * 10.0).round() as u64)
                .or_default() += line.text.len();
        }
        weights
            .into_iter()
            .max_by_key(|&(size, weight)| (weight, size))
            .map_or(0.0, |(size, _)| size as f64 / 10.0)
    };
    let mut heading_sizes: Vec<u64> = all
        .iter()
        .filter(|line| line.size > body_size * 1.15)
        .map(|line| (line.size * 10.0).round() as u64)
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();
    let heading_level = |line: &Line| -> Option<u8> {
        let size = (line.size * 10.0).round() as u64;
        let rank = heading_sizes.iter().position(|&s| s == size)?;
        Some((rank + 1).min(6) as u8)
    };
    // The usual distance between the baselines of body lines.
    let mut pitches = Vec::new();
    for lines in pages {
        for pair in lines.windows(2) {
            let gap = pair[1].y - pair[0].y;
            let same_size = (pair[0].size - pair[1].size).abs() < 0.5;
            if same_size
                && pair[0].column == pair[1].column
                && gap > 0.0
                && gap < 3.0 * pair[0].size
            {
                pitches.push(gap);
            }
        }
    }
    let pitch = median(pitches);
    // Column edges, per page and column: where lines start and end. A page
    // with only a few lines in a column (the last page) borrows the usual
    // width of that column, so that its lines are not all "full".
    let mut edges: Vec<HashMap<u8, (f64, f64, usize)>> = pages
        .iter()
        .map(|lines| {
            let mut by_column: HashMap<u8, (f64, f64, usize)> = HashMap::new();
            for line in lines {
                let entry =
                    by_column
                        .entry(line.column)
                        .or_insert((f64::INFINITY, f64::NEG_INFINITY, 0));
                *entry = (entry.0.min(line.x0), entry.1.max(line.x1), entry.2 + 1);
            }
            by_column
        })
        .collect();
    let mut usual_width: HashMap<u8, f64> = HashMap::new();
    for (&column, &(left, right, count)) in edges.iter().flatten() {
        if count >= 5 {
            let width = usual_width.entry(column).or_insert(0.0);
            *width = width.max(right - left);
        }
    }
    for (column, (left, right, count)) in edges.iter_mut().flatten() {
        if *count < 5 {
            if let Some(width) = usual_width.get(column) {
                *right = right.max(*left + width);
            }
        }
    }

    let mut located: Vec<(usize, &Line)> = Vec::new();
    for (page, lines) in pages.iter().enumerate() {
        located.extend(lines.iter().map(|line| (page, line)));
    }
    let mut groups: Vec<(Option<u8>, Vec<&str>)> = Vec::new();
    // Whether the previous line began its paragraph.
    let mut previous_alone = false;
    for (index, &(page, line)) in located.iter().enumerate() {
        let level = heading_level(line);
        let starts_paragraph = match index.checked_sub(1).map(|i| located[i]) {
            None => true,
            Some((previous_page, previous)) => {
                let edge = |page: usize, column: u8| {
                    edges[page]
                        .get(&column)
                        .map_or((0.0, f64::INFINITY), |&(left, right, _)| (left, right))
                };
                let (left, right) = edge(page, line.column);
                let (previous_left, previous_right) = edge(previous_page, previous.column);
                let same_flow =
                    previous_page == page && previous.column == line.column && line.y > previous.y;
                let size_changed = (line.size - previous.size).abs() > 0.1 * body_size.max(1.0);
                let indented = line.x0 > left + line.size && line.x1 < right + 1.0;
                let ends_sentence = previous.text.ends_with(['.', '!', '?', ':', '"', '”', '’']);
                let short = previous.x1 < previous_right - 1.5 * previous.size;
                let gap = line.y - previous.y;
                if level.is_some() && level == heading_level(previous) {
                    // A heading wrapped onto a second line.
                    !same_flow || gap > 1.5 * line.size
                } else if size_changed || level.is_some() || heading_level(previous).is_some() {
                    true
                } else if same_flow {
                    // A heading in the body's size: a line alone, short and
                    // unpunctuated, before a capital.
                    let title_like = previous_alone
                        && looks_like_title(&previous.text)
                        && previous.x1 < previous_left + 0.7 * (previous_right - previous_left)
                        && line.text.starts_with(char::is_uppercase);
                    gap > pitch * 1.3 + 0.5 || (indented && ends_sentence) || title_like
                } else {
                    ends_sentence && (short || indented)
                }
            }
        };
        if starts_paragraph || groups.is_empty() {
            groups.push((level, Vec::new()));
        }
        previous_alone = starts_paragraph;
        if let Some((_, lines)) = groups.last_mut() {
            lines.push(&line.text);
        }
    }
    let all_text: String = all.iter().map(|line| format!("{}\n", line.text)).collect();
    let compounds = Compounds::new(&all_text);
    let mut writer = BlockWriter::default();
    for (level, lines) in groups {
        match level {
            Some(level) => writer.start_heading(level),
            None => writer.finish(),
        }
        writer.text(&join_lines(&lines, &compounds));
        writer.finish();
    }
    writer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x0: f64, x1: f64, y: f64) -> Line {
        Line {
            x0,
            x1,
            y,
            size: 10.0,
            text: text.to_owned(),
            column: 0,
        }
    }

    #[test]
    fn page_numbers() {
        for yes in [
            "7",
            "- 7 -",
            "– 12 –",
            "Page 3",
            "page 3 of 9",
            "3 / 9",
            "[4]",
            "p. 5",
            "vii",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in [
            "Chapter 7",
            "In 1999 we left",
            "I",
            "Page seven",
            "",
            "1 2 3",
        ] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn furniture_repeats_modulo_digits() {
        let page = |number: usize, body: &str| {
            vec![
                line(
                    &format!("Notes on Rain, chapter {number}"),
                    50.0,
                    300.0,
                    30.0,
                ),
                line(body, 50.0, 500.0, 100.0),
                line(&format!("more body text, {body}"), 50.0, 500.0, 112.0),
                line(&format!("the end of {body}."), 50.0, 500.0, 124.0),
                line(&format!("Page {number} of 3"), 250.0, 300.0, 800.0),
            ]
        };
        let pages = drop_furniture(vec![
            page(1, "first page body"),
            page(2, "second page body"),
            page(3, "third page body"),
        ]);
        for lines in &pages {
            assert_eq!(lines.len(), 3, "{lines:?}");
            assert!(lines
                .iter()
                .all(|l| !l.text.contains("Page") && !l.text.contains("Notes")));
        }
    }

    #[test]
    fn two_columns_read_left_then_right() {
        let mut lines = vec![line("A Title Across", 100.0, 400.0, 20.0)];
        for row in 0..8 {
            let y = 50.0 + 12.0 * f64::from(row);
            lines.push(line(&format!("left {row}"), 50.0, 240.0, y));
            lines.push(line(&format!("right {row}"), 260.0, 450.0, y));
        }
        let at = gutter(&lines);
        assert!(at.is_some_and(|at| (240.0..=260.0).contains(&at)), "{at:?}");
        let ordered: Vec<String> = reading_order(lines, at)
            .into_iter()
            .map(|l| l.text)
            .collect();
        let expected: Vec<String> = std::iter::once("A Title Across".to_owned())
            .chain((0..8).map(|row| format!("left {row}")))
            .chain((0..8).map(|row| format!("right {row}")))
            .collect();
        assert_eq!(ordered, expected);
    }

    #[test]
    fn paragraphs_break_at_gaps_and_join_hyphens() {
        let pages = vec![vec![
            line("The first para-", 50.0, 500.0, 100.0),
            line("graph goes on", 50.0, 500.0, 112.0),
            line("and ends.", 50.0, 200.0, 124.0),
            line("A second one.", 50.0, 200.0, 142.0),
        ]];
        let blocks = paragraphs(&pages).into_blocks();
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["The first paragraph goes on and ends.", "A second one."]
        );
    }
}
