//! The boundary rules, each a pure function of a token and its neighbours.

use crate::lexicon::{self, AbbreviationKind};

/// Closing quotes and brackets that stay with the sentence they close.
pub(crate) fn is_closer(ch: char) -> bool {
    matches!(
        ch,
        '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '》' | '」' | '』'
    )
}

/// Opening quotes and brackets that may precede a sentence's first word.
fn is_opener(ch: char) -> bool {
    matches!(
        ch,
        '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '¿' | '¡' | '*' | '_'
    )
}

fn is_quote(ch: char) -> bool {
    matches!(ch, '"' | '\'' | '”' | '’' | '»' | '›')
}

/// Sentence-final punctuation other than the period.
fn is_exclamation(ch: char) -> bool {
    matches!(ch, '?' | '!' | '‽' | '⁇' | '⁈' | '⁉' | '？' | '！')
}

/// How the next token begins, looking past opening quotes and brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    Upper,
    Lower,
    Digit,
    /// Punctuation that continues a sentence: `,` `;` `:` `.` or a closer.
    Continuation,
    Other,
}

/// The first word of the next token and how it begins.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NextWord<'a> {
    pub start: Start,
    /// The leading letters (and apostrophes) after any openers.
    pub word: &'a str,
    /// Whether that word is directly followed by `.` (an initial like "A.").
    pub dotted: bool,
}

impl<'a> NextWord<'a> {
    pub fn of(token: &'a str) -> Self {
        let first = token.chars().next().unwrap_or(' ');
        let dash = token.starts_with("--") || token.starts_with(['—', '–']);
        if is_dash_run(token) {
            return Self {
                start: Start::Other,
                word: "",
                dotted: false,
            };
        }
        if matches!(first, ',' | ';' | ':' | '.' | '…' | '?' | '!')
            || dash
            || (is_closer(first) && !is_quote(first))
        {
            return Self {
                start: Start::Continuation,
                word: "",
                dotted: false,
            };
        }
        let body = token.trim_start_matches(is_opener);
        let start = match body.chars().next() {
            Some(c) if c.is_uppercase() => Start::Upper,
            Some(c) if c.is_lowercase() => Start::Lower,
            Some(c) if c.is_numeric() => Start::Digit,
            _ => Start::Other,
        };
        let word_len = body
            .char_indices()
            .find(|&(_, c)| !(c.is_alphabetic() || c == '\'' || c == '’'))
            .map_or(body.len(), |(at, _)| at);
        Self {
            start,
            word: &body[..word_len],
            dotted: body[word_len..].starts_with('.'),
        }
    }

    /// Whether the word likely opens a new sentence rather than continuing a name.
    pub fn opens_sentence(&self) -> bool {
        self.start == Start::Upper && !self.dotted && lexicon::is_sentence_opener(self.word)
    }
}

/// A horizontal rule in plain text: three or more of the same symbol
/// (`***`, `=====`, `•••`), or five or more dashes (`-----`). It stands as a
/// sentence of its own. Dot runs are ellipses, and shorter dash runs are
/// dashes unless they open a line or follow a finished sentence (see
/// [`is_dash_run`]).
pub(crate) fn is_separator(token: &str) -> bool {
    let mut chars = token.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let minimum = if first == '-' { 4 } else { 2 };
    matches!(first, '*' | '=' | '-' | '_' | '~' | '#' | '+' | '/' | '•')
        && chars.clone().count() >= minimum
        && chars.all(|c| c == first)
}

/// Two to four hyphens (`--`, `---`): a dash inside a sentence, but a
/// separator ("-- Posted by ...") where it opens a sentence.
pub(crate) fn is_dash_run(token: &str) -> bool {
    (2..=4).contains(&token.len()) && token.bytes().all(|b| b == b'-')
}

/// A URL: `http://...`, `https://...` or `www....`.
pub(crate) fn is_url(token: &str) -> bool {
    if token.len() < 8 || !token.contains(['/', 'w']) {
        return false;
    }
    let body = token.trim_start_matches(is_opener);
    body.starts_with("http://") || body.starts_with("https://") || body.starts_with("www.")
}

/// An e-mail address with a dotted domain, as in a signature or header
/// (`jane@example.com`, `<jane@example.com>`), not followed by punctuation.
pub(crate) fn is_email_address(token: &str) -> bool {
    let body = token.trim_end_matches('>');
    let Some(at) = body.find('@') else {
        return false;
    };
    let domain = &body[at + 1..];
    domain.contains('.')
        && domain
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
}

/// A date written with slashes: `8/16/2000`, `04/25/01`.
fn is_slash_date(token: &str) -> bool {
    let mut parts = token.split('/');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let digits = |part: &str, lengths: &[usize]| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    digits(a, &[1, 2]) && digits(b, &[1, 2]) && digits(c, &[2, 4])
}

/// A clock time: `12:05`, `03:14:14`.
fn is_clock_time(token: &str) -> bool {
    let mut parts = token.split(':');
    let Some(hours) = parts.next() else {
        return false;
    };
    let mut count = 0;
    for part in parts {
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        count += 1;
    }
    (1..=2).contains(&count)
        && (1..=2).contains(&hours.len())
        && hours.bytes().all(|b| b.is_ascii_digit())
}

/// The length in bytes of a time stamp at the start of `rest`: a date, a
/// clock time and an optional `AM`/`PM` ("08/16/2000 12:05 PM"), as e-mail
/// headers and forum posts print them. Such a stamp stands as a sentence of
/// its own unless a preposition introduces it ("on 08/16/2000 03:14 PM").
pub(crate) fn time_stamp_len(rest: &str) -> Option<usize> {
    // The next word of `rest[from..]` after spaces: (start, end).
    let word_after = |from: usize| -> Option<(usize, usize)> {
        let tail = &rest[from..];
        let start = from + (tail.len() - tail.trim_start_matches(' ').len());
        let end = rest[start..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |at| start + at);
        (end > start).then_some((start, end))
    };
    let (_, date_end) = word_after(0)?;
    let (time_start, time_end) = word_after(date_end)?;
    if date_end == time_start
        || !is_slash_date(&rest[..date_end])
        || !is_clock_time(&rest[time_start..time_end])
    {
        return None;
    }
    if let Some((half_start, half_end)) = word_after(time_end) {
        if half_start > time_end && matches!(&rest[half_start..half_end], "AM" | "PM" | "am" | "pm")
        {
            return Some(half_end);
        }
    }
    Some(time_end)
}

/// Whether `sentence` (the sentence so far, ending in `,`) is a greeting or
/// a closing formula of a letter ("Hi John,", "Dear all,", "Best regards,",
/// "Thanks,"): before a capitalised word it is a sentence of its own.
pub(crate) fn is_salutation(sentence: &str) -> bool {
    let Some(body) = sentence.strip_suffix(',') else {
        return false;
    };
    let mut words = body.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let rest: Vec<&str> = words.collect();
    if rest.len() > 2 {
        return false;
    }
    let lower = |w: &str| w.to_ascii_lowercase();
    let capitalised = |w: &&str| w.starts_with(|c: char| c.is_uppercase());
    match lower(first).as_str() {
        // A greeting, alone or with a name: "Hi,", "Dear Nina,", "Hello all,".
        "hi" | "hello" | "hey" | "dear" | "greetings" => {
            rest.iter().all(|w| capitalised(w) || lower(w) == "all")
                && (lower(first) != "dear" || !rest.is_empty())
        }
        // A closing: "Regards,", "Best regards,", "Many thanks,".
        _ => {
            let phrase = body.to_ascii_lowercase();
            let closing = phrase.trim_start_matches(|c: char| !c.is_alphabetic());
            let last = closing.rsplit(' ').next().unwrap_or("");
            matches!(
                last,
                "regards" | "wishes" | "sincerely" | "thanks" | "cheers" | "truly" | "faithfully"
            ) || matches!(
                closing,
                "thank you" | "yours" | "love" | "best" | "respectfully"
            )
        }
    }
}

/// An exclamation or question that is part of a name and does not end the
/// sentence: "Yahoo!", "Jeopardy!".
pub(crate) fn is_exclaimed_name(word: &str) -> bool {
    matches!(
        word,
        "Yahoo!" | "Jeopardy!" | "Oklahoma!" | "Wham!" | "Joomla!"
    )
}

/// Whether `rest` (the text after a `!` or `?`) opens with speech
/// attribution in lower case ("he yelled", "she asked"): the speech and its
/// attribution are one sentence.
pub(crate) fn is_attribution(rest: &str) -> bool {
    let mut words = rest.split_whitespace();
    let (Some(who), Some(verb)) = (words.next(), words.next()) else {
        return false;
    };
    let verb = verb.trim_end_matches(|c: char| !c.is_alphabetic());
    matches!(who, "he" | "she" | "they" | "i" | "we" | "you" | "it")
        && matches!(
            verb,
            "said"
                | "says"
                | "asked"
                | "asks"
                | "cried"
                | "yelled"
                | "shouted"
                | "screamed"
                | "replied"
                | "whispered"
                | "exclaimed"
                | "added"
                | "thought"
                | "muttered"
                | "called"
                | "answered"
        )
}

/// An emoticon such as `:)`, `:-(`, `;D`, `<3`, `^_^`.
pub(crate) fn is_emoticon(token: &str) -> bool {
    if matches!(
        token,
        "<3" | "^_^" | "^^" | "-_-" | "o_O" | "O_o" | "xD" | "XD"
    ) {
        return true;
    }
    let [b':' | b';' | b'=', rest @ ..] = token.as_bytes() else {
        return false;
    };
    let mouth = match rest {
        [b'-' | b'\'' | b'^', mouth @ ..] => mouth,
        mouth => mouth,
    };
    (1..=3).contains(&mouth.len())
        && mouth.iter().all(|b| {
            matches!(
                b,
                b')' | b'(' | b']' | b'[' | b'D' | b'P' | b'p' | b'O' | b'o' | b'|' | b'*' | b'3'
            )
        })
}

/// A token that attaches to the sentence before it even after that
/// sentence's final punctuation: an emoticon or a lone closing bracket.
pub(crate) fn is_trailer(token: &str) -> bool {
    is_emoticon(token)
        || (!token.is_empty()
            && token
                .chars()
                .all(|c| matches!(c, ')' | ']' | '}' | '”' | '’' | '»')))
}

/// A token that marks a list item at the start of a line: a bullet (`•`,
/// `-`, `*`) or an enumerator (`1.`, `2)`, `a)`, `(iv)`, `B.`).
pub(crate) fn is_list_marker(token: &str) -> bool {
    if matches!(
        token,
        "•" | "-" | "*" | "·" | "◦" | "▪" | "‣" | "–" | "—" | "+" | "o" | "►" | "✓" | "→"
    ) || is_bullet(token)
    {
        return true;
    }
    is_enumerator(token)
}

/// `1.`, `12)`, `a)`, `(b)`, `iv.`, `(IV)`, `a.)`: a number, one letter or
/// a roman numeral, closed by `.` or `)`.
pub(crate) fn is_enumerator(token: &str) -> bool {
    enumerator_parts(token).is_some()
}

/// The parts of an enumerator: (opening bracket, body, closing mark).
fn enumerator_parts(token: &str) -> Option<(bool, &str, char)> {
    // A bullet glyph written against the number ("‣4.", "⁃9.") is one
    // marker with it.
    let token = token.trim_start_matches(is_bullet_glyph);
    let (open, rest) = match token.strip_prefix('(') {
        Some(rest) => (true, rest),
        None => (false, token),
    };
    let (body, close) = match rest.char_indices().next_back() {
        Some((at, close @ ('.' | ')'))) => (&rest[..at], close),
        _ => return None,
    };
    if open && close != ')' {
        return None;
    }
    // "a.)" is written like "a)".
    let body = if close == ')' {
        body.strip_suffix('.').unwrap_or(body)
    } else {
        body
    };
    let digits = !body.is_empty() && body.len() <= 3 && body.bytes().all(|b| b.is_ascii_digit());
    let letter = body.len() == 1 && body.bytes().all(|b| b.is_ascii_alphabetic());
    let roman = !body.is_empty()
        && body.len() <= 5
        && (body.bytes().all(|b| matches!(b, b'i' | b'v' | b'x' | b'l'))
            || body.bytes().all(|b| matches!(b, b'I' | b'V' | b'X' | b'L')));
    (digits || letter || roman).then_some((open, body, close))
}

/// A roman numeral in lower case: "ix", "ii", "xl".
fn is_lower_roman(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| matches!(b, b'i' | b'v' | b'x' | b'l'))
        && roman_value(word).is_some_and(|value| value > 0)
}

fn roman_value(body: &str) -> Option<u32> {
    let digit = |b: u8| match b.to_ascii_lowercase() {
        b'i' => Some(1),
        b'v' => Some(5),
        b'x' => Some(10),
        b'l' => Some(50),
        _ => None,
    };
    let bytes = body.as_bytes();
    let mut total: i64 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let value = digit(b)?;
        let next = bytes.get(i + 1).and_then(|&n| digit(n)).unwrap_or(0);
        total += if next > value { -value } else { value };
    }
    u32::try_from(total).ok()
}

/// Whether enumerator `token` is the one after `previous` in the same
/// style: `1.` then `2.`, `a)` then `b)`, `(iv)` then `(v)`. Items of an
/// inline list ("a) one b) two") are split only on such a sequence.
pub(crate) fn follows(previous: &str, token: &str) -> bool {
    let (Some((open_a, a, close_a)), Some((open_b, b, close_b))) =
        (enumerator_parts(previous), enumerator_parts(token))
    else {
        return false;
    };
    if open_a != open_b || close_a != close_b {
        return false;
    }
    if let (Ok(x), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>()) {
        return y == x + 1;
    }
    let lower = |s: &str| s.bytes().all(|c| c.is_ascii_lowercase());
    if lower(a) != lower(b) {
        return false;
    }
    if a.len() == 1 && b.len() == 1 && a.as_bytes()[0] + 1 == b.as_bytes()[0] {
        return true;
    }
    matches!((roman_value(a), roman_value(b)), (Some(x), Some(y)) if y == x + 1)
}

/// Whether enumerator `token` opens a new list in the style of `previous`
/// (the enumerator of the last item): "1.) one 2.) two 1.) one" restarts
/// at `1`, `a`, `A` or `i` with the same closing mark. `I` is left out: it
/// is the pronoun far more often ("you and I. Did").
pub(crate) fn restarts(previous: &str, token: &str) -> bool {
    let (Some((open_a, _, close_a)), Some((open_b, b, close_b))) =
        (enumerator_parts(previous), enumerator_parts(token))
    else {
        return false;
    };
    open_a == open_b && close_a == close_b && matches!(b, "1" | "a" | "A" | "i")
}

/// What the word before a final `.` is, for deciding whether the period ends
/// the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PeriodWord {
    /// Nothing but the period (`.` on its own, spaced as in "survive .").
    Bare,
    /// Two or more periods, or `…`.
    Ellipsis,
    Abbreviation(AbbreviationKind),
    /// A list enumerator at the start of an item (`1.`, `a.`, `iv.`).
    Enumerator,
    /// An ordinary word, number, domain name or closing bracket.
    Plain,
}

/// The periods a word can end with: ASCII and the two full-width ones.
const PERIODS: [char; 3] = ['.', '。', '．'];

/// The word a token ends with, without the final period, leading quotes,
/// brackets or a hyphenated prefix ("(non-U.S." gives "U.S").
pub(crate) fn word_before_period(core: &str) -> &str {
    let word = core.strip_suffix(PERIODS).unwrap_or(core);
    // An apostrophe inside a word ("didn't", "12's") is not an opening quote.
    let cut_at = word.char_indices().rev().find(|&(at, c)| {
        let inner_apostrophe = matches!(c, '\'' | '’')
            && word[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        (is_opener(c) && !inner_apostrophe) || matches!(c, '-' | '/' | '–' | '—')
    });
    match cut_at.map(|(at, _)| at) {
        Some(at) => {
            let cut = at + word[at..].chars().next().map_or(1, char::len_utf8);
            &word[cut..]
        }
        None => word,
    }
}

/// An initialism written with periods: "U.S", "Ph.D", "W.H.S" (each part
/// one or two letters).
fn is_initialism(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphabetic())
        })
}

/// Classifies the word a period follows. `item_start` says whether the
/// token opens a sentence (or follows a bullet), where `1.` is an enumerator.
pub(crate) fn classify_period_word(core: &str, item_start: bool) -> PeriodWord {
    if core.ends_with("..") || core.ends_with('…') {
        return PeriodWord::Ellipsis;
    }
    let word = word_before_period(core);
    if word.is_empty() {
        return PeriodWord::Bare;
    }
    // The word and its period ("1." of "(1."), whatever the period's width.
    let period = core
        .strip_suffix(PERIODS)
        .map_or(0, |stem| core.len() - stem.len());
    if item_start && is_enumerator(&core[core.len() - word.len() - period..]) {
        return PeriodWord::Enumerator;
    }
    if item_start && lexicon::is_note_label(word) {
        return PeriodWord::Abbreviation(AbbreviationKind::NeverFinal);
    }
    if let Some(kind) = lexicon::abbreviation(word) {
        return PeriodWord::Abbreviation(kind);
    }
    if is_number_sign(word) {
        return PeriodWord::Abbreviation(AbbreviationKind::Ambiguous);
    }
    let mut chars = word.chars();
    let single_letter =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic());
    if single_letter || is_initialism(word) {
        return PeriodWord::Abbreviation(AbbreviationKind::Ambiguous);
    }
    PeriodWord::Plain
}

/// The token without trailing reference marks like `[1]` or `[7][8]`.
fn strip_citations(mut token: &str) -> &str {
    while let Some(inner) = token.strip_suffix(']') {
        let Some(open) = inner.rfind('[') else {
            break;
        };
        let number = &inner[open + 1..];
        if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        token = &inner[..open];
    }
    token
}

/// A reference number written straight after a sentence's period:
/// "consultation.11", "(1987).1", "(type 2).10".
pub(crate) fn is_footnote_ref(core: &str) -> bool {
    let Some(dot) = core.rfind('.') else {
        return false;
    };
    let number = &core[dot + 1..];
    let before = &core[..dot];
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    (1..=3).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && (before.ends_with(')')
            || (word.chars().count() >= 3
                && word.chars().all(char::is_lowercase)
                && lexicon::abbreviation(word).is_none()))
}

/// A number of one to three digits (a footnote number, "12").
pub(crate) fn is_small_number(token: &str) -> bool {
    (1..=3).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_digit())
}

/// A bullet that opens a list item even in the middle of a line
/// ("• 9. Stop smoking • 10. Get some rest").
pub(crate) fn is_bullet(token: &str) -> bool {
    token.starts_with(is_bullet_glyph)
}

fn is_bullet_glyph(ch: char) -> bool {
    matches!(ch, '•' | '◦' | '▪' | '‣' | '►' | '⁃')
}

/// Whether a square bracket opened in the last hundred bytes of `before`
/// (the sentence so far) is still open.
pub(crate) fn bracket_open_before(before: &str) -> bool {
    for &byte in before.as_bytes().iter().rev().take(100) {
        match byte {
            b'[' => return true,
            b']' => return false,
            _ => {}
        }
    }
    false
}

/// Whether an open square bracket closes within the next hundred bytes of
/// `rest`, before another opens or a paragraph ends: "[16: firma? 13:28]".
pub(crate) fn bracket_closes_soon(rest: &str) -> bool {
    for &byte in rest.as_bytes().iter().take(100) {
        match byte {
            b']' => return true,
            b'[' | b'\n' => return false,
            _ => {}
        }
    }
    false
}

/// A capitalised word of at most four letters, or a number of at most
/// three digits.
fn looks_abbreviated(word: &str) -> bool {
    let capitalised = word.starts_with(|c: char| c.is_uppercase())
        && word.chars().count() <= 4
        && word.chars().all(char::is_alphabetic);
    let small_number = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit());
    capitalised || small_number || is_dotted_number(word)
}

/// A number with inner dots: a version, a section or a reference
/// ("4.12.7", "3.2"). A period after one before a lower-case word is the
/// number's own ("see 4.12. for details").
fn is_dotted_number(word: &str) -> bool {
    word.contains('.')
        && !word.starts_with('.')
        && !word.ends_with('.')
        && !word.contains("..")
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// "No", "Nos", or a letter written with a degree or ordinal sign ("N°",
/// "Nº") or the numero sign: before a number, a period after one never
/// ends the sentence.
fn is_number_sign(word: &str) -> bool {
    let numero = word
        .strip_suffix(['°', 'º'])
        .is_some_and(|stem| matches!(stem, "N" | "n"));
    numero || word == "№" || word.eq_ignore_ascii_case("no") || word.eq_ignore_ascii_case("nos")
}

/// "a.m" and "p.m" (any case): times of day.
fn is_clock_suffix(word: &str) -> bool {
    word.eq_ignore_ascii_case("a.m") || word.eq_ignore_ascii_case("p.m")
}

/// Whether `before` (the sentence before a time's "a.m.") is only a
/// preposition and a number, as an opening time phrase is: "At 5", "By
/// about 7", "Until 10:30". A clause has yet to come after it.
fn is_time_phrase(before: &str) -> bool {
    let mut words = before.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let first = first.trim_start_matches(is_opener).to_ascii_lowercase();
    // Three words are enough to tell: the phrase has at most two.
    let rest: Vec<&str> = words.take(3).collect();
    matches!(
        first.as_str(),
        "at" | "by"
            | "after"
            | "before"
            | "until"
            | "till"
            | "from"
            | "since"
            | "around"
            | "about"
            | "near"
            | "towards"
            | "toward"
    ) && (1..=2).contains(&rest.len())
        && rest
            .last()
            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
}

/// The word "I" or a contraction of it ("I'm", "I’d").
fn is_first_person(word: &str) -> bool {
    word == "I"
        || word
            .strip_prefix('I')
            .is_some_and(|rest| rest.starts_with(['\'', '’']))
}

/// (How many single `.` tokens end `before`, whether they are all of it):
/// "the thing is . ." gives (2, false); ". . " gives (2, true).
fn spaced_dots_before(before: &str) -> (usize, bool) {
    let mut words = before.split_whitespace().rev().peekable();
    let mut dots = 0;
    while words.next_if_eq(&".").is_some() {
        dots += 1;
    }
    (dots, words.peek().is_none())
}

/// An omission mark in brackets, with any closing quote after it: "[...]",
/// "[…]\"", or the last dot of a spaced "[. . .]".
fn is_bracketed_ellipsis(tail: &str, before: &str) -> bool {
    let Some(inner) = tail.trim_end_matches(is_quote).strip_suffix(']') else {
        return false;
    };
    match inner.strip_prefix('[') {
        Some(dots) => matches!(dots, "..." | "…" | ".."),
        None => inner == "." && before.trim_end().ends_with("[. ."),
    }
}

/// Whether `rest` opens with a parenthetical citation that the sentence's
/// own punctuation follows: "(Orr 12).", "(Smith 55, 3),". A citation
/// names a page or a year, so it holds a digit ("(Or):" is no citation).
/// After a quotation it belongs to the quoted sentence.
pub(crate) fn is_citation(rest: &str) -> bool {
    const REACH: usize = 60;
    let Some(body) = rest.strip_prefix('(') else {
        return false;
    };
    let Some(close) = body
        .bytes()
        .take(REACH)
        .position(|b| matches!(b, b')' | b'(' | b'\n'))
    else {
        return false;
    };
    body.as_bytes()[close] == b')'
        && body.as_bytes()[..close].iter().any(u8::is_ascii_digit)
        && matches!(
            body.as_bytes().get(close + 1),
            Some(b'.' | b',' | b';' | b':' | b'!' | b'?')
        )
}

/// Whether `token` ends in a closing quotation mark (after any final
/// punctuation): `day."`, `stairways [...]"`.
pub(crate) fn ends_quoted(token: &str) -> bool {
    token
        .trim_end_matches(['.', ',', ';', '!', '?'])
        .ends_with(is_quote)
}

/// After a word's period ("compounds."), the token that follows a spaced
/// ellipsis opening the next sentence (". . . The practice"), if `rest`
/// (the text from the next token) holds one: that token decides whether
/// the period ends the sentence.
pub(crate) fn after_opening_ellipsis<'a>(token: &str, rest: &'a str) -> Option<&'a str> {
    let word = token.strip_suffix('.')?;
    if !word.ends_with(char::is_alphanumeric) {
        return None;
    }
    let after = rest.strip_prefix(". . .")?;
    let next = after.trim_start();
    if next.len() == after.len() || next.starts_with('.') {
        return None;
    }
    let next = &next[..next.find(char::is_whitespace).unwrap_or(next.len())];
    (NextWord::of(next).start == Start::Upper).then_some(next)
}

/// Whether a sentence ends after `tail` (the end of a token, from its start
/// or from the last split inside it), given the next token and `before`,
/// the sentence up to `tail`.
pub(crate) fn ends_sentence(tail: &str, before: &str, item_start: bool, next: &str) -> bool {
    let core = strip_citations(tail).trim_end_matches(is_closer);
    let closed = core.len() < tail.len();
    let Some(last) = core.chars().next_back() else {
        return false;
    };
    // Interrupted speech: "If you please, sir--" The Rabbit started.
    if closed && tail.ends_with(is_quote) && (core.ends_with("--") || last == '—') {
        return NextWord::of(next).opens_sentence();
    }
    // Most tokens end in a letter: nothing ends there, and the next word
    // need not be looked at.
    if !(is_exclamation(last) || last.is_ascii_digit() || matches!(last, '.' | '…' | '。' | '．'))
    {
        return false;
    }
    // "[...]" marks an omission inside a quotation, never an end.
    if is_bracketed_ellipsis(tail, before) {
        return false;
    }
    let next_word = NextWord::of(next);
    // A lone closing bracket or an emoticon after the sentence's end stays
    // with it ("day. )", "great! :P"); other punctuation continues it.
    if next_word.start == Start::Continuation && !is_trailer(next) {
        return false;
    }
    // A closing quote or bracket followed by a lower-case word: speech with
    // its attribution ("'Well!' thought Alice"), or an aside in brackets.
    if closed && next_word.start == Start::Lower {
        return false;
    }
    if is_exclamation(last) {
        // "Yahoo! Research"; "voila! -- you have"; "'... the house!' (Which
        // was very likely true.)": a bracket after quoted speech goes on.
        let quoted_aside = closed && next.starts_with('(') && tail.ends_with(is_quote);
        return !(is_exclaimed_name(word_before_period(core)) || is_dash_run(next) || quoted_aside);
    }
    if last.is_ascii_digit() && is_footnote_ref(core) {
        return next_word.start == Start::Upper;
    }
    if !matches!(last, '.' | '…' | '。' | '．') {
        return false;
    }
    let upper = next_word.start == Start::Upper;
    // An ellipsis ends a sentence before a capitalised word, but not before
    // "I", which is capitalised anywhere ("what I mean ... I didn't"). Two
    // dots are a doubled period ("San Francisco.. I want"), not an ellipsis.
    let after_ellipsis = |dots: usize| upper && (dots == 2 || !is_first_person(next_word.word));
    match classify_period_word(core, item_start) {
        // Spaced periods: "survive ." ends before anything but a lower-case
        // word; ". . ." is an ellipsis (". . . was" goes on); ". . . ." is a
        // period and an ellipsis. Dots that open a sentence (". . . The
        // practice", after "compounds.") belong to it.
        PeriodWord::Bare => match spaced_dots_before(before) {
            (0, _) => next_word.start != Start::Lower,
            (_, true) => false,
            (dots @ (1 | 2), false) => after_ellipsis(dots + 1),
            _ => next_word.start != Start::Lower,
        },
        PeriodWord::Ellipsis => after_ellipsis(core.len() - core.trim_end_matches('.').len()),
        PeriodWord::Enumerator => false,
        PeriodWord::Abbreviation(AbbreviationKind::NeverFinal) => false,
        // "No. 5", "N°. 1026", but "Hell no. Thats a great name."
        PeriodWord::Abbreviation(AbbreviationKind::Ambiguous)
            if is_number_sign(word_before_period(core))
                && !matches!(next_word.start, Start::Digit | Start::Other) =>
        {
            next_word.start != Start::Lower
        }
        PeriodWord::Abbreviation(AbbreviationKind::Ambiguous) => next_word.opens_sentence(),
        // "At 5 a.m. Mr. Smith went": a time that closes an opening phrase,
        // before a title and its name, leaves the clause still to come
        // ("He left at 6 p.m. Mr. Smith then went" ends).
        PeriodWord::Abbreviation(AbbreviationKind::OftenFinal) => {
            let title = next_word.dotted
                && lexicon::abbreviation(next_word.word) == Some(AbbreviationKind::NeverFinal);
            upper && !(title && is_clock_suffix(word_before_period(core)) && is_time_phrase(before))
        }
        // Web text often starts sentences in lower case; known
        // abbreviations are handled above, so a plain word's period ends
        // the sentence whatever follows, unless the word looks like an
        // unlisted abbreviation ("Ind.", "Wash.") or is a small number
        // ("for 2. above"); and a lower-case roman numeral before a number
        // is a book or chapter of a reference ("Livy, ix. 22").
        PeriodWord::Plain => {
            let word = word_before_period(core);
            match next_word.start {
                Start::Lower => !looks_abbreviated(word),
                Start::Digit => !is_lower_roman(word),
                _ => true,
            }
        }
    }
}

/// Whether a token may hold a sentence boundary inside it (sloppy text like
/// "end.Next" or "know?thanks"); URLs, e-mail addresses and paths may not.
pub(crate) fn may_split_inside(token: &str) -> bool {
    !token.contains(['/', '@', '=', '\\', '_']) && !token.starts_with("www.")
}

/// The first byte offset after `from` inside `token` where a sentence ends
/// with no space after it: "end.Next" (a lower-case word of two or more
/// letters, then a capitalised word) or "know?thanks".
pub(crate) fn next_split_inside(token: &str, from: usize) -> Option<usize> {
    let bytes = token.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'?' || byte == b'!' {
            let mut end = at;
            while end < bytes.len() && matches!(bytes[end], b'?' | b'!') {
                end += 1;
            }
            // Two letters either side: "know?thanks", not "Y!J".
            let after_word = token[from..at]
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .nth(1)
                .is_some();
            let before_word = token[end..]
                .chars()
                .take_while(|c| c.is_alphabetic())
                .nth(1)
                .is_some();
            if after_word && before_word {
                return Some(end);
            }
            at = end;
            continue;
        }
        // Full-width stops need no space after them: "period．Does".
        if byte == 0xEF || byte == 0xE3 {
            let rest = &bytes[at..];
            if rest.starts_with("．".as_bytes()) || rest.starts_with("。".as_bytes()) {
                let end = at + 3;
                if at > from
                    && token[end..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                {
                    return Some(end);
                }
                at = end;
                continue;
            }
        }
        // An ellipsis run into a capitalised word: "country....Iguazu".
        if byte == b'.' && bytes.get(at + 1) == Some(&b'.') {
            let mut end = at;
            while end < bytes.len() && bytes[end] == b'.' {
                end += 1;
            }
            let after_word = token[from..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let mut right = token[end..].chars();
            let capital = right.next().is_some_and(char::is_uppercase);
            let word = match right.next() {
                None => true,
                Some(c) => c.is_lowercase() || c == '\'' || c == '’',
            };
            if after_word && capital && word {
                return Some(end);
            }
            at = end;
            continue;
        }
        if byte == b'.' && at + 1 < bytes.len() {
            let left = &token[from..at];
            let word_start = left
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_alphanumeric())
                .last()
                .map(|(i, _)| i);
            let right = &token[at + 1..];
            let mut right_chars = right.chars();
            let right_word = matches!(
                (right_chars.next(), right_chars.next()),
                (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase()
            );
            if let (Some(word_start), true) = (word_start, right_word) {
                let word = &left[word_start..];
                let preceded_by_dot = left[..word_start].ends_with('.');
                let lower_end = word
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
                // "Mr." may follow, but not more of a domain ("x.Com.au").
                let rest = right.trim_start_matches(char::is_alphabetic);
                let domain = (rest.starts_with('.') && rest.len() > 1)
                    || lexicon::is_top_level_domain(right);
                if word.chars().count() >= 2
                    && lower_end
                    && !preceded_by_dot
                    && lexicon::abbreviation(word).is_none()
                    && !domain
                {
                    return Some(at + 1);
                }
            }
        }
        at += 1;
    }
    None
}

/// Quotation marks that open a quotation at the start of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quote {
    Double,
    Single,
}

/// The quotation a token opens and leaves open, if any.
pub(crate) fn opens_quote(token: &str) -> Option<Quote> {
    let body = token.trim_start_matches(['(', '[']);
    let kind = match body.chars().next()? {
        '"' | '“' => Quote::Double,
        '\'' | '‘' | '`' => Quote::Single,
        _ => return None,
    };
    (closes_quote(kind, token) == 0).then_some(kind)
}

/// How many closing marks of this kind end `token` (0 or 1), looking past
/// trailing punctuation: `house!'`, `"Stop."`, `late!",`.
pub(crate) fn closes_quote(kind: Quote, token: &str) -> usize {
    let body = token.trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?']);
    let mut chars = body.chars().rev();
    let last = chars.next();
    let closing = match kind {
        Quote::Double => matches!(last, Some('"' | '”')),
        // An apostrophe ends many words ("dogs'"): a closing single quote
        // must follow punctuation.
        Quote::Single => {
            matches!(last, Some('\'' | '’'))
                && matches!(chars.next(), Some('.' | ',' | '!' | '?' | '…' | '-'))
        }
    };
    usize::from(closing && body.chars().count() > 1)
}

/// Whether a quotation of this kind closes within the next few hundred
/// bytes of `rest`, before a blank line. Bounded, so the segmenter stays
/// linear.
pub(crate) fn quote_closes_soon(kind: Quote, rest: &str) -> bool {
    const REACH: usize = 400;
    let mut end = rest.len().min(REACH);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let window = &rest[..end];
    let window = window.find("\n\n").map_or(window, |at| &window[..at]);
    for token in window.split_whitespace() {
        if closes_quote(kind, token) == 1 {
            return true;
        }
        if opens_quote(token) == Some(kind) {
            // A new quotation opens first: this one is left unclosed.
            return false;
        }
    }
    false
}

/// Whether a text is hard-wrapped prose, where a single line break is a
/// soft wrap: at least two lines are followed by a single line break, three
/// in four of those are long (40 bytes or more, as wrapped lines of 60-80
/// characters are) and at least half of them end mid-sentence (no `.`, `?`,
/// `!` or `:`). Anywhere else a single line break survives the ingest stage
/// (which joins wrapped lines) as a real break: lists, headings, addresses,
/// signatures, verse. One pass over the bytes.
pub(crate) fn is_hard_wrapped(text: &str) -> bool {
    // Enough lines to decide on; the rest of a long text is not read.
    const SAMPLE: usize = 256;
    let trim = |line: &[u8]| -> usize {
        line.iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |at| at + 1)
    };
    let mut wrapped_lines = 0usize;
    let mut long = 0usize;
    let mut open = 0usize;
    let mut lines = text.as_bytes().split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let Some(next) = lines.peek() else {
            break;
        };
        let line = &line[..trim(line)];
        if line.iter().all(u8::is_ascii_whitespace) || trim(next) == 0 {
            continue;
        }
        wrapped_lines += 1;
        long += usize::from(line.len() >= 40);
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b'"' | b'\'' | b')' | b']' | b'}') {
            end -= 1;
        }
        let ends_sentence = end > 0 && matches!(line[end - 1], b'.' | b'?' | b'!' | b':')
            || line[..end].ends_with("’".as_bytes())
            || line[..end].ends_with("”".as_bytes())
            || line[..end].ends_with("…".as_bytes());
        open += usize::from(!ends_sentence);
        if wrapped_lines == SAMPLE {
            break;
        }
    }
    wrapped_lines >= 2 && 4 * long >= 3 * wrapped_lines && 2 * open >= wrapped_lines
}

/// Whether the text after a line break (`rest`, from a lower-case word)
/// finishes a sentence: one of its next lines, each continuing in lower
/// case, ends in `.`, `?` or `!` before a blank line. Lines that never do
/// are labels ("tools\nrope and pegs"). Reads at most eight lines.
pub(crate) fn sentence_runs_on(rest: &str) -> bool {
    const REACH: usize = 8;
    for (i, line) in rest.split('\n').take(REACH).enumerate() {
        let line = line.trim();
        if line.is_empty() || (i > 0 && !line.starts_with(char::is_lowercase)) {
            return false;
        }
        let end = line.trim_end_matches(is_closer);
        if end.ends_with(['.', '…']) || end.ends_with(is_exclamation) {
            return true;
        }
    }
    false
}

/// Whether a single line break is a boundary: before a list item, or after
/// a short heading-like line (no final punctuation) or a line ending in `:`
/// when the next line starts like a sentence.
pub(crate) fn hard_line_break(prev_line: &str, prev_words: usize, next: &str) -> bool {
    if is_list_marker(next) {
        return true;
    }
    let next_word = NextWord::of(next);
    let starts_fresh = matches!(next_word.start, Start::Upper | Start::Digit)
        || next.starts_with(['(', '[', '"', '“', '‘']);
    if !starts_fresh {
        return false;
    }
    let Some(last) = prev_line.chars().next_back() else {
        return false;
    };
    if last == ':' {
        return true;
    }
    // Lines of hard-wrapped prose run to 60-80 characters; a short line
    // with no final punctuation is a heading, a label or a verse line.
    const SHORT_LINE: usize = 60;
    const SHORT_WORDS: usize = 8;
    let short = prev_line.len() <= SHORT_LINE && prev_words <= SHORT_WORDS;
    short && (last.is_alphanumeric() || is_closer(last) || last == '%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_emoticons_and_separators() {
        for yes in [":)", ":-(", ";D", ":P", "<3", "=)", ":-)"] {
            assert!(is_emoticon(yes), "{yes}");
        }
        for no in [":", "::", "a)", "(:", "http://"] {
            assert!(!is_emoticon(no), "{no}");
        }
        assert!(is_separator("***"));
        assert!(is_separator("-----"));
        assert!(!is_separator("--"));
        assert!(!is_separator("..."));
        assert!(is_dash_run("--"));
        assert!(!is_separator("*a*"));
    }

    #[test]
    fn recognises_enumerators() {
        for yes in ["1.", "12)", "a)", "(b)", "iv.", "(IV)", "B."] {
            assert!(is_enumerator(yes), "{yes}");
        }
        for no in ["1988.", "ab.", "(a", "1.2", "word)"] {
            assert!(!is_enumerator(no), "{no}");
        }
    }
}
