/** Command-line flags shared by every benchmark script. */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
/** Smoke results never overwrite the real ones. */
export const SMOKE_DIR = join(tmpdir(), 'parley-bench-smoke');

/**
 * `--smoke` runs the smallest setting (for `npm test`; results go to SMOKE_DIR unless `--out`
 * says otherwise); `--out <dir>` writes results elsewhere;
 * `--runs <n>` overrides the number of interleaved runs.
 */
export function benchArgs(extra = {}) {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      runs: { type: 'string' },
      ...extra,
    },
    allowPositionals: false,
  });
  return {
    ...values,
    out: values.out ?? (values.smoke ? SMOKE_DIR : RESULTS_DIR),
    runs: values.runs === undefined ? undefined : Number(values.runs),
  };
}
