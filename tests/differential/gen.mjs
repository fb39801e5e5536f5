// Random scenarios for the differential tester, from a seed (deterministic: the same seed and count
// always give the same scenarios, on any machine).
//
// A scenario is one set of policies (every layer the scenario format has) and a few requests against
// it, in the project's scenario format (docs/scenario-format.md). Policies are mostly valid, so
// that the comparison is about decisions, with a few oddities that AWS stores (variables where they
// are plain text, all-digit dates, NotPrincipal with Allow, a "*" request resource, short resource
// ARNs, ...) and, rarely (about 0.4 % of cases), a policy AWS refuses to store (an empty Statement
// list, an operator in the wrong case, a wildcard in an action's service prefix).
//
// Actions are real ones (the peer checks them against its service data), drawn from a few services.

/** mulberry32: a small, well-known 32-bit PRNG; good enough to spread test cases. */
export function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n) => Math.floor(next() * n)
  const pick = (arr) => arr[int(arr.length)]
  const chance = (p) => next() < p
  /** Picks by weight: [[weight, value], ...]. */
  const weighted = (pairs) => {
    const total = pairs.reduce((s, [w]) => s + w, 0)
    let x = next() * total
    for (const [w, v] of pairs) {
      x -= w
      if (x < 0) return v
    }
    return pairs[pairs.length - 1][1]
  }
  /** Between min and max distinct elements of arr. */
  const some = (arr, min, max) => {
    const n = Math.min(arr.length, min + int(max - min + 1))
    const copy = [...arr]
    const out = []
    while (out.length < n) out.push(copy.splice(int(copy.length), 1)[0])
    return out
  }
  return { next, int, pick, chance, weighted, some }
}

export const HOME = '111122223333'
export const OTHER = '444455556666'
const REGION = 'us-east-1'

// ---- resources and actions ----
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
const RESOURCE_KINDS = {
  object: (r, acct) => `arn:aws:s3:::${r.pick(['amzn-s3-demo-bucket', 'logs-bucket'])}/${r.pick(['home/alice/notes.txt', 'home/bob/a.txt', 'public/index.html', 'AWSLogs/111122223333/x.log'])}`,
  bucket: (r) => `arn:aws:s3:::${r.pick(['amzn-s3-demo-bucket', 'logs-bucket'])}`,
  queue: (r, acct) => `arn:aws:sqs:${REGION}:${acct}:${r.pick(['orders', 'jobs'])}`,
  topic: (r, acct) => `arn:aws:sns:${REGION}:${acct}:${r.pick(['alerts', 'events'])}`,
  key: (r, acct) => `arn:aws:kms:${REGION}:${acct}:key/${KEY_ID}`,
  role: (r, acct) => `arn:aws:iam::${acct}:role/${r.pick(['app-role', 'ops/deploy-role'])}`,
  user: (r, acct) => `arn:aws:iam::${acct}:user/${r.pick(['alice', 'bob'])}`,
  instance: (r, acct) => `arn:aws:ec2:${REGION}:${acct}:instance/${r.pick(['i-0123456789abcdef0', 'i-0fedcba9876543210'])}`,
  component: (r, acct) => `arn:aws:imagebuilder:${REGION}:${acct}:component/${r.pick(['hardening', 'base'])}/1.0.0/1`
}
// [service, weight, [[action, resource kind or null for "*"-only actions], ...]]
const SERVICES = [
  ['s3', 4, [['GetObject', 'object'], ['PutObject', 'object'], ['DeleteObject', 'object'], ['ListBucket', 'bucket'], ['ListAllMyBuckets', null]]],
  ['sqs', 2, [['SendMessage', 'queue'], ['ReceiveMessage', 'queue'], ['ListQueues', null]]],
  ['sns', 2, [['Publish', 'topic'], ['Subscribe', 'topic'], ['ListTopics', null]]],
  ['ec2', 2, [['StartInstances', 'instance'], ['StopInstances', 'instance'], ['DescribeInstances', null]]],
  ['imagebuilder', 1, [['GetComponent', 'component'], ['ListComponents', null]]],
  ['iam', 1, [['GetUser', 'user'], ['ListUsers', null]]],
  ['kms', 1, [['Decrypt', 'key'], ['DescribeKey', 'key'], ['ListKeys', null]]],
  ['sts', 1, [['AssumeRole', 'role'], ['GetCallerIdentity', null]]]
]
const SERVICE_PRINCIPALS = ['s3.amazonaws.com', 'lambda.amazonaws.com', 'sns.amazonaws.com']

/** A focus: one action and the concrete resource the requests act on. */
function focus(r) {
  const [svc, , actions] = r.weighted(SERVICES.map((s) => [s[1], s]))
  const [name, kind] = r.pick(actions)
  const acct = r.chance(0.8) ? HOME : OTHER
  const resource = kind ? RESOURCE_KINDS[kind](r, acct) : '*'
  return { svc, action: `${svc}:${name}`, name, kind, resourceAccount: acct, resource }
}

// ---- principals ----
function principalArn(r, kind, acct) {
  switch (kind) {
    case 'user':
      return `arn:aws:iam::${acct}:user/${r.pick(['alice', 'bob', 'dev/carol'])}`
    case 'role':
      return `arn:aws:iam::${acct}:role/${r.pick(['app-role', 'ops/deploy-role'])}`
    case 'session':
      return `arn:aws:sts::${acct}:assumed-role/${r.pick(['app-role', 'deploy-role'])}/${r.pick(['sess-1', 'alice'])}`
    case 'root':
      return `arn:aws:iam::${acct}:root`
    case 'service':
      return r.pick(SERVICE_PRINCIPALS)
    case 'federated':
      return `arn:aws:sts::${acct}:federated-user/${r.pick(['fred', 'alice'])}`
    default:
      return 'anonymous'
  }
}

/** A value for the Principal element of a resource-side statement. */
function policyPrincipal(r) {
  const acct = r.chance(0.75) ? HOME : OTHER
  const one = () =>
    r.weighted([
      [2, acct],
      [3, `arn:aws:iam::${acct}:root`],
      [3, principalArn(r, 'user', acct)],
      [3, principalArn(r, 'role', acct)],
      [2, principalArn(r, 'session', acct)],
      [1, '*']
    ])
  return r.weighted([
    [3, '*'],
    [2, { AWS: '*' }],
    [8, { AWS: one() }],
    [3, { AWS: [one(), one()] }],
    [2, { Service: r.pick(SERVICE_PRINCIPALS) }],
    [1, { AWS: one(), Service: r.pick(SERVICE_PRINCIPALS) }]
  ])
}

// ---- Action and Resource patterns ----
function actionPattern(r, f) {
  const name = f.name
  return r.weighted([
    [6, f.action],
    [1, f.action.toLowerCase()],
    [3, `${f.svc}:*`],
    [3, `${f.svc}:${name.slice(0, 1 + r.int(name.length - 1))}*`],
    [1, `${f.svc}:*${name.slice(r.int(name.length))}`],
    [1, `${f.svc}:${name.slice(0, 2)}?${name.slice(3)}`],
    [2, '*'],
    [3, focus(r).action],
    // Rare, and refused by AWS ("Action vendors ... must not contain wildcards."): a wildcard in the
    // service prefix.
    [0.01, `${f.svc.slice(0, 1)}*:${name}`]
  ])
}

function resourcePattern(r, f) {
  const res = f.resource === '*' ? RESOURCE_KINDS.queue(r, f.resourceAccount) : f.resource
  // Cut somewhere in the resource part (after the fifth colon), so the pattern stays an ARN.
  const cut = (s) => {
    const start = s.split(':').slice(0, 5).join(':').length + 1
    return s.slice(0, start + r.int(Math.max(1, s.length - start)))
  }
  const variable = () => {
    if (res.startsWith('arn:aws:s3:::')) {
      const b = res.slice(13).split('/')[0]
      return r.pick([
        `arn:aws:s3:::${b}/home/\${aws:username}/*`,
        `arn:aws:s3:::${b}/home/\${aws:PrincipalTag/team, 'alice'}/*`,
        `arn:aws:s3:::${b}/\${aws:PrincipalTag/team}*`,
        `arn:aws:s3:::${b}/\${*}`
      ])
    }
    const parts = res.split(':')
    return r.pick([
      [...parts.slice(0, 4), '${aws:PrincipalAccount}', ...parts.slice(5)].join(':'),
      `${parts.slice(0, 5).join(':')}:\${aws:PrincipalTag/team, 'x'}*`
    ])
  }
  const shortArn = () => {
    const prefix = res.split(':').slice(0, 3 + r.int(3)).join(':')
    // An empty segment in a short ARN ("arn:aws:s3::") is refused by AWS; keep to the service then.
    const kept = prefix.includes('::') || prefix.endsWith(':') ? res.split(':').slice(0, 3).join(':') : prefix
    return `${kept}${r.chance(0.7) ? ':*' : ''}`
  }
  return r.weighted([
    [6, res],
    [4, '*'],
    [3, `${cut(res)}*`],
    [1, res.replace(/[a-z](?=[^:]*$)/, '?')],
    [2, res.replace(/:(us-east-1|\d{12}):/g, ':*:')],
    [2, variable()],
    [2, focus(r).resource === '*' ? `arn:aws:s3:::other-bucket/*` : focus(r).resource],
    // A segment's last * crosses colons, and a short ARN reads as padded with :* (stored by AWS).
    [1, shortArn()]
  ])
}

// ---- conditions ----
const ARN_VALUES = [
  `arn:aws:iam::${HOME}:user/alice`,
  `arn:aws:iam::${HOME}:role/app-role`,
  'arn:aws:iam::*:role/*',
  `arn:aws:sns:${REGION}:${HOME}:alerts`,
  `arn:aws:sns:*:*:*`
]
const FAMILIES = [
  {
    w: 6,
    ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    keys: ['aws:PrincipalTag/team', 'aws:RequestedRegion', 'aws:username', 'aws:PrincipalOrgID', 's3:prefix'],
    vals: ['red', 'blue', 'Red', 'us-east-1', 'eu-west-1', 'alice', 'bob', 'o-abc123', 'home/*', 'r?d', '${aws:username}', 'home/${aws:username}/*', "${aws:PrincipalTag/team, 'red'}", '${aws:PrincipalTag/nope}']
  },
  {
    w: 3,
    ops: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    keys: ['aws:MultiFactorAuthAge', 's3:max-keys'],
    vals: ['0', '10', '300', '3600', '-5', '1.5']
  },
  {
    w: 3,
    ops: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    keys: ['aws:CurrentTime', 'aws:TokenIssueTime', 'aws:EpochTime'],
    vals: ['2020-01-01T00:00:00Z', '2025-06-15', '2030-01-01T00:00:00+02:00', '2025-06-15T12:00:00Z', '1700000000', '1750000000']
  },
  { w: 2, ops: ['Bool'], keys: ['aws:SecureTransport', 'aws:MultiFactorAuthPresent', 'aws:ViaAWSService'], vals: ['true', 'false'], odd: ['${aws:SecureTransport}', 'True'] },
  { w: 2, ops: ['IpAddress', 'NotIpAddress'], keys: ['aws:SourceIp'], vals: ['203.0.113.0/24', '203.0.113.7', '10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0'] },
  { w: 2, ops: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'], keys: ['aws:SourceArn', 'aws:PrincipalArn'], vals: [...ARN_VALUES, 'arn:aws:iam::${aws:PrincipalAccount}:user/*'] },
  { w: 1, ops: ['BinaryEquals'], keys: ['aws:PrincipalTag/blob'], vals: ['QmluYXJ5', 'dGVzdA=='] },
  {
    w: 2,
    ops: ['StringEquals', 'StringLike', 'StringNotEquals'],
    set: true,
    keys: ['aws:TagKeys', 'aws:PrincipalOrgPaths'],
    vals: ['team', 'env', 'cost*', 'o-abc123/r-ab12/ou-ab12-11111111/*', 'o-abc123/*']
  },
  { w: 1, ops: ['Null'], keys: ['aws:PrincipalTag/team', 'aws:SourceIp', 'aws:TagKeys', 'aws:MultiFactorAuthAge'], vals: ['true', 'false'] }
]

function condition(r) {
  const cond = {}
  const blocks = 1 + (r.chance(0.3) ? 1 : 0)
  for (let i = 0; i < blocks; i++) {
    const fam = r.weighted(FAMILIES.map((f) => [f.w, f]))
    let op = r.pick(fam.ops)
    if (op !== 'Null') {
      if (fam.set || r.chance(0.1)) op = `${r.chance(0.5) ? 'ForAllValues' : 'ForAnyValue'}:${op}`
      if (r.chance(0.2)) op += 'IfExists'
    }
    // Rare, and refused by AWS ("Invalid Condition type : stringEquals"): an operator in the wrong case.
    if (r.chance(0.0015)) op = op.replace(/(^|:)([A-Z])/, (m, sep, c) => sep + c.toLowerCase())
    const block = (cond[op] = cond[op] || {})
    for (const key of r.some(fam.keys, 1, 2)) {
      // Now and then a value AWS stores but that is odd for the operator (a variable in Bool, ...).
      const vals = fam.odd && r.chance(0.04) ? [r.pick(fam.odd)] : r.some(fam.vals, 1, 2)
      block[key] = vals.length === 1 && r.chance(0.6) ? vals[0] : vals
    }
  }
  return cond
}

// ---- statements and policies ----
const FULL = { Effect: 'Allow', Action: '*', Resource: '*' }

/** One statement; `side` is 'identity' | 'resource' | 'scp' | 'rcp' | 'vpce'. */
function statement(r, f, side) {
  const effect = side === 'rcp' ? 'Deny' : r.chance(side === 'scp' ? 0.5 : 0.72) ? 'Allow' : 'Deny'
  const s = {}
  s.Effect = effect
  if (side === 'rcp') s.Principal = '*'
  else if (side === 'resource' || side === 'vpce') {
    if (effect === 'Deny' && side === 'resource' && r.chance(0.12)) s.NotPrincipal = { AWS: policyPrincipal(r).AWS || `arn:aws:iam::${HOME}:root` }
    else if (effect === 'Allow' && side === 'resource' && r.chance(0.02)) s.NotPrincipal = { AWS: `arn:aws:iam::${HOME}:user/alice` }
    else s.Principal = side === 'vpce' && r.chance(0.6) ? '*' : policyPrincipal(r)
  }
  const actions = Array.from({ length: 1 + (r.chance(0.3) ? 1 : 0) }, () => actionPattern(r, f))
  const av = actions.length === 1 ? actions[0] : actions
  // NotAction in an RCP statement is allowed; AWS requires Action or NotAction everywhere.
  if (r.chance(0.14)) s.NotAction = av
  else s.Action = av
  // SCPs: Resource is required (NotResource is not supported in SCP Allow statements).
  const resources = Array.from({ length: 1 + (r.chance(0.25) ? 1 : 0) }, () => resourcePattern(r, f))
  const rv = resources.length === 1 ? resources[0] : resources
  if (side !== 'scp' && r.chance(0.12)) s.NotResource = rv
  else if (side === 'resource' && f.action === 'sts:AssumeRole' && r.chance(0.5)) {
    // trust policies usually have no Resource
  } else s.Resource = rv
  if (r.chance(side === 'scp' || side === 'rcp' ? 0.5 : 0.35)) s.Condition = condition(r)
  return s
}

function policy(r, focuses, side, min, max) {
  const n = min + r.int(max - min + 1)
  const p = { Version: r.chance(0.04) ? '2008-10-17' : '2012-10-17', Statement: [] }
  if (side === 'scp' && r.chance(0.7)) p.Statement.push({ ...FULL })
  for (let i = 0; i < n; i++) {
    const st = statement(r, r.pick(focuses), side)
    // Sids must be unique within a policy (AWS refuses duplicates), so they carry the index.
    p.Statement.push(r.chance(0.15) ? { Sid: `S${i}x${r.int(100)}`, ...st } : st)
  }
  // AWS refuses to store a policy with an empty Statement list ("Syntax errors in policy."), so an
  // SCP drawn with no statements gets FullAWSAccess back, except now and then (class
  // empty-statement-list: our engine reports the policy, the peer decides).
  if (!p.Statement.length && !r.chance(0.03)) p.Statement.push({ ...FULL })
  if (r.chance(0.05) && p.Statement.length === 1) p.Statement = p.Statement[0]
  return p
}

const RCP_FULL = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }

// ---- requests ----
const CONTEXT_KEYS = {
  'aws:PrincipalTag/team': (r) => r.pick(['red', 'blue', 'Red', 'alice']),
  'aws:username': (r) => r.pick(['alice', 'bob']),
  'aws:RequestedRegion': (r) => r.pick(['us-east-1', 'eu-west-1']),
  'aws:PrincipalOrgID': (r) => r.pick(['o-abc123', 'o-zzz999']),
  's3:prefix': (r) => r.pick(['home/alice/', 'public/']),
  'aws:MultiFactorAuthAge': (r) => r.pick(['0', '5', '300', '7200']),
  's3:max-keys': (r) => r.pick(['10', '1000']),
  'aws:CurrentTime': (r) => r.pick(['2024-03-01T10:00:00Z', '2025-06-15T12:00:00Z', '2031-01-01T00:00:00Z']),
  'aws:TokenIssueTime': (r) => r.pick(['2025-06-15T11:00:00Z', '2019-12-31T23:00:00Z']),
  'aws:EpochTime': (r) => r.pick(['1700000000', '1800000000']),
  'aws:SecureTransport': (r) => r.pick(['true', 'false']),
  'aws:MultiFactorAuthPresent': (r) => r.pick(['true', 'false']),
  'aws:ViaAWSService': (r) => r.pick(['true', 'false']),
  'aws:SourceIp': (r) => r.pick(['203.0.113.7', '203.0.113.200', '10.1.2.3', '2001:db8::1', '198.51.100.1']),
  'aws:SourceArn': (r) => r.pick(ARN_VALUES.filter((a) => !a.includes('*'))),
  'aws:PrincipalArn': (r) => r.pick(ARN_VALUES.filter((a) => !a.includes('*'))),
  'aws:PrincipalTag/blob': (r) => r.pick(['QmluYXJ5', 'b3RoZXI=']),
  'aws:TagKeys': (r) => r.some(['team', 'env', 'costcenter', 'owner'], 0, 3),
  'aws:PrincipalOrgPaths': (r) => r.some(['o-abc123/r-ab12/ou-ab12-11111111/', 'o-abc123/r-ab12/'], 1, 2),
  'aws:PrincipalAccount': () => HOME
}

function context(r, principal) {
  const ctx = {}
  for (const [k, gen] of Object.entries(CONTEXT_KEYS)) if (r.chance(0.35)) ctx[k] = gen(r)
  if (principal.startsWith('arn:') && 'aws:PrincipalArn' in ctx) ctx['aws:PrincipalArn'] = principal.replace(/^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.*$/, 'arn:aws:iam::$1:role/$2')
  if (principal.startsWith('arn:') && 'aws:PrincipalAccount' in ctx) ctx['aws:PrincipalAccount'] = principal.split(':')[4]
  return ctx
}

/** Generates `count` requests' worth of scenarios, `perScenario` requests each. */
export function generate(seed, count, perScenario = 8) {
  const r = rng(seed)
  const scenarios = []
  let made = 0
  while (made < count) {
    const focuses = [focus(r), focus(r), focus(r)]
    const policies = {}
    const hasBoundary = r.chance(0.18)
    const hasSession = r.chance(0.15)
    policies.identity = Array.from({ length: r.weighted([[1, 0], [5, 1], [2, 2]]) }, () => policy(r, focuses, 'identity', 1, 3))
    if (r.chance(0.5)) policies.resource = policy(r, focuses, 'resource', 1, 3)
    if (hasBoundary) policies.permissionsBoundary = policy(r, focuses, 'identity', 1, 2)
    if (hasSession) policies.session = policy(r, focuses, 'identity', 1, 2)
    if (r.chance(0.2)) policies.scps = Array.from({ length: 1 + r.int(2) }, () => [policy(r, focuses, 'scp', 0, 2)])
    if (r.chance(0.15))
      policies.rcps = Array.from({ length: 1 + r.int(2) }, () => {
        const level = [{ Version: '2012-10-17', Statement: [{ ...RCP_FULL }] }]
        if (r.chance(0.8)) level.push(policy(r, focuses, 'rcp', 1, 2))
        return level
      })
    if (r.chance(0.1)) policies.vpcEndpoint = [policy(r, focuses, 'vpce', 1, 2)]

    // Which principals make sense: a session policy exists only for sessions, a boundary only for
    // IAM users and roles (and their sessions).
    const kinds = hasSession
      ? [[1, 'session']]
      : hasBoundary
        ? [[3, 'user'], [2, 'role'], [3, 'session']]
        : [[5, 'user'], [2, 'role'], [4, 'session'], [1, 'root'], [1, 'service'], [1, 'anonymous'], [1, 'federated']]
    const requests = []
    const n = Math.min(perScenario, count - made)
    for (let i = 0; i < n; i++) {
      const f = r.pick(focuses)
      const kind = r.weighted(kinds)
      const acct = r.chance(0.75) ? HOME : OTHER
      const principal = principalArn(r, kind, acct)
      const req = { principal, action: f.action, resource: f.resource, resourceAccount: f.resourceAccount }
      // An oddity: a "*" request resource for an action that has resource types.
      if (f.kind && r.chance(0.03)) req.resource = '*'
      const ctx = context(r, principal)
      if (Object.keys(ctx).length) req.context = ctx
      requests.push(req)
    }
    made += n
    scenarios.push({ format: 1, name: `differential seed ${seed} #${scenarios.length}`, policies, requests })
  }
  return scenarios
}
