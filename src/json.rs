//! JSON text to and from `serde_json::Value`, written for this crate: the
//! module reads what the package's JavaScript serialised (arguments, a
//! config, a spec object) and writes request bodies and its answers to the
//! driver. serde_json's own reader and writer (with its float formatting)
//! cost the module more than all of its decisions; its `Value` stays the
//! data type every check works on.
//!
//! The reader takes one JSON value as serde_json does (UTF-8 strings with
//! paired surrogate escapes, finite numbers, no trailing characters),
//! nested at most [`MAX_DEPTH`] deep. Numbers keep their text (serde_json's
//! `arbitrary_precision`), so the writer writes them as they came, and
//! [`integer`] and [`finite`] read them without floating point.

use serde_json::{Map, Number, Value};
use std::fmt::Write;

/// Nesting the reader accepts (what JavaScript sends nests 12 deep at most).
pub const MAX_DEPTH: usize = 128;

/// One JSON value from `text`, or `None` if it is not exactly one.
pub fn parse(text: &[u8]) -> Option<Value> {
    let mut reader = Reader { b: text, i: 0 };
    let value = reader.value(0)?;
    reader.ws();
    (reader.i == text.len()).then_some(value)
}

/// `value` as compact JSON text.
pub fn write(value: &Value) -> String {
    let mut out = String::new();
    write_into(&mut out, value);
    out
}

/// Appends `value` as compact JSON text.
pub fn write_into(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => number(out, n),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_into(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                write_into(out, v);
            }
            out.push('}');
        }
    }
}

/// A number as JSON text (and as query text): in the module as it was
/// given; natively as serde_json writes it.
pub fn number(out: &mut String, n: &Number) {
    out.push_str(&text_of(n));
}

/// A number's text.
#[cfg(target_arch = "wasm32")]
fn text_of(n: &Number) -> std::borrow::Cow<'_, str> {
    n.as_str().into()
}

/// A number's text.
#[cfg(not(target_arch = "wasm32"))]
fn text_of(n: &Number) -> std::borrow::Cow<'_, str> {
    n.to_string().into()
}

/// A number read from its JSON text: in the module the text itself (as
/// serde_json's `arbitrary_precision` keeps it, an exponent's sign
/// written); natively as serde_json reads it.
#[cfg(target_arch = "wasm32")]
fn number_from(text: &str) -> Option<Number> {
    let mut kept = text.to_owned();
    if let Some(at) = kept.find(['e', 'E']) {
        if !matches!(kept.as_bytes().get(at + 1), Some(b'+' | b'-')) {
            kept.insert(at + 1, '+');
        }
    }
    Some(Number::from_string_unchecked(kept))
}

/// A number read from its JSON text.
#[cfg(not(target_arch = "wasm32"))]
fn number_from(text: &str) -> Option<Number> {
    serde_json::from_str(text).ok()
}

/// The parts of a JSON number's text: its sign, its digits without the
/// point or leading zeros, and the power of ten of their last digit.
fn decimal(text: &str) -> Option<(bool, Vec<u8>, i64)> {
    let b = text.as_bytes();
    let negative = b.first() == Some(&b'-');
    let rest = b.get(usize::from(negative)..)?;
    let (mantissa, exponent) = match rest.iter().position(|c| matches!(c, b'e' | b'E')) {
        Some(at) => (
            rest.get(..at)?,
            std::str::from_utf8(rest.get(at + 1..)?).ok()?,
        ),
        None => (rest, "0"),
    };
    let exponent: i64 = exponent.trim_start_matches('+').parse().unwrap_or(
        // Beyond i64: a huge magnitude either way.
        if exponent.starts_with('-') {
            i64::MIN / 2
        } else {
            i64::MAX / 2
        },
    );
    let (int, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(at) => (mantissa.get(..at)?, mantissa.get(at + 1..)?),
        None => (mantissa, &[][..]),
    };
    let mut digits: Vec<u8> = int.iter().chain(frac).copied().collect();
    let mut power = exponent.saturating_sub(i64::try_from(frac.len()).ok()?);
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
        power = power.saturating_add(1);
    }
    let first = digits
        .iter()
        .position(|&c| c != b'0')
        .unwrap_or(digits.len());
    digits.drain(..first);
    Some((negative, digits, power))
}

/// The whole number a JSON number is, when it is one an `i64` holds
/// (`50`, `5e1` and `50.0` alike).
pub fn integer(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    integer_text(&text_of(n))
}

/// [`integer`] of a number's text.
fn integer_text(text: &str) -> Option<i64> {
    let (negative, digits, power) = decimal(text)?;
    if digits.is_empty() {
        return Some(0);
    }
    if !(0..=18).contains(&power) {
        return None;
    }
    let mut value: i64 = 0;
    for d in digits
        .iter()
        .chain(std::iter::repeat_n(&b'0', usize::try_from(power).ok()?))
    {
        value = value.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    Some(if negative { -value } else { value })
}

/// Whether a JSON number's text is within `f64`'s range (as serde_json
/// reads numbers, one beyond it is refused; `JSON.parse` would make it
/// Infinity). Decided on the text: no float is parsed.
pub fn finite(text: &str) -> bool {
    let Some((_, digits, power)) = decimal(text) else {
        return false;
    };
    if digits.is_empty() {
        return true;
    }
    // The magnitude: digits × 10^power, compared with f64::MAX rounded up
    // to where a decimal rounds to infinity (1.797693134862315807…e308).
    let magnitude = i64::try_from(digits.len())
        .unwrap_or(i64::MAX)
        .saturating_add(power)
        - 1;
    match magnitude.cmp(&308) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => digits.as_slice() < &b"17976931348623158079"[..],
    }
}

/// A string as a JSON string literal.
pub fn string(out: &mut String, s: &str) {
    out.push('"');
    let mut from = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if u32::from(c) < 0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(from..i).unwrap_or(""));
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push_str(escape);
        }
        from = i + c.len_utf8();
    }
    out.push_str(s.get(from..).unwrap_or(""));
    out.push('"');
}

/// The members of the object `text` is (JSON that [`crate::validate::is_json`]
/// accepted), each key with the raw text of its value, in order; `None`
/// when it is not an object. Nothing is built but the keys.
pub fn members(text: &[u8]) -> Option<Vec<(String, &[u8])>> {
    let mut reader = Reader { b: text, i: 0 };
    reader.ws();
    reader.eat(b"{")?;
    let mut out = Vec::new();
    loop {
        reader.ws();
        match reader.peek()? {
            b'}' => return Some(out),
            b',' => {
                reader.i += 1;
                continue;
            }
            b'"' => {}
            _ => return None,
        }
        let key = reader.string()?;
        reader.ws();
        reader.eat(b":")?;
        reader.ws();
        let start = reader.i;
        reader.skip()?;
        out.push((key, text.get(start..reader.i)?));
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.ws();
        match self.peek()? {
            b'n' => self.eat(b"null").map(|()| Value::Null),
            b't' => self.eat(b"true").map(|()| Value::Bool(true)),
            b'f' => self.eat(b"false").map(|()| Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'[' if depth < MAX_DEPTH => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(Value::Array(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' if depth < MAX_DEPTH => {
                self.i += 1;
                let mut map = Map::new();
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(Value::Object(map));
                }
                loop {
                    self.ws();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    self.ws();
                    self.eat(b":")?;
                    let value = self.value(depth + 1)?;
                    map.insert(key, value);
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(Value::Object(map));
                        }
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            _ => None,
        }
    }

    /// Skips one value of text already known to be JSON, however deep.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    while let Some(c) = self.peek() {
                        self.i += 1;
                        match c {
                            b'\\' => self.i += 1,
                            b'"' => break,
                            _ => {}
                        }
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    self.i += 1;
                }
                b']' | b'}' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' if depth > 0 => self.i += 1,
                _ => {
                    // A scalar: up to the next delimiter.
                    while !matches!(
                        self.peek(),
                        None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                    ) {
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<Number> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
            float = true;
        }
        let text = std::str::from_utf8(self.b.get(start..self.i)?).ok()?;
        if float && !finite(text) {
            return None;
        }
        number_from(text)
    }

    /// A string, at its opening quote.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.extend_from_slice(self.b.get(start..self.i)?);
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    self.i += 1;
                    let c = self.peek()?;
                    self.i += 1;
                    let simple = match c {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let mut code = u32::from(self.hex4()?);
                            if (0xDC00..0xE000).contains(&code) {
                                return None;
                            }
                            if (0xD800..0xDC00).contains(&code) {
                                self.eat(b"\\u")?;
                                let low = u32::from(self.hex4()?);
                                if !(0xDC00..0xE000).contains(&low) {
                                    return None;
                                }
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            }
                            let mut buf = [0; 4];
                            out.extend_from_slice(
                                char::from_u32(code)?.encode_utf8(&mut buf).as_bytes(),
                            );
                            continue;
                        }
                        _ => return None,
                    };
                    out.push(simple);
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u16> {
        let text = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
        let n = u16::from_str_radix(text, 16).ok()?;
        // from_str_radix takes a sign: JSON does not.
        if text.starts_with('+') {
            return None;
        }
        self.i += 4;
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_as_serde_json_does() {
        for text in [
            r#"{"a":[1,-2,3.5,1e3,-0,18446744073709551615,-9223372036854775808,1e300],"b":null,"c":true,"d":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00é"}"#,
            "  [ ]  ",
            "{}",
            "0",
            r#""""#,
            "123456789012345678901234567890",
        ] {
            let ours = parse(text.as_bytes()).unwrap_or_else(|| panic!("{text}"));
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        for bad in [
            "",
            "[",
            "[1,]",
            "{\"a\"}",
            "01",
            "1.",
            "-",
            "1e",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\u+123\"",
            "\"\u{1}\"",
            "nul",
            "[1] 2",
            "1e400",
            "{\"a\":1,}",
            "\"\\x\"",
        ] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
            assert!(serde_json::from_str::<Value>(bad).is_err(), "{bad}");
        }
        assert_eq!(parse(&[b'"', 0xff, b'"']), None);
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(parse(deep.as_bytes()), None);
    }

    #[test]
    fn whole_numbers_and_the_range_are_read_from_the_text() {
        let n = |t: &str| match parse(t.as_bytes()) {
            Some(Value::Number(n)) => n,
            other => panic!("{t}: {other:?}"),
        };
        for (text, want) in [
            ("50", Some(50)),
            ("50.0", Some(50)),
            ("5e1", Some(50)),
            ("5.00e+1", Some(50)),
            ("-0", Some(0)),
            ("0.0", Some(0)),
            ("-12", Some(-12)),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("9.2233720368547758e18", Some(9_223_372_036_854_775_800)),
            ("9.2233720368547759e18", None),
            ("0.5", None),
            ("1e-3", None),
            ("1e400", None),
        ] {
            assert_eq!(integer_text(text), want, "{text}");
            if want.is_some_and(|w| w.unsigned_abs() < 1 << 53) {
                assert_eq!(integer(&n(text)), want, "{text}");
            }
        }
        for (text, ok) in [
            ("1.7976931348623157e308", true),
            ("1.797693134862315808e308", false),
            ("1.8e308", false),
            ("1e309", false),
            ("179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", true),
            ("1e-400", true),
            ("0e999999999999999999999", true),
            ("-1e308", true),
        ] {
            assert_eq!(finite(text), ok, "{text}");
            let theirs = serde_json::from_str::<f64>(text).map(f64::is_finite).unwrap_or(false);
            assert_eq!(theirs, ok, "serde_json on {text}");
        }
    }

    #[test]
    fn writes_what_reads_back_the_same() {
        let value = json!({"a": [1, -2, 3.5, 1e300, 0.1, 1e-7, -1e-300], "b": "q\"\\\n\u{1}é😀", "c": {}, "d": null, "e": false});
        let text = write(&value);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
        assert_eq!(parse(text.as_bytes()).unwrap(), value);
        assert_eq!(write(&json!(2.0)), "2.0");
        assert_eq!(write(&json!("\u{1f}")), "\"\\u001f\"");
    }
}
