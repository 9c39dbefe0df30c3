/**
 * The one esbuild recipe behind Parley's browser bundles (the web-chat widget, the review page):
 * a TypeScript + Lit entry point bundled into a single ES module for current browsers, with an
 * opt-in plugin that squeezes a `css` template literal.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Browsers of the last few years: custom elements, shadow DOM, constructed stylesheets, private fields. */
export const BROWSER_TARGETS = ['chrome105', 'firefox110', 'safari16.4', 'edge105'];

/**
 * esbuild leaves template literals alone, so a Lit stylesheet would ship with its comments and
 * indentation. This plugin squeezes the first `css` template (which must have no interpolations)
 * in every file whose path matches `filter`.
 * @param {RegExp} filter
 * @returns {import('esbuild').Plugin}
 */
export function squeezeCssTemplate(filter) {
  return {
    name: 'squeeze-css-template',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter }, async (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace(/css`([^`]*)`/, (_match, body) => `css\`${squeezeCss(body)}\``);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Drop comments and needless white space from a stylesheet.
 * @param {string} body
 * @returns {string}
 */
export function squeezeCss(body) {
  return body
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    // Not before ':' — `header :focus-visible` is a descendant selector.
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * Bundle `<projectDir>/src/index.ts` (compiled with `<projectDir>/tsconfig.json`) into `outfile`.
 * @param {{ projectDir: string, outfile: string, minify?: boolean, squeezeCssIn?: RegExp }} options
 *   `minify` defaults to true; `squeezeCssIn` names the stylesheet file(s) to squeeze when minifying.
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number }>}
 */
export async function bundleForBrowser({ projectDir, outfile, minify = true, squeezeCssIn }) {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [resolve(projectDir, 'src', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: BROWSER_TARGETS,
    minify,
    sourcemap: false,
    // Licence notices of the bundled libraries go into one comment at the end of the file.
    legalComments: 'eof',
    tsconfig: resolve(projectDir, 'tsconfig.json'),
    logLevel: 'warning',
    plugins: minify && squeezeCssIn ? [squeezeCssTemplate(squeezeCssIn)] : [],
  });
  const code = readFileSync(outfile);
  return { outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/**
 * When the module at `moduleUrl` was started as `node <file>`, run `buildIt` and print the
 * bundle's size under `label`.
 * @param {string} moduleUrl `import.meta.url` of the build script
 * @param {string} label
 * @param {() => Promise<{ outfile: string, bytes: number, gzipBytes: number }>} buildIt
 * @returns {Promise<void>}
 */
export async function runIfMain(moduleUrl, label, buildIt) {
  if (!process.argv[1] || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const { outfile, bytes, gzipBytes } = await buildIt();
  console.log(`${label}: ${outfile} — ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
}
