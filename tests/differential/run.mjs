#!/usr/bin/env node
// Differential tester: random scenarios (gen.mjs), decided by our CLI and by the pinned
// @cloud-copilot/iam-simulate (an external test oracle only: a dev dependency of this folder, never
// shipped), compared request by request. Every disagreement must fall into a known class
// (classes.mjs, documented in LEDGER.md); one that does not is shrunk to a minimal case, printed,
// and the run exits 1.
//
//   node tests/differential/run.mjs [--cases 2000] [--seed 1] [--cli target/release/iam-policy]
//        [--out target/differential] [--per 8] [--examples 1] [--explain K] [--dump K] [--dump-class ID]
//
// `cargo xtask differential` builds the CLI and runs this (see README.md).
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadPolicy } from '@cloud-copilot/iam-policy'
import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate'
import { CLASSES } from './classes.mjs'
import { generate } from './gen.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')
const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt
}
const cases = Number(opt('--cases', '2000'))
const seed = Number(opt('--seed', '1'))
const per = Number(opt('--per', '8'))
const examples = Number(opt('--examples', '1'))
const cli = resolve(opt('--cli', join(root, 'target', 'release', 'iam-policy')))
const out = resolve(opt('--out', join(root, 'target', 'differential')))
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || !Number.isInteger(per) || per < 1) {
  console.error('usage: run.mjs [--cases N] [--seed S] [--per K] [--cli PATH] [--out DIR] [--examples K]')
  process.exit(2)
}

// ---- the peer's core engine (the same entry point its own evaluation tests use) ----
const base = import.meta.resolve('@cloud-copilot/iam-simulate')
const peerModule = (p) => import(new URL(p, base).href)
const { authorize } = await peerModule('./core_engine/CoreSimulatorEngine.js')
const { AwsRequestImpl } = await peerModule('./request/request.js')
const { RequestContextImpl } = await peerModule('./requestContext.js')
const { DiscoveryContextKeyConstraints } = await peerModule('./context_keys/discoveryContextKeyConstraints.js')

const DECISION = { Allowed: 'allowed', ImplicitlyDenied: 'implicitDeny', ExplicitlyDenied: 'explicitDeny' }
const wildcardOnly = new Map()
async function isStarOnly(action) {
  if (!wildcardOnly.has(action)) {
    const [svc, name] = action.split(':')
    wildcardOnly.set(action, await isWildcardOnlyAction(svc, name))
  }
  return wildcardOnly.get(action)
}

/** The peer's policies for one scenario, loaded once. */
function peerPolicies(s) {
  const p = s.policies
  const lp = (doc, name) => loadPolicy(doc, { name })
  const levels = (ls, kind) => (ls || []).map((level, i) => ({ orgIdentifier: `${kind}-${i}`, policies: level.map((d, j) => lp(d, `${kind}-${i}-${j}`)) }))
  return {
    identityPolicies: (p.identity || []).map((d, i) => lp(d, `identity-${i}`)),
    resourcePolicy: p.resource ? lp(p.resource, 'resource') : undefined,
    permissionBoundaries: p.permissionsBoundary ? [lp(p.permissionsBoundary, 'boundary')] : undefined,
    sessionPolicy: p.session ? lp(p.session, 'session') : undefined,
    serviceControlPolicies: levels(p.scps, 'scp'),
    resourceControlPolicies: levels(p.rcps, 'rcp'),
    vpcEndpointPolicies: p.vpcEndpoint ? p.vpcEndpoint.map((d, i) => lp(d, `vpce-${i}`)) : undefined
  }
}

async function peerDecide(s, req, loaded) {
  try {
    const principal = req.principal === 'anonymous' ? { type: 'Anonymous' } : req.principal
    const request = new AwsRequestImpl(
      principal,
      { resource: req.resource, accountId: req.resourceAccount },
      req.action,
      new RequestContextImpl(req.context || {}),
      req.resource === '*' && (await isStarOnly(req.action))
    )
    const analysis = authorize({
      request,
      ...loaded,
      simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) }
    })
    return DECISION[analysis.result] || `peer:${analysis.result}`
  } catch (e) {
    return `peerError: ${e && e.message ? e.message : String(e)}`
  }
}

/** Runs our CLI once over a folder of scenario files; returns results keyed "file#request". */
function ours(dir) {
  let text
  try {
    text = execFileSync(cli, ['check', '--json', dir], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] }).toString()
  } catch (e) {
    // Exit 1 only says some request failed or could not be evaluated; the JSON is still printed.
    text = e.stdout ? e.stdout.toString() : ''
    if (!text.trim().startsWith('[')) {
      console.error(`differential: ${cli} check --json ${dir} failed:\n${e.stderr ? e.stderr.toString() : e.message}`)
      process.exit(2)
    }
  }
  const map = new Map()
  for (const r of JSON.parse(text)) map.set(`${r.file.split(/[\\/]/).pop()}#${r.request}`, r)
  return map
}

function writeScenarios(dir, scenarios) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  scenarios.forEach((s, i) => writeFileSync(join(dir, `${String(i).padStart(6, '0')}.json`), JSON.stringify(s)))
}

/** Decides every request of every scenario with both engines. */
async function decideAll(dir, scenarios) {
  writeScenarios(dir, scenarios)
  const mine = ours(dir)
  const rows = []
  for (const [i, s] of scenarios.entries()) {
    const loaded = peerPolicies(s)
    for (const [j, req] of s.requests.entries()) {
      const r = mine.get(`${String(i).padStart(6, '0')}.json#${j}`)
      const our = !r ? 'missing' : r.error ? 'error' : r.decision
      const starOnly = req.resource === '*' && (await isStarOnly(req.action))
      rows.push({ scenario: s, request: req, index: [i, j], ours: our, error: r && r.error, peer: await peerDecide(s, req, loaded), starOnly })
    }
  }
  return rows
}

const classify = (row) => CLASSES.find((k) => !!k.onError === (row.ours === 'error') && k.test(row))

// ---- shrinking an unclassified disagreement ----
// Candidates: remove one element of any array (statements, values, levels, policies), or one
// removable key (layers, Condition blocks and keys, context keys, Sid).
const LAYERS = new Set(['resource', 'permissionsBoundary', 'session', 'scps', 'rcps', 'vpcEndpoint'])
function candidates(s) {
  const out = []
  const walk = (node, path) => {
    const at = path.join('.')
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        if (node.length > 1 || at === 'policies.identity') out.push([...path, i])
        walk(child, [...path, i])
      })
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        const removable =
          (at === 'policies' && LAYERS.has(k)) ||
          ((k === 'Condition' || k === 'Sid') && path.includes('policies')) ||
          ((path[path.length - 1] === 'Condition' || path[path.length - 2] === 'Condition') && Object.keys(node).length > 1) ||
          (k === 'context' && path[0] === 'requests') ||
          path[path.length - 1] === 'context'
        if (removable) out.push([...path, k])
        walk(v, [...path, k])
      }
    }
  }
  walk(s, [])
  return out.map((p) => {
    const copy = structuredClone(s)
    let node = copy
    for (const k of p.slice(0, -1)) node = node[k]
    const last = p[p.length - 1]
    if (Array.isArray(node)) node.splice(last, 1)
    else delete node[last]
    return copy
  })
}

async function shrink(row) {
  let cur = { ...structuredClone(row.scenario), requests: [structuredClone(row.request)] }
  let best = row
  for (let round = 0; round < 200; round++) {
    const cands = candidates(cur).filter((c) => c.requests.length === 1)
    if (!cands.length) break
    const rows = await decideAll(join(out, 'shrink'), cands)
    const next = rows.find((r) => r.ours === row.ours && r.peer === row.peer && !classify(r))
    if (!next) break
    cur = next.scenario
    best = next
  }
  return best
}

// ---- main ----
const t0 = Date.now()
const scenarios = generate(seed, cases, per)
const t1 = Date.now()
const rows = await decideAll(join(out, 'scenarios'), scenarios)
const t2 = Date.now()
const byClass = new Map()
const unknown = []
let agree = 0
for (const row of rows) {
  if (row.ours === row.peer) {
    agree++
    continue
  }
  const k = classify(row)
  if (!k) {
    unknown.push(row)
    continue
  }
  if (!byClass.has(k.id)) byClass.set(k.id, { k, rows: [] })
  byClass.get(k.id).rows.push(row)
}

const pct = (a, b) => ((100 * a) / b).toFixed(2)
console.log(`differential: seed ${seed}, ${rows.length} cases in ${scenarios.length} scenarios`)
console.log(`agreement: ${agree}/${rows.length} = ${pct(agree, rows.length)}%`)
const explained = rows.length - agree - unknown.length
console.log(`disagreements in known classes: ${explained}; unexplained: ${unknown.length}`)
for (const { k, rows: rs } of [...byClass.values()].sort((a, b) => b.rows.length - a.rows.length)) {
  console.log(`  ${String(rs.length).padStart(6)}  ${k.id}  (${k.verdict})`)
  for (const r of rs.slice(0, examples)) {
    console.log(`          e.g. scenario ${r.index[0]} request ${r.index[1]}: ${r.request.principal} ${r.request.action} ${r.request.resource}: ours ${r.ours}, peer ${r.peer}`)
  }
}
console.log(`time: generate ${t1 - t0} ms, decide ${t2 - t1} ms (our CLI once, the peer in-process)`)
writeFileSync(
  join(out, 'summary.json'),
  JSON.stringify({ seed, cases: rows.length, agree, classes: Object.fromEntries([...byClass].map(([id, v]) => [id, v.rows.length])), unexplained: unknown.length }, null, 2)
)

const dump = Number(opt('--dump', '0'))
const line = (r) => JSON.stringify({ policies: r.scenario.policies, request: r.request, ours: r.ours, error: r.error, peer: r.peer })
for (const r of unknown.slice(0, dump)) console.log(line(r))
// --dump-class ID: every disagreement that class explains (all classes with '*'), one JSON line each,
// to review what a class covers.
const dumpClass = opt('--dump-class', '')
for (const [id, { rows: rs }] of byClass) if (dumpClass === '*' || dumpClass === id) for (const r of rs) console.log(line(r).replace(/^\{/, `{"class":${JSON.stringify(id)},`))
const explain = Number(opt('--explain', '0'))
const seen = new Set()
for (const r of unknown) {
  if (seen.size >= explain) break
  const key = `${r.ours}/${r.peer}`
  if (seen.has(key)) continue
  seen.add(key)
  const m = await shrink(r)
  console.log(`--- ${key}\n${JSON.stringify(m.scenario.policies)}\n${JSON.stringify(m.scenario.requests[0])}\nours ${m.ours} ${m.error || ''} / peer ${m.peer}`)
}
if (unknown.length) {
  console.log(`\n${unknown.length} disagreement(s) match no class in classes.mjs. The first, shrunk:`)
  const min = await shrink(unknown[0])
  console.log(JSON.stringify({ ...min.scenario, name: 'unexplained disagreement' }, null, 2))
  console.log(`ours: ${min.ours}${min.error ? ` (${min.error})` : ''}\npeer: ${min.peer}`)
  console.log('\nDecide which engine follows AWS (quote the documentation), then fix the engine or add a class to classes.mjs and LEDGER.md.')
  console.log('1 failed')
  process.exit(1)
}
console.log(`${rows.length} passed, 0 failed`)
