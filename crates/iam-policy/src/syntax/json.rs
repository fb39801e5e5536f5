//! A strict JSON (RFC 8259) parser that keeps the source span of every value
//! and every object key, and keeps duplicate keys (so that they can be
//! reported) instead of silently dropping them.
//!
//! serde_json cannot report the position of a nested value, which the
//! playground needs to underline errors and highlight statements.
//!
//! The parser reads the text in place, byte by byte (positions still count
//! characters). [`parse`] gives owned strings; the policy parser reads with
//! [`parse_borrowed`], whose strings borrow from the text unless they hold
//! escapes, so that only the strings a policy keeps are copied.

use crate::span::{Position, Span};
use std::borrow::Cow;

/// A JSON value with its span. `S` holds the strings: `String`, or
/// `Cow<str>` borrowing from the text ([`parse_borrowed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonValue<S = String> {
    pub kind: JsonKind<S>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind<S = String> {
    Null,
    Bool(bool),
    /// The number as written (validated JSON number syntax).
    Number(S),
    String(S),
    Array(Vec<JsonValue<S>>),
    /// Members in source order, duplicates included.
    Object(Vec<JsonMember<S>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember<S = String> {
    pub key: S,
    pub key_span: Span,
    pub value: JsonValue<S>,
}

/// A syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub hint: String,
    pub span: Span,
}

impl<S: AsRef<str>> JsonValue<S> {
    /// A short name of the value's type, for messages ("a string", "an array").
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[JsonMember<S>]> {
        match &self.kind {
            JsonKind::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Scalars as the text a policy means by them: strings as is, numbers as
    /// written, booleans as `true`/`false`.
    pub fn scalar_text(&self) -> Option<String> {
        self.scalar_str().map(str::to_string)
    }

    /// [`JsonValue::scalar_text`], without copying it.
    pub fn scalar_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) | JsonKind::Number(s) => Some(s.as_ref()),
            JsonKind::Bool(true) => Some("true"),
            JsonKind::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// Converts to a serde_json value (key order kept; a duplicate key keeps its last value).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.kind {
            JsonKind::Null => serde_json::Value::Null,
            JsonKind::Bool(b) => serde_json::Value::Bool(*b),
            // `Number`'s `FromStr` is serde_json's own number reader, without a serde visitor
            // (whose type-error messages bring Rust's float formatter, about 20 KB, into the
            // documentation widget's WebAssembly); a number out of `f64`'s range stays its text.
            JsonKind::Number(n) => n.as_ref().parse::<serde_json::Number>().map_or_else(
                |_| serde_json::Value::String(n.as_ref().to_string()),
                serde_json::Value::Number,
            ),
            JsonKind::String(s) => serde_json::Value::String(s.as_ref().to_string()),
            JsonKind::Array(items) => {
                serde_json::Value::Array(items.iter().map(JsonValue::to_serde).collect())
            }
            JsonKind::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.as_ref().to_string(), m.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// How the parser stores a string: copied, or borrowed from the text when
/// it holds no escape.
pub trait JsonStr<'t>: Sized + AsRef<str> {
    fn borrowed(s: &'t str) -> Self;
    fn owned(s: String) -> Self;
}

impl<'t> JsonStr<'t> for String {
    fn borrowed(s: &'t str) -> Self {
        s.to_string()
    }
    fn owned(s: String) -> Self {
        s
    }
}

impl<'t> JsonStr<'t> for Cow<'t, str> {
    fn borrowed(s: &'t str) -> Self {
        Cow::Borrowed(s)
    }
    fn owned(s: String) -> Self {
        Cow::Owned(s)
    }
}

/// Parses a whole text as one JSON value.
///
/// Reads through [`parse_doc`] and then builds the tree, so that the parser
/// is compiled once (a second copy of it would cost the playground's
/// WebAssembly about 8 KB).
pub fn parse(text: &str) -> Result<JsonValue, JsonError> {
    parse_doc(text).map(|d| d.tree(&d.root))
}

/// Parses a whole text as one JSON value whose strings borrow from the text
/// (unless they hold escapes).
pub fn parse_borrowed(text: &str) -> Result<JsonValue<Cow<'_, str>>, JsonError> {
    parse_doc(text).map(|d| d.tree(&d.root))
}

impl JsonValue<Cow<'_, str>> {
    /// The same value with owned strings (an escaped string is moved, not
    /// copied).
    pub fn into_owned(self) -> JsonValue {
        let kind = match self.kind {
            JsonKind::Null => JsonKind::Null,
            JsonKind::Bool(b) => JsonKind::Bool(b),
            JsonKind::Number(n) => JsonKind::Number(n.into_owned()),
            JsonKind::String(s) => JsonKind::String(s.into_owned()),
            JsonKind::Array(items) => {
                JsonKind::Array(items.into_iter().map(JsonValue::into_owned).collect())
            }
            JsonKind::Object(members) => JsonKind::Object(
                members
                    .into_iter()
                    .map(|m| JsonMember {
                        key: m.key.into_owned(),
                        key_span: m.key_span,
                        value: m.value.into_owned(),
                    })
                    .collect(),
            ),
        };
        JsonValue {
            kind,
            span: self.span,
        }
    }
}

/// A string of a [`Doc`]: a byte range of the text, or (when it held
/// escapes) of the document's buffer of decoded strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Str {
    start: u32,
    len: u32,
    decoded: bool,
}

/// A value as a [`Doc`] stores it: arrays and objects are ranges of the
/// document's arrays of elements and members.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    kind: NodeKind,
    span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum NodeKind {
    Null,
    Bool(bool),
    Number(Str),
    String(Str),
    Array { first: u32, len: u32 },
    Object { first: u32, len: u32 },
}

/// An object member as a [`Doc`] stores it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Slot {
    key: Str,
    key_span: Span,
    value: Node,
}

/// A whole JSON text read into three arrays (every array's elements, every
/// object's members, the decoded text of the strings that held escapes)
/// instead of one allocation per object, array and escaped string; other
/// strings are ranges of the text. Read it through [`Doc::root`].
#[derive(Debug, Clone)]
pub struct Doc<'t> {
    text: &'t str,
    bufs: Buffers,
    root: Node,
}

/// A value of a [`Doc`], with its span; [`Value::kind`] tells what it is.
#[derive(Debug, Clone, Copy)]
pub struct Value<'d> {
    pub span: Span,
    doc: &'d Doc<'d>,
    node: &'d Node,
}

#[derive(Debug, Clone, Copy)]
pub enum ValueKind<'d> {
    Null,
    Bool(bool),
    /// The number as written (validated JSON number syntax).
    Number(&'d str),
    String(&'d str),
    Array(Array<'d>),
    /// Members in source order, duplicates included.
    Object(Object<'d>),
}

/// The elements of an array of a [`Doc`].
#[derive(Debug, Clone, Copy)]
pub struct Array<'d> {
    doc: &'d Doc<'d>,
    nodes: &'d [Node],
}

/// The members of an object of a [`Doc`], in source order.
#[derive(Debug, Clone, Copy)]
pub struct Object<'d> {
    doc: &'d Doc<'d>,
    slots: &'d [Slot],
}

/// A member of an object of a [`Doc`].
#[derive(Debug, Clone, Copy)]
pub struct Member<'d> {
    pub key: &'d str,
    pub key_span: Span,
    pub value: Value<'d>,
}

/// Parses a whole text as one JSON value into a [`Doc`].
pub fn parse_doc(text: &str) -> Result<Doc<'_>, JsonError> {
    if u32::try_from(text.len()).is_err() {
        return Err(JsonError {
            message: "the text is too large (4 GiB or more)".to_string(),
            hint: "split it into smaller texts".to_string(),
            span: Span::default(),
        });
    }
    let mut bufs = Buffers::take();
    // About one element and one member per 40 bytes of a policy's text;
    // nine pending members cover a policy's nesting.
    let guess = text.len() / 40 + 4;
    bufs.doc_items.reserve(guess);
    bufs.doc_members.reserve(guess);
    bufs.members.reserve(9);
    bufs.items.reserve(16);
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        cont: 0,
        line: 1,
        line_offset: 0,
        depth: 0,
        bufs,
    };
    p.skip_ws();
    if p.peek().is_none() {
        return Err(*p.error_here(
            "the text is empty",
            "write a JSON object, for example {\"Version\": \"2012-10-17\", \"Statement\": []}",
        ));
    }
    let root = p.value().map_err(|e| *e)?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(*p.error_here(
            &format!("unexpected {} after the end of the JSON value", describe(c)),
            "remove the extra text, or wrap several values in an array",
        ));
    }
    Ok(Doc {
        text,
        bufs: p.bufs,
        root,
    })
}

/// The vectors a document is read into. A thread keeps those of its last
/// document (when they are not large), so that reading the next one
/// allocates nothing while it fits in them: the playground and the CLI
/// read policy after policy.
#[derive(Debug, Clone, Default)]
struct Buffers {
    /// The members of the objects being read, innermost last: each object
    /// moves its own off the top into `doc_members` when it closes.
    members: Vec<Slot>,
    /// The same for array elements.
    items: Vec<Node>,
    /// Every array's elements, each array's contiguous.
    doc_items: Vec<Node>,
    /// Every object's members, each object's contiguous.
    doc_members: Vec<Slot>,
    /// The decoded text of the strings that hold escapes.
    decoded: String,
}

thread_local! {
    static SPARE: std::cell::Cell<Option<Buffers>> = const { std::cell::Cell::new(None) };
}

impl Buffers {
    /// Buffers above this size (in bytes) are freed rather than kept.
    const KEEP: usize = 256 * 1024;

    fn take() -> Buffers {
        SPARE
            .try_with(std::cell::Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    fn give_back(mut self) {
        use std::mem::size_of;
        let bytes = (self.members.capacity() + self.doc_members.capacity()) * size_of::<Slot>()
            + (self.items.capacity() + self.doc_items.capacity()) * size_of::<Node>()
            + self.decoded.capacity();
        if bytes > Self::KEEP {
            return;
        }
        self.members.clear();
        self.items.clear();
        self.doc_items.clear();
        self.doc_members.clear();
        self.decoded.clear();
        // (during a thread's teardown there is nowhere to keep them)
        let _ = SPARE.try_with(|s| s.set(Some(self)));
    }
}

impl Drop for Doc<'_> {
    fn drop(&mut self) {
        std::mem::take(&mut self.bufs).give_back();
    }
}

impl<'t> Doc<'t> {
    /// The value of the whole text.
    pub fn root(&self) -> Value<'_> {
        self.value(&self.root)
    }

    fn str(&self, s: Str) -> &str {
        let (start, end) = (s.start as usize, s.start as usize + s.len as usize);
        if s.decoded {
            self.bufs.decoded.get(start..end)
        } else {
            self.text.get(start..end)
        }
        .unwrap_or_default()
    }

    fn value<'d>(&'d self, n: &'d Node) -> Value<'d> {
        Value {
            span: n.span,
            doc: self,
            node: n,
        }
    }

    fn kind<'d>(&'d self, n: &Node) -> ValueKind<'d> {
        let range = |first: u32, len: u32| first as usize..first as usize + len as usize;
        match n.kind {
            NodeKind::Null => ValueKind::Null,
            NodeKind::Bool(b) => ValueKind::Bool(b),
            NodeKind::Number(s) => ValueKind::Number(self.str(s)),
            NodeKind::String(s) => ValueKind::String(self.str(s)),
            NodeKind::Array { first, len } => ValueKind::Array(Array {
                doc: self,
                nodes: self
                    .bufs
                    .doc_items
                    .get(range(first, len))
                    .unwrap_or_default(),
            }),
            NodeKind::Object { first, len } => ValueKind::Object(Object {
                doc: self,
                slots: self
                    .bufs
                    .doc_members
                    .get(range(first, len))
                    .unwrap_or_default(),
            }),
        }
    }
}

impl<'d> Array<'d> {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn iter(&self) -> Items<'d> {
        Items {
            doc: self.doc,
            nodes: self.nodes.iter(),
        }
    }
}

impl<'d> Object<'d> {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn first(&self) -> Option<Member<'d>> {
        self.slots.first().map(|s| self.doc.member(s))
    }

    pub fn iter(&self) -> Members<'d> {
        Members {
            doc: self.doc,
            slots: self.slots.iter(),
        }
    }

    /// Whether a key appears twice, comparing each pair of keys: for
    /// small objects (quadratic).
    pub fn repeats_a_key_small(&self) -> bool {
        let doc = self.doc;
        self.slots.iter().enumerate().any(|(i, a)| {
            self.slots.get(..i).is_some_and(|before| {
                before
                    .iter()
                    .any(|b| b.key.len == a.key.len && doc.str(b.key) == doc.str(a.key))
            })
        })
    }

    /// The keys alone, in source order.
    pub fn keys(&self) -> impl Iterator<Item = &'d str> + 'd {
        let doc = self.doc;
        self.slots.iter().map(move |s| doc.str(s.key))
    }
}

/// The elements of an [`Array`].
#[derive(Debug, Clone)]
pub struct Items<'d> {
    doc: &'d Doc<'d>,
    nodes: std::slice::Iter<'d, Node>,
}

impl<'d> Iterator for Items<'d> {
    type Item = Value<'d>;

    fn next(&mut self) -> Option<Value<'d>> {
        self.nodes.next().map(|n| self.doc.value(n))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.nodes.size_hint()
    }
}

/// The members of an [`Object`].
#[derive(Debug, Clone)]
pub struct Members<'d> {
    doc: &'d Doc<'d>,
    slots: std::slice::Iter<'d, Slot>,
}

impl<'d> Iterator for Members<'d> {
    type Item = Member<'d>;

    fn next(&mut self) -> Option<Member<'d>> {
        self.slots.next().map(|s| self.doc.member(s))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl<'t> Doc<'t> {
    /// A string of the document: borrowed from the text, or a copy of the
    /// decoded text of a string that held escapes.
    fn tree_str<S: JsonStr<'t>>(&self, s: Str) -> S {
        let start = s.start as usize;
        match (s.decoded, self.text.get(start..start + s.len as usize)) {
            (false, Some(t)) => S::borrowed(t),
            _ => S::owned(self.str(s).to_string()),
        }
    }

    /// A value as a tree.
    fn tree<S: JsonStr<'t>>(&self, n: &Node) -> JsonValue<S> {
        let kind = match n.kind {
            NodeKind::Null => JsonKind::Null,
            NodeKind::Bool(b) => JsonKind::Bool(b),
            NodeKind::Number(s) => JsonKind::Number(self.tree_str(s)),
            NodeKind::String(s) => JsonKind::String(self.tree_str(s)),
            NodeKind::Array { first, len } => JsonKind::Array(
                self.bufs
                    .doc_items
                    .get(first as usize..first as usize + len as usize)
                    .unwrap_or_default()
                    .iter()
                    .map(|v| self.tree(v))
                    .collect(),
            ),
            NodeKind::Object { first, len } => JsonKind::Object(
                self.bufs
                    .doc_members
                    .get(first as usize..first as usize + len as usize)
                    .unwrap_or_default()
                    .iter()
                    .map(|m| JsonMember {
                        key: self.tree_str(m.key),
                        key_span: m.key_span,
                        value: self.tree(&m.value),
                    })
                    .collect(),
            ),
        };
        JsonValue { kind, span: n.span }
    }

    fn member<'d>(&'d self, s: &'d Slot) -> Member<'d> {
        Member {
            key: self.str(s.key),
            key_span: s.key_span,
            value: self.value(&s.value),
        }
    }
}

impl<'d> Value<'d> {
    /// What the value is, with its strings, elements or members.
    pub fn kind(&self) -> ValueKind<'d> {
        self.doc.kind(self.node)
    }

    /// A short name of the value's type, for messages ("a string", "an array").
    pub fn type_name(&self) -> &'static str {
        match self.node.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "a string",
            NodeKind::Array { .. } => "an array",
            NodeKind::Object { .. } => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&'d str> {
        match self.node.kind {
            NodeKind::String(s) => Some(self.doc.str(s)),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<Object<'d>> {
        match self.kind() {
            ValueKind::Object(o) => Some(o),
            _ => None,
        }
    }

    /// Scalars as the text a policy means by them: strings as is, numbers as
    /// written, booleans as `true`/`false`.
    pub fn scalar_str(&self) -> Option<&'d str> {
        match self.kind() {
            ValueKind::String(s) | ValueKind::Number(s) => Some(s),
            ValueKind::Bool(true) => Some("true"),
            ValueKind::Bool(false) => Some("false"),
            _ => None,
        }
    }
}

const MAX_DEPTH: u32 = 256;

/// A syntax error while reading: boxed, so that the results passed up
/// through every nested value stay small.
type Fail = Box<JsonError>;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of `w` (little-endian) that end a run of plain string
/// characters: a quote, a backslash or a control character (bit tricks: a
/// byte below 0x20, or one that equals 0x22 or 0x5C after XOR, sets its high
/// bit). A borrow only carries upwards, so the lowest set bit is exact (it
/// marks the first such byte); bits above it may be spurious.
fn run_stops(w: u64) -> u64 {
    let below = |x: u64, n: u64| x.wrapping_sub(ONES.wrapping_mul(n)) & !x & HIGH;
    let zero = |x: u64| below(x, 1);
    below(w, 0x20) | zero(w ^ (ONES * 0x22)) | zero(w ^ (ONES * 0x5C))
}

/// The bytes that end a run of plain string characters: the closing quote,
/// a backslash, and control characters. (Built at compile time: an index out
/// of bounds would be a compile error, not a panic.)
#[allow(clippy::indexing_slicing)]
static STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Reads the text in place, byte by byte (positions still count
/// characters). Only the byte index moves on every step; a [`Position`] is
/// worked out from it when a span asks ([`Parser::pos`]), from the facts
/// that change rarely: the UTF-8 continuation bytes read so far (updated
/// where non-ASCII text is read) and the current line (updated at line
/// breaks).
struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Byte index of the next character.
    i: usize,
    /// The UTF-8 continuation bytes before `i`: `i - cont` is the offset
    /// of the next character, in characters.
    cont: usize,
    /// 1-based line of the next character.
    line: u32,
    /// The offset (in characters) of the first character of that line.
    line_offset: u32,
    depth: u32,
    /// The members of the objects being read, innermost last: each object
    /// takes its own off the top when it closes, into a vector of exactly
    /// their number (no reallocation while reading).
    bufs: Buffers,
}

fn describe(c: char) -> String {
    match c {
        '\n' => "line break".to_string(),
        '\t' => "tab".to_string(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

impl<'t> Parser<'t> {
    /// The position of the next character.
    #[inline(always)]
    fn pos(&self) -> Position {
        let offset = (self.i - self.cont) as u32;
        Position {
            line: self.line,
            column: 1 + offset - self.line_offset,
            offset,
        }
    }

    fn peek(&self) -> Option<char> {
        let b = *self.bytes.get(self.i)?;
        if b < 0x80 {
            Some(char::from(b))
        } else {
            self.text.get(self.i..)?.chars().next()
        }
    }

    /// The character after the next one.
    fn peek2(&self) -> Option<char> {
        let c = self.peek()?;
        self.text.get(self.i + c.len_utf8()..)?.chars().next()
    }

    /// Consumes the next character, known (peeked) to be ASCII and not a
    /// line break.
    fn bump_ascii(&mut self) {
        self.i += 1;
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        let len = c.len_utf8();
        self.i += len;
        self.cont += len - 1;
        if c == '\n' {
            self.line += 1;
            self.line_offset = (self.i - self.cont) as u32;
        }
        Some(c)
    }

    /// A string of the document read so far.
    fn str_of(&self, s: Str) -> &str {
        let (start, end) = (s.start as usize, s.start as usize + s.len as usize);
        if s.decoded {
            self.bufs.decoded.get(start..end)
        } else {
            self.text.get(start..end)
        }
        .unwrap_or_default()
    }

    /// `s`, the text of a value that started at byte `from` and ends here:
    /// a range of the text when it reads so there, else a decoded copy.
    fn text_str(&mut self, from: usize, s: &str) -> Str {
        if self.text.get(from..self.i) == Some(s) {
            return Str {
                start: from as u32,
                len: s.len() as u32,
                decoded: false,
            };
        }
        let at = self.bufs.decoded.len();
        self.bufs.decoded.push_str(s);
        Str {
            start: at as u32,
            len: s.len() as u32,
            decoded: true,
        }
    }

    fn error_here(&self, message: &str, hint: &str) -> Fail {
        let here = self.pos();
        let mut end = here;
        if self.peek().is_some() {
            end.column += 1;
            end.offset += 1;
        }
        Box::new(JsonError {
            message: message.to_string(),
            hint: hint.to_string(),
            span: Span::new(here, end),
        })
    }

    fn error_at(&self, start: Position, message: &str, hint: &str) -> Fail {
        Box::new(JsonError {
            message: message.to_string(),
            hint: hint.to_string(),
            span: Span::new(start, self.pos()),
        })
    }

    // Forced inline natively (the reader's hot path); in the WebAssembly
    // builds the compiler decides, which keeps the first load smaller (368 B gzip
    // for this and the two below).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn skip_ws(&mut self) {
        // most calls (after a key, a value or a comma) find no blank: every
        // byte above the space is not one
        match self.bytes.get(self.i) {
            Some(&b) if b > b' ' => {}
            // one space, as after a colon
            Some(b' ') if self.bytes.get(self.i + 1).is_some_and(|&b| b > b' ') => {
                self.bump_ascii()
            }
            _ => self.skip_blanks(),
        }
    }

    /// [`Parser::skip_ws`] where a blank may follow.
    #[inline(never)]
    fn skip_blanks(&mut self) {
        // blanks and line breaks are ASCII: they leave `cont` as it is
        let mut i = self.i;
        let mut lines = 0;
        let mut line_start = None;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b' ' | b'\t' | b'\r' => i += 1,
                b'\n' => {
                    lines += 1;
                    i += 1;
                    line_start = Some(i);
                    // the indentation that follows: spaces, eight at a time
                    // (the first byte of a word that is not a space ends it)
                    while let Some(w) = self.bytes.get(i..i + 8) {
                        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
                        let other = w ^ (ONES * 0x20);
                        if other != 0 {
                            i += (other.trailing_zeros() / 8) as usize;
                            break;
                        }
                        i += 8;
                    }
                }
                _ => break,
            }
        }
        self.i = i;
        if let Some(from) = line_start {
            self.line += lines;
            self.line_offset = (from - self.cont) as u32;
        }
    }

    /// Consumes a run of string characters that need no decoding (no quote,
    /// backslash or control character) and returns it.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn plain_run(&mut self) -> &'t str {
        let start = self.i;
        let rest = self.bytes.get(start..).unwrap_or_default();
        // eight bytes at a time: the first stop byte of a word is found from
        // its mask; the high bits of the bytes read tell whether the run is ASCII
        let mut len = 0;
        let mut high = 0u64;
        let mut stopped = false;
        while let Some(w) = rest.get(len..len + 8) {
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
            let stops = run_stops(w);
            if stops != 0 {
                let k = stops.trailing_zeros() / 8;
                // the bytes before the stop
                let before = if k == 0 { 0 } else { u64::MAX >> (64 - 8 * k) };
                high |= w & before;
                len += k as usize;
                stopped = true;
                break;
            }
            high |= w;
            len += 8;
        }
        if !stopped {
            // fewer than eight bytes left: byte by byte
            let tail = rest.get(len..).unwrap_or_default();
            let n = tail
                .iter()
                .position(|&b| STRING_STOP.get(usize::from(b)).copied().unwrap_or(true))
                .unwrap_or(tail.len());
            high |= tail
                .get(..n)
                .unwrap_or_default()
                .iter()
                .fold(0, |h, &b| h | u64::from(b));
            len += n;
        }
        self.i = start + len;
        let run = self.text.get(start..self.i).unwrap_or_default();
        // positions count characters: every byte but UTF-8 continuation bytes
        if high & HIGH != 0 {
            self.cont += run.bytes().filter(|b| b & 0xC0 == 0x80).count();
        }
        run
    }

    fn value(&mut self) -> Result<Node, Fail> {
        let start = self.pos();
        match self.peek() {
            Some('{') => self.object(),
            Some('[') => self.array(),
            Some('"') => {
                let s = self.string()?;
                Ok(Node {
                    kind: NodeKind::String(s),
                    span: Span::new(start, self.pos()),
                })
            }
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(c) if c.is_ascii_alphabetic() => {
                let mut word = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        word.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                let kind = match word.as_str() {
                    "true" => NodeKind::Bool(true),
                    "false" => NodeKind::Bool(false),
                    "null" => NodeKind::Null,
                    other => {
                        let hint = match other.to_ascii_lowercase().as_str() {
                            "true" | "false" | "null" => {
                                format!("JSON literals are lower case: write {}", other.to_ascii_lowercase())
                            }
                            _ => format!("put the text in double quotes: \"{other}\""),
                        };
                        return Err(self.error_at(start, &format!("unexpected word '{other}'"), &hint));
                    }
                };
                Ok(Node {
                    kind,
                    span: Span::new(start, self.pos()),
                })
            }
            Some('\'') => Err(self.error_here(
                "strings must use double quotes, not single quotes",
                "replace the single quotes with double quotes",
            )),
            Some(c) => Err(self.error_here(
                &format!("unexpected {} where a value was expected", describe(c)),
                "a value is a string in double quotes, a number, true, false, null, an object or an array",
            )),
            None => Err(self.error_here(
                "the text ends where a value was expected",
                "complete the value and close every open bracket and brace",
            )),
        }
    }

    fn enter(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(
                "the JSON is nested too deeply",
                "policies never need more than a few levels of nesting",
            ));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node, Fail> {
        let start = self.pos();
        self.enter()?;
        self.bump_ascii(); // '{'
        let base = self.bufs.members.len();
        self.skip_ws();
        if self.peek() == Some('}') {
            self.bump_ascii();
            self.depth -= 1;
            return Ok(Node {
                kind: NodeKind::Object { first: 0, len: 0 },
                span: Span::new(start, self.pos()),
            });
        }
        loop {
            self.skip_ws();
            let key_start = self.pos();
            match self.peek() {
                Some('"') => {}
                Some('}') => {
                    return Err(self.error_here(
                        "trailing comma before '}'",
                        "remove the comma after the last member",
                    ))
                }
                Some('\'') => {
                    return Err(self.error_here(
                        "object keys must use double quotes, not single quotes",
                        "replace the single quotes with double quotes",
                    ))
                }
                Some(c) => {
                    return Err(self.error_here(
                        &format!(
                            "unexpected {} where a key in double quotes was expected",
                            describe(c)
                        ),
                        "write the key in double quotes, for example \"Effect\"",
                    ))
                }
                None => {
                    return Err(self.error_at(
                        start,
                        "the text ends inside an object",
                        "close the object with '}'",
                    ))
                }
            }
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos());
            self.skip_ws();
            match self.peek() {
                Some(':') => {
                    self.bump_ascii();
                }
                Some(c) => {
                    return Err(self.error_here(
                        &format!(
                            "expected ':' after the key \"{}\", found {}",
                            self.str_of(key),
                            describe(c)
                        ),
                        "separate each key from its value with a colon",
                    ))
                }
                None => {
                    return Err(self.error_here(
                        "the text ends after a key",
                        "add ':' and a value, then close the object",
                    ))
                }
            }
            self.skip_ws();
            let value = self.value()?;
            self.bufs.members.push(Slot {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.bump_ascii();
                }
                Some('}') => {
                    self.bump_ascii();
                    break;
                }
                Some('"') => {
                    return Err(self.error_here(
                        "missing comma between object members",
                        "add a ',' after the previous value",
                    ))
                }
                Some(c) => {
                    return Err(self.error_here(
                        &format!("expected ',' or '}}' in an object, found {}", describe(c)),
                        "separate members with commas and close the object with '}'",
                    ))
                }
                None => {
                    return Err(self.error_at(
                        start,
                        "the text ends inside an object: this '{' is never closed",
                        "close the object with '}'",
                    ))
                }
            }
        }
        self.depth -= 1;
        let first = self.bufs.doc_members.len() as u32;
        // (copied as one block: members are plain data)
        let bufs = &mut self.bufs;
        bufs.doc_members
            .extend_from_slice(bufs.members.get(base..).unwrap_or_default());
        bufs.members.truncate(base);
        let len = self.bufs.doc_members.len() as u32 - first;
        Ok(Node {
            kind: NodeKind::Object { first, len },
            span: Span::new(start, self.pos()),
        })
    }

    fn array(&mut self) -> Result<Node, Fail> {
        let start = self.pos();
        self.enter()?;
        self.bump_ascii(); // '['
        let base = self.bufs.items.len();
        self.skip_ws();
        if self.peek() == Some(']') {
            self.bump_ascii();
            self.depth -= 1;
            return Ok(Node {
                kind: NodeKind::Array { first: 0, len: 0 },
                span: Span::new(start, self.pos()),
            });
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(']') {
                return Err(self.error_here(
                    "trailing comma before ']'",
                    "remove the comma after the last element",
                ));
            }
            if self.peek().is_none() {
                return Err(self.error_at(
                    start,
                    "the text ends inside an array: this '[' is never closed",
                    "close the array with ']'",
                ));
            }
            let v = self.value()?;
            self.bufs.items.push(v);
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    self.bump_ascii();
                }
                Some(']') => {
                    self.bump_ascii();
                    break;
                }
                Some(c) => {
                    let hint = if c == '"' || c == '{' || c == '[' {
                        "add a ',' between the elements"
                    } else {
                        "separate elements with commas and close the array with ']'"
                    };
                    return Err(self.error_here(
                        &format!("expected ',' or ']' in an array, found {}", describe(c)),
                        hint,
                    ));
                }
                None => {
                    return Err(self.error_at(
                        start,
                        "the text ends inside an array: this '[' is never closed",
                        "close the array with ']'",
                    ))
                }
            }
        }
        self.depth -= 1;
        let first = self.bufs.doc_items.len() as u32;
        let bufs = &mut self.bufs;
        bufs.doc_items
            .extend_from_slice(bufs.items.get(base..).unwrap_or_default());
        bufs.items.truncate(base);
        let len = self.bufs.doc_items.len() as u32 - first;
        Ok(Node {
            kind: NodeKind::Array { first, len },
            span: Span::new(start, self.pos()),
        })
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn string(&mut self) -> Result<Str, Fail> {
        let start = self.pos();
        self.bump_ascii(); // opening quote
        let run_start = self.i;
        let run = self.plain_run();
        if self.bytes.get(self.i) == Some(&b'"') {
            // no escape: the text itself
            self.bump_ascii();
            return Ok(Str {
                start: run_start as u32,
                len: run.len() as u32,
                decoded: false,
            });
        }
        self.escaped_string(start, run)
    }

    /// The rest of a string that holds escapes (or ends badly), `run` read
    /// so far: decoded into the document's buffer.
    #[inline(never)]
    fn escaped_string(&mut self, start: Position, run: &str) -> Result<Str, Fail> {
        let mut out = std::mem::take(&mut self.bufs.decoded);
        let from = out.len();
        out.push_str(run);
        loop {
            let run = self.plain_run();
            out.push_str(run);
            let here = self.pos();
            match self.bump() {
                None => {
                    return Err(self.error_at(
                        start,
                        "the text ends inside a string",
                        "close the string with a double quote",
                    ))
                }
                Some('"') => {
                    let s = Str {
                        start: from as u32,
                        len: (out.len() - from) as u32,
                        decoded: true,
                    };
                    self.bufs.decoded = out;
                    return Ok(s);
                }
                Some('\n') => {
                    return Err(Box::new(JsonError {
                        message: "line break inside a string".to_string(),
                        hint: "close the string with a double quote before the end of the line, or write \\n".to_string(),
                        span: Span::new(start, here),
                    }))
                }
                Some('\\') => {
                    let esc_start = here;
                    match self.bump() {
                        Some('"') => out.push('"'),
                        Some('\\') => out.push('\\'),
                        Some('/') => out.push('/'),
                        Some('b') => out.push('\u{8}'),
                        Some('f') => out.push('\u{c}'),
                        Some('n') => out.push('\n'),
                        Some('r') => out.push('\r'),
                        Some('t') => out.push('\t'),
                        Some('u') => {
                            let hi = self.hex4(esc_start)?;
                            if (0xD800..0xDC00).contains(&hi) {
                                // surrogate pair
                                if self.peek() == Some('\\') && self.peek2() == Some('u') {
                                    self.bump();
                                    self.bump();
                                    let lo = self.hex4(esc_start)?;
                                    let c = if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                    } else {
                                        None
                                    };
                                    out.push(c.unwrap_or('\u{FFFD}'));
                                } else {
                                    out.push('\u{FFFD}');
                                }
                            } else {
                                out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                            }
                        }
                        Some(c) => {
                            return Err(self.error_at(
                                esc_start,
                                &format!("invalid escape '\\{c}' in a string"),
                                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX; write \\\\ for a backslash",
                            ))
                        }
                        None => {
                            return Err(self.error_at(
                                start,
                                "the text ends inside a string",
                                "close the string with a double quote",
                            ))
                        }
                    }
                }
                Some(c) if (c as u32) < 0x20 => {
                    return Err(self.error_at(
                        here,
                        &format!("{} inside a string", describe(c)),
                        "escape control characters, for example \\t for a tab",
                    ))
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn hex4(&mut self, esc_start: Position) -> Result<u32, Fail> {
        let mut v = 0u32;
        for _ in 0..4 {
            match self.peek().and_then(|c| c.to_digit(16)) {
                Some(d) => {
                    v = v * 16 + d;
                    self.bump();
                }
                None => {
                    return Err(self.error_at(
                        esc_start,
                        "\\u must be followed by four hexadecimal digits",
                        "write the character as \\u followed by 4 hex digits, for example \\u00e9",
                    ))
                }
            }
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<Node, Fail> {
        let start = self.pos();
        let from = self.i;
        let mut s = String::new();
        let bad = |p: &Parser<'t>, s: &str| {
            p.error_at(
                start,
                &format!("'{s}' is not a valid JSON number"),
                "write numbers like 3, -1, 2.5 or 1e3 (no leading zeros, no trailing dot); or quote the value as a string",
            )
        };
        if self.peek() == Some('-') {
            s.push('-');
            self.bump();
        }
        match self.peek() {
            Some('0') => {
                s.push('0');
                self.bump();
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    while let Some(c) = self
                        .peek()
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                    {
                        s.push(c);
                        self.bump();
                    }
                    return Err(bad(self, &s));
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                    s.push(c);
                    self.bump();
                }
            }
            _ => return Err(bad(self, &s)),
        }
        if self.peek() == Some('.') {
            s.push('.');
            self.bump();
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(bad(self, &s));
            }
            while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                s.push(c);
                self.bump();
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            s.push('e');
            self.bump();
            if let Some(c) = self.peek().filter(|c| *c == '+' || *c == '-') {
                s.push(c);
                self.bump();
            }
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(bad(self, &s));
            }
            while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                s.push(c);
                self.bump();
            }
        }
        if self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            while let Some(c) = self.peek().filter(|c| c.is_ascii_alphanumeric()) {
                s.push(c);
                self.bump();
            }
            return Err(bad(self, &s));
        }
        let number = self.text_str(from, &s);
        Ok(Node {
            kind: NodeKind::Number(number),
            span: Span::new(start, self.pos()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_characters() {
        let v = parse("{\n  \"é\": \"ü\", \"k\": [1, true]\n}").unwrap();
        let m = v.as_object().unwrap();
        assert_eq!(m[0].key, "é");
        assert_eq!(
            (m[0].key_span.start.line, m[0].key_span.start.column),
            (2, 3)
        );
        assert_eq!(
            (m[1].key_span.start.line, m[1].key_span.start.column),
            (2, 13)
        );
        assert_eq!(m[0].value.span.start.column, 8);
    }

    #[test]
    fn keeps_duplicate_keys() {
        let v = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 2);
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("{\n  \"a\": 1,\n}").unwrap_err();
        assert!(e.message.contains("trailing comma"), "{}", e.message);
        assert_eq!((e.span.start.line, e.span.start.column), (3, 1));
        let e = parse("{\"a\" 1}").unwrap_err();
        assert_eq!(e.span.start.column, 6);
        let e = parse("[1, 2").unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = parse("{'a': 1}").unwrap_err();
        assert!(e.message.contains("double quotes"));
        let e = parse("{\"a\": True}").unwrap_err();
        assert!(e.hint.contains("lower case"));
        let e = parse("01").unwrap_err();
        assert!(e.message.contains("not a valid JSON number"));
    }

    #[test]
    fn unicode_escapes() {
        let v = parse(r#""\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(v.as_str().unwrap(), "é😀");
    }

    proptest::proptest! {
        /// The eight-bytes-at-a-time test finds the byte the byte-by-byte one finds.
        #[test]
        fn run_stops_agrees_with_bytes(w in proptest::prelude::any::<[u8; 8]>()) {
            let first = w.iter().position(|b| STRING_STOP[usize::from(*b)]);
            let stops = run_stops(u64::from_le_bytes(w));
            let found = (stops != 0).then(|| stops.trailing_zeros() as usize / 8);
            proptest::prop_assert_eq!(found, first);
        }

        /// Strings and positions come out the same however long the runs.
        #[test]
        fn strings_and_positions(s in "[ a\"\\\\é\u{1F600}\t\nb]{0,40}") {
            let text = serde_json::to_string(&s).unwrap();
            let doc = format!("[\n   {text},\n        {text}]");
            let v = parse(&doc).unwrap();
            let JsonKind::Array(items) = &v.kind else { panic!() };
            proptest::prop_assert_eq!(items[0].as_str(), Some(s.as_str()));
            let chars = text.chars().count() as u32;
            proptest::prop_assert_eq!(items[0].span.start.column, 4);
            proptest::prop_assert_eq!(items[0].span.end.column, 4 + chars);
            proptest::prop_assert_eq!(items[1].span.start.line, 3);
            proptest::prop_assert_eq!(items[1].span.start.column, 9);
            proptest::prop_assert_eq!(v.span.end.offset, doc.chars().count() as u32);
        }
    }

    /// The line and column of a character offset, counted from the text.
    fn line_col(chars: &[char], offset: u32) -> (u32, u32) {
        let before = &chars[..offset as usize];
        let line = 1 + before.iter().filter(|c| **c == '\n').count() as u32;
        let column = 1 + before.iter().rev().take_while(|c| **c != '\n').count() as u32;
        (line, column)
    }

    /// Every span's line and column agree with its offset, and each value
    /// starts where its text does.
    fn check_spans(v: &JsonValue, chars: &[char]) {
        for span in [v.span] {
            for p in [span.start, span.end] {
                assert_eq!(line_col(chars, p.offset), (p.line, p.column), "{p:?}");
            }
        }
        let first = chars[v.span.start.offset as usize];
        match &v.kind {
            JsonKind::String(_) => assert_eq!(first, '"'),
            JsonKind::Array(items) => {
                assert_eq!(first, '[');
                items.iter().for_each(|i| check_spans(i, chars));
            }
            JsonKind::Object(members) => {
                assert_eq!(first, '{');
                for m in members {
                    assert_eq!(chars[m.key_span.start.offset as usize], '"');
                    for p in [m.key_span.start, m.key_span.end] {
                        assert_eq!(line_col(chars, p.offset), (p.line, p.column));
                    }
                    check_spans(&m.value, chars);
                }
            }
            _ => {}
        }
    }

    proptest::proptest! {
        /// Positions worked out from byte indexes count characters on lines
        /// holding multi-byte characters, escapes and tabs.
        #[test]
        fn positions_count_characters(
            entries in proptest::collection::vec(("[aé😀\t\n\"]{0,6}", "[ bü\u{1F600}\\\\]{0,6}"), 0..6),
            pretty in proptest::bool::ANY,
        ) {
            let map: serde_json::Map<String, serde_json::Value> = entries
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::json!([v, {"k": v}, 1])))
                .collect();
            let value = serde_json::Value::Object(map);
            let doc = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let chars: Vec<char> = doc.chars().collect();
            let v = parse(&doc).unwrap();
            check_spans(&v, &chars);
            proptest::prop_assert_eq!(v.span.end.offset as usize, chars.len());
        }
    }

    /// Builds a document from random choices, writing down the byte range
    /// of every value and key as it goes (in the order [`walk_spans`] visits
    /// them).
    struct Builder<'c> {
        choices: std::slice::Iter<'c, u8>,
        text: String,
        ranges: Vec<(usize, usize)>,
    }

    /// Parts of strings: multi-byte characters, escapes, and both mixed.
    const PIECES: &[&str] = &[
        "a",
        "é",
        "😀",
        "\\\"",
        "\\\\",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\n",
        "\\t",
        "ü😀",
        " ",
        "x/y",
        "\\/é",
        "Ω😀é😀ab",
        "\\u00e9é",
    ];
    /// What may stand between tokens: tabs, line breaks, CRLF, indentation.
    const BLANKS: &[&str] = &[
        "",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\n\t  ",
        "\r\n        ",
        "  \t\n  \n",
        "\n          ",
    ];
    const NUMBERS: &[&str] = &["0", "-12", "3.5e-2", "1E3", "42", "true", "false", "null"];

    impl Builder<'_> {
        fn next(&mut self, n: usize) -> usize {
            usize::from(self.choices.next().copied().unwrap_or(0)) % n
        }

        fn blank(&mut self) {
            let b = BLANKS[self.next(BLANKS.len())];
            self.text.push_str(b);
        }

        /// A string, its range written down.
        fn string(&mut self) {
            let start = self.text.len();
            self.text.push('"');
            for _ in 0..self.next(5) {
                let piece = PIECES[self.next(PIECES.len())];
                self.text.push_str(piece);
            }
            self.text.push('"');
            self.ranges.push((start, self.text.len()));
        }

        fn value(&mut self, depth: u32) {
            let kinds = if depth < 3 { 4 } else { 2 };
            let start = self.text.len();
            match self.next(kinds) {
                0 => return self.string(),
                1 => {
                    let n = NUMBERS[self.next(NUMBERS.len())];
                    self.text.push_str(n);
                    self.ranges.push((start, self.text.len()));
                    return;
                }
                _ => {}
            }
            // an array or an object: its range first, its end filled in last
            let at = self.ranges.len();
            self.ranges.push((start, start));
            let object = self.next(2) == 0;
            self.text.push(if object { '{' } else { '[' });
            let n = self.next(4);
            for k in 0..n {
                self.blank();
                if object {
                    self.string();
                    self.blank();
                    self.text.push(':');
                    self.blank();
                }
                self.value(depth + 1);
                self.blank();
                if k + 1 < n {
                    self.text.push(',');
                }
            }
            self.text.push(if object { '}' } else { ']' });
            self.ranges[at].1 = self.text.len();
        }
    }

    /// Every value's span and every key's, in document order (a container
    /// before what it holds, a key before its value).
    fn walk_spans(v: &JsonValue, out: &mut Vec<Span>) {
        out.push(v.span);
        match &v.kind {
            JsonKind::Array(items) => items.iter().for_each(|i| walk_spans(i, out)),
            JsonKind::Object(members) => {
                for m in members {
                    out.push(m.key_span);
                    walk_spans(&m.value, out);
                }
            }
            _ => {}
        }
    }

    /// The position of byte `at` of `text`, counted character by character.
    fn count_position(text: &str, at: usize) -> Position {
        let mut p = Position::START;
        for c in text[..at].chars() {
            p.offset += 1;
            if c == '\n' {
                p.line += 1;
                p.column = 1;
            } else {
                p.column += 1;
            }
        }
        p
    }

    proptest::proptest! {
        /// Every value's and key's span equals a plain character count of
        /// the source up to where it was written: multi-byte characters in
        /// keys and values, before and after escapes, over several lines
        /// with LF and CRLF line ends, tabs and indentation between tokens.
        #[test]
        fn spans_equal_a_character_count(
            choices in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            lead in 0..BLANKS.len(),
        ) {
            let mut b = Builder { choices: choices.iter(), text: BLANKS[lead].to_string(), ranges: Vec::new() };
            b.value(0);
            b.blank();
            let spans = {
                let v = parse(&b.text).unwrap();
                let mut spans = Vec::new();
                walk_spans(&v, &mut spans);
                spans
            };
            let expected: Vec<Span> = b
                .ranges
                .iter()
                .map(|&(s, e)| Span::new(count_position(&b.text, s), count_position(&b.text, e)))
                .collect();
            proptest::prop_assert_eq!(spans, expected, "{:?}", b.text);
        }
    }

    /// Error spans too equal a character count, on later lines after
    /// multi-byte characters and CRLF line ends.
    #[test]
    fn error_spans_equal_a_character_count() {
        // (text, the text the error's span covers: its first occurrence)
        let cases: &[(&str, &str)] = &[
            ("{\"é😀\":\r\n\t\"ü\\u00e9😀\" x}", "x"),
            ("[\"ü😀\",\r\n  \"é\\q\"]", "\\q"),
            ("[\"ü😀\",\n\t\"é\\\n\"]", "\\\n"),
            ("{\"é\":\n  [\"😀\", 01x]}", "01x"),
            ("{\"é\":\r\n  [\"😀\",\r\n   \"a\tb\"]}", "\t"),
            ("{\"é\":\n  \"😀\\u12\"}", "\\u12"),
            ("[\"ü\",\n \"😀é\n\"]", "\"😀é"),
            ("\n\t[\"😀\", ]", "]"),
            ("{\"é😀\": tru}", "tru"),
            ("[\"é\",\r\n \"😀\"\r\n", "[\"é\",\r\n \"😀\"\r\n"),
        ];
        for &(text, covered) in cases {
            let e = parse(text).unwrap_err();
            let start = text.find(covered).unwrap();
            let end = start + covered.len();
            let expected = Span::new(count_position(text, start), count_position(text, end));
            assert_eq!(e.span, expected, "{text:?}: {}", e.message);
        }
    }

    #[test]
    fn error_positions_count_characters() {
        let e = parse("{\"é😀\": 1 x}").unwrap_err();
        assert_eq!((e.span.start.line, e.span.start.column), (1, 10));
        assert_eq!((e.span.end.column, e.span.end.offset), (11, 10));
        let e = parse("[\"ü\",\n \"\u{1F600}\" 2]").unwrap_err();
        assert_eq!((e.span.start.line, e.span.start.column), (2, 6));
        assert_eq!(e.span.start.offset, 11);
    }

    /// A thread reuses the vectors of its last document: the next
    /// document's strings, elements and members are its own, and an error
    /// halfway leaves nothing behind.
    #[test]
    fn reused_buffers_hold_only_the_current_document() {
        let first = parse_doc(r#"{"a\"b": ["x\ty", [1, {"k": "\u00e9"}]], "c": {}}"#).unwrap();
        let tree = parse(r#"{"a\"b": ["x\ty", [1, {"k": "\u00e9"}]], "c": {}}"#).unwrap();
        drop(first);
        assert!(parse_doc(r#"{"p": ["\n", [true, {"q": "\"#).is_err());
        let doc = parse_doc(r#"[{"z\\": "w\/"}, "v", []]"#).unwrap();
        let items: Vec<_> = match doc.root().kind() {
            ValueKind::Array(a) => a.iter().collect(),
            _ => panic!(),
        };
        assert_eq!(items.len(), 3);
        let m = items[0].as_object().unwrap().first().unwrap();
        assert_eq!((m.key, m.value.as_str()), ("z\\", Some("w/")));
        assert_eq!(items[0].as_object().unwrap().len(), 1);
        assert_eq!(items[1].as_str(), Some("v"));
        assert!(matches!(items[2].kind(), ValueKind::Array(a) if a.is_empty()));
        let again = parse(r#"{"a\"b": ["x\ty", [1, {"k": "\u00e9"}]], "c": {}}"#).unwrap();
        assert_eq!(again, tree);
        let JsonKind::Object(members) = &tree.kind else {
            panic!()
        };
        assert_eq!(members[0].key, "a\"b");
        assert_eq!(
            members[0].value.to_serde(),
            serde_json::json!(["x\ty", [1, {"k": "é"}]])
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).is_err());
    }
}
