/*
 * index.mjs: the ESM entry of @convergence-io/ceg in Node.
 *
 *   import { load, loadSync, CegError } from '@convergence-io/ceg';
 *
 * It re-exports the CommonJS entry, so both entries share one compiled module.
 */
import ceg from './index.js';

export const { load, loadSync, CegError, Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry, DEFAULT_WASM } = ceg;
export default ceg;
