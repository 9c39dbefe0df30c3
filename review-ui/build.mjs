/**
 * Builds the review page's script into one minified ES module, `dist/review/review.js` (Lit
 * included), which the server serves at `/review/review.js`. Run `node review-ui/build.mjs`;
 * tests call buildReviewUi().
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the server's review plugin looks for the bundle. */
export const DEFAULT_OUTFILE = resolve(here, '..', 'dist', 'review', 'review.js');

/**
 * Bundle the review page.
 * @param {{ outfile?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number }>}
 */
export async function buildReviewUi(options = {}) {
  const outfile = options.outfile ?? DEFAULT_OUTFILE;
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [resolve(here, 'src', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // The same browsers as the widget: custom elements, constructed stylesheets, private fields.
    target: ['chrome105', 'firefox110', 'safari16.4', 'edge105'],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'eof',
    tsconfig: resolve(here, 'tsconfig.json'),
    logLevel: 'warning',
  });
  const code = readFileSync(outfile);
  return { outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outfile, bytes, gzipBytes } = await buildReviewUi();
  console.log(`review page: ${outfile} — ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
}
