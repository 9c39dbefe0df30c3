/** Types of paced-load.mjs (for the tests, which are TypeScript). */
import type { Slice } from './rest-load.mjs';

/** A slice like autocannon's, with latencies in ms counted from when each request was due. */
export function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  body: (index: number) => string;
}): Promise<Slice>;
