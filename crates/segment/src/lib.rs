//! Rule-based English sentence segmentation.
//!
//! [`Segmenter::segment`] turns a document's text into the byte ranges of
//! its sentences. It makes one pass over the text, looking at each
//! whitespace-separated token and the one after it, so it runs in linear
//! time and allocates nothing but the output.
//!
//! The text is expected as the ingest stage writes it: paragraphs separated
//! by a blank line, which is always a boundary, and hard-wrapped lines
//! already joined, so that a single line break left in the text is a real
//! one (a list, a heading, a signature, an address) and ends a sentence
//! unless the next line starts with `,`, `;` or a closing bracket. Where the
//! text is still hard-wrapped (most lines long and ending mid-sentence), a
//! single line break is a soft wrap unless the next line starts a list item
//! or the line before it reads like a heading or ends in `:`. For text that
//! has not been through ingest, [`Segmenter::with_wrapped_lines`] reads a
//! single line break before a lower-case word as a wrap.
//!
//! Within a line, a sentence ends after `?` or `!` (also before a
//! lower-case word, as in web text, unless a closing quote says the speech
//! goes on), and after `.` unless the word before it is a known
//! abbreviation, an initial, an enumerator or part of an ellipsis followed
//! by more of the sentence. Closing quotes and brackets stay with the
//! sentence they close; trailing emoticons too.
//!
//! Text without sentence punctuation is split where its layout says so:
//! before and after an e-mail time stamp ("Kay Mann 04/26/2001 07:17 AM"),
//! after a greeting or closing ("Hi John,", "Best regards,") before a
//! capitalised word, between URLs, after an e-mail address before a
//! capitalised word, around a dash separator ("-- Posted by"), before a
//! bullet, and before the dash of an attachment list ("a.pdf - b.pdf").
//!
//! ```
//! use precis_segment::Segmenter;
//!
//! let text = "Dr. Smith arrived at 5 p.m. Then he left. (See above.) Done!";
//! let sentences: Vec<&str> = Segmenter::new()
//!     .segment(text)
//!     .into_iter()
//!     .map(|range| &text[range])
//!     .collect();
//! assert_eq!(
//!     sentences,
//!     ["Dr. Smith arrived at 5 p.m.", "Then he left.", "(See above.)", "Done!"]
//! );
//! ```

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod lexicon;
mod rules;
mod tokens;

use precis_core::{CharIndex, Document, Sentence};
use rules::{NextWord, Start};
use std::ops::Range;
use tokens::{Gap, Tokens};

/// Checks that `spans` are what [`Segmenter::segment`] promises for `text`,
/// and says which promise broke: non-empty, in order, not overlapping, on
/// char boundaries, trimmed, with only whitespace between and around them.
/// The property tests and the fuzz target call it on every output.
///
/// ```
/// use precis_segment::{check_spans, Segmenter};
///
/// let text = "One. Two.";
/// assert_eq!(check_spans(text, &Segmenter::new().segment(text)), Ok(()));
/// assert!(check_spans(text, &[0..5, 5..9]).is_err()); // "One. " is not trimmed
/// ```
pub fn check_spans(text: &str, spans: &[Range<usize>]) -> Result<(), String> {
    let mut covered_to = 0;
    for span in spans {
        if span.start >= span.end || span.start < covered_to || span.end > text.len() {
            return Err(format!(
                "span {span:?} is empty, out of order or past the end ({} bytes)",
                text.len()
            ));
        }
        let (Some(between), Some(sentence)) =
            (text.get(covered_to..span.start), text.get(span.clone()))
        else {
            return Err(format!("span {span:?} is not on char boundaries"));
        };
        if !between.trim().is_empty() {
            return Err(format!("text before span {span:?} is in no sentence"));
        }
        if sentence.trim() != sentence {
            return Err(format!("span {span:?} is not trimmed: {sentence:?}"));
        }
        covered_to = span.end;
    }
    if !text[covered_to..].trim().is_empty() {
        return Err(format!("text after byte {covered_to} is in no sentence"));
    }
    Ok(())
}

/// The segment stage: every document cut into sentences, in reading order,
/// each a code-point span of its document's text.
pub fn segment_documents(documents: &[Document]) -> Vec<Sentence> {
    let segmenter = Segmenter::new();
    let mut sentences = Vec::new();
    for document in documents {
        let index = CharIndex::new(&document.text);
        for (position, bytes) in segmenter.segment(&document.text).into_iter().enumerate() {
            let span = index.span(bytes.clone());
            sentences.push(Sentence {
                doc_id: document.doc_id.clone(),
                index: position,
                start: span.0,
                end: span.1,
                text: document.text[bytes].to_owned(),
            });
        }
    }
    sentences
}

/// Splits English text into sentences. Cheap to create and to share
/// between threads; holds only its configuration.
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    /// Single line breaks may be wraps inside a sentence (see
    /// [`Segmenter::with_wrapped_lines`]).
    wrapped_lines: bool,
}

impl Segmenter {
    /// A segmenter with the built-in abbreviation lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a single line break before a lower-case word as a wrap inside
    /// the sentence, not an end: for text that has not been through the
    /// ingest stage, such as lines extracted from a PDF ("This is a
    /// sentence\ncut off in the middle"), as pySBD's `clean` option does,
    /// when the sentence reaches its final punctuation within the next few
    /// lines. Lines that never do (a list of labels) stay lines of their
    /// own. Off by default: a single line break ingest left in a text is
    /// real.
    ///
    /// ```
    /// use precis_segment::Segmenter;
    ///
    /// let text = "The meeting ran\nlate into the night.\nfruit\nbread";
    /// assert_eq!(Segmenter::new().segment(text).len(), 4);
    /// assert_eq!(Segmenter::new().with_wrapped_lines().segment(text).len(), 3);
    /// ```
    pub fn with_wrapped_lines(mut self) -> Self {
        self.wrapped_lines = true;
        self
    }

    /// The byte ranges of the sentences in `text`, in order and not
    /// overlapping. Each is trimmed of surrounding whitespace, never empty,
    /// and starts and ends on a char boundary; together they cover every
    /// non-whitespace character.
    ///
    /// ```
    /// use precis_segment::Segmenter;
    ///
    /// let text = "  Hello there.  General Kenobi!\n\nA new paragraph";
    /// let ranges = Segmenter::new().segment(text);
    /// assert_eq!(ranges, [2..14, 16..31, 33..48]);
    /// ```
    pub fn segment(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut tokens = Tokens::new(text);
        let Some(mut cur) = tokens.next() else {
            return out;
        };
        let mut sentence_start = cur.start;
        // Tokens of the current sentence before `cur`, and whether its
        // first one was a list marker (then `1.` after `•` is an enumerator).
        let mut sentence_tokens = 0;
        let mut opened_by_marker = false;
        let mut line_start = cur.start;
        let mut line_words = 0;
        // A sentence has ended but a trailing emoticon or bracket follows.
        let mut pending = false;
        // The enumerator that opened the last list item ("a)", "1.").
        let mut last_item: Option<Range<usize>> = None;
        // The quotation the current token is inside, if any.
        let mut quote: Option<rules::Quote> = None;
        let wrapped = rules::is_hard_wrapped(text);
        // Where the time stamp the current token belongs to ends.
        let mut stamp_end: Option<usize> = None;
        // The current token follows a footnote reference ("consultation.11 12").
        let mut footnote = false;
        loop {
            let next = tokens.next();
            let token = &text[cur.start..cur.end];
            let was_pending = std::mem::take(&mut pending);
            let was_footnote = std::mem::take(&mut footnote);
            line_words += 1;

            let mut tail_start = cur.start;
            if rules::may_split_inside(token) {
                let mut from = 0;
                while let Some(split) = rules::next_split_inside(token, from) {
                    out.push(sentence_start..cur.start + split);
                    sentence_start = cur.start + split;
                    tail_start = sentence_start;
                    sentence_tokens = 0;
                    opened_by_marker = false;
                    from = split;
                }
            }
            let item_start = (sentence_tokens == 0 && tail_start == sentence_start)
                || (sentence_tokens == 1 && opened_by_marker && tail_start == cur.start);
            if quote.is_none() {
                quote = rules::opens_quote(token);
            }
            let closes_quote = quote.is_some_and(|kind| rules::closes_quote(kind, token) == 1);
            if item_start && rules::is_enumerator(token) {
                last_item = Some(cur.start..cur.end);
            }

            let ends = match next {
                None => true,
                Some(next) => {
                    let next_token = &text[next.start..next.end];
                    // Worked out only where a rule needs it (it is costly per token).
                    let next_word = || NextWord::of(next_token);
                    // "a) one b) two": the next enumerator in sequence starts
                    // a new item, unless this token is itself a marker ("• 10.").
                    // Inside an item, a list may also start over ("2) two
                    // 1) one"), when a capitalised word follows the marker.
                    let next_item = !item_start
                        && !rules::is_list_marker(token)
                        && last_item.as_ref().is_some_and(|item| {
                            let previous = &text[item.clone()];
                            rules::follows(previous, next_token)
                                || (item.start == sentence_start
                                    && rules::restarts(previous, next_token)
                                    && NextWord::of(text[next.end..].trim_start()).start
                                        == Start::Upper)
                        });
                    let line_break = next.gap == Gap::LineBreak
                        && if wrapped {
                            rules::hard_line_break(
                                &text[line_start..cur.end],
                                line_words,
                                next_token,
                            )
                        } else {
                            let wrap = self.wrapped_lines
                                && next_word().start == Start::Lower
                                && rules::sentence_runs_on(&text[next.start..]);
                            !wrap && next_word().start != Start::Continuation
                        };
                    // An e-mail header's time stamp stands alone: "Kay Mann
                    // 04/26/2001 07:17 AM Will you...".
                    let stamp =
                        if next_token.as_bytes()[0].is_ascii_digit() && next_token.contains('/') {
                            rules::time_stamp_len(&text[next.start..])
                        } else {
                            None
                        };
                    let before_stamp = stamp.is_some()
                        && !matches!(stamp_end, Some(end) if end > cur.start)
                        && !token.starts_with(|c: char| c.is_lowercase());
                    let after_stamp = stamp_end == Some(cur.end);
                    if let Some(len) = stamp {
                        stamp_end = Some(next.start + len);
                    }
                    let alone = rules::is_dash_run(token)
                        && sentence_tokens == 0
                        && tail_start == sentence_start;
                    let layout = before_stamp
                        || after_stamp
                        || alone
                        || (rules::is_bullet(next_token) && !rules::is_list_marker(token))
                        // "API.pdf - Crude.pdf": a dash before a file name
                        // opens the next item of an attachment list.
                        || (next_token == "-"
                            && text[next.end..]
                                .split_whitespace()
                                .next()
                                .is_some_and(lexicon::is_file_name))
                        || (token.ends_with(',')
                            && sentence_tokens <= 2
                            && next_word().start == Start::Upper
                            && rules::is_salutation(&text[sentence_start..cur.end]))
                        || (rules::is_url(token)
                            && token.ends_with(|c: char| c.is_alphanumeric() || c == '/')
                            && (rules::is_url(next_token) || next_word().opens_sentence()))
                        || (rules::is_email_address(token) && next_word().start == Start::Upper);
                    if next.gap == Gap::Blank
                        || next_item
                        || layout
                        || rules::is_separator(token)
                        || rules::is_separator(next_token)
                        || line_break
                    {
                        true
                    } else {
                        let mut natural = if rules::is_emoticon(token) {
                            was_pending || next_word().start == Start::Upper
                        } else if was_footnote && rules::is_small_number(token) {
                            next_word().start == Start::Upper
                        } else {
                            // "compounds. . . . The": the word after the
                            // ellipsis decides.
                            let decisive =
                                rules::after_opening_ellipsis(token, &text[next.start..])
                                    .unwrap_or(next_token);
                            was_pending
                                || rules::ends_sentence(
                                    &text[tail_start..cur.end],
                                    &text[sentence_start..tail_start],
                                    item_start,
                                    decisive,
                                )
                        };
                        // "'... twice a day.' (Orr 12).": a citation after a
                        // quotation belongs to its sentence.
                        if natural
                            && rules::ends_quoted(token)
                            && rules::is_citation(&text[next.start..])
                        {
                            natural = false;
                        }
                        // Exclamations and questions inside quoted speech do not
                        // end it: "Oh dear! Oh dear! I shall be too late!" ends
                        // at its closing quote. (Periods do: a quoted passage
                        // of several statements is several sentences.)
                        let exclaimed = token.ends_with(['!', '?']);
                        if let (Some(kind), true, false, true) =
                            (quote, natural, closes_quote, exclaimed)
                        {
                            natural = !rules::quote_closes_soon(kind, &text[cur.end..]);
                        }
                        // "[16: firma? 13:28]"; "Leave me alone! he yelled."
                        if natural
                            && exclaimed
                            && ((rules::bracket_open_before(&text[sentence_start..cur.end])
                                && rules::bracket_closes_soon(&text[cur.end..]))
                                || rules::is_attribution(&text[next.start..]))
                        {
                            natural = false;
                        }
                        // "consultation.11 12 Take": footnote numbers stay.
                        if rules::is_small_number(next_token)
                            && (was_footnote || rules::is_footnote_ref(&text[tail_start..cur.end]))
                        {
                            footnote = true;
                            natural = false;
                        }
                        // Keep "Great! :)" and "day. )" together.
                        pending = natural && rules::is_trailer(next_token);
                        natural && !pending
                    }
                }
            };

            if ends {
                out.push(sentence_start..cur.end);
                sentence_tokens = 0;
                opened_by_marker = false;
            } else {
                if sentence_tokens == 0 && tail_start == cur.start {
                    opened_by_marker = rules::is_list_marker(token) && !rules::is_enumerator(token);
                }
                sentence_tokens += 1;
            }
            let Some(next) = next else {
                break;
            };
            if closes_quote || next.gap == Gap::Blank {
                quote = None;
            }
            if next.gap == Gap::Blank {
                last_item = None;
            }
            if ends {
                sentence_start = next.start;
            }
            if next.gap != Gap::Space {
                line_start = next.start;
                line_words = 0;
            }
            cur = next;
        }
        out
    }
}
