//! Stop words for keyword extraction.
//!
//! Two uses, two lists. Phrases are runs of words broken at the words of
//! [`is_stop_word`]: this crate's English list and the Latin one (older
//! essays quote Latin, and its function words, "et", "in", "est", are no
//! subject). A candidate keyword is then dropped when every one of its words
//! is a stop word of English, Latin or French by the `stop-words` crate's
//! ISO lists as well ([`is_keyword_stop`]): those lists are the most
//! complete, but too broad to break phrases with (French "car" would break
//! "car seats").

use std::collections::HashSet;
use std::sync::OnceLock;

/// scikit-learn's English list (from the Glasgow IR group) less its content
/// words ("bill", "interest", "fire", "system", ...), plus contraction
/// fragments and the reporting verbs that every news story and essay uses
/// ("said", "says") and light verbs and fillers ("use", "make", "going",
/// "including"), which would otherwise top many themes' keywords; and the
/// archaic function words of older essays ("thou", "hath", "doth", "unto").
/// Sorted, so lookup is a binary search.
const STOP_WORDS: &[&str] = &[
    "a",
    "able",
    "about",
    "above",
    "according",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "almost",
    "alone",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "amongst",
    "amoungst",
    "an",
    "and",
    "another",
    "any",
    "anyhow",
    "anyone",
    "anything",
    "anyway",
    "anywhere",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "became",
    "because",
    "become",
    "becomes",
    "becoming",
    "been",
    "before",
    "beforehand",
    "behind",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "call",
    "came",
    "can",
    "cannot",
    "cant",
    "co",
    "come",
    "comes",
    "could",
    "couldnt",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "done",
    "dost",
    "doth",
    "down",
    "due",
    "during",
    "each",
    "eg",
    "eight",
    "either",
    "eleven",
    "else",
    "elsewhere",
    "empty",
    "enough",
    "etc",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "everywhere",
    "except",
    "few",
    "fifteen",
    "fifty",
    "fill",
    "find",
    "first",
    "five",
    "for",
    "former",
    "formerly",
    "forty",
    "found",
    "four",
    "from",
    "full",
    "further",
    "get",
    "getting",
    "give",
    "go",
    "going",
    "got",
    "had",
    "has",
    "hasnt",
    "hast",
    "hath",
    "have",
    "he",
    "hence",
    "her",
    "here",
    "hereafter",
    "hereby",
    "herein",
    "hereupon",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "hither",
    "how",
    "however",
    "hundred",
    "i",
    "ie",
    "if",
    "in",
    "inc",
    "including",
    "indeed",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "keep",
    "knew",
    "know",
    "last",
    "latter",
    "latterly",
    "least",
    "less",
    "like",
    "ll",
    "look",
    "looking",
    "lot",
    "lots",
    "ltd",
    "made",
    "make",
    "makes",
    "making",
    "many",
    "may",
    "me",
    "meanwhile",
    "might",
    "mine",
    "more",
    "moreover",
    "most",
    "mostly",
    "move",
    "mr",
    "mrs",
    "ms",
    "much",
    "must",
    "my",
    "myself",
    "namely",
    "nay",
    "need",
    "needed",
    "needs",
    "neither",
    "never",
    "nevertheless",
    "next",
    "nine",
    "no",
    "nobody",
    "none",
    "noone",
    "nor",
    "not",
    "nothing",
    "now",
    "nowhere",
    "of",
    "off",
    "oft",
    "often",
    "on",
    "once",
    "one",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "part",
    "per",
    "perhaps",
    "please",
    "put",
    "rather",
    "re",
    "said",
    "same",
    "say",
    "says",
    "see",
    "seem",
    "seemed",
    "seeming",
    "seems",
    "several",
    "shall",
    "shalt",
    "she",
    "should",
    "show",
    "side",
    "since",
    "six",
    "sixty",
    "so",
    "some",
    "somehow",
    "someone",
    "something",
    "sometime",
    "sometimes",
    "somewhere",
    "still",
    "such",
    "take",
    "ten",
    "than",
    "that",
    "the",
    "thee",
    "their",
    "them",
    "themselves",
    "then",
    "thence",
    "there",
    "thereafter",
    "thereby",
    "therefore",
    "therein",
    "thereupon",
    "these",
    "they",
    "thine",
    "thing",
    "things",
    "think",
    "third",
    "this",
    "thither",
    "those",
    "thou",
    "though",
    "thought",
    "three",
    "through",
    "throughout",
    "thru",
    "thus",
    "thy",
    "tis",
    "to",
    "together",
    "told",
    "too",
    "top",
    "toward",
    "towards",
    "twas",
    "twelve",
    "twenty",
    "two",
    "un",
    "under",
    "until",
    "unto",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "ve",
    "very",
    "via",
    "want",
    "wanted",
    "wants",
    "was",
    "wasn",
    "way",
    "ways",
    "we",
    "well",
    "went",
    "were",
    "what",
    "whatever",
    "when",
    "whence",
    "whenever",
    "where",
    "whereafter",
    "whereas",
    "whereby",
    "wherein",
    "whereof",
    "whereupon",
    "wherever",
    "wherewith",
    "whether",
    "which",
    "while",
    "whither",
    "who",
    "whoever",
    "whole",
    "whom",
    "whose",
    "why",
    "will",
    "wilt",
    "with",
    "within",
    "without",
    "would",
    "ye",
    "yea",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `word` (lower-case) breaks a phrase.
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok() || iso(&LATIN).contains(word)
}

/// Whether every word of `phrase` (lower-case, space-separated) is a stop
/// word of English, Latin or French (this crate's list, and the
/// `stop-words` crate's ISO lists).
///
/// ```
/// assert!(precis_themes::is_stop_phrase("de la"));
/// assert!(!precis_themes::is_stop_phrase("night buses"));
/// ```
pub fn is_keyword_stop(phrase: &str) -> bool {
    phrase.split(' ').all(|word| {
        is_stop_word(word) || iso(&ENGLISH).contains(word) || iso(&FRENCH).contains(word)
    })
}

/// Whether a sentence is an aside to an English text: a quotation in Latin
/// or French, having more of their function words than of English ones
/// ("Calamitosus est animus futuri anxius."). Words both languages share
/// count as English.
pub(crate) fn is_aside(text: &str) -> bool {
    let (mut english, mut foreign) = (0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        if STOP_WORDS.binary_search(&word.as_str()).is_ok() {
            english += 1;
        } else if iso(&LATIN).contains(word.as_str()) || iso(&FRENCH).contains(word.as_str()) {
            foreign += 1;
        }
    }
    foreign > english
}

/// A language's ISO stop words, loaded on first use.
struct IsoList {
    language: stop_words::Language,
    words: OnceLock<HashSet<&'static str>>,
}

static ENGLISH: IsoList = IsoList::new(stop_words::Language::English);
static LATIN: IsoList = IsoList::new(stop_words::Language::Latin);
static FRENCH: IsoList = IsoList::new(stop_words::Language::French);

impl IsoList {
    const fn new(language: stop_words::Language) -> Self {
        Self {
            language,
            words: OnceLock::new(),
        }
    }
}

fn iso(list: &IsoList) -> &HashSet<&'static str> {
    list.words
        .get_or_init(|| stop_words::get(list.language).iter().copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn lookup() {
        assert!(is_stop_word("the"));
        assert!(is_stop_word("said"));
        assert!(!is_stop_word("market"));
        assert!(is_stop_word("et"));
        assert!(is_stop_word("quod"));
    }

    #[test]
    fn quotations_in_other_languages_and_bare_citations_are_asides() {
        assert!(is_aside("Calamitosus est animus futuri anxius."));
        assert!(is_aside("Et qui de la mort ne sait rien."));
        assert!(!is_aside("Great location!"));
        assert!(!is_aside("The mind anxious about the future is unhappy."));
        assert!(!is_aside("Of Friendship"));
        assert!(!is_aside("He wrote et cetera in the margin of the book."));
    }

    #[test]
    fn keywords_of_stop_words_only_are_stop() {
        assert!(is_keyword_stop("de"));
        assert!(is_keyword_stop("que je"));
        assert!(is_keyword_stop("world"));
        assert!(!is_keyword_stop("car seats"));
        assert!(!is_keyword_stop("friendship"));
    }
}
