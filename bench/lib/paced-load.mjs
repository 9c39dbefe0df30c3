/**
 * An open-loop load at a constant rate, as wrk2 makes it: request i is due at start + i / rate,
 * whatever happened to the ones before, over a pool of keep-alive connections, and its latency is
 * counted from when it was due (so a stall shows in every request it delayed: no coordinated
 * omission). autocannon's `overallRate` instead lets every connection send its share of each
 * second back to back at the start of the second, which puts bursts, not the server, in the tail.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { quantile } from './stats.mjs';

/**
 * POSTs `body(i)` (JSON text) to `url` at `rate` requests/s for `seconds` over `connections`
 * connections; resolves when every request has been answered.
 * @returns {Promise<{ requestsPerSecond: number, p50: number, p99: number, p999: number, errors: number, requests: number }>} latencies in ms
 */
export async function pacedLoad({ url, rate, seconds, connections, body }) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = new Float64Array(total).fill(Number.NaN);
  let errors = 0;
  let answered = 0;
  const start = performance.now();

  const send = (index, due) =>
    new Promise((resolveRequest) => {
      const payload = body(index);
      const finish = (ok) => {
        if (ok) latencies[index] = performance.now() - due;
        else errors += 1;
        answered += 1;
        resolveRequest();
      };
      const outgoing = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (response) => {
          response.resume();
          response.on('end', () => finish(response.statusCode === 200));
          response.on('error', () => finish(false));
        },
      );
      outgoing.on('error', () => finish(false));
      outgoing.end(payload);
    });

  const pending = [];
  let next = 0;
  await new Promise((resolveAll) => {
    const tick = () => {
      const elapsed = performance.now() - start;
      while (next < total && (next * 1000) / rate <= elapsed) {
        pending.push(send(next, start + (next * 1000) / rate));
        next += 1;
      }
      if (next < total) setTimeout(tick, 1);
      else resolveAll();
    };
    tick();
  });
  await Promise.all(pending);
  const elapsedSeconds = (performance.now() - start) / 1000;
  agent.destroy();
  const measured = Array.from(latencies).filter(Number.isFinite);
  return {
    requestsPerSecond: answered / elapsedSeconds,
    p50: quantile(measured, 0.5),
    p99: quantile(measured, 0.99),
    p999: quantile(measured, 0.999),
    errors,
    requests: answered,
  };
}
