//! Checks an answer's bytes against its documented type without building
//! anything: one pass over the bytes, guided by the schema tables.
//!
//! It follows the document ([`crate::schema`]): a field its object's
//! `required` list names must be present, every other field may be absent
//! (and nothing is filled in for it), a present field must have its type,
//! `null` only where the document says `nullable`, whole numbers fit in
//! `i64`, any string is a valid enum value, unknown fields are ignored.
//!
//! The syntax is JSON's, exactly as `serde_json` reads it into a value
//! (strings are UTF-8 with paired surrogate escapes; a number must be
//! finite), so whatever passes here `JSON.parse` reads the same way. It is
//! a hand-written scanner rather than a serde visitor because it runs on
//! every answer: strings are skipped eight bytes at a time, keys are
//! compared as bytes from where the last one matched, and no path is kept
//! unless a check fails. Values of unknown fields (and untyped ones) are
//! skipped iteratively, however deep; typed nesting stops at 128 levels.

use crate::schema::{Field, Ty, TyRef};

/// One step of a path into an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// An object field.
    Key(&'static str),
    /// An array element.
    Index(usize),
}

/// Why a body was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// The bytes are not JSON (or not only JSON).
    Syntax(String),
    /// JSON, but not the documented shape.
    Shape(String),
}

/// Checks `body` against `ty`.
#[cfg_attr(katapult_speed, optimize(speed))]
pub fn validate(body: &[u8], ty: TyRef) -> Result<(), Invalid> {
    let mut scan = Scan {
        b: body,
        i: 0,
        depth: 0,
        stack: Vec::new(),
        // The orders seen by earlier checks (the same operation's answers
        // are written alike too).
        orders: ORDERS.with(|o| o.take()),
        strict_skip: false,
    };
    let result = scan.value(ty).and_then(|()| {
        scan.ws();
        match scan.i < body.len() {
            true => Err(scan.syntax("trailing characters")),
            false => Ok(()),
        }
    });
    ORDERS.with(|o| o.set(std::mem::take(&mut scan.orders)));
    result.map_err(|fail| {
        let (line, column) = position(body, fail.at);
        match fail.kind {
            Kind::Syntax(what) => Invalid::Syntax(format!("{what} at line {line} column {column}")),
            Kind::Shape(what) => {
                let mut path = fail.path;
                path.reverse();
                Invalid::Shape(match path.is_empty() {
                    true => format!("{what} at line {line} column {column}"),
                    false => format!(
                        "at {}: {what} at line {line} column {column}",
                        display(&path)
                    ),
                })
            }
        }
    })
}

/// Whether `body` is one JSON value exactly as `serde_json` reads it into a
/// value (every string, skipped or not, UTF-8 with paired surrogate
/// escapes), however deep: one pass, nothing built.
pub fn is_json(body: &[u8]) -> bool {
    let mut scan = Scan {
        b: body,
        i: 0,
        depth: 0,
        stack: Vec::new(),
        orders: Orders::default(),
        strict_skip: true,
    };
    scan.skip().is_ok() && {
        scan.ws();
        scan.i == body.len()
    }
}

/// `virtual_machines[3].package`.
pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Line and column (from 1) of byte offset `at`, as serde_json counts them.
fn position(body: &[u8], at: usize) -> (usize, usize) {
    let before = body.get(..at).unwrap_or(body);
    let line = 1 + before.iter().filter(|&&c| c == b'\n').count();
    let column = before.iter().rev().take_while(|&&c| c != b'\n').count();
    (line, column)
}

/// What went wrong, where, and (for a shape) the path, innermost first.
struct Fail {
    kind: Kind,
    at: usize,
    path: Vec<Seg>,
}

enum Kind {
    Syntax(&'static str),
    Shape(String),
}

impl Fail {
    /// The same failure, one step further out.
    fn within(mut self: Box<Self>, seg: Seg) -> Box<Fail> {
        if matches!(self.kind, Kind::Shape(_)) {
            self.path.push(seg);
        }
        self
    }
}

type Checked<T = ()> = Result<T, Box<Fail>>;

/// What a JSON value turned out to be, for messages.
#[derive(Clone, Copy)]
enum Got {
    Null,
    Bool,
    Int,
    BigInt,
    Float,
    Str,
    Arr,
    Obj,
}

impl Got {
    fn describe(self) -> &'static str {
        match self {
            Got::Null => "null",
            Got::Bool => "a boolean",
            Got::Int => "a whole number",
            Got::BigInt => "a whole number too large for 64 bits",
            Got::Float => "a number with a fraction or exponent",
            Got::Str => "a string",
            Got::Arr => "an array",
            Got::Obj => "an object",
        }
    }
}

/// What `ty` expects, for messages: "a string", "an object or null".
fn expected(ty: TyRef) -> String {
    let what = ty.ty().describe();
    if ty.nullable() {
        format!("{what} or null")
    } else {
        what.to_owned()
    }
}

/// serde_json's limit on nested arrays and objects.
const MAX_DEPTH: usize = 128;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `x` is `"`, `\\`, a control character or
/// not ASCII: the bytes a string scan must stop at.
/// The result has the high bit of each such byte set; its lowest set bit is
/// exact (the borrow tricks only err above a byte that matched), so
/// `trailing_zeros() / 8` is the index of the first one.
#[inline(always)]
fn special(x: u64) -> u64 {
    let zero = |v: u64| v.wrapping_sub(LO) & !v & HI;
    let quote = zero(x ^ (LO * u64::from(b'"')));
    let backslash = zero(x ^ (LO * u64::from(b'\\')));
    let control = x.wrapping_sub(LO * 0x20) & !x & HI;
    quote | backslash | control | (x & HI)
}

/// `a == b`, eight bytes at a time (field names are short; a call to
/// `memcmp` costs more than comparing them).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let (Some((x, ra)), Some((y, rb))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if x != y {
            return false;
        }
        (a, b) = (ra, rb);
    }
    let mut i = 0;
    while let (Some(x), Some(y)) = (a.get(i), b.get(i)) {
        if x != y {
            return false;
        }
        i += 1;
    }
    true
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    /// Typed arrays and objects open around the value being read.
    depth: usize,
    /// Closing brackets of the containers a skip is inside (reused).
    stack: Vec<u8>,
    /// The field order of the last object of a type, by type index.
    orders: Orders,
    /// Skipped strings are checked as strictly as typed ones.
    strict_skip: bool,
}

/// Object types whose last key order is remembered (by type index modulo).
const ORDER_SLOTS: usize = 32;

/// `ORDER_SLOTS` of (type index, [(field index, its name)]), made on first use.
type Orders = Vec<(u16, Vec<(u8, &'static [u8])>)>;

thread_local! {
    /// The key orders of the last check, for the next one.
    static ORDERS: std::cell::Cell<Orders> = const { std::cell::Cell::new(Vec::new()) };
}

impl<'a> Scan<'a> {
    fn fail(&self, kind: Kind) -> Box<Fail> {
        Box::new(Fail {
            kind,
            at: self.i,
            path: Vec::new(),
        })
    }

    fn syntax(&self, what: &'static str) -> Box<Fail> {
        self.fail(Kind::Syntax(what))
    }

    fn shape(&self, what: String) -> Box<Fail> {
        self.fail(Kind::Shape(what))
    }

    fn mismatch(&self, ty: TyRef, got: Got) -> Box<Fail> {
        self.shape(format!("expected {}, got {}", expected(ty), got.describe()))
    }

    /// The bytes from `from` to `to` (none when out of range, which the
    /// scan never asks for).
    #[inline(always)]
    fn span(&self, from: usize, to: usize) -> &'a [u8] {
        let b: &'a [u8] = self.b;
        b.get(from..to).unwrap_or(&[])
    }

    /// The bytes from the cursor on.
    fn rest(&self) -> &[u8] {
        self.b.get(self.i..).unwrap_or(&[])
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Reads one value of type `ty` (leading whitespace included).
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn value(&mut self, ty: TyRef) -> Checked {
        self.ws();
        let t = ty.ty();
        if t == Ty::Any {
            return self.skip();
        }
        let got = match self.peek() {
            Some(b'{') => return self.object(ty, t),
            Some(b'[') => return self.array(ty, t),
            Some(b'"') => {
                self.string(true)?;
                Got::Str
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal(b"true", Got::Bool)?,
            Some(b'f') => self.literal(b"false", Got::Bool)?,
            Some(b'n') => self.literal(b"null", Got::Null)?,
            Some(_) => return Err(self.syntax("expected value")),
            None => return Err(self.syntax("EOF while parsing a value")),
        };
        let ok = match (t, got) {
            (_, Got::Null) => ty.nullable(),
            (Ty::Str, Got::Str) | (Ty::Int, Got::Int) | (Ty::Bool, Got::Bool) => true,
            (Ty::Num, Got::Int | Got::BigInt | Got::Float) => true,
            _ => false,
        };
        match ok {
            true => Ok(()),
            false => Err(self.mismatch(ty, got)),
        }
    }

    #[cfg_attr(katapult_speed, optimize(speed))]
    fn literal(&mut self, word: &'static [u8], got: Got) -> Checked<Got> {
        let end = self.i + word.len();
        match self.b.get(self.i..end) {
            Some(w) if w == word => {
                self.i = end;
                Ok(got)
            }
            _ if end > self.b.len() && self.rest().iter().zip(word).all(|(a, b)| a == b) => {
                self.i = self.b.len();
                Err(self.syntax("EOF while parsing a value"))
            }
            _ => Err(self.syntax("expected ident")),
        }
    }

    /// Opens a typed array or object.
    fn enter(&mut self) -> Checked {
        self.depth += 1;
        match self.depth >= MAX_DEPTH {
            true => Err(self.shape("recursion limit exceeded".to_owned())),
            false => Ok(()),
        }
    }

    #[cfg_attr(katapult_speed, optimize(speed))]
    fn array(&mut self, ty: TyRef, t: Ty) -> Checked {
        let Ty::Arr(item) = t else {
            return Err(self.mismatch(ty, Got::Arr));
        };
        self.enter()?;
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            let mut index = 0;
            loop {
                self.value(item).map_err(|f| f.within(Seg::Index(index)))?;
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    Some(_) => return Err(self.syntax("expected `,` or `]`")),
                    None => return Err(self.syntax("EOF while parsing a list")),
                }
                index += 1;
            }
        }
        self.depth -= 1;
        Ok(())
    }

    #[cfg_attr(katapult_speed, optimize(speed))]
    fn object(&mut self, ty: TyRef, t: Ty) -> Checked {
        if !matches!(t, Ty::Obj(..) | Ty::Lookup(..)) {
            return Err(self.mismatch(ty, Got::Obj));
        }
        let fields = t.fields();
        self.enter()?;
        self.i += 1;
        self.ws();
        // Objects have at most 64 fields (the generator checks).
        let mut seen: u64 = 0;
        // Which field the k-th key is, as it was in the last object of this
        // type (the items of a list are written alike), else the field after
        // the last match (keys mostly come in the document's order).
        let slot = usize::from(ty.0 & 0x7fff) % ORDER_SLOTS;
        if self.orders.is_empty() {
            self.orders.resize(ORDER_SLOTS, (u16::MAX, Vec::new()));
        }
        let mut order = self
            .orders
            .get_mut(slot)
            .map(std::mem::take)
            .unwrap_or_default();
        if order.0 != ty.0 & 0x7fff {
            order = (ty.0 & 0x7fff, Vec::new());
        }
        let mut next = 0;
        let mut k = 0;
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                let found = match order.1.get(k).copied() {
                    Some((g, name)) if self.key_is(name) => Some(usize::from(g)),
                    Some(_) => self.key(fields, next)?,
                    None => match fields.get(next) {
                        Some(field) if self.key_is(field.name_bytes()) => Some(next),
                        _ => self.key(fields, next)?,
                    },
                };
                if let Some(i) = found {
                    if order.1.get(k).map(|e| usize::from(e.0)) != Some(i) {
                        let name = fields.get(i).map_or(&[][..], Field::name_bytes);
                        let entry = (u8::try_from(i).unwrap_or(u8::MAX), name);
                        match order.1.get_mut(k) {
                            Some(e) => *e = entry,
                            None => order.1.push(entry),
                        }
                    }
                    k += 1;
                }
                self.ws();
                match self.peek() {
                    Some(b':') => self.i += 1,
                    Some(_) => return Err(self.syntax("expected `:`")),
                    None => return Err(self.syntax("EOF while parsing an object")),
                }
                match found.and_then(|i| fields.get(i).map(|f| (i, f))) {
                    Some((i, field)) => {
                        next = i + 1;
                        let bit = 1u64 << (i % 64);
                        if seen & bit != 0 {
                            return Err(self.shape(format!("duplicate field `{}`", field.name())));
                        }
                        seen |= bit;
                        self.value(field.ty())
                            .map_err(|f| f.within(Seg::Key(field.name())))?;
                    }
                    None => {
                        self.ws();
                        self.skip()?;
                    }
                }
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                    }
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    Some(_) => return Err(self.syntax("expected `,` or `}`")),
                    None => return Err(self.syntax("EOF while parsing an object")),
                }
            }
        }
        order.1.truncate(k);
        if let Some(o) = self.orders.get_mut(slot) {
            *o = order;
        }
        self.depth -= 1;
        let missing = fields
            .iter()
            .enumerate()
            .find(|(i, field)| field.required() && seen & (1u64 << (i % 64)) == 0);
        match missing {
            Some((_, field)) => Err(self.shape(format!("missing field `{}`", field.name()))),
            None => Ok(()),
        }
    }

    /// Whether the key at the cursor is exactly a field's `name` (then read):
    /// a known name has no escapes, so no scan is needed.
    #[inline(always)]
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn key_is(&mut self, name: &[u8]) -> bool {
        let start = self.i + 1;
        let end = start + name.len();
        let hit = self.peek() == Some(b'"')
            && self.b.get(end) == Some(&b'"')
            && same(self.span(start, end), name);
        if hit {
            self.i = end + 1;
        }
        hit
    }

    /// Reads an object key (at its opening quote) as the index of a known
    /// field (or `None`), looking from `start` on, then from the beginning.
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn key(&mut self, fields: &'static [Field], start: usize) -> Checked<Option<usize>> {
        match self.peek() {
            Some(b'"') => {}
            Some(_) => return Err(self.syntax("key must be a string")),
            None => return Err(self.syntax("EOF while parsing an object")),
        }
        let from = self.i;
        let escaped = self.string(true)?;
        let raw = self.span(from + 1, self.i - 1);
        let decoded;
        let name: &[u8] = match escaped {
            false => raw,
            true => {
                // Rare: a key written with escapes is compared as its text.
                decoded = crate::json::parse(self.span(from, self.i));
                decoded
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .as_bytes()
            }
        };
        let start = start.min(fields.len());
        let (before, after) = fields.split_at(start);
        Ok(after
            .iter()
            .position(|f| same(f.name_bytes(), name))
            .map(|i| i + start)
            .or_else(|| before.iter().position(|f| same(f.name_bytes(), name))))
    }

    /// Reads a string (at its opening quote); says whether it had escapes.
    /// `strict` (a typed value or a key) also checks that it is UTF-8 with
    /// paired surrogate escapes, as serde_json does for what it reads; a
    /// skipped string is only held to what `JSON.parse` needs, as serde_json
    /// skips it (`TextDecoder` and `JSON.parse` take bad UTF-8 and lone
    /// surrogates in it).
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn string(&mut self, strict: bool) -> Checked<bool> {
        self.i += 1;
        let start = self.i;
        let (mut escaped, mut ascii) = (false, true);
        loop {
            while let Some(&word) = self
                .b
                .get(self.i..)
                .and_then(|rest| rest.first_chunk::<8>())
            {
                let found = special(u64::from_le_bytes(word));
                if found != 0 {
                    // Straight to the first byte that needs a look.
                    self.i += (found.trailing_zeros() / 8) as usize;
                    break;
                }
                self.i += 8;
            }
            match self.peek() {
                Some(b'"') => {
                    if strict && !ascii && std::str::from_utf8(self.span(start, self.i)).is_err() {
                        return Err(self.syntax("invalid unicode code point"));
                    }
                    self.i += 1;
                    return Ok(escaped);
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape(strict)?;
                    escaped = true;
                }
                Some(0..=0x1f) => {
                    return Err(self.syntax(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                Some(c) => {
                    ascii &= c < 0x80;
                    self.i += 1;
                }
                None => return Err(self.syntax("EOF while parsing a string")),
            }
        }
    }

    /// An escape, after its backslash.
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn escape(&mut self, strict: bool) -> Checked {
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.i += 1;
                Ok(())
            }
            Some(b'u') => {
                self.i += 1;
                let n = self.hex4()?;
                if !strict {
                    return Ok(());
                }
                if (0xDC00..=0xDFFF).contains(&n) {
                    return Err(self.syntax("lone leading surrogate in hex escape"));
                }
                if (0xD800..=0xDBFF).contains(&n) {
                    // A leading surrogate: a trailing one must follow.
                    match self.b.get(self.i..self.i + 2) {
                        Some(b"\\u") => self.i += 2,
                        Some(_) => return Err(self.syntax("unexpected end of hex escape")),
                        None => {
                            self.i = self.b.len();
                            return Err(self.syntax("EOF while parsing a string"));
                        }
                    }
                    if !(0xDC00..=0xDFFF).contains(&self.hex4()?) {
                        return Err(self.syntax("lone leading surrogate in hex escape"));
                    }
                }
                Ok(())
            }
            Some(_) => Err(self.syntax("invalid escape")),
            None => Err(self.syntax("EOF while parsing a string")),
        }
    }

    fn hex4(&mut self) -> Checked<u16> {
        let mut n = 0u16;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                Some(_) => return Err(self.syntax("invalid escape")),
                None => return Err(self.syntax("EOF while parsing a string")),
            };
            n = n << 4 | u16::from(digit);
            self.i += 1;
        }
        Ok(n)
    }

    #[cfg_attr(katapult_speed, optimize(speed))]
    fn digits(&mut self) -> usize {
        let from = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - from
    }

    /// Reads a number: what kind of number serde_json would make of it.
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn number(&mut self) -> Checked<Got> {
        let start = self.i;
        let (negative, whole, float) = self.number_syntax()?;
        if !float {
            let mut n: u64 = 0;
            // Up to 19 digits cannot overflow; more are checked.
            let fits = match whole.len() <= 19 {
                true => {
                    for &d in whole {
                        n = n * 10 + u64::from(d - b'0');
                    }
                    true
                }
                false => whole.iter().all(|&d| {
                    n.checked_mul(10)
                        .and_then(|m| m.checked_add(u64::from(d - b'0')))
                        .map(|m| n = m)
                        .is_some()
                }),
            };
            if fits {
                return Ok(match negative {
                    false if n <= i64::MAX as u64 => Got::Int,
                    false => Got::BigInt,
                    true if n != 0 && n <= 1 << 63 => Got::Int,
                    // -0, and below i64::MIN: serde_json reads a float.
                    true => self.float(start)?,
                });
            }
        }
        self.float(start)
    }

    /// A number that is not a 64-bit integer must be a finite `f64`.
    fn float(&self, start: usize) -> Checked<Got> {
        // A number beyond `f64` is refused, as serde_json refuses it.
        let finite = std::str::from_utf8(self.span(start, self.i)).is_ok_and(crate::json::finite);
        match finite {
            true => Ok(Got::Float),
            false => Err(self.syntax("number out of range")),
        }
    }

    fn number_end(&self) -> Box<Fail> {
        match self.peek() {
            None => self.syntax("EOF while parsing a value"),
            Some(_) => self.syntax("invalid number"),
        }
    }

    /// A number's syntax (JSON's): whether it is negative, its whole part,
    /// and whether it has a fraction or an exponent. A skipped number is
    /// only this (serde_json skips it so; `JSON.parse` reads one beyond
    /// `f64` as `Infinity`).
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn number_syntax(&mut self) -> Checked<(bool, &'a [u8], bool)> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.syntax("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => return Err(self.syntax("invalid number")),
            None => return Err(self.syntax("EOF while parsing a value")),
        }
        let whole = self.span(start + usize::from(negative), self.i);
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.number_end());
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.number_end());
            }
            float = true;
        }
        Ok((negative, whole, float))
    }

    /// Skips any one value, checking its syntax, without recursion.
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn skip(&mut self) -> Checked {
        self.stack.clear();
        loop {
            // A value.
            self.ws();
            match self.peek() {
                Some(b'"') => {
                    self.string(self.strict_skip)?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    let start = self.i;
                    let (_, _, float) = self.number_syntax()?;
                    if self.strict_skip && (float || self.i - start > 19) {
                        self.float(start)?;
                    }
                }
                Some(b't') => {
                    self.literal(b"true", Got::Bool)?;
                }
                Some(b'f') => {
                    self.literal(b"false", Got::Bool)?;
                }
                Some(b'n') => {
                    self.literal(b"null", Got::Null)?;
                }
                Some(b'[') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                    } else {
                        self.stack.push(b']');
                        continue;
                    }
                }
                Some(b'{') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                    } else {
                        self.stack.push(b'}');
                        self.member_key()?;
                        continue;
                    }
                }
                Some(_) => return Err(self.syntax("expected value")),
                None => return Err(self.syntax("EOF while parsing a value")),
            }
            // After a value: close what ends here, or go on to the next one.
            loop {
                let Some(&close) = self.stack.last() else {
                    return Ok(());
                };
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        if close == b'}' {
                            self.ws();
                            self.member_key()?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.i += 1;
                        self.stack.pop();
                    }
                    Some(_) if close == b'}' => return Err(self.syntax("expected `,` or `}`")),
                    Some(_) => return Err(self.syntax("expected `,` or `]`")),
                    None if close == b'}' => return Err(self.syntax("EOF while parsing an object")),
                    None => return Err(self.syntax("EOF while parsing a list")),
                }
            }
        }
    }

    /// A skipped object's `"key":`.
    #[cfg_attr(katapult_speed, optimize(speed))]
    fn member_key(&mut self) -> Checked {
        match self.peek() {
            Some(b'"') => {}
            Some(_) => return Err(self.syntax("key must be a string")),
            None => return Err(self.syntax("EOF while parsing an object")),
        }
        self.string(self.strict_skip)?;
        self.ws();
        match self.peek() {
            Some(b':') => {
                self.i += 1;
                Ok(())
            }
            Some(_) => Err(self.syntax("expected `:`")),
            None => Err(self.syntax("EOF while parsing an object")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::operations as ops;
    use crate::schema::TyRef;

    const LIST: TyRef = ops::GET_ORGANIZATION_VIRTUAL_MACHINES.answer;
    const GET_VM: TyRef = ops::GET_VIRTUAL_MACHINE.answer;
    const TASK: TyRef = ops::POST_VIRTUAL_MACHINE_SHUTDOWN.answer;
    use crate::testdata;

    fn shape_error(body: &str, ty: TyRef) -> String {
        match validate(body.as_bytes(), ty) {
            Err(Invalid::Shape(m)) => m,
            other => panic!("expected a shape error for {body}, got {other:?}"),
        }
    }

    #[test]
    fn field_names_need_no_escapes() {
        // `key_is` compares a key's raw bytes with a field's name.
        for field in crate::generated::schema::FIELDS.iter() {
            let name = field.name();
            assert!(!name.is_empty(), "a field without a name");
            assert!(
                name.bytes().all(|c| c >= 0x20 && c != b'"' && c != b'\\'),
                "{name:?}"
            );
        }
    }

    #[test]
    fn keys_in_any_order_and_with_escapes_are_found() {
        // The list's items in document order, alphabetical order, and with
        // a key written as escapes; the second item reorders the first's.
        let body = r#"{"virtual_machines":[{"id":"a","name":"n","created_at":1},{"created_at":"x"}],"pagination":{}}"#;
        assert!(shape_error(body, LIST)
            .starts_with("at virtual_machines[1].created_at: expected a whole number"));
        let escaped = r#"{"pagination":{},"virtual_machines":[{"\u0069d":5}]}"#;
        assert!(
            shape_error(escaped, LIST).starts_with("at virtual_machines[0].id: expected a string")
        );
        let repeated = r#"{"pagination":{},"virtual_machines":[{"id":"a","\u0069d":"b"}]}"#;
        assert!(
            shape_error(repeated, LIST).starts_with("at virtual_machines[0]: duplicate field `id`")
        );
    }

    #[test]
    fn the_example_and_live_bodies_are_valid() {
        assert_eq!(validate(testdata::GET_VM.as_bytes(), GET_VM), Ok(()));
        assert_eq!(validate(testdata::LIST_VMS.as_bytes(), LIST), Ok(()));
        assert_eq!(validate(testdata::LIVE_LIST.as_bytes(), LIST), Ok(()));
    }

    #[test]
    fn only_the_documents_required_fields_must_be_present() {
        // The list's items, its zone, data center and pagination require nothing.
        let sparse = r#"{"pagination":{},"virtual_machines":[{},{"id":"vm_1"},{"zone":{"data_center":{}}}]}"#;
        assert_eq!(validate(sparse.as_bytes(), LIST), Ok(()));
        // The response's own required keys stay required.
        assert!(shape_error(r#"{"pagination":{}}"#, LIST)
            .starts_with("missing field `virtual_machines`"));
        assert!(shape_error(r#"{"virtual_machines":[]}"#, LIST)
            .starts_with("missing field `pagination`"));
    }

    #[test]
    fn null_only_where_the_document_says_nullable() {
        let ok = r#"{"pagination":{"total":null,"total_pages":null},"virtual_machines":[{"package":null,"gpu_type":null,"zone":{"permalink":null}}]}"#;
        assert_eq!(validate(ok.as_bytes(), LIST), Ok(()));
        assert!(shape_error(
            r#"{"pagination":{"per_page":null},"virtual_machines":[]}"#,
            LIST
        )
        .starts_with("at pagination.per_page: expected a whole number, got null"));
        assert!(shape_error(
            r#"{"pagination":{},"virtual_machines":[{"zone":null}]}"#,
            LIST
        )
        .starts_with("at virtual_machines[0].zone: expected an object, got null"));
        assert!(
            shape_error(r#"{"pagination":{},"virtual_machines":null}"#, LIST)
                .starts_with("at virtual_machines: expected an array, got null")
        );
    }

    #[test]
    fn shape_errors_name_the_path_and_what_was_found() {
        let cases = [
            (
                testdata::GET_VM.replace(r#""created_at":1700000000"#, r#""created_at":"1700000000""#),
                "at virtual_machine.created_at: expected a whole number, got a string",
            ),
            (
                testdata::GET_VM.replace(r#""created_at":1700000000"#, r#""created_at":1.5"#),
                "at virtual_machine.created_at: expected a whole number, got a number with a fraction or exponent",
            ),
            (
                testdata::GET_VM.replace(r#""created_at":1700000000"#, r#""created_at":18446744073709551615"#),
                "at virtual_machine.created_at: expected a whole number, got a whole number too large for 64 bits",
            ),
            (
                testdata::GET_VM.replace(r#""gpus":["#, r#""gpus":[5,"#),
                "at virtual_machine.gpus[0]: expected an object, got a whole number",
            ),
            (
                testdata::GET_VM.replace(r#""annotations":["#, r#""annotations":{"a":1},"x":["#),
                "at annotations: expected an array, got an object",
            ),
            (
                testdata::GET_VM.replace(r#""description":null"#, r#""description":7"#),
                "at virtual_machine.description: expected a string or null, got a whole number",
            ),
            ("[]".to_owned(), "expected an object, got an array"),
            ("null".to_owned(), "expected an object, got null"),
        ];
        for (body, message) in cases {
            let m = shape_error(&body, GET_VM);
            assert!(m.starts_with(message), "{m}");
        }
        assert!(shape_error(r#"{"task":{"id":"a","id":"b"}}"#, TASK)
            .starts_with("at task: duplicate field `id`"));
    }

    #[test]
    fn syntax_errors_are_told_apart() {
        let valid = r#"{"task":{"id":"a","name":"n","status":"x"}}"#;
        for body in [
            "",
            "{",
            "<html>",
            "{\"task\":",
            &format!("{valid}{valid}"),
            &format!("{valid} x"),
            "\u{feff}{}",
        ] {
            assert!(
                matches!(validate(body.as_bytes(), TASK), Err(Invalid::Syntax(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn unknown_fields_and_enum_values_are_fine() {
        let body = r#"{"task":{"id":"a","name":"n","status":"queued","new":{"deep":[1,2,{"x":null}]}},"meta":1}"#;
        assert_eq!(validate(body.as_bytes(), TASK), Ok(()));
    }

    #[test]
    fn deep_nesting_never_overflows_the_stack() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // Skipped in an unknown field (iteratively, as JSON.parse does).
        let unknown = format!(r#"{{"task":{{"id":"a","junk":{deep}}}}}"#);
        assert_eq!(validate(unknown.as_bytes(), TASK), Ok(()));
        // Rejected at once where a string belongs.
        let known = format!(r#"{{"task":{{"id":{deep}}}}}"#);
        assert!(matches!(
            validate(known.as_bytes(), TASK),
            Err(Invalid::Shape(_))
        ));
        // Unbalanced: not JSON.
        let open = format!(r#"{{"task":{{"junk":{}"#, "[".repeat(100_000));
        assert!(matches!(
            validate(open.as_bytes(), TASK),
            Err(Invalid::Syntax(_))
        ));
    }

    #[test]
    fn the_value_reading_agrees_on_the_examples() {
        use crate::schema::conforms;
        for (body, ty) in [
            (testdata::GET_VM, GET_VM),
            (testdata::LIST_VMS, LIST),
            (testdata::LIVE_LIST, LIST),
        ] {
            let value: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(conforms(&value, ty, false), Ok(()));
        }
        // Strict: keys the document does not list are refused.
        let extra: serde_json::Value =
            serde_json::from_str(r#"{"pagination":{},"virtual_machines":[{"state":"started"}]}"#)
                .unwrap();
        assert_eq!(conforms(&extra, LIST, false), Ok(()));
        assert_eq!(
            conforms(&extra, LIST, true),
            Err(
                "at virtual_machines[0]: expected no field `state` (the document does not list it)"
                    .into()
            )
        );
    }
}
