//! Text shared without copying: what a policy or a request writes is kept
//! once, and every trace that shows it refers to it (cloning a [`Text`]
//! increments a reference count; it copies nothing and allocates nothing).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable string, shared by reference counting. It reads like a
/// `&str` (it dereferences to one: `text.len()`, `text.starts_with(…)`,
/// `&*text`), compares with `str`, `&str` and `String`, prints and
/// serializes as the string it holds, and converts to a `String` with
/// `to_string()` or `into()`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text(Arc<str>);

impl Text {
    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        &self.0
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
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        if s.is_empty() {
            // shared, not allocated (the literal part of `*`, for one)
            return Text::default();
        }
        Text(Arc::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(Arc::from(s.as_str()))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Arc::from(s))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.to_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == &*other.0
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
        s.serialize_str(&self.0)
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
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(Arc::ptr_eq(&a.0, &Text::default().0));
    }
}
