// Types of @convergence-io/ceg/components (bindings/js/components/index.mjs).
// Importing the module defines the custom elements <ceg-graph>, <ceg-plan>
// and <ceg-trace>. See docs/JS.md, "Components".
import type { ExecutionPlan, GraphDoc, Graph, TraceRecord, VerifyResult } from '../index';

/** One entry of diffPlans: what moved between two plans and why. */
export interface PlanDiff {
  /** The intent whose resource changed ('' for a change of feasibility). */
  intent: string;
  from: string;
  to: string;
  fromProvider?: string;
  toProvider?: string;
  /** A rejection or infeasibility code, or COST, NEW_STEP, DROPPED_STEP, FEASIBLE. */
  reason: string;
  /** The same in plain words, with the numbers. */
  detail: string;
}

/** Detail of `ceg-select` from <ceg-graph>. */
export interface GraphSelectDetail { id: string; node: Record<string, unknown> | null }
/** Detail of `ceg-select` from <ceg-plan>. */
export interface PlanSelectDetail { resource: string; provider: string; step: string; intent: string }
/** Detail of `ceg-select` from <ceg-trace>. */
export interface TraceSelectDetail { id: string; record: TraceRecord | null }

/** <ceg-graph>: the graph laid out by dagre, nodes by kind, D as heat, the plan highlighted. */
export declare class CegGraph extends HTMLElement {
  /** Hands the component the dagre module (for hosts that bundle it). */
  static useLayout(dagre: unknown): void;
  /** A graph document, or a Graph handle (exported once). */
  graph: GraphDoc | Graph<boolean> | null;
  /** The plan to highlight. */
  plan: ExecutionPlan | null;
  /** D per node id, over each node's own `dilation`. */
  dilation: Record<string, number> | null;
  /** The selected node id. */
  selected: string;
  /** Resolves after the latest change is drawn. */
  readonly ready: Promise<void>;
}

/** <ceg-plan>: steps by wave, money in USD, latency and deadline in ms, failover chains, rejections. */
export declare class CegPlan extends HTMLElement {
  plan: ExecutionPlan | null;
  /** An earlier plan: the view lists what moved and why. */
  previous: ExecutionPlan | null;
  readonly changes: PlanDiff[];
  /** Resolves once the latest property change is drawn (changes made in one task draw once, in a microtask). */
  readonly rendered: Promise<void>;
}

/** <ceg-trace>: records with causal links and the hash chain's verification. */
export declare class CegTrace extends HTMLElement {
  records: TraceRecord[];
  /** Anything with verifyTrace(records), e.g. the loaded binding. */
  verifier: { verifyTrace(records: TraceRecord[]): VerifyResult | Promise<VerifyResult> } | null;
  verification: VerifyResult | null;
  selected: string;
  /** Resolves with the verification of the current records. */
  readonly verified: Promise<VerifyResult | null>;
}

/** Node kinds: shape, outline colour and size used by <ceg-graph>. */
export declare const KINDS: Readonly<Record<string, { shape: string; color: string; w: number; h: number }>>;
/** Edge kinds: colour and dash pattern used by <ceg-graph>. */
export declare const EDGES: Readonly<Record<string, { color: string; dash: string }>>;
/** Every rejection and infeasibility code in plain words. */
export declare const REASONS: Readonly<Record<string, string>>;
export declare function reasonText(code: string): string;
export declare function diffPlans(previous: ExecutionPlan | null | undefined, next: ExecutionPlan | null | undefined): PlanDiff[];
export declare function usd(x: number): string;
export declare function ms(x: number): string;
export declare function heat(d: number): string;

declare global {
  interface HTMLElementTagNameMap {
    'ceg-graph': CegGraph;
    'ceg-plan': CegPlan;
    'ceg-trace': CegTrace;
  }
}
