//! Serde mirror of `data/catalog.json` (format 1), as written by
//! `generate/generate.mjs`. Arrays are positional to keep the file small;
//! trailing empty arrays are omitted by the generator, hence the defaults.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
pub(crate) struct RawCatalog {
    pub format: u32,
    pub source: RawSource,
    /// Access-level names; bit `i` of an action's level mask is `levels[i]`.
    pub levels: Vec<String>,
    /// Interned condition-key type names.
    pub types: Vec<String>,
    /// `[name, type index, category]`.
    #[serde(rename = "globalKeys")]
    pub global_keys: Vec<(String, u32, String)>,
    /// Condition-key prefixes that are not service prefixes -> services
    /// defining them.
    #[serde(rename = "keyPrefixAliases", default)]
    pub key_prefix_aliases: BTreeMap<String, Vec<String>>,
    pub services: Vec<RawService>,
}

#[derive(Deserialize)]
pub(crate) struct RawSource {
    pub package: String,
    pub version: String,
    #[serde(default)]
    pub license: Option<String>,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: Option<String>,
}

/// `[prefix, name, keys, resourceTypes, actions]`.
#[derive(Deserialize)]
pub(crate) struct RawService(
    pub String,
    pub String,
    #[serde(default)] pub Vec<RawKey>,
    #[serde(default)] pub Vec<RawResourceType>,
    #[serde(default)] pub Vec<RawAction>,
);

/// `[name, type index]`.
#[derive(Deserialize)]
pub(crate) struct RawKey(pub String, pub u32);

/// `[name, arnFormat | [arnFormat...], [key index...]]`.
#[derive(Deserialize)]
pub(crate) struct RawResourceType(pub String, pub OneOrMany, #[serde(default)] pub Vec<u32>);

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// `[name, level bits, [rt index * 2 + required...], [key index...],
///   [[position in rts, [key index...]]...]]`.
#[derive(Deserialize)]
pub(crate) struct RawAction(
    pub String,
    pub u8,
    #[serde(default)] pub Vec<u32>,
    #[serde(default)] pub Vec<u32>,
    #[serde(default)] pub Vec<(u32, Vec<u32>)>,
);
