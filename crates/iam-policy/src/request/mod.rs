//! What is being asked: the caller, the action, the resource and the
//! request context, read from a scenario's request.

pub mod context;
pub mod principal;

pub use context::{ContextEntry, RequestContext};
pub use principal::{Principal, PrincipalError};

use crate::ast::scenario::RequestSpec;
use crate::syntax::text::Text;

/// A request, ready to be decided.
#[derive(Debug, Clone)]
pub struct Request {
    pub principal: Principal,
    /// `service:Action`.
    pub action: String,
    /// An ARN, or `*`.
    pub resource: String,
    pub context: RequestContext,
}

impl Request {
    /// Builds a request from its parts.
    pub fn new(
        principal: Principal,
        action: &str,
        resource: &str,
        context: RequestContext,
    ) -> Request {
        Request {
            principal,
            action: action.to_string(),
            resource: resource.to_string(),
            context,
        }
    }
}

impl RequestSpec {
    /// Turns the request into the engine's form.
    pub fn to_request(&self) -> Result<Request, String> {
        let principal = Principal::parse(&self.principal)
            .map_err(|e| format!("principal: {} ({})", e.message, e.hint))?;
        let action = self.action.trim();
        if action.is_empty() || (!action.contains(':')) {
            return Err(format!(
                "action \"{}\" is not service:ActionName, for example imagebuilder:GetComponent",
                self.action
            ));
        }
        if self.resource.trim().is_empty() {
            return Err("resource is empty: give an ARN, or \"*\"".to_string());
        }
        Ok(Request {
            principal,
            action: action.to_string(),
            resource: self.resource.trim().to_string(),
            context: context_from_json(&self.context)?,
        })
    }
}

/// Converts JSON context values: scalars are single values, arrays are
/// multivalued keys, null means the key is absent.
pub fn context_from_json(
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<RequestContext, String> {
    let mut ctx = RequestContext::new();
    for (k, v) in map {
        let scalar = |v: &serde_json::Value| -> Option<Text> {
            match v {
                serde_json::Value::String(s) => Some(Text::from(s.as_str())),
                serde_json::Value::Number(n) => Some(Text::from(n.to_string())),
                serde_json::Value::Bool(true) => Some(Text::from("true")),
                serde_json::Value::Bool(false) => Some(Text::from("false")),
                _ => None,
            }
        };
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                let mut vals = Vec::with_capacity(items.len());
                for it in items {
                    vals.push(scalar(it).ok_or_else(|| {
                        format!(
                            "context key {k}: array elements must be strings, numbers or booleans"
                        )
                    })?);
                }
                ctx.insert_texts(k, vals, true);
            }
            other => match scalar(other) {
                Some(s) => ctx.insert_texts(k, vec![s], false),
                None => {
                    return Err(format!(
                        "context key {k}: a value must be a string, number, boolean or array"
                    ))
                }
            },
        }
    }
    Ok(ctx)
}
