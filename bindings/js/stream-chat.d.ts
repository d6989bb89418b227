// Types of @convergence-io/ceg/stream-chat: drop-in, synchronous helpers for
// a streaming chat server's grounding, provider order and provider cache.
import type { CegSync, Grounding, SystemState, ExecutionContract, CostWeights, ResourceKind, IdentityScope, Breaker } from './index';
export { CegError } from './index';

/** A provider the chat server can call; `name` is what providerOrder returns. */
export interface ProviderSpec {
  name: string;
  /** Provider name for state/contract lists (default: name). */
  provider?: string;
  model?: string;
  resourceKind?: ResourceKind;
  capabilities?: string[];
  costPerToken?: number;
  costPerCall?: number;
  latencyTargetMs?: number;
  health?: number;
  external?: boolean;
  acceptsLabels?: string[];
  minScope?: IdentityScope;
}

export interface ProviderOrderOptions {
  /** The user's message: the implicit intent's text. */
  text?: string;
  /** Observed health by provider (0..1). */
  health?: Record<string, number>;
  /** Observed latency by provider (ms). */
  latencyMs?: Record<string, number>;
  /** A full SystemState; replaces health / latencyMs. */
  state?: SystemState;
  /** Overrides of the implicit chat contract. */
  contract?: ExecutionContract;
  weights?: CostWeights;
}

/** The least, greatest and neutral D. */
export const D_MIN: 0.1;
export const D_MAX: 5;
export const D_DEFAULT: 1;
/** Cadence of time-based grounding: integer env GROUNDING_TICK_MS, else 1,800,000 (ms). */
export const GROUNDING_TICK_MS: number;

/**
 * D of (uncertainty, costPressure = 0, confidence = 0.5, collapseProximity = 0),
 * every input clamped to [0, 1]. A value that is not a number (after Number
 * coercion: null is 0) throws CegError INVALID_ARGUMENT.
 */
export function dilation(uncertainty: number, costPressure?: number, confidence?: number, collapseProximity?: number): number;
/** The grounding policy of D (clamped to [D_MIN, D_MAX]); bases are integers in [0, 1,000,000]. */
export function groundingPolicy(D: number, opts?: { baseMaxResults?: number; baseMinSources?: number } | null): Grounding;
/** The D of a message's estimated uncertainty; a non-string is String(message || ""). */
export function chatDilation(message: unknown, opts?: { confidence?: number; collapseProximity?: number } | null): number;
/** false when cadenceMs is falsy or <= 0; true when lastGroundedAtMs is falsy; else nowMs - last >= cadenceMs. */
export function isGroundingDue(lastGroundedAtMs: number | null | undefined, nowMs?: number, cadenceMs?: number): boolean;

/** The canonical provider names, in the fixed backstop order. */
export type ProviderName = 'anthropic' | 'gemini' | 'openai' | 'xai' | 'ollama';
export const PROVIDERS: readonly ProviderName[];

/** One row of the provider table. */
export interface ProviderConfig {
  model: string;
  /** USD per token. */
  costPerToken: number;
  /** Target latency to a complete answer, ms. */
  latencyTargetMs: number;
  capabilities: string[];
  /** 0..1 */
  health: number;
  /** Environment variables holding its API key; any one set makes it callable (none: always). */
  keys: string[];
}
export const DEFAULT_PROVIDERS: Readonly<Record<ProviderName, Readonly<ProviderConfig>>>;

/** What configure() and CEG_STREAM_CHAT_CONFIG accept; provider names may be aliases. */
export interface StreamChatConfig {
  providers?: Partial<Record<string, Partial<ProviderConfig>>>;
  contract?: Partial<ExecutionContract>;
  weights?: CostWeights;
}

/** The configuration in force. */
export interface StreamChatConfigInForce {
  providers: Record<ProviderName, ProviderConfig>;
  contract: ExecutionContract;
  weights: CostWeights;
}

/**
 * The providers to try for one turn, canonical names in order: a resolved,
 * callable, allowed pin leads with every other callable provider behind it
 * (an unresolved, uncallable or denied pin gives []); otherwise the plan's
 * order, a healthy hint first, a provider that failed last not first,
 * rejected providers last, denied ones never. Falls back to the original
 * fixed rule if the module cannot plan.
 */
export function buildBrainOrder(opts?: { requestedProvider?: string | null; hintProvider?: string | null }): ProviderName[];

/** A provider-cache module as the server has it. */
export interface ProviderCacheLike {
  recordProviderSuccess?: (id: string, meta?: { latency_ms?: number; [k: string]: unknown }) => unknown;
  recordProviderFailure?: (id: string, error?: unknown) => unknown;
  [member: string]: unknown;
}
/** Every member of cache; the two record functions also feed the adapter's breakers. */
export function observe<T extends object>(cache: T): T;
/** Feeds one outcome without a provider-cache module; false when it could not be recorded. */
export function recordOutcome(id: string, status: 'ok' | 'error' | 'timeout' | 'quota', latencyMs?: number): boolean;
/** Overrides the provider table, contract and weights; checked at once. */
export function configure(patch: StreamChatConfig): StreamChatConfigInForce;
/** Compiles off the main thread (by default with eager tier-up: every function optimised in the background at once), instantiates and (by default) warms up in a worker. */
export function preload(opts?: { warmUp?: boolean; turns?: number; eagerTierUp?: boolean }): Promise<{ providers: ProviderName[]; preloaded: boolean; stateFile: string | null }>;
/** The breakers built from reported outcomes (provider -> breaker), a copy. */
export function breakers(): Record<string, Breaker>;
/** What the last buildBrainOrder decided and why. */
export function lastTurn(): { order: ProviderName[]; why: string; pinned: ProviderName | null; planId: string | null; planned: boolean } | null;
/** Forgets every breaker (and empties the state file). */
export function reset(): void;
/** The canonical name of a provider name or alias, or null. */
export function resolveProvider(name: unknown): ProviderName | null;
/** Provider names in failover order: [chosen, ...fallbacks]; [] when none is eligible. */
export function providerOrder(providers: Array<string | ProviderSpec>, opts?: ProviderOrderOptions): string[];
/** The adapter's engine (instantiated on first use). */
export function ceg(): CegSync;
