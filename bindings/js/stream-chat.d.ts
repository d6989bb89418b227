// Types of @convergence-io/ceg/stream-chat: drop-in, synchronous helpers for
// a streaming chat server (SPEC §7).
import type { CegSync, Grounding, SystemState, ExecutionContract, CostWeights, ResourceKind, IdentityScope } from './index';
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

/** D(u, p, c, x) of SPEC §5.1. */
export function dilation(u: number, p: number, c: number, x?: number): number;
/** grounding(D, baseMaxResults = 5, baseMinSources = 2) of SPEC §5.2. */
export function groundingPolicy(d: number, baseMaxResults?: number, baseMinSources?: number): Grounding;
/** Uncertainty and D of a chat message. */
export function chatDilation(text: string): { d: number; uncertainty: number };
/** groundingPolicy(chatDilation(text).d).fetchExternal */
export function isGroundingDue(text: string): boolean;
/** Provider names in failover order: [chosen, ...fallbacks]; [] when none is eligible. */
export function providerOrder(providers: Array<string | ProviderSpec>, opts?: ProviderOrderOptions): string[];
/** The adapter's engine (loaded with loadSync on first use). */
export function ceg(): CegSync;
