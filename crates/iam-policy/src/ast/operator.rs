//! Condition operators: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.

use serde::Serialize;

/// The one table of condition operators: each line gives the operator, its
/// family, and the positive operator it negates (itself when it is not a
/// negation). The enum, [`ALL_BASE`], the names, families and negations all
/// come from it.
macro_rules! operators {
    ($($op:ident: $family:ident, $positive:ident;)*) => {
        /// The operator family and comparison, without qualifiers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum BaseOperator {
            $($op,)*
        }

        /// Every base operator, in the documentation's order.
        pub const ALL_BASE: &[BaseOperator] = &[$(BaseOperator::$op,)*];

        impl BaseOperator {
            /// The documented name ("StringEquals").
            pub fn name(self) -> &'static str {
                match self {
                    $(BaseOperator::$op => stringify!($op),)*
                }
            }

            pub fn family(self) -> OperatorFamily {
                match self {
                    $(BaseOperator::$op => OperatorFamily::$family,)*
                }
            }

            /// The positive operator a negated one negates (itself otherwise).
            pub fn positive(self) -> BaseOperator {
                match self {
                    $(BaseOperator::$op => BaseOperator::$positive,)*
                }
            }
        }
    };
}

operators! {
    StringEquals: String, StringEquals;
    StringNotEquals: String, StringEquals;
    StringEqualsIgnoreCase: String, StringEqualsIgnoreCase;
    StringNotEqualsIgnoreCase: String, StringEqualsIgnoreCase;
    StringLike: String, StringLike;
    StringNotLike: String, StringLike;
    NumericEquals: Numeric, NumericEquals;
    NumericNotEquals: Numeric, NumericEquals;
    NumericLessThan: Numeric, NumericLessThan;
    NumericLessThanEquals: Numeric, NumericLessThanEquals;
    NumericGreaterThan: Numeric, NumericGreaterThan;
    NumericGreaterThanEquals: Numeric, NumericGreaterThanEquals;
    DateEquals: Date, DateEquals;
    DateNotEquals: Date, DateEquals;
    DateLessThan: Date, DateLessThan;
    DateLessThanEquals: Date, DateLessThanEquals;
    DateGreaterThan: Date, DateGreaterThan;
    DateGreaterThanEquals: Date, DateGreaterThanEquals;
    Bool: Bool, Bool;
    BinaryEquals: Binary, BinaryEquals;
    IpAddress: IpAddress, IpAddress;
    NotIpAddress: IpAddress, IpAddress;
    ArnEquals: Arn, ArnEquals;
    ArnLike: Arn, ArnLike;
    ArnNotEquals: Arn, ArnEquals;
    ArnNotLike: Arn, ArnLike;
    Null: Null, Null;
}

/// How a family compares values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SetOperator {
    ForAllValues,
    ForAnyValue,
}

/// A parsed condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    pub set: Option<SetOperator>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

use BaseOperator::*;

impl OperatorFamily {
    /// The name of a family's value type, for people ("a number").
    pub fn type_name(self) -> &'static str {
        match self {
            OperatorFamily::Numeric => "a number",
            OperatorFamily::Date => "a date",
            OperatorFamily::Bool | OperatorFamily::Null => "true or false",
            OperatorFamily::IpAddress => "an IP address",
            OperatorFamily::Binary => "base64",
            OperatorFamily::Arn => "an ARN",
            OperatorFamily::String => "a string",
        }
    }
}

impl BaseOperator {
    /// Negated operators are true when the key is absent from the request,
    /// and true for a value when it matches none of the policy's values.
    pub fn is_negated(self) -> bool {
        self.positive() != self
    }

    /// Policy variables are substituted in string and ARN comparisons.
    pub fn takes_variables(self) -> bool {
        matches!(self.family(), OperatorFamily::String | OperatorFamily::Arn)
    }

    /// `*` and `?` are wildcards in the policy values of this operator.
    pub fn takes_wildcards(self) -> bool {
        matches!(self.positive(), StringLike | ArnEquals | ArnLike)
    }
}

impl Operator {
    /// Parses an operator name. `Err` holds the base name that was not
    /// recognised. Case-insensitive; [`Operator::canonical_name`] gives the
    /// documented spelling.
    pub fn parse(text: &str) -> Result<Operator, String> {
        let mut rest = text;
        let mut set = None;
        if let Some((q, r)) = rest.split_once(':') {
            set = if q.eq_ignore_ascii_case("ForAllValues") {
                Some(SetOperator::ForAllValues)
            } else if q.eq_ignore_ascii_case("ForAnyValue") {
                Some(SetOperator::ForAnyValue)
            } else {
                return Err(text.to_string());
            };
            rest = r;
        }
        const IF_EXISTS: &str = "IfExists";
        let split = rest.len().checked_sub(IF_EXISTS.len());
        let (base_name, if_exists) = match split
            .and_then(|i| Some((rest.get(..i)?, rest.get(i..)?)))
            .filter(|(_, tail)| tail.eq_ignore_ascii_case(IF_EXISTS))
        {
            Some((b, _)) => (b, true),
            None => (rest, false),
        };
        // spelled as documented (most are), else in another case
        let base = ALL_BASE
            .iter()
            .copied()
            .find(|b| b.name() == base_name)
            .or_else(|| {
                ALL_BASE
                    .iter()
                    .copied()
                    .find(|b| b.name().eq_ignore_ascii_case(base_name))
            })
            .ok_or_else(|| rest.to_string())?;
        if base == Null && if_exists {
            return Err(rest.to_string());
        }
        Ok(Operator {
            set,
            base,
            if_exists,
        })
    }

    /// Is `text` spelled exactly as [`Operator::canonical_name`]? No allocation.
    pub fn is_canonical(&self, text: &str) -> bool {
        let rest = match self.set {
            Some(SetOperator::ForAllValues) => text.strip_prefix("ForAllValues:"),
            Some(SetOperator::ForAnyValue) => text.strip_prefix("ForAnyValue:"),
            None => Some(text),
        };
        let rest = rest.and_then(|r| r.strip_prefix(self.base.name()));
        match rest {
            Some(r) if self.if_exists => r == "IfExists",
            Some(r) => r.is_empty(),
            None => false,
        }
    }

    pub fn canonical_name(&self) -> String {
        let mut s = String::new();
        match self.set {
            Some(SetOperator::ForAllValues) => s.push_str("ForAllValues:"),
            Some(SetOperator::ForAnyValue) => s.push_str("ForAnyValue:"),
            None => {}
        }
        s.push_str(self.base.name());
        if self.if_exists {
            s.push_str("IfExists");
        }
        s
    }
}

/// Every documented operator name, for "did you mean" hints.
pub fn all_names() -> Vec<String> {
    let mut v: Vec<String> = ALL_BASE.iter().map(|b| b.name().to_string()).collect();
    v.extend(
        ALL_BASE
            .iter()
            .filter(|b| **b != Null)
            .map(|b| format!("{}IfExists", b.name())),
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualifiers() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.set, Some(SetOperator::ForAnyValue));
        assert_eq!(op.base, StringLike);
        assert!(op.if_exists);
        assert_eq!(op.canonical_name(), "ForAnyValue:StringLikeIfExists");
        assert!(op.is_canonical("ForAnyValue:StringLikeIfExists"));
        assert!(!op.is_canonical("foranyvalue:StringLikeIfExists"));
        assert!(!op.is_canonical("ForAnyValue:StringLike"));
        for name in all_names() {
            let op = Operator::parse(&name).unwrap();
            assert!(op.is_canonical(&name), "{name}");
            assert_eq!(op.canonical_name(), name);
        }
        assert!(Operator::parse("StringEqualz").is_err());
        assert!(Operator::parse("NullIfExists").is_err());
        assert!(Operator::parse("Sometimes:StringEquals").is_err());
        assert!(NotIpAddress.is_negated());
        assert_eq!(ArnNotLike.positive(), ArnLike);
    }
}
