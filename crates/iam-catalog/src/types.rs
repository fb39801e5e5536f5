//! Small value types: access levels and condition-key types.

use serde::{Serialize, Serializer};
use std::fmt;

/// An IAM access level, as in the AWS Service Authorization Reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    /// Every level, in the reference's order.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The name AWS uses ("Permissions management" for
    /// [`AccessLevel::PermissionsManagement`]).
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Parses one level name, case-insensitively; accepts both
    /// "Permissions management" and "PermissionsManagement".
    pub fn parse(s: &str) -> Option<AccessLevel> {
        let squashed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        AccessLevel::ALL
            .into_iter()
            .find(|l| format!("{l:?}").eq_ignore_ascii_case(&squashed))
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AccessLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The set of access levels of one action. Most actions have exactly one,
/// but the reference lists some as e.g. "Permissions management, Write" or
/// "Tagging, Write": those have two, and count toward both.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AccessLevels(u8);

impl AccessLevels {
    /// The empty set.
    pub const EMPTY: AccessLevels = AccessLevels(0);

    /// Builds a set from levels.
    pub fn from_levels<I: IntoIterator<Item = AccessLevel>>(levels: I) -> Self {
        AccessLevels(levels.into_iter().fold(0, |acc, l| acc | l.bit()))
    }

    /// Bit `i` set <=> `AccessLevel::ALL[i]` is in the set.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Builds a set from bits (unknown bits are dropped).
    pub fn from_bits(bits: u8) -> Self {
        AccessLevels(bits & 0b1_1111)
    }

    pub fn contains(self, level: AccessLevel) -> bool {
        self.0 & level.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of levels in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// True when the action has more than one level (the "combined" case).
    pub fn is_combined(self) -> bool {
        self.len() > 1
    }

    /// Levels in the set, in [`AccessLevel::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = AccessLevel> {
        AccessLevel::ALL
            .into_iter()
            .filter(move |l| self.contains(*l))
    }

    /// Levels in the set, in [`AccessLevel::ALL`] order.
    pub fn to_vec(self) -> Vec<AccessLevel> {
        self.iter().collect()
    }
}

impl fmt::Debug for AccessLevels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for AccessLevels {
    /// The reference's spelling, e.g. "Permissions management, Write".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut levels: Vec<&str> = self.iter().map(AccessLevel::as_str).collect();
        levels.sort_unstable();
        f.write_str(&levels.join(", "))
    }
}

impl Serialize for AccessLevels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The type of a condition key's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    ArrayOfString,
    Arn,
    ArrayOfArn,
    Bool,
    ArrayOfBool,
    Date,
    ArrayOfDate,
    IpAddress,
    ArrayOfIpAddress,
    Numeric,
    ArrayOfNumeric,
    Binary,
    ArrayOfBinary,
}

impl KeyType {
    const ALL: [KeyType; 14] = [
        KeyType::String,
        KeyType::ArrayOfString,
        KeyType::Arn,
        KeyType::ArrayOfArn,
        KeyType::Bool,
        KeyType::ArrayOfBool,
        KeyType::Date,
        KeyType::ArrayOfDate,
        KeyType::IpAddress,
        KeyType::ArrayOfIpAddress,
        KeyType::Numeric,
        KeyType::ArrayOfNumeric,
        KeyType::Binary,
        KeyType::ArrayOfBinary,
    ];

    /// The name the reference uses ("String", "ArrayOfARN", "IPAddress", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::ArrayOfString => "ArrayOfString",
            KeyType::Arn => "ARN",
            KeyType::ArrayOfArn => "ArrayOfARN",
            KeyType::Bool => "Bool",
            KeyType::ArrayOfBool => "ArrayOfBool",
            KeyType::Date => "Date",
            KeyType::ArrayOfDate => "ArrayOfDate",
            KeyType::IpAddress => "IPAddress",
            KeyType::ArrayOfIpAddress => "ArrayOfIPAddress",
            KeyType::Numeric => "Numeric",
            KeyType::ArrayOfNumeric => "ArrayOfNumeric",
            KeyType::Binary => "Binary",
            KeyType::ArrayOfBinary => "ArrayOfBinary",
        }
    }

    /// Parses a reference type name, case-insensitively. "Boolean" and
    /// "Long" are accepted as aliases of Bool and Numeric.
    pub fn parse(s: &str) -> Option<KeyType> {
        if let Some(t) = KeyType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
        {
            return Some(t);
        }
        let (array, base) = match s.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("ArrayOf") => (true, s.get(7..).unwrap_or("")),
            _ => (false, s),
        };
        let base = if base.eq_ignore_ascii_case("Boolean") {
            KeyType::Bool
        } else if base.eq_ignore_ascii_case("Long") {
            KeyType::Numeric
        } else {
            return None;
        };
        Some(if array { base.to_array() } else { base })
    }

    /// Multi-valued keys (the `ArrayOf...` types) need `ForAnyValue:` /
    /// `ForAllValues:` set operators.
    pub fn is_multivalued(self) -> bool {
        self.as_str().starts_with("ArrayOf")
    }

    /// The single-valued type of the elements (`ArrayOfString` -> `String`).
    pub fn element_type(self) -> KeyType {
        match self {
            KeyType::ArrayOfString => KeyType::String,
            KeyType::ArrayOfArn => KeyType::Arn,
            KeyType::ArrayOfBool => KeyType::Bool,
            KeyType::ArrayOfDate => KeyType::Date,
            KeyType::ArrayOfIpAddress => KeyType::IpAddress,
            KeyType::ArrayOfNumeric => KeyType::Numeric,
            KeyType::ArrayOfBinary => KeyType::Binary,
            t => t,
        }
    }

    fn to_array(self) -> KeyType {
        match self {
            KeyType::String => KeyType::ArrayOfString,
            KeyType::Arn => KeyType::ArrayOfArn,
            KeyType::Bool => KeyType::ArrayOfBool,
            KeyType::Date => KeyType::ArrayOfDate,
            KeyType::IpAddress => KeyType::ArrayOfIpAddress,
            KeyType::Numeric => KeyType::ArrayOfNumeric,
            KeyType::Binary => KeyType::ArrayOfBinary,
            t => t,
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for KeyType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(
            AccessLevel::parse("Permissions management"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(
            AccessLevel::parse("permissionsmanagement"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(AccessLevel::parse("tagging"), Some(AccessLevel::Tagging));
        assert_eq!(AccessLevel::parse("Admin"), None);
        let both =
            AccessLevels::from_levels([AccessLevel::Write, AccessLevel::PermissionsManagement]);
        assert!(both.is_combined());
        assert_eq!(both.to_string(), "Permissions management, Write");
        assert_eq!(
            both.to_vec(),
            vec![AccessLevel::Write, AccessLevel::PermissionsManagement]
        );
    }

    #[test]
    fn key_types() {
        for t in KeyType::ALL {
            assert_eq!(KeyType::parse(t.as_str()), Some(t));
            assert_eq!(KeyType::parse(&t.as_str().to_lowercase()), Some(t));
        }
        assert_eq!(KeyType::parse("ArrayOfLong"), Some(KeyType::ArrayOfNumeric));
        assert_eq!(KeyType::parse("Boolean"), Some(KeyType::Bool));
        assert_eq!(KeyType::parse("Nope"), None);
        assert!(KeyType::ArrayOfArn.is_multivalued());
        assert!(!KeyType::IpAddress.is_multivalued());
        assert_eq!(KeyType::ArrayOfArn.element_type(), KeyType::Arn);
    }
}
