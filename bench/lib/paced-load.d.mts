/** Types of paced-load.mjs (for the tests, which are TypeScript). */
export interface PacedResult {
  requestsPerSecond: number;
  /** Latencies in ms, counted from when each request was due. */
  p50: number;
  p99: number;
  p999: number;
  errors: number;
  requests: number;
}

export function pacedLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  body: (index: number) => string;
}): Promise<PacedResult>;
