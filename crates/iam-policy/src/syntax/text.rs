//! Text shared without copying: what a policy or a request writes is kept
//! once, and every trace that shows it refers to it (cloning a [`Text`]
//! increments a reference count; it copies nothing and allocates nothing).
//! A text may be a part of a larger shared one ([`Text::part`]): a compiled
//! policy's strings are parts of one copy of its source, so that compiling it
//! allocates one buffer, not one per string.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// An immutable string, shared by reference counting. It reads like a
/// `&str` (it dereferences to one: `text.len()`, `text.starts_with(…)`,
/// `&*text`), compares with `str`, `&str` and `String`, prints and
/// serializes as the string it holds, and converts to a `String` with
/// `to_string()` or `into()`. Equality, order and hashing are those of the
/// string it holds.
#[derive(Clone, Default)]
pub struct Text {
    /// The shared buffer; the text is the bytes `start..start + len` of it
    /// (on character boundaries).
    buf: Arc<str>,
    start: u32,
    len: u32,
}

impl Text {
    /// The text as a `&str`.
    #[inline]
    pub fn as_str(&self) -> &str {
        let start = self.start as usize;
        let end = start.wrapping_add(self.len as usize);
        if start == 0 && end == self.buf.len() {
            // the whole buffer: no boundary to check
            return &self.buf;
        }
        self.buf.get(start..end).unwrap_or_default()
    }

    /// The text's bytes (as `str::as_bytes`, without checking character
    /// boundaries: what matchers compare).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        let start = self.start as usize;
        self.buf
            .as_bytes()
            .get(start..start.wrapping_add(self.len as usize))
            .unwrap_or_default()
    }

    /// `part`, a slice of this text's string, as a text sharing this one's
    /// buffer (no copy); `None` when `part` does not lie within it.
    pub fn part(&self, part: &str) -> Option<Text> {
        let offset = (part.as_ptr() as usize).checked_sub(self.as_ptr() as usize)?;
        self.slice(offset..offset.checked_add(part.len())?)
    }

    /// The bytes `range` of this text, as a text sharing this one's buffer
    /// (no copy); `None` when the range is not within the text or not on
    /// character boundaries.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Option<Text> {
        self.as_str().get(range.clone())?;
        self.slice_of_str(range)
    }

    /// [`Text::slice`] of a range known to be a `&str` within this text
    /// (its bounds are not checked again: a wrong range reads as an empty
    /// text, never out of bounds).
    #[inline]
    pub(crate) fn slice_of_str(&self, range: std::ops::Range<usize>) -> Option<Text> {
        Some(Text {
            buf: self.buf.clone(),
            start: self.start.checked_add(u32::try_from(range.start).ok()?)?,
            len: u32::try_from(range.len()).ok()?,
        })
    }

    /// A text written piece by piece by `write`, allocated once (in its
    /// final place): the pieces are gathered in a reused buffer first.
    pub fn build(write: impl FnOnce(&mut String)) -> Text {
        thread_local! {
            static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
        }
        BUFFER.with(|b| match b.try_borrow_mut() {
            Ok(mut s) => {
                s.clear();
                write(&mut s);
                Text::from(s.as_str())
            }
            Err(_) => {
                let mut s = String::new();
                write(&mut s);
                Text::from(s.as_str())
            }
        })
    }

    fn whole(buf: Arc<str>) -> Text {
        match u32::try_from(buf.len()) {
            Ok(len) => Text { buf, start: 0, len },
            // a text of 4 GiB or more is cut at the last character boundary
            // it can reach (never built: inputs are limited far below)
            Err(_) => {
                let mut end = u32::MAX as usize;
                while !buf.is_char_boundary(end) {
                    end -= 1;
                }
                Text {
                    buf,
                    start: 0,
                    len: end as u32,
                }
            }
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        if s.is_empty() {
            // shared, not allocated (the literal part of `*`, for one)
            return Text::default();
        }
        Text::whole(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::from(s.as_str())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        if s.is_empty() {
            return Text::default();
        }
        Text::whole(Arc::from(s))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.as_str().to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

/// Lists of texts collect into lists of strings, as lists of the `String`s
/// they replace did.
impl FromIterator<Text> for Vec<String> {
    fn from_iter<I: IntoIterator<Item = Text>>(iter: I) -> Self {
        iter.into_iter().map(String::from).collect()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        String::deserialize(d).map(Text::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_serializes_like_a_string() {
        let t = Text::from("s3:GetObject");
        let u = t.clone();
        assert!(
            std::ptr::eq(t.as_ptr(), u.as_ptr()),
            "a clone shares the text"
        );
        assert_eq!(t, "s3:GetObject");
        assert_eq!("s3:GetObject", t);
        assert_eq!(t, "s3:GetObject".to_string());
        assert_eq!(t.len(), 12);
        assert!(t.starts_with("s3:"));
        assert_eq!(format!("{t} {t:?}"), "s3:GetObject \"s3:GetObject\"");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"s3:GetObject\"");
        let back: Text = serde_json::from_str("\"s3:GetObject\"").unwrap();
        assert_eq!(back, t);
        let strings: Vec<String> = vec![t.clone(), u].into_iter().collect();
        assert_eq!(strings, ["s3:GetObject", "s3:GetObject"]);
        let s: String = t.into();
        assert_eq!(s, "s3:GetObject");
    }

    #[test]
    fn empty_texts_share_one_allocation() {
        let (a, b) = (Text::from(""), Text::build(|_| {}));
        assert_eq!(a, "");
        assert!(Arc::ptr_eq(&a.buf, &b.buf));
        assert!(Arc::ptr_eq(&a.buf, &Text::default().buf));
    }

    #[test]
    fn parts_share_the_buffer_and_compare_as_strings() {
        let whole = Text::from("s3:GetObject and more");
        let part = whole.part(&whole[3..12]).unwrap();
        assert_eq!(part, "GetObject");
        assert!(Arc::ptr_eq(&part.buf, &whole.buf));
        let inner = part.part(&part[3..]).unwrap();
        assert_eq!(inner, "Object");
        assert_eq!(inner, Text::from("Object"));
        assert_eq!(inner.cmp(&Text::from("Obj")), std::cmp::Ordering::Greater);
        let set: std::collections::HashSet<Text> = [inner.clone(), Text::from("Object")].into();
        assert_eq!(set.len(), 1);
        assert!(whole.part("elsewhere").is_none());
        assert_eq!(whole.part(&whole[21..]).unwrap(), "");
    }
}
