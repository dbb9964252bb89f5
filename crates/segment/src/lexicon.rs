//! Word lists: abbreviations by how they behave before a capitalised word,
//! and the words that commonly open an English sentence.
//!
//! Lookups are case-insensitive on ASCII and allocation-free: a word is
//! lower-cased into a small stack buffer before the `match`.

/// How an abbreviation that ends in `.` behaves before the next word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbreviationKind {
    /// Always followed by more of the same sentence: titles before a name
    /// (`Dr.`, `Mr.`), and Latin connectives (`e.g.`, `i.e.`, `cf.`, `vs.`).
    NeverFinal,
    /// Usually mid-sentence, but may end one: `etc.`, `Inc.`, `a.m.`,
    /// `U.S.`, `No.`, `Jan.`. The sentence ends only when the next word is
    /// capitalised and is a likely sentence opener ("at 5 p.m. Then").
    Ambiguous,
    /// Often ends a sentence (`etc.`): the sentence ends before any
    /// capitalised word.
    OftenFinal,
}

/// The longest word (in bytes) any list holds; longer words are never looked up.
const MAX_WORD: usize = 16;

/// Lower-cases an ASCII word into `buf`; `None` if it is too long or not ASCII.
pub(crate) fn ascii_lower(word: &str, buf: &mut [u8; MAX_WORD]) -> Option<usize> {
    let bytes = word.as_bytes();
    if bytes.len() > MAX_WORD || !word.is_ascii() {
        return None;
    }
    for (slot, byte) in buf.iter_mut().zip(bytes) {
        *slot = byte.to_ascii_lowercase();
    }
    Some(bytes.len())
}

/// The kind of a built-in abbreviation, given without its final `.`
/// (`"e.g"`, `"Mr"`), in any case.
pub(crate) fn abbreviation(word: &str) -> Option<AbbreviationKind> {
    use AbbreviationKind::*;
    let mut buf = [0; MAX_WORD];
    let len = ascii_lower(word, &mut buf)?;
    let lower = std::str::from_utf8(&buf[..len]).ok()?;
    // Words that are also ordinary English words ("sat", "rep", "mar")
    // count as abbreviations only when capitalised ("Sat.", "Rep.").
    let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase());
    let kind = match lower {
        // Titles and honorifics: a name follows.
        "mr" | "mrs" | "ms" | "messrs" | "mme" | "mlle" | "dr" | "drs" | "prof" | "profs" => {
            NeverFinal
        }
        "rev" | "hon" | "gen" | "gov" | "sen" | "rep" | "pres" | "capt" | "cpt" | "col" | "lt"
        | "maj" | "sgt" | "cmdr" | "adm" | "brig" | "supt" | "insp" | "fr" | "sr" | "sra"
        | "srta" | "mt" | "ft" | "pt" | "atty" | "hwy"
            if capitalised =>
        {
            NeverFinal
        }
        // Latin and reference connectives: the sentence goes on.
        "e.g" | "i.e" | "cf" | "viz" | "vs" | "v" | "ibid" | "op" | "loc" | "approx" | "appr"
        | "ca" | "c" | "esp" | "incl" | "excl" | "resp" => NeverFinal,
        // Months and days: a date or a name follows.
        "jan" | "feb" | "mar" | "apr" | "jun" | "jul" | "aug" | "sep" | "sept" | "oct" | "nov"
        | "dec" | "mon" | "tue" | "tues" | "wed" | "thu" | "thur" | "thurs" | "fri" | "sat"
        | "sun"
            if capitalised =>
        {
            Ambiguous
        }
        // Before numbers, after names, units, degrees, initialisms.
        "no" | "nos" | "nr" | "vol" | "vols" | "p" | "pp" | "fig" | "figs" | "ch" | "chap"
        | "sec" | "sect" | "arts" | "eq" | "eqs" | "ref" | "refs" | "para" | "pg" | "tel"
        | "ext" | "eds" | "ave" | "blvd" | "rd" | "st" | "dept" | "univ" | "assn" | "assoc"
        | "bldg" | "apt" | "jr" | "esq" | "inc" | "ltd" | "co" | "corp" | "bros" | "llc"
        | "plc" | "dist" | "min" | "max" | "u.s" | "u.k" | "u.s.a" | "u.n" | "e.u" | "d.c"
        | "ph.d" | "b.a" | "m.a" | "b.sc" | "m.sc" | "m.d" | "ll.b" | "a.d" | "b.c" | "mins"
        | "hrs" | "hr" | "sq" | "oz" | "lb" | "lbs" | "yd" | "yds" | "km" | "kg" | "cm" | "mm"
        | "mg" | "ml" | "mph" | "gal" | "govt" | "intl" | "natl" | "abbr" | "misc" | "orig"
        | "ver" | "rs" | "med" | "pvt" => Ambiguous,
        // Times end clauses more often than they precede a name.
        "etc" | "al" | "a.m" | "p.m" => OftenFinal,
        _ => return None,
    };
    Some(kind)
}

/// A top-level domain: after a dot inside a word ("Newsfeed.Com") it
/// makes a domain name, not two sentences run together.
pub(crate) fn is_top_level_domain(word: &str) -> bool {
    let mut buf = [0; MAX_WORD];
    let Some(len) = ascii_lower(word, &mut buf) else {
        return false;
    };
    matches!(
        &buf[..len],
        b"com" | b"net" | b"org" | b"edu" | b"gov" | b"info" | b"biz" | b"io" | b"co" | b"uk"
    )
}

/// The label of a postscript or a note, which opens the text it labels:
/// "P.S. I am moving", "NB. Bring a coat".
pub(crate) fn is_note_label(word: &str) -> bool {
    matches!(word, "P.S" | "PS" | "P.P.S" | "PPS" | "N.B" | "NB" | "p.s")
}

/// A file name: a word, a dot and a document or image extension
/// ("report.pdf", "Lisa_resume.doc"), as attachment lists print them.
pub(crate) fn is_file_name(token: &str) -> bool {
    let Some((stem, extension)) = token.rsplit_once('.') else {
        return false;
    };
    let mut buf = [0; MAX_WORD];
    let Some(len) = ascii_lower(extension, &mut buf) else {
        return false;
    };
    !stem.is_empty()
        && matches!(
            &buf[..len],
            b"pdf"
                | b"doc"
                | b"docx"
                | b"xls"
                | b"xlsx"
                | b"ppt"
                | b"pptx"
                | b"txt"
                | b"htm"
                | b"html"
                | b"jpg"
                | b"jpeg"
                | b"png"
                | b"gif"
                | b"zip"
                | b"csv"
                | b"rtf"
        )
}

/// Whether a capitalised word commonly opens a sentence: pronouns,
/// determiners, conjunctions, prepositions and sentence adverbs. After an
/// ambiguous abbreviation ("U.S.", "p.m.", initials) only these start a new
/// sentence; any other capitalised word is taken as part of a name.
pub(crate) fn is_sentence_opener(word: &str) -> bool {
    let mut buf = [0; MAX_WORD];
    let Some(len) = ascii_lower(word, &mut buf) else {
        return false;
    };
    let Ok(lower) = std::str::from_utf8(&buf[..len]) else {
        return false;
    };
    matches!(
        lower,
        "a" | "an"
            | "the"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "here"
            | "it"
            | "its"
            | "it's"
            | "he"
            | "she"
            | "we"
            | "they"
            | "i"
            | "i'm"
            | "i've"
            | "i'd"
            | "i'll"
            | "you"
            | "my"
            | "our"
            | "your"
            | "his"
            | "her"
            | "their"
            | "what"
            | "why"
            | "how"
            | "where"
            | "when"
            | "who"
            | "which"
            | "whose"
            | "whatever"
            | "yes"
            | "no"
            | "not"
            | "now"
            | "then"
            | "today"
            | "yesterday"
            | "tomorrow"
            | "please"
            | "thanks"
            | "thank"
            | "let"
            | "let's"
            | "some"
            | "many"
            | "most"
            | "all"
            | "each"
            | "every"
            | "one"
            | "another"
            | "meanwhile"
            | "still"
            | "yet"
            | "thus"
            | "therefore"
            | "hence"
            | "instead"
            | "finally"
            | "first"
            | "second"
            | "later"
            | "since"
            | "because"
            | "unless"
            | "until"
            | "once"
            | "while"
            | "although"
            | "though"
            | "however"
            | "moreover"
            | "furthermore"
            | "also"
            | "and"
            | "but"
            | "or"
            | "so"
            | "if"
            | "as"
            | "at"
            | "in"
            | "on"
            | "for"
            | "from"
            | "to"
            | "with"
            | "by"
            | "of"
            | "after"
            | "before"
            | "during"
            | "do"
            | "does"
            | "did"
            | "don't"
            | "is"
            | "are"
            | "was"
            | "were"
            | "can"
            | "could"
            | "will"
            | "would"
            | "should"
            | "may"
            | "might"
            | "must"
            | "have"
            | "has"
            | "had"
            | "nothing"
            | "everything"
            | "someone"
            | "everyone"
            | "both"
            | "neither"
            | "either"
            | "such"
            | "just"
            | "even"
            | "only"
            | "maybe"
            | "perhaps"
            | "well"
            | "oh"
            | "ok"
            | "okay"
            | "hi"
            | "hello"
            | "dear"
            // Quantities open sentences, rarely names: "the U.S. Millions attended".
            | "millions"
            | "thousands"
            | "hundreds"
            | "dozens"
            | "several"
            | "few"
            | "more"
            | "others"
            | "nobody"
            | "none"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_ascii_case() {
        assert_eq!(abbreviation("MR"), Some(AbbreviationKind::NeverFinal));
        assert_eq!(abbreviation("U.S"), Some(AbbreviationKind::Ambiguous));
        assert_eq!(abbreviation("etc"), Some(AbbreviationKind::OftenFinal));
        assert_eq!(abbreviation("house"), None);
        assert_eq!(abbreviation("naïve"), None);
        assert!(is_sentence_opener("The"));
        assert!(!is_sentence_opener("Government"));
    }
}
