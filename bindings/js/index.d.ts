// Types of @convergence-io/ceg: the documented JS API (docs/DESIGN.md#data-model, docs/DESIGN.md#methods, docs/DESIGN.md#js-binding).
// `load()` resolves to a Ceg whose helpers return Promises; `loadSync()`
// returns a CegSync whose helpers return values. Field names are the wire's.

// ---------------------------------------------------------------- graph

export type NodeKind = 'intent' | 'resource' | 'constraint' | 'authority' | 'memory' | 'trace' | 'projection';
export type EdgeKind =
  | 'requires' | 'enables' | 'blocks' | 'executes_on' | 'transforms_into'
  | 'observes' | 'derives_from' | 'projects_to' | 'swaps_to';
export type ResourceKind = 'llm' | 'vm' | 'tool' | 'agent';
export type IdentityScope = 'operator' | 'user' | 'agent' | 'public';
export type MemoryPolicy = 'internal' | 'operator' | 'public';

/** Fields every node has; runtime fields are filled in by the module. */
export interface NodeBase {
  id: string;
  kind: NodeKind;
  label?: string;
  meta?: Record<string, unknown>;
  active?: boolean;
  /** Time dilation D (default 1). */
  dilation?: number;
  latencyMs?: number;
}

export interface IntentNode extends NodeBase {
  kind: 'intent';
  text?: string;
  embedding?: number[];
  /** Capabilities a resource must offer to run this intent. */
  capabilities?: string[];
  /** Estimated tokens (default 1000). */
  tokens?: number;
  /** Data classes. */
  labels?: string[];
}

export interface ResourceNode extends NodeBase {
  kind: 'resource';
  resourceKind?: ResourceKind;
  provider?: string;
  capabilities?: string[];
  costPerToken?: number;
  costPerCall?: number;
  /** Default 2000. */
  latencyTargetMs?: number;
  /** 0..1, default 1. */
  health?: number;
  external?: boolean;
  /** Absent: accepts every label. */
  acceptsLabels?: string[];
  minScope?: IdentityScope;
}

export interface ConstraintNode extends NodeBase {
  kind: 'constraint';
  /**
   * An expr-lang expression over intent, resource, contract, state, money,
   * dilatedLatency and the views resourceHealth, resourceLatency, memoryLoad
   * (number of active memory nodes), memoryState ({activeNodes, entries}) and
   * activeConstraints.
   */
  predicate?: string;
  scope?: 'global' | 'session' | 'request';
  severity?: 'soft' | 'hard' | 'critical';
  satisfied?: boolean | null;
}

/** A NAP rule: matches when every given field matches; deny beats allow. */
export interface Rule {
  effect: 'allow' | 'deny';
  provider?: string;
  resourceKind?: ResourceKind;
  capability?: string;
  label?: string;
  action?: string;
}

export interface AuthorityNode extends NodeBase {
  kind: 'authority';
  policySet?: Rule[];
  identityScope?: IdentityScope;
}

export interface MemoryNode extends NodeBase {
  kind: 'memory';
  content?: string;
  provenance?: string;
  accessPolicy?: MemoryPolicy;
  labels?: string[];
}

export interface TraceNode extends NodeBase {
  kind: 'trace';
  event?: string;
  causalParent?: string;
  actor?: string;
  tick?: number;
  at?: number;
  hash?: string;
  prevHash?: string;
}

export interface ProjectionNode extends NodeBase {
  kind: 'projection';
  viewType?: 'panel' | 'cockpit' | 'debug' | 'compact';
  filter?: string;
  renderPolicy?: 'always' | 'on_active' | 'on_stable';
  featureState?: FeatureState;
  sources?: string[];
}

/**
 * A projection's state, as the original defines it: active = a source is in
 * the plan and executing or completed; suspended = swapped out (or aborted),
 * state kept; scheduled = eligible, waiting; inactive = not scheduled.
 */
export type FeatureState = 'inactive' | 'scheduled' | 'active' | 'suspended';
export type Node = IntentNode | ResourceNode | ConstraintNode | AuthorityNode | MemoryNode | TraceNode | ProjectionNode;

/** A typed directed edge, identified by (from, to, kind). */
export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Default 1. */
  weight?: number;
  meta?: Record<string, unknown>;
}

/** The wire form of a whole graph. */
export interface GraphDoc {
  nodes: Node[];
  edges: Edge[];
  tick?: number;
}

export interface GraphSnapshot {
  tick: number;
  nodes: number;
  edges: number;
  byKind: Partial<Record<NodeKind, number>>;
}

export type GraphOp =
  | { op: 'addNode'; node: Node }
  | { op: 'removeNode'; id: string }
  | { op: 'addEdge'; edge: Edge }
  | { op: 'removeEdge'; from: string; to: string; kind: EdgeKind }
  | { op: 'swapNode'; oldId: string; node: Node }
  | { op: 'advanceTick' }
  /** σ rollback: undo the swap that brought `id` in. */
  | { op: 'rollback'; id: string };

/** The result of one graph.apply op. */
export interface OpResult {
  op: GraphOp['op'];
  id?: string;
  /** addEdge: false when the edge already existed. */
  added?: boolean;
  node?: Node;
  edge?: Edge;
  /** swapNode: the node that left. */
  old?: Node;
  tick?: number;
  /** rollback: false (a no-op, not an error) when the id had no rollback state; `node` is then the restored node. */
  rolledBack?: boolean;
}

export interface ApplyResult {
  results: OpResult[];
  snapshot: GraphSnapshot;
}

// ------------------------------------------------- contract, state, plan

export interface CostWeights {
  /** Default 0.3. */ latency?: number;
  /** Default 0.4. */ compute?: number;
  /** Default 0.2. */ risk?: number;
  /** Default 0.1. */ instability?: number;
}

export interface ExecutionContract {
  id?: string;
  /** Text of the implicit intent when the graph has no intent node. */
  intent?: string;
  /** Intent ids in scope (default: every intent not yet done). */
  intents?: string[];
  constraints?: {
    /** USD, default 0.05. */ maxCost?: number;
    /** Default 10000. */ maxLatencyMs?: number;
    /** Hard: only resources with capability `deterministic` are eligible. */
    determinism?: boolean;
    /** The original CEG's graded determinism (0..1); carried, never a filter. */
    determinismLevel?: number;
    memoryPolicy?: MemoryPolicy;
    externalIo?: 'allow' | 'block' | 'audit';
  };
  allowedProviders?: string[];
  forbiddenProviders?: string[];
  identityScope?: IdentityScope;
  weights?: CostWeights;
}

export type BreakerStatus = 'available' | 'degraded' | 'quota_hit' | 'circuit_open';

export interface Breaker {
  state: BreakerStatus;
  errors: number;
  level: number;
  openUntil?: number;
  probing?: boolean;
  latencyEmaMs?: number;
  samples?: number;
}

/** S: observations that override node values. */
export interface SystemState {
  tick?: number;
  /** Host clock, ms. */
  now?: number;
  resources?: {
    health?: Record<string, number>;
    latencyMs?: Record<string, number>;
    breakers?: Record<string, Breaker>;
  };
  memory?: { activeNodes?: number; entries?: number };
  policy?: { activeConstraints?: string[]; napProfile?: string; authorityScope?: IdentityScope };
}

export interface Grounding {
  fetchExternal: boolean;
  maxResults: number;
  minSources: number;
  deepMode: boolean;
}

export type RejectReason =
  | 'FORBIDDEN_PROVIDER' | 'NOT_ALLOWED_PROVIDER' | 'RESOURCE_DOWN' | 'MISSING_CAPABILITY'
  | 'DETERMINISM_REQUIRED' | 'EXTERNAL_IO_BLOCKED' | 'AUTHORITY_DENIED' | 'LABEL_DENIED'
  | 'CONSTRAINT_VIOLATED' | 'PREDICATE_BUDGET' | 'BLOCKED';

export type InfeasibilityCode =
  | 'MEMORY_ACCESS_DENIED' | 'HARD_CONSTRAINT_VIOLATED' | 'NO_ELIGIBLE_RESOURCES'
  | 'BUDGET_EXCEEDED' | 'LATENCY_EXCEEDED';

export interface Rejection {
  resource: string;
  provider: string;
  reason: RejectReason;
  /** A human detail. */
  detail?: string;
}

/** An alternative resource for a step, in failover order. */
export interface Fallback {
  resource: string;
  provider: string;
  /** Weighted cost. */
  cost: number;
  estimatedCost: number;
  estimatedLatencyMs: number;
  softMisses: number;
}

export interface ExecutionStep {
  id: string;
  intent: string;
  resource: string;
  provider: string;
  /** 0-based dependency level. */
  wave: number;
  dependsOn: string[];
  estimatedCost: number;
  estimatedLatencyMs: number;
  dilatedLatencyMs: number;
  dilation: number;
  /** τ · latencyTolerance. */
  deadlineMs: number;
  /** Weighted step cost. */
  cost: number;
  fallbacks: Fallback[];
  rejected: Rejection[];
  /** Soft constraints this assignment misses. */
  softMisses: string[];
  grounding: Grounding;
  /** Set by reoptimize on a done or active step: it keeps its resource (continuity). */
  bound?: boolean;
}

export interface ExecutionPlan {
  /** Content hash of the inputs: equal inputs, equal ids. */
  id: string;
  contractId: string;
  steps: ExecutionStep[];
  totalCost: number;
  totalLatencyMs: number;
  objective: number;
  feasible: boolean;
  optimal: boolean;
  explored: number;
  /** Bound gap when the search fell back to the heuristic (optimal: false). */
  gap?: number;
  infeasibility?: {
    code: InfeasibilityCode;
    message: string;
    /** Per intent, every rejected candidate with its reason. */
    candidates: Array<{ intent: string; rejected: Rejection[] }>;
  };
}

/** A step whose resource reoptimize moved, or kept by hysteresis. */
export interface PlanChange {
  step: string;
  intent: string;
  from: string;
  to: string;
  reason: string;
  costBefore: number;
  costAfter: number;
  /** For a step kept by hysteresis: the better candidate it did not move to. */
  candidate?: string;
  candidateCost?: number;
}

/** Where a method takes a graph: inline, by handle, or a Graph object. */
export type GraphTarget<S extends boolean = boolean> =
  | { graph: GraphDoc | Graph<S>; handle?: never }
  | { handle: string; graph?: never };

/**
 * Overrides for contract.fromMessage: any contract field, constraint fields
 * given flat (maxCost, not constraints.maxCost).
 */
export interface ContractOverrides {
  id?: string;
  intent?: string;
  intents?: string[];
  maxCost?: number;
  maxLatencyMs?: number;
  determinism?: boolean;
  determinismLevel?: number;
  memoryPolicy?: MemoryPolicy;
  externalIo?: 'allow' | 'block' | 'audit';
  allowedProviders?: string[];
  forbiddenProviders?: string[];
  identityScope?: IdentityScope;
  weights?: CostWeights;
}

/** A contract, or a chat message compiled by contract.fromMessage. */
export type ContractOrMessage = ExecutionContract | string;

export type OptimizeParams<S extends boolean = boolean> = GraphTarget<S> & {
  contract: ContractOrMessage;
  state?: SystemState;
  weights?: CostWeights;
  /** `plan` (default): the whole plan; `route`: only the lean Route (what `route()` asks for). */
  select?: 'plan' | 'route';
};

/** One target of a route's failover chain. */
export interface RouteTarget {
  resource: string;
  provider: string;
}

/** One step of a Route: the chosen resource, then the failover chain in order. */
export interface RouteStep {
  intent: string;
  resource: string;
  provider: string;
  /** The step's fallbacks, in failover order (the chosen resource is not repeated). */
  failover: RouteTarget[];
  grounding: Grounding;
}

/**
 * The lean answer of plan.optimize (`select: "route"`): what a caller that
 * plans every turn reads. It is a view of the same plan as the full answer
 * (same id, same choices), without costs, rejections or messages.
 */
export interface Route {
  /** The plan id (equal to the full plan's). */
  id: string;
  feasible: boolean;
  /** The infeasibility code when not feasible. */
  infeasibility?: InfeasibilityCode;
  /** One per intent in step order; empty when not feasible. */
  steps: RouteStep[];
}

export type ReoptimizeParams<S extends boolean = boolean> = GraphTarget<S> & {
  contract: ContractOrMessage;
  state?: SystemState;
  previous: ExecutionPlan;
  /** Step ids already done. */
  done?: string[];
  /** Step ids running now. */
  active?: string[];
};

// ------------------------------------------------------------ executor

export type SessionStatus = 'running' | 'complete' | 'failed' | 'aborted' | 'max_ticks' | (string & {});

/** What the host must do now (docs/DESIGN.md#executor). */
export interface Action {
  /** dispatch: run the step on the resource; cancel: abandon an in-flight attempt. */
  type: 'dispatch' | 'cancel';
  step: string;
  intent: string;
  resource: string;
  provider: string;
  attempt: number;
  deadlineMs?: number;
  grounding?: Grounding;
  reason?: string;
  /** The trace record this action descends from. */
  trace: string;
}

export type OutcomeStatus = 'ok' | 'error' | 'timeout' | 'quota';

/** What happened to one dispatched attempt. */
export interface Outcome {
  step: string;
  /** 0 or absent: the step's current attempt. */
  attempt?: number;
  status: OutcomeStatus;
  latencyMs?: number;
  cost?: number;
  /** Total tokens; when absent, inputTokens + outputTokens if either is given, else the intent's estimate. */
  tokens?: number;
  /** Prompt tokens the provider reported (ok outcomes). */
  inputTokens?: number;
  /** Completion tokens the provider reported (ok outcomes). */
  outputTokens?: number;
  error?: string;
}

export interface SessionTurn {
  tick: number;
  status: SessionStatus;
  actions: Action[];
  /** Trace records written during the call. */
  events: TraceRecord[];
  /** The current plan, present when it changed during the call (always on exec.start). */
  plan?: ExecutionPlan;
}

export interface ExecuteOptions {
  /** Default 100. */
  maxTicks?: number;
  weights?: CostWeights;
  /** The session's hot-swap policy (kept in its snapshots). */
  swapPolicy?: SwapPolicy;
}

export type ExecuteParams<S extends boolean = boolean> = GraphTarget<S> & {
  contract: ContractOrMessage;
  state?: SystemState;
  options?: ExecuteOptions;
  /** Evict the session once more than this many calls in a row have not named it (absent: never). */
  maxIdleCalls?: number;
  /**
   * Binding only (not sent): evict the session once no call has named it
   * for more than this many ms by the loader's clock (absent: never).
   */
  maxIdleMs?: number;
};

/** One live graph handle or session in graph.list / exec.list. */
export interface LiveEntry {
  /** graph.list: the handle. */
  handle?: string;
  /** exec.list: the session id and its status. */
  session?: string;
  status?: SessionStatus;
  nodes: number;
  edges: number;
  /** Its byte size, as the byte budgets count it. */
  bytes: number;
  /** Calls since it was created, the listing call excluded. */
  ageCalls: number;
  /** Calls since a call last named it, the listing call excluded. */
  idleCalls: number;
  /** Its idle-eviction setting, when it has one. */
  maxIdleCalls?: number;
  /** Binding: ms since a call last named it, by the loader's clock (objects given maxIdleMs only). */
  idleMs?: number;
  /** Binding: its maxIdleMs, when it has one. */
  maxIdleMs?: number;
}

export interface LiveTotals {
  count: number;
  nodes: number;
  edges: number;
  bytes: number;
  /** Requests the instance has handled (batch entries count one each). */
  calls: number;
  /** Handles and sessions evicted for idleness over the instance's life. */
  evicted: number;
}

export interface GraphList {
  graphs: LiveEntry[];
  totals: LiveTotals;
}

export interface SessionList {
  sessions: LiveEntry[];
  totals: LiveTotals;
}

/** One stand-alone host-state handle in trace.list, field.list, guard.list or registry.list. */
export interface HandleEntry {
  handle: string;
  /** A log's records, a field's ids, a guard's remembered swaps, a registry's tracked resources. */
  items: number;
  /** Byte size as the byte budgets count it (64 MiB per object, 256 MiB across everything live); absent when 0. */
  bytes?: number;
  ageCalls: number;
  idleCalls: number;
  maxIdleCalls?: number;
  /** Binding: ms since a call last named it, by the loader's clock (objects given maxIdleMs only). */
  idleMs?: number;
  /** Binding: its maxIdleMs, when it has one. */
  maxIdleMs?: number;
}

export type HandleList<K extends string> = { [key in K]: HandleEntry[] } & {
  totals: { count: number; items: number; bytes?: number; calls: number; evicted: number };
};

/** Matches dispatches (each field optional) and gives their outcome. */
export interface ScriptRule {
  tick?: number;
  fromTick?: number;
  toTick?: number;
  provider?: string;
  resource?: string;
  step?: string;
  attempt?: number;
  status: OutcomeStatus;
  latencyMs?: number;
  cost?: number;
  tokens?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** Changes the world at the start of a tick. */
export interface ScenarioEvent {
  tick: number;
  provider?: string;
  /** Negative removes the value from S. */
  health?: number;
  latencyMs?: number;
  constraint?: string;
  satisfied?: boolean;
  authorityScope?: IdentityScope;
  /** A resource id to swap manually. */
  swap?: string;
}

export interface OutcomeModel {
  errorRate?: number;
  timeoutRate?: number;
  quotaRate?: number;
  jitter?: number;
  providers?: Array<{ provider: string; errorRate?: number; timeoutRate?: number; quotaRate?: number }>;
}

/** Scripts exec.run: first matching rule, else the seeded model, else success at the estimate. */
export interface Scenario {
  seed?: number;
  /** Host time per tick (default 1000). */
  tickMs?: number;
  outcomes?: ScriptRule[];
  events?: ScenarioEvent[];
  model?: OutcomeModel;
}

export type SimulateParams<S extends boolean = boolean> = GraphTarget<S> & {
  contract: ContractOrMessage;
  state?: SystemState;
  scenario?: Scenario;
  maxTicks?: number;
};

export interface TraceRecord {
  id: string;
  tick: number;
  /** Host time. */
  at: number;
  event: string;
  actor: string;
  causalParent: string;
  data: Record<string, unknown>;
  prevHash: string;
  /** SHA-256 of the canonical record without hash. */
  hash: string;
}

export interface Swap {
  tick: number;
  from: string;
  to: string;
  fromProvider: string;
  toProvider: string;
  trigger: string;
  trace?: string;
}

export interface Violation {
  constraint: string;
  severity: 'hard' | 'critical';
  step: string;
  intent: string;
  resource: string;
  detail?: string;
  trace: string;
}

export interface ExecutorStep {
  tick: number;
  /** The plan when its assignment or feasibility changed at this tick (always on the first step); absent: the previous one holds. */
  plan?: ExecutionPlan;
  swaps: Swap[];
  violations: Violation[];
  traceIds: string[];
  projections: Record<string, FeatureState>;
  complete: boolean;
}

export interface SimulationResult {
  steps: ExecutorStep[];
  summary: { ticks: number; status: SessionStatus; violations: number; swaps: number; finalPlanFeasible: boolean };
  trace: TraceRecord[];
}

export interface VerifyResult {
  valid: boolean;
  count: number;
  /** 0-based index of the first record that does not verify. */
  firstInvalid?: number;
  reason?: string;
}

// ---------------------------------------------------------------- misc

export interface VersionInfo {
  /** "MAJOR.MINOR" */
  abi: string;
  module: string;
  go: string;
}

export interface AbiVersion {
  major: number;
  minor: number;
  /** major<<16 | minor */
  raw: number;
}

export interface DilationInputs {
  uncertainty: number;
  costPressure: number;
  confidence: number;
  collapseProximity?: number;
}

export interface EstimateResult {
  d: number;
  uncertainty: number;
}

export interface ValidateResult {
  valid: true;
  nodes: number;
  edges: number;
}

/** Known codes; the module may add documented ones. */
export type ErrorCode =
  | 'PARSE_ERROR' | 'INVALID_REQUEST' | 'METHOD_NOT_FOUND' | 'INVALID_PARAMS' | 'INTERNAL'
  | 'CYCLE' | 'UNKNOWN_NODE' | 'DUPLICATE_NODE' | 'UNKNOWN_EDGE' | 'INVALID_PREDICATE'
  | 'LIMIT_EXCEEDED' | 'UNKNOWN_HANDLE' | 'UNKNOWN_SESSION' | 'SESSION_CLOSED'
  | 'INVALID_SNAPSHOT' | 'SWAP_FAILED'
  // raised by the binding
  | 'ABI_MISMATCH' | 'INSTANCE_TRAPPED' | 'LOAD_FAILED' | 'INVALID_OPTIONS' | 'INVALID_ARGUMENT'
  | 'BAD_RESPONSE' | 'CLOSED' | 'WORKER_FAILED' | 'WORKER_ERROR' | 'SESSION_STALLED'
  | 'INSTANCE_LOST' | 'TIMEOUT' | 'KEY_REFUSED' | 'BINDING_ERROR'
  | (string & {});

/** The one error type the binding throws. */
export class CegError extends Error {
  constructor(code: ErrorCode, message: string, extra?: { path?: string; data?: Record<string, unknown>; rpcCode?: number; method?: string; ids?: string[]; cause?: unknown });
  readonly name: 'CegError';
  /** Stable string code (the wire's data.code). */
  code: ErrorCode;
  /** JSON path of the offending input, relative to params, e.g. "graph.nodes[0].kind". */
  path?: string;
  /** The JSON-RPC error's data. */
  data?: { code?: string; path?: string; ids?: string[]; [k: string]: unknown };
  /** Numeric JSON-RPC code (module errors only). */
  rpcCode?: number;
  /** The method that failed (module errors only). */
  method?: string;
  /** Node ids the error is about. */
  ids?: string[];
}

// ------------------------------------------------------------ the API

/** T for the synchronous API, Promise<T> for the asynchronous one. */
export type Ret<S extends boolean, T> = S extends true ? T : Promise<T>;

export type BatchEntry = { ok: true; result: any } | { ok: false; error: CegError };

/** A graph held by the module under `handle`. */
export class Graph<S extends boolean = false> {
  private constructor();
  /** The module-side handle: "g<n>.<epoch>". */
  readonly handle: string;
  /** The epoch of the instance holding the graph. */
  readonly epoch: string;
  /** True once that instance is gone: every call then throws INSTANCE_LOST without reaching the module. */
  readonly lost: boolean;
  /** Runs ops all-or-nothing: one failing op applies none (its error path is ops[i]...). */
  apply(ops: GraphOp[]): Ret<S, ApplyResult>;
  addNode(node: Node): Ret<S, OpResult>;
  removeNode(id: string): Ret<S, OpResult>;
  addEdge(edge: Edge): Ret<S, OpResult>;
  removeEdge(from: string, to: string, kind: EdgeKind): Ret<S, OpResult>;
  removeEdge(edge: Pick<Edge, 'from' | 'to' | 'kind'>): Ret<S, OpResult>;
  swapNode(oldId: string, node: Node): Ret<S, OpResult>;
  /** Undoes the swap that brought `id` in; `rolledBack: false` when there is nothing to undo. */
  rollback(id: string): Ret<S, OpResult>;
  advanceTick(): Ret<S, OpResult>;
  getNode(id: string): Ret<S, Node>;
  nodesByKind(kind: NodeKind): Ret<S, Node[]>;
  edgesFrom(id: string): Ret<S, Edge[]>;
  edgesTo(id: string): Ret<S, Edge[]>;
  blockedBy(id: string): Ret<S, string[]>;
  requiredBy(id: string): Ret<S, string[]>;
  snapshot(): Ret<S, GraphSnapshot>;
  export(): Ret<S, Required<GraphDoc>>;
  drop(): Ret<S, boolean>;
}

/** Options of TraceLog.append. */
export interface AppendOptions {
  /** An earlier record of the same log; the root when absent. */
  causalParent?: string;
  /** Default "host". */
  actor?: string;
  /** Stand-alone logs only (default 0): a session's records take its tick. */
  tick?: number;
  /** Host time in ms; stand-alone logs only (default 0). */
  at?: number;
}

/**
 * A hash-chained trace the host appends to: a stand-alone log (ceg.traceLog(),
 * `handle` "l1.<epoch>", ...) or a session's trace (session.trace). Records
 * hash like the executor's (RFC 8785; HMAC under setTraceKey) and verify with
 * trace.verify.
 */
export class TraceLog<S extends boolean = false> {
  private constructor();
  /** The epoch of the instance holding it. */
  readonly epoch: string;
  /** True once that instance is gone: every call then throws INSTANCE_LOST without reaching the module. */
  readonly lost: boolean;
  /** The stand-alone log's handle ("l<n>.<epoch>"); undefined for a session's trace. */
  readonly handle: string | undefined;
  /** Appends a host event; returns its record id ("t-000001", ...). */
  append(event: string, data?: unknown, opts?: AppendOptions): Ret<S, string>;
  /** Every record from sinceId inclusive; all when absent or unknown. */
  replay(sinceId?: string): Ret<S, TraceRecord[]>;
  /** Root first, following causal parents; [] for an unknown id. */
  causalChain(id: string): Ret<S, TraceRecord[]>;
  /** trace.verify over the whole log. */
  verify(): Ret<S, VerifyResult>;
  /** Releases a stand-alone log (INVALID_ARGUMENT for a session's trace). */
  drop(): Ret<S, boolean>;
}

/** The dwell guard of a dilation field. */
export interface FieldConfig {
  /** 'module' (default) or 'original' (strict, pull back to 1); explicit fields win. */
  preset?: 'module' | 'original';
  /** Default 1.5. */
  dwellThreshold?: number;
  /** More than this many consecutive dwelling updates pull D back (default 8). */
  dwellTicks?: number;
  /** false (module): D >= threshold dwells; true (original): D > threshold. */
  strict?: boolean;
  /** D forced when the guard fires: 0.1 (module) or 1 (original). */
  pullBackTo?: number;
}

export interface FieldEntry {
  id: string;
  d: number;
  /** Consecutive updates at or above the dwell threshold. */
  dwell: number;
}

export interface FieldSnapshot {
  nodes: FieldEntry[];
  config: Required<Omit<FieldConfig, 'preset'>>;
}

/** D as state (field.*): stand-alone (ceg.dilationField()) or a session's (session.field, read-only).
 *
 * Ids (node and resource ids) are checked as node ids: non-empty, no lone
 * surrogates or U+FFFD (INVALID_PARAMS). What it holds counts against the
 * byte budgets (64 MiB per object, 256 MiB across everything live); a call
 * past them is LIMIT_EXCEEDED and changes nothing. */
export class DilationField<S extends boolean = false> {
  private constructor();
  /** The epoch of the instance holding it. */
  readonly epoch: string;
  /** True once that instance is gone: every call then throws INSTANCE_LOST without reaching the module. */
  readonly lost: boolean;
  readonly handle: string | undefined;
  /** Sets D of id from the inputs and returns the D in force (dwell guard applied). */
  update(id: string, inputs: DilationInputs): Ret<S, number>;
  /** Sets D of id from health and observed/target latency; returns the D in force. */
  fromHealth(id: string, health: number, latencyRatio: number): Ret<S, number>;
  /** D of id; 1 (D_DEFAULT) for an id the field does not hold. */
  get(id: string): Ret<S, number>;
  entry(id: string): Ret<S, FieldEntry>;
  snapshot(): Ret<S, FieldSnapshot>;
  /** Sets every node's dilation in the graph from the field; returns the node count. */
  apply(graph: Graph<S> | string): Ret<S, number>;
  drop(): Ret<S, boolean>;
}

export interface GuardCheck {
  /** More than `limit` swaps of the pair within `window` ticks. */
  oscillating: boolean;
  count: number;
  limit: number;
  window: number;
}

/** The swap oscillation guard (guard.*): stand-alone (ceg.oscillationGuard()) or a session's (session.guard, read-only).
 *
 * Ids (node and resource ids) are checked as node ids: non-empty, no lone
 * surrogates or U+FFFD (INVALID_PARAMS). What it holds counts against the
 * byte budgets (64 MiB per object, 256 MiB across everything live); a call
 * past them is LIMIT_EXCEEDED and changes nothing. */
export class OscillationGuard<S extends boolean = false> {
  private constructor();
  /** The epoch of the instance holding it. */
  readonly epoch: string;
  /** True once that instance is gone: every call then throws INSTANCE_LOST without reaching the module. */
  readonly lost: boolean;
  readonly handle: string | undefined;
  recordSwap(oldId: string, newId: string, tick: number): Ret<S, GuardCheck>;
  isOscillating(oldId: string, newId: string, tick: number): Ret<S, boolean>;
  check(oldId: string, newId: string, tick: number): Ret<S, GuardCheck>;
  reset(oldId: string, newId: string): Ret<S, boolean>;
  drop(): Ret<S, boolean>;
}

/** A hot-swap registry's policy; every field optional on input, all present on output. */
export interface SwapPolicy {
  /** capability_degraded below this health (0.4). */
  healthThreshold?: number;
  /** latency_violation above latencyTarget·D·this (2.0). */
  latencyTolerance?: number;
  /** cost_spike above maxCost·this (1.5); reported costs count. */
  costTolerance?: number;
  /** A candidate must offer every capability of the resource it replaces (the original; default false). */
  sameCapabilities?: boolean;
  /** When every candidate is refused, take the best degraded one (default false). */
  allowDegraded?: boolean;
  /** Max share of the resources in use per provider (0.6; 1 switches it off); never blocks the only option. */
  diversityCap?: number;
  oscillationLimit?: number;
  oscillationWindow?: number;
  /** Whose stability gates an automatic swap: 'candidate' (module, default) or 'incumbent' (original). */
  hysteresis?: 'candidate' | 'incumbent';
  /** Required gain on the triggering measure (0.1). */
  hysteresisEpsilon?: number;
  /** Ticks before a swapped-in resource may be swapped out again (3). */
  cooldownTicks?: number;
  /** Stability (health EMA) below this is unstable (0.6). */
  stabilityThreshold?: number;
  /** EMA weight of a new health observation (0.5). */
  emaAlpha?: number;
}

export type SwapTrigger = 'capability_degraded' | 'latency_violation' | 'cost_spike' | 'authority_revoked' | 'manual';

export interface SwapObservation {
  resource?: string;
  /** Default 1. */ health?: number;
  /** Observed; 0 (default) when none. */ latencyMs?: number;
  /** Default 2000. */ targetMs?: number;
  /** Default 1. */ dilation?: number;
  /** Default 0. */ money?: number;
  /** Default 0.05. */ maxCost?: number;
  authorityRevoked?: boolean;
  manual?: boolean;
}

/** A resource as a swap selection sees it. */
export interface SwapCandidate {
  id: string;
  /** Default: the id. */ provider?: string;
  /** Default 1. */ health?: number;
  money?: number;
  latencyMs?: number;
  /** Default true. */ callable?: boolean;
  /** A plan reason code: the candidate may not serve. */
  ineligible?: string;
  capabilities?: string[];
}

export interface SwapRefusal {
  resource: string;
  provider: string;
  /** ineligible, down, degraded, oscillation, unstable, insufficient_improvement, duplicate_provider, capabilities; for passed: outranked, diversity_cap. */
  reason: string;
}

export interface SwapDecision {
  to?: string;
  provider?: string;
  /** When nothing was chosen: cooldown, unstable_incumbent, no_candidates or all_refused. */
  reason?: string;
  refused: SwapRefusal[];
  /** Acceptable candidates not taken, and why. */
  passed: SwapRefusal[];
  diverted: boolean;
  degraded: boolean;
}

export interface RollbackState {
  old: Node;
  oldEdges: Edge[];
  new?: Node;
  newEdges: Edge[];
}

/** The hot-swap registry (registry.*): stand-alone (ceg.swapRegistry()) or a session's (session.registry).
 *
 * Ids (node and resource ids) are checked as node ids: non-empty, no lone
 * surrogates or U+FFFD (INVALID_PARAMS). What it holds counts against the
 * byte budgets (64 MiB per object, 256 MiB across everything live); a call
 * past them is LIMIT_EXCEEDED and changes nothing. */
export class SwapRegistry<S extends boolean = false> {
  private constructor();
  /** The epoch of the instance holding it. */
  readonly epoch: string;
  /** True once that instance is gone: every call then throws INSTANCE_LOST without reaching the module. */
  readonly lost: boolean;
  readonly handle: string | undefined;
  register(resource: string, candidate: ResourceNode): Ret<S, { registered: boolean; candidates: string[] }>;
  candidates(resource: string, graph?: Graph<S> | string): Ret<S, ResourceNode[]>;
  check(observation: SwapObservation): Ret<S, { trigger: SwapTrigger | null; triggers: SwapTrigger[] }>;
  select(request: { trigger: SwapTrigger; from: SwapCandidate; candidates?: SwapCandidate[]; inUse?: Array<{ resource: string; provider: string }>; tick?: number }): Ret<S, SwapDecision>;
  /** Stand-alone registries only. */
  observe(id: string, health: number): Ret<S, number>;
  summary(): Ret<S, { tracked: string[]; swaps: Swap[]; blocked: number; policy: Required<SwapPolicy> }>;
  drop(): Ret<S, boolean>;
}

/** A host-driven execution (exec.start). Iterate it to get each turn; report between turns. */
export class Session<S extends boolean = false> implements AsyncIterable<SessionTurn> {
  private constructor();
  /** The module-side session id: "s<n>.<epoch>". */
  readonly id: string;
  /** The epoch of the instance holding the session. */
  readonly epoch: string;
  /** True once that instance is gone: every call then throws INSTANCE_LOST without reaching the module. */
  readonly lost: boolean;
  /** Hash of the session's last trace record ('' before any); keep it apart from the records for verifyTrace's expectHead. */
  readonly traceHead: string;
  /** Number of trace records the session has written; for verifyTrace's expectCount. */
  readonly traceCount: number;
  /** The session's trace: append host events, replay, walk causal chains. */
  readonly trace: TraceLog<S>;
  /** The session's dilation field (read-only). */
  readonly field: DilationField<S>;
  /** The session's oscillation guard over its own swaps (read-only). */
  readonly guard: OscillationGuard<S>;
  /** The session's hot-swap registry. */
  readonly registry: SwapRegistry<S>;
  readonly tick: number;
  readonly status: SessionStatus;
  /** What the host must do now. */
  readonly actions: Action[];
  readonly events: TraceRecord[];
  /** The latest plan the engine sent (its steps carry the failover chains). */
  readonly plan?: ExecutionPlan;
  readonly closed: boolean;
  /** True once the status is terminal or the session is closed. */
  readonly done: boolean;
  /** `options.swaps`: resources to hot-swap this tick (the manual trigger). */
  report(now: number, outcomes: Outcome[], options?: { swaps?: string[]; timeoutMs?: number }): Ret<S, SessionTurn>;
  /** The session's working graph, with its trace records as nodes of kind `trace`. */
  exportGraph(): Ret<S, GraphDoc>;
  snapshot(): Ret<S, SessionSnapshot>;
  close(): Ret<S, boolean>;
  [Symbol.asyncIterator](): AsyncIterator<SessionTurn>;
}

/** Per-call options. */
export interface CallOptions {
  /** Worker mode only: the call's deadline in ms, counted from the call (see LoadOptions.timeoutMs). */
  timeoutMs?: number;
}

/** Idle eviction of a graph, a restored session or a stand-alone host-state object (trace log, dilation field, oscillation guard, swap registry). */
export interface IdleOptions {
  /** Evict it once more than this many calls in a row have not named it (the module counts). */
  maxIdleCalls?: number;
  /** Evict it once no call has named it for more than this many ms by the loader's clock (the binding evicts). */
  maxIdleMs?: number;
}

/** verifyTrace options: expectHead and expectCount catch records missing at the end. */
export interface VerifyOptions extends CallOptions {
  /** The hash the last record must have (a session's traceHead, kept apart from the records). */
  expectHead?: string;
  /** How many records there must be (a session's traceCount). */
  expectCount?: number;
}

/** A session snapshot for restore; its digest covers the whole content (keyed when a trace key is set). */
export interface SessionSnapshot {
  version: number;
  /** The module that wrote it (version().module); restore refuses another. */
  module: string;
  /** Hex SHA-256 (or HMAC-SHA-256 with the trace key) of the RFC 8785 form of the snapshot without digest. */
  digest: string;
  [field: string]: unknown;
}

export interface CegApi<S extends boolean> {
  /** True for loadSync: helpers return values, not Promises. */
  readonly sync: S;
  /** True when the module runs in a worker. */
  readonly worker: boolean;
  readonly abi: AbiVersion;

  /** Runs one JSON-RPC method; throws CegError on an error response. */
  call<T = any>(method: string, params?: object, options?: CallOptions): Ret<S, T>;
  /** Runs a method as a notification: no id, no reply. */
  notify(method: string, params?: object, options?: CallOptions): Ret<S, void>;
  /** Sends one JSON-RPC batch; one entry per call, in order. */
  batch(calls: Array<{ method: string; params?: object }>, options?: CallOptions): Ret<S, BatchEntry[]>;
  /** Sends exact request text, returns the exact response text ('' for none). */
  callRaw(text: string, options?: CallOptions): Ret<S, string>;
  /** Bytes of the instance's linear memory (it never shrinks). */
  memoryBytes(): Ret<S, number>;
  /** Releases the instance (and the worker); later calls throw CLOSED. */
  close(): Ret<S, void>;
  /** The live instance's epoch (every id it issues ends in "." + epoch), or null while there is none. */
  epoch(): string | null;
  /** How many handles and sessions were freed because their objects were garbage collected. */
  autoFreed(): number;
  /** How many objects were re-created in a new instance from what was kept (load option recover: 'snapshot'). */
  recovered(): number;
  /** Evicts now what maxIdleMs says is idle (every call does it first) and returns how many. */
  evictIdle(): Ret<S, number>;
  /** How many objects were evicted for maxIdleMs over this loader's life. */
  idleEvicted(): number;

  version(): Ret<S, VersionInfo>;
  validate(graph: GraphDoc): Ret<S, ValidateResult>;
  /**
   * `opts.maxIdleCalls`: evict the handle once more than this many calls in
   * a row have not named it; `opts.maxIdleMs`: once no call has named it
   * for more than this many ms by the loader's clock.
   */
  graph(doc?: GraphDoc, opts?: IdleOptions): Ret<S, Graph<S>>;
  openGraph(handle: string): Graph<S>;
  dilation(inputs: DilationInputs): Ret<S, number>;
  dilationFromHealth(health: number, latencyRatio: number): Ret<S, number>;
  grounding(d: number, base?: { baseMaxResults?: number; baseMinSources?: number }): Ret<S, Grounding>;
  estimate(text: string, opts?: { confidence?: number; collapseProximity?: number }): Ret<S, EstimateResult>;
  /** contract.fromMessage: the original CEG's contract compiler. */
  contractFromMessage(message: string, overrides?: ContractOverrides): Ret<S, ExecutionContract>;
  optimize(params: OptimizeParams<S>, options?: CallOptions): Ret<S, ExecutionPlan>;
  /** plan.optimize with select "route": the per-turn answer (chosen resource, failover order, feasibility, plan id). */
  route(params: Omit<OptimizeParams<S>, 'select'>, options?: CallOptions): Ret<S, Route>;
  reoptimize(params: ReoptimizeParams<S>, options?: CallOptions): Ret<S, { plan: ExecutionPlan; changes: PlanChange[] }>;
  execute(params: ExecuteParams<S>, options?: CallOptions): Ret<S, Session<S>>;
  restore(snapshot: SessionSnapshot | unknown, options?: CallOptions & IdleOptions): Ret<S, Session<S>>;
  simulate(params: SimulateParams<S>, options?: CallOptions): Ret<S, SimulationResult>;
  verifyTrace(records: TraceRecord[] | string, options?: VerifyOptions): Ret<S, VerifyResult>;
  /**
   * Keys trace hashes and snapshot digests with HMAC-SHA-256 (a base64
   * string or bytes), or returns to plain SHA-256 (null). Refused while
   * sessions are live; handed again to every instance made after a trap.
   */
  setTraceKey(key: string | ArrayBuffer | ArrayBufferView | null): Ret<S, { keyed: boolean }>;
  /** Live graph handles with their sizes and ages (graph.list). */
  listGraphs(): Ret<S, GraphList>;
  /** Live sessions with their sizes and ages (exec.list). */
  listSessions(): Ret<S, SessionList>;
  /**
   * A new stand-alone trace log (trace.create): handle "l<n>.<epoch>", the
   * lifetime and limits of a graph handle; `opts` as for graph().
   */
  traceLog(opts?: IdleOptions): Ret<S, TraceLog<S>>;
  /** The live TraceLog that owns handle, or a wrapper for it (no call). */
  openTraceLog(handle: string): TraceLog<S>;
  /** A new stand-alone dilation field (field.create): handle "f<n>.<epoch>". */
  dilationField(config?: FieldConfig, opts?: IdleOptions): Ret<S, DilationField<S>>;
  /** A new stand-alone swap oscillation guard (guard.create): handle "o<n>.<epoch>". */
  oscillationGuard(opts?: { limit?: number; window?: number } & IdleOptions): Ret<S, OscillationGuard<S>>;
  /** A new stand-alone hot-swap registry (registry.create): handle "r<n>.<epoch>". */
  swapRegistry(policy?: SwapPolicy, opts?: IdleOptions): Ret<S, SwapRegistry<S>>;
  /** The rollback state a swap from -> to on the graph would keep (registry.capture). */
  captureRollback(graph: Graph<S> | string, from: string, to: string): Ret<S, RollbackState>;
  /** Live stand-alone trace logs (trace.list). */
  listTraceLogs(): Ret<S, HandleList<'logs'>>;
  /** Live stand-alone dilation fields (field.list). */
  listFields(): Ret<S, HandleList<'fields'>>;
  /** Live stand-alone oscillation guards (guard.list). */
  listGuards(): Ret<S, HandleList<'guards'>>;
  /** Live stand-alone swap registries (registry.list). */
  listRegistries(): Ret<S, HandleList<'registries'>>;
}

export type Ceg = CegApi<false>;
export type CegSync = CegApi<true>;

export interface RecreateInfo {
  /** Why the old instance died, e.g. "RuntimeError: unreachable". */
  reason: string;
  /** The last stderr lines of the dead instance (Go's fatal message). */
  stderr: string[];
  /** How many instances this loader has replaced so far. */
  recreations: number;
  exitCode?: number;
}

export interface LoadSyncOptions {
  /** The module: a file path or file: URL (Node), bytes, or a compiled module. Default: ceg.wasm next to the binding. */
  wasm?: string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;
  /** Called after a trapped instance was replaced (default: console.warn). */
  onRecreate?: (info: RecreateInfo) => void;
  /** Sink for the module's stdout lines (default console.log). */
  stdout?: (line: string) => void;
  /** Sink for the module's stderr lines (default console.error). */
  stderr?: (line: string) => void;
  /**
   * false: do not hand the instance an epoch, so ids are plain "g1", "s1"
   * and restart after a re-creation (for runners that compare bytes with
   * the conformance vectors). Objects still answer INSTANCE_LOST. Default true.
   */
  epoch?: boolean;
  /** false: do not free the handles and sessions of garbage-collected objects. Default true. */
  autoFree?: boolean;
  /**
   * The host clock maxIdleMs is measured with, in ms (default Date.now).
   * The module has no clock; the binding reads this one at every call.
   */
  clock?: () => number;
  /**
   * 'snapshot': keep what re-creates each Graph (its document and the ops
   * applied since) and Session (a snapshot after every turn: one more call
   * per turn), and re-create an object whose instance trapped, timed out
   * or died on its next call, instead of answering INSTANCE_LOST. Default
   * 'none'.
   */
  recover?: 'none' | 'snapshot';
  /**
   * Warm the compiled module before the first call (Node and browsers): `true` runs 2000
   * representative chat turns, a number runs that many, on a throwaway
   * instance (so V8 has compiled and optimised the per-turn path); the
   * instance returned is pristine. A module file it compiles is compiled
   * eagerly (every function now, not on its first call), unless the host
   * set a wasm lazy-compilation flag. Once per module and process. Costs
   * load time for faster first turns; off by default. Not with `worker: true`.
   */
  warmup?: boolean | number;
}

export interface LoadOptions extends Omit<LoadSyncOptions, 'wasm'> {
  /** As for loadSync, plus an http(s) URL or a fetch Response. */
  wasm?: LoadSyncOptions['wasm'] | Response | Promise<Response>;
  /** Run the module in a worker (worker_threads / Web Worker). */
  worker?: boolean;
  /**
   * Worker mode only: every call's deadline in ms (a call's own timeoutMs
   * overrides it). A call still queued past it fails with TIMEOUT and never
   * runs; a running one fails with TIMEOUT and the worker is terminated and
   * replaced (its objects answer INSTANCE_LOST).
   */
  timeoutMs?: number;
}

/** Instantiates the module; every helper returns a Promise. */
export function load(options?: LoadOptions): Promise<Ceg>;
/** Node only: instantiates synchronously; every helper returns its value. */
export function loadSync(options?: LoadSyncOptions): CegSync;
/** Absolute path of the ceg.wasm the package ships (Node). */
export const DEFAULT_WASM: string;
