/**
 * Builds the review page's script into one minified ES module, `dist/review/review.js` (Lit
 * included), which the server serves at `/review/review.js`. Run `node review-ui/build.mjs`;
 * tests call buildReviewUi().
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, runIfMain } from '../build/browser-bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the server's review plugin looks for the bundle. */
export const DEFAULT_OUTFILE = resolve(here, '..', 'dist', 'review', 'review.js');

/**
 * Bundle the review page.
 * @param {{ outfile?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number }>}
 */
export function buildReviewUi(options = {}) {
  return bundleForBrowser({
    projectDir: here,
    outfile: options.outfile ?? DEFAULT_OUTFILE,
    minify: options.minify ?? true,
  });
}

await runIfMain(import.meta.url, 'review page', buildReviewUi);
