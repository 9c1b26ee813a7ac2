import { describe, expect, it } from 'vitest';
import { ambientReason } from '../../worker/ambient.js';

// THREATS 21: requests that injected markup can cause without script, and that look like fetch()
// to a service worker, are told apart by the headers the browser sets on them (and no script can
// set: `Sec-` headers are forbidden, EventSource takes no headers).
describe('ambientReason', () => {
  const request = (headers: Record<string, string>) =>
    new Request('https://api.example.com/api/x', { headers });

  it.each([
    [{ 'sec-purpose': 'prefetch' }, 'prefetch'],
    [{ 'sec-purpose': 'prefetch;prerender' }, 'prefetch'],
    [{ 'sec-purpose': 'prefetch;anonymous-client-ip' }, 'prefetch'],
    [{ purpose: 'prefetch' }, 'prefetch'],
    [{ 'x-purpose': 'preview' }, 'prefetch'],
    [{ 'x-moz': 'prefetch' }, 'prefetch'],
    [{ accept: 'text/event-stream' }, 'event-stream'],
    [{ accept: 'Text/Event-Stream; q=1' }, 'event-stream'],
    [{ accept: 'application/json, text/event-stream' }, 'event-stream'],
  ])('%j → %s', (headers, reason) => {
    expect(ambientReason(request(headers))).toBe(reason);
  });

  it.each([
    {},
    { accept: '*/*' },
    { accept: 'application/json' },
    { 'content-type': 'text/event-stream' },
  ])('%j → a fetch()', (headers) => {
    expect(ambientReason(request(headers))).toBeUndefined();
  });
});
