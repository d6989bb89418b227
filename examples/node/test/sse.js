'use strict';
// A small server-sent-events client for the chat server tests.

/**
 * chat POSTs a message and returns the events of the reply, in order.
 * The request is aborted after timeoutMs or by `signal`; `extra` fields join
 * the body.
 * @returns {Promise<Array<{event: string, data: any}>>}
 */
async function chat(url, message, timeoutMs = 15000, extra = {}, signal = undefined) {
  const res = await fetch(`${url}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Object.assign({ message }, extra)),
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
  });
  if (res.headers.get('content-type') !== 'text/event-stream') throw new Error(`not an event stream: HTTP ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text.split('\n\n').filter((b) => b.trim()).map((block) => {
    const ev = {};
    for (const line of block.split('\n')) {
      const i = line.indexOf(': ');
      if (line.startsWith('event: ')) ev.event = line.slice(i + 2);
      else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(i + 2));
    }
    return ev;
  });
}

/** answer joins the tokens after the last discarded attempt. */
function answer(events) {
  let out = '';
  for (const e of events) {
    if (e.event === 'attempt') out = '';
    if (e.event === 'token') out += e.data.text;
  }
  return out;
}

module.exports = { chat, answer };
