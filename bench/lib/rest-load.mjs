/**
 * The REST load of the HTTP benchmarks: autocannon slices of `POST /webhooks/rest/webhook` with
 * "hi" from fresh senders, interleaved between targets so that each figure can be set against
 * a baseline slice measured next to it.
 */
import autocannon from 'autocannon';
import { pairedRatio, spread } from './stats.mjs';

/**
 * @typedef {{ requestsPerSecond: number, p50: number, p99: number, p999: number, errors: number, requests: number }} Slice
 * @typedef {(url: string, connections: number, seconds: number, overallRate?: number) => Promise<Slice>} Load
 */

/**
 * A load function: each call is one autocannon slice in which every request speaks as one of
 * `senders` senders new to that slice, so conversations stay short however long the run.
 * `overallRate` (requests/s over all connections) caps the load; without it autocannon goes flat out.
 * @param {{ senders: number }} options
 * @returns {Load}
 */
export function restLoad({ senders }) {
  let slice = 0;
  return async (url, connections, seconds, overallRate) => {
    slice += 1;
    const prefix = `s${slice}-`;
    let next = 0;
    const result = await autocannon({
      url: `${url}/webhooks/rest/webhook`,
      connections,
      duration: seconds,
      overallRate,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest(request) {
            next = (next + 1) % senders;
            return { ...request, body: JSON.stringify({ sender: `${prefix}${next}`, message: 'hi' }) };
          },
        },
      ],
    });
    return {
      requestsPerSecond: result.requests.total / (result.duration || seconds),
      p50: result.latency.p50,
      p99: result.latency.p99,
      p999: result.latency.p99_9,
      errors: result.errors + result.non2xx + result.timeouts,
      requests: result.requests.total,
    };
  };
}

/** The body of the answer to "hi" from `sender` (checked alike across targets before any timing). */
export async function askHi(url, sender = 'check') {
  const response = await fetch(`${url}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender, message: 'hi' }),
  });
  return response.text();
}

/**
 * Slices of every target (`urls`: name → base URL), `runs` rounds of one slice each, after one
 * warm-up slice each when `warmup` seconds > 0. The order rotates every round so that no target
 * always follows the same one (with two targets: they alternate which goes first).
 * @param {Record<string, string>} urls
 * @param {{ load: Load, connections: number, seconds: number, warmup: number, runs: number }} options
 * @returns {Promise<Record<string, Slice[]>>}
 */
export async function interleavedSlices(urls, { load, connections, seconds, warmup, runs }) {
  const names = Object.keys(urls);
  if (warmup > 0) for (const name of names) await load(urls[name], connections, warmup);
  const slices = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < runs; run += 1) {
    const order = names.map((_, index) => names[(index + run) % names.length]);
    for (const name of order) slices[name].push(await load(urls[name], connections, seconds));
  }
  return slices;
}

/**
 * Min/median/max of throughput and latency over slices, and their errors summed.
 * @param {Slice[]} slices
 * @param {{ p999?: boolean }} [options] include the 99.9th percentile
 */
export function summariseSlices(slices, { p999 = false } = {}) {
  const of = (field) => spread(slices.map((slice) => slice[field]));
  return {
    requestsPerSecond: of('requestsPerSecond'),
    p50: of('p50'),
    p99: of('p99'),
    ...(p999 ? { p999: of('p999') } : {}),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
  };
}

/**
 * Target/baseline ratios of throughput, p50 and p99, slice by slice (slice i of each was measured
 * in the same round).
 * @param {Slice[]} slices
 * @param {Slice[]} baseline
 */
export function slicesRatio(slices, baseline) {
  const ratio = (field) => pairedRatio(slices.map((slice) => slice[field]), baseline.map((slice) => slice[field]));
  return { throughput: ratio('requestsPerSecond'), p50: ratio('p50'), p99: ratio('p99') };
}
