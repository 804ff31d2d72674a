//! The one tokenizer of the agreement text below the grammar: where strings,
//! regexes and comments begin and end. The limits prescan (run before the
//! parser, so that no text can overflow its stack), the formatter's comment
//! finder and the explanation's rule quotes all read the text through it, so
//! they agree on what is a string, a regex or a comment.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `# …` to the end of the line (the line end not included).
    Comment,
    /// `"…"`, escapes included; an unterminated one runs to the end.
    Str,
    /// `/…/flags` after `matches`; an unterminated one runs to the line end.
    Regex,
    /// A run of letters, digits and `_`.
    Word,
    /// A run of spaces, tabs and line ends.
    Space,
    /// Any other character, one at a time.
    Punct,
}

/// A token: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// The tokens of `text`, in order, covering every byte.
pub(crate) fn tokens(text: &str) -> Tokens<'_> {
    Tokens {
        text,
        at: 0,
        after_matches: false,
    }
}

/// The iterator of [`tokens`].
pub(crate) struct Tokens<'a> {
    text: &'a str,
    at: usize,
    /// The last word was `matches` (spaces and comments between do not count).
    after_matches: bool,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let &b = bytes.get(start)?;
        let mut i = start + 1;
        let kind = match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                Kind::Comment
            }
            b'"' => {
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                Kind::Str
            }
            b'/' if self.after_matches => {
                while i < bytes.len() && bytes[i] != b'/' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == b'/' {
                    i += 1;
                    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                }
                Kind::Regex
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                    i += 1;
                }
                Kind::Space
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                // One character, however many bytes.
                while i < bytes.len() && !self.text.is_char_boundary(i) {
                    i += 1;
                }
                Kind::Punct
            }
        };
        let end = i.min(bytes.len());
        // Keep every token on character boundaries (an escape before a
        // multi-byte character, a cut text).
        let end = (end..=bytes.len())
            .find(|&e| self.text.is_char_boundary(e))
            .unwrap_or(bytes.len());
        self.at = end;
        match kind {
            Kind::Word => self.after_matches = &self.text[start..end] == "matches",
            Kind::Space | Kind::Comment => {}
            _ => self.after_matches = false,
        }
        Some(Token { kind, start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn strings_regexes_and_comments() {
        assert_eq!(
            kinds(
                r#"title matches /a#b\/c/i # note "x"
"s # not a comment \" still" / 2"#
            ),
            vec![
                (Kind::Word, "title"),
                (Kind::Space, " "),
                (Kind::Word, "matches"),
                (Kind::Space, " "),
                (Kind::Regex, r"/a#b\/c/i"),
                (Kind::Space, " "),
                (Kind::Comment, "# note \"x\""),
                (Kind::Space, "\n"),
                (Kind::Str, r#""s # not a comment \" still""#),
                (Kind::Space, " "),
                (Kind::Punct, "/"),
                (Kind::Space, " "),
                (Kind::Word, "2"),
            ]
        );
    }

    #[test]
    fn every_byte_is_in_one_token_whatever_the_text() {
        for text in [
            "",
            "\"unterminated é",
            "matches /open",
            "é#\u{1F600}",
            "a\\",
            "\"\\é\"",
        ] {
            let mut at = 0;
            for t in tokens(text) {
                assert_eq!(t.start, at, "{text:?}");
                assert!(t.end > t.start);
                at = t.end;
            }
            assert_eq!(at, text.len(), "{text:?}");
        }
    }
}
