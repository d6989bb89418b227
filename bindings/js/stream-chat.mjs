// ESM entry of @convergence-io/ceg/stream-chat: the CommonJS adapter's
// exports (one adapter per process whichever way it is loaded).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const m = require('./stream-chat.js');

export const {
  dilation, groundingPolicy, chatDilation, isGroundingDue, D_MIN, D_MAX, D_DEFAULT, GROUNDING_TICK_MS,
  buildBrainOrder, observe, recordOutcome, configure, preload, breakers, lastTurn, reset,
  providerOrder, resolveProvider, PROVIDERS, DEFAULT_PROVIDERS, ceg, CegError,
} = m;
export default m;
