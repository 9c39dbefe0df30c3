/**
 * Bundles the compiled CLI (dist/cli/main.js and everything it imports from dist/) into a few ES
 * modules in dist/cli-bundle/, which bin/parley.js runs. Node's ES module loader resolves, reads
 * and links each file on its own, and for the ~260 files of dist/ that was the largest part of
 * `parley run`'s start-up. Packages stay external (they load from node_modules as before); lazily
 * imported modules (commands, store drivers) become chunks that still load only when used.
 * Usage: node build/cli-bundle.mjs (after `tsc -p tsconfig.build.json`)
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli-bundle`;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [`${root}dist/cli/main.js`],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
console.log(`cli bundle: ${outdir} — ${files.length} modules from ${Object.keys(result.metafile.inputs).length} files`);
