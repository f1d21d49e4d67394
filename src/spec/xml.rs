//! The small XML subset spec documents use: a reader into an element tree
//! and the escaping the writer needs.
//!
//! The reader accepts an optional BOM and XML declaration, elements,
//! attributes, text, CDATA sections, comments and processing instructions,
//! the five predefined entities and numeric character references. It
//! refuses, with the line and column, everything a spec never needs and an
//! attacker could use: DTDs (so no entity definitions or expansion), other
//! entity references, documents over [`MAX_BYTES`] and nesting deeper than
//! [`MAX_DEPTH`]. Line ends are normalised as XML requires.

/// The largest document read, in bytes (a full spec is a few KB).
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest element nesting read (a spec needs 7).
pub const MAX_DEPTH: usize = 16;

/// An element: name, attributes (entity-decoded), child elements and the
/// text directly inside it.
#[derive(Debug, Default)]
pub struct Element {
    /// The tag name.
    pub name: String,
    /// Attributes in document order.
    pub attrs: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Character data directly inside (text and CDATA), decoded.
    pub text: String,
    /// Byte offset of the `<` that opens it, for messages.
    pub at: usize,
}

impl Element {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A reading error: what is wrong and where (byte offset).
#[derive(Debug, PartialEq, Eq)]
pub struct XmlError {
    /// Byte offset into the (line-end normalised) document.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, XmlError> {
    Err(XmlError {
        at,
        message: message.into(),
    })
}

/// `line L, column C` of byte offset `at` in `doc` (both from 1).
pub fn position(doc: &str, at: usize) -> (usize, usize) {
    let before = doc.get(..at).unwrap_or(doc);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Whether XML 1.0 can carry `c` at all (escaped or not).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without leading and trailing XML whitespace (space, tab, CR, LF;
/// not Unicode's wider set, which XML treats as text).
pub fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r'])
}

/// Line ends normalised (`\r\n` and `\r` become `\n`), as XML 1.0 §2.11 asks.
pub fn normalise_line_ends(doc: &str) -> std::borrow::Cow<'_, str> {
    if doc.contains('\r') {
        std::borrow::Cow::Owned(doc.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(doc)
    }
}

/// Reads a whole document (already line-end normalised) into its root element.
pub fn read(doc: &str) -> Result<Element, XmlError> {
    if doc.len() > MAX_BYTES {
        return err(0, format!("the document is larger than {MAX_BYTES} bytes"));
    }
    if let Some((at, c)) = doc.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        return err(
            at,
            format!("character U+{:04X} is not allowed in XML", u32::from(c)),
        );
    }
    let mut r = Reader { doc, pos: 0 };
    r.eat("\u{FEFF}");
    let declared = r.rest().strip_prefix("<?xml");
    if declared.is_some_and(|d| d.starts_with([' ', '\t', '\n'])) {
        r.declaration()?;
    }
    r.misc()?;
    if !r.rest().starts_with('<') {
        return err(r.pos, "expected the root element");
    }
    let root = r.element(1)?;
    r.misc()?;
    if r.pos < doc.len() {
        return err(r.pos, "unexpected content after the root element");
    }
    Ok(root)
}

struct Reader<'a> {
    doc: &'a str,
    pos: usize,
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        self.doc.get(self.pos..).unwrap_or("")
    }

    fn eat(&mut self, s: &str) -> bool {
        let ok = self.rest().starts_with(s);
        if ok {
            self.pos += s.len();
        }
        ok
    }

    fn skip_space(&mut self) -> bool {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        self.pos += rest.len() - trimmed.len();
        rest.len() != trimmed.len()
    }

    /// Everything up to `end`, which is consumed too.
    fn until(&mut self, end: &str, what: &str) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        match rest.find(end) {
            Some(i) => {
                self.pos += i + end.len();
                Ok(rest.get(..i).unwrap_or(""))
            }
            None => err(self.pos, format!("unterminated {what}")),
        }
    }

    fn declaration(&mut self) -> Result<(), XmlError> {
        let start = self.pos;
        let body = self.until("?>", "XML declaration")?;
        let lower = body.to_ascii_lowercase();
        if let Some(i) = lower.find("encoding") {
            let value = lower.get(i + 8..).unwrap_or("");
            let value = value.trim_start_matches([' ', '=', '"', '\'']);
            if !value.starts_with("utf-8") {
                return err(start, "only UTF-8 documents are accepted");
            }
        }
        Ok(())
    }

    /// Whitespace, comments and processing instructions between markup.
    fn misc(&mut self) -> Result<(), XmlError> {
        loop {
            self.skip_space();
            if !self.special()? {
                return Ok(());
            }
        }
    }

    /// A comment, processing instruction or refused declaration at `pos`.
    /// `Ok(true)` when one was consumed.
    fn special(&mut self) -> Result<bool, XmlError> {
        let at = self.pos;
        if self.eat("<!--") {
            let body = self.until("-->", "comment")?;
            if body.contains("--") {
                return err(at, "\"--\" is not allowed inside a comment");
            }
            return Ok(true);
        }
        if self.rest().starts_with("<!DOCTYPE") {
            return err(at, "DTDs (<!DOCTYPE …>) are not accepted");
        }
        if self.rest().starts_with("<!") && !self.rest().starts_with("<![CDATA[") {
            return err(at, "markup declarations (<!…>) are not accepted");
        }
        if self.eat("<?") {
            let body = self.until("?>", "processing instruction")?;
            if body.get(..3).is_some_and(|t| t.eq_ignore_ascii_case("xml")) {
                return err(at, "an XML declaration is only allowed at the start");
            }
            return Ok(true);
        }
        Ok(false)
    }

    fn name(&mut self) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '>' | '=' | '<' | '"' | '\''))
            .unwrap_or(rest.len());
        let name = rest.get(..len).unwrap_or("");
        let valid_start = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
        if !valid_start {
            return err(self.pos, "expected a name");
        }
        self.pos += len;
        Ok(name)
    }

    fn element(&mut self, depth: usize) -> Result<Element, XmlError> {
        let at = self.pos;
        if depth > MAX_DEPTH {
            return err(
                at,
                format!("elements are nested more than {MAX_DEPTH} deep"),
            );
        }
        self.pos += 1; // '<'
        let name = self.name()?;
        let mut el = Element {
            name: name.to_owned(),
            at,
            ..Element::default()
        };
        loop {
            let spaced = self.skip_space();
            if self.eat("/>") {
                return Ok(el);
            }
            if self.eat(">") {
                break;
            }
            let attr_at = self.pos;
            if attr_at >= self.doc.len() {
                return err(at, format!("element <{name}> is not closed"));
            }
            if !spaced {
                return err(attr_at, "expected whitespace, \">\" or \"/>\"");
            }
            let key = self.name()?;
            self.skip_space();
            if !self.eat("=") {
                return err(self.pos, format!("expected \"=\" after attribute {key}"));
            }
            self.skip_space();
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return err(self.pos, "expected a quoted attribute value"),
            };
            self.pos += 1;
            let raw = self.until(if quote == '"' { "\"" } else { "'" }, "attribute value")?;
            if raw.contains('<') {
                return err(attr_at, "\"<\" is not allowed in an attribute value");
            }
            let value = decode(raw, attr_at, true)?;
            if el.attr(key).is_some() {
                return err(attr_at, format!("attribute {key} appears twice"));
            }
            el.attrs.push((key.to_owned(), value));
        }
        loop {
            let text_at = self.pos;
            let rest = self.rest();
            let len = rest.find('<').unwrap_or(rest.len());
            let raw = rest.get(..len).unwrap_or("");
            if raw.contains("]]>") {
                return err(text_at, "\"]]>\" is not allowed in text");
            }
            el.text.push_str(&decode(raw, text_at, false)?);
            self.pos += len;
            if self.pos >= self.doc.len() {
                return err(at, format!("element <{name}> is not closed"));
            }
            if self.eat("<![CDATA[") {
                let body = self.until("]]>", "CDATA section")?;
                el.text.push_str(body);
            } else if self.eat("</") {
                let close_at = self.pos;
                let close = self.name()?;
                self.skip_space();
                if close != name || !self.eat(">") {
                    return err(close_at, format!("expected </{name}>"));
                }
                return Ok(el);
            } else if !self.special()? {
                el.children.push(self.element(depth + 1)?);
            }
        }
    }
}

/// Decodes entity and character references; in attribute values
/// (`attr`) literal tabs and newlines become spaces, as XML requires.
fn decode(raw: &str, at: usize, attr: bool) -> Result<String, XmlError> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n']) {
        out.push_str(rest.get(..i).unwrap_or(""));
        let tail = rest.get(i..).unwrap_or("");
        if !tail.starts_with('&') {
            let c = tail.chars().next().unwrap_or(' ');
            out.push(if attr { ' ' } else { c });
            rest = tail.get(1..).unwrap_or("");
            continue;
        }
        let Some(end) = tail.find(';').filter(|e| *e <= 12) else {
            return err(at, "\"&\" must start a reference such as &amp;");
        };
        let name = tail.get(1..end).unwrap_or("");
        let c = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => match name.strip_prefix('#') {
                Some(num) => {
                    let code = match num.strip_prefix('x') {
                        Some(hex)
                            if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
                        {
                            u32::from_str_radix(hex, 16).ok()
                        }
                        Some(_) => None,
                        None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => {
                            num.parse().ok()
                        }
                        None => None,
                    };
                    match code.and_then(char::from_u32).filter(|c| is_xml_char(*c)) {
                        Some(c) => Some(c),
                        None => return err(at, format!("&{name}; is not a character XML allows")),
                    }
                }
                None => None,
            },
        };
        match c {
            Some(c) => out.push(c),
            None => {
                return err(
                    at,
                    format!(
                        "entity &{name}; is not accepted: only &lt; &gt; &amp; &quot; &apos; and numeric references"
                    ),
                )
            }
        }
        rest = tail.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// Appends `s` escaped for text content or an attribute value: the five
/// markup characters become entities, and tabs, carriage returns and line
/// feeds in attributes become character references so they survive.
pub fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(doc: &str) -> Result<Element, XmlError> {
        read(&normalise_line_ends(doc))
    }

    #[test]
    fn reads_elements_attributes_text_and_cdata() {
        let el = read_str(
            "\u{FEFF}<?xml version=\"1.0\" encoding='utf-8'?>\n<!-- c --><A x = \"1 &amp; 2\" y='&#x3C;'>\
             <B>t&lt;&#233;<![CDATA[<raw>&amp;]]></B><C/><?pi data?></A>\n",
        )
        .unwrap();
        assert_eq!(el.name, "A");
        assert_eq!(el.attr("x"), Some("1 & 2"));
        assert_eq!(el.attr("y"), Some("<"));
        assert_eq!(el.children.len(), 2);
        assert_eq!(el.children[0].text, "t<é<raw>&amp;");
        assert_eq!(el.children[1].name, "C");
    }

    #[test]
    fn normalises_line_ends_and_attribute_whitespace() {
        let el = read_str("<A k=\"a\tb\r\nc&#10;\">x\r\ny\rz&#13;</A>").unwrap();
        assert_eq!(el.attr("k"), Some("a b c\n"));
        assert_eq!(el.text, "x\ny\nz\r");
    }

    #[test]
    fn refuses_what_a_spec_never_needs() {
        let cases = [
            ("<!DOCTYPE A [<!ENTITY e \"x\">]><A>&e;</A>", "DTDs"),
            ("<A>&e;</A>", "entity &e;"),
            ("<A>&#0;</A>", "not a character"),
            ("<A>&#xD800;</A>", "not a character"),
            ("<A>a & b</A>", "must start a reference"),
            ("<A>\u{1}</A>", "U+0001"),
            ("<A><B></A>", "expected </B>"),
            ("<A>", "not closed"),
            ("<A></A><B/>", "after the root"),
            ("<A a='1' a='2'/>", "appears twice"),
            ("<A a='<'/>", "not allowed in an attribute"),
            ("<A>]]></A>", "]]>"),
            ("<?xml version='1.0' encoding='latin1'?><A/>", "UTF-8"),
            ("<A/><?xml version='1.0'?>", "only allowed at the start"),
            ("<!ENTITY e 'x'><A/>", "markup declarations"),
            ("<A><!-- a -- b --></A>", "--"),
            ("text", "root element"),
            ("<1/>", "expected a name"),
            ("<A b/>", "expected \"=\""),
            ("<A b=c/>", "quoted"),
            ("<Ab='c'/>", "expected whitespace"),
        ];
        for (doc, want) in cases {
            let e = read_str(doc).unwrap_err();
            assert!(e.message.contains(want), "{doc}: {e:?}");
        }
    }

    #[test]
    fn limits_size_and_depth() {
        let big = format!("<A>{}</A>", "x".repeat(MAX_BYTES));
        assert!(read_str(&big).unwrap_err().message.contains("larger"));
        let deep = format!("{}{}", "<A>".repeat(10_000), "</A>".repeat(10_000));
        assert!(read_str(&deep).unwrap_err().message.contains("nested"));
        let ok = format!("{}{}", "<A>".repeat(MAX_DEPTH), "</A>".repeat(MAX_DEPTH));
        assert!(read_str(&ok).is_ok());
    }

    #[test]
    fn positions_are_lines_and_columns() {
        assert_eq!(position("ab\ncdé\nf", 7), (2, 4));
        assert_eq!(position("x", 0), (1, 1));
        let doc = "<A>\n  <B>&nope;</B></A>";
        let e = read_str(doc).unwrap_err();
        assert_eq!(position(doc, e.at), (2, 6));
    }

    #[test]
    fn escapes_round_trip_through_the_reader() {
        let s = "<&>\"' \t\r\n é 🚀";
        let mut attr = String::from("<A k=\"");
        escape_into(&mut attr, s, true);
        attr.push_str("\">");
        escape_into(&mut attr, s, false);
        attr.push_str("</A>");
        let el = read_str(&attr).unwrap();
        assert_eq!(el.attr("k"), Some(s));
        assert_eq!(el.text, s);
    }
}
