/**
 * Builds the web-chat widget into one minified ES module, `dist/webchat/parley-chat.js`
 * (Lit and the Socket.IO client included). Run `node webchat/build.mjs`; tests call buildWidget().
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * esbuild leaves template literals alone, so the widget's stylesheet would ship with its comments
 * and indentation. This squeezes the one `css` template in styles.ts (it has no interpolations).
 */
const minifyStyles = {
  name: 'minify-widget-styles',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /webchat[\\/]src[\\/]styles\.ts$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(/css`([^`]*)`/, (_match, body) => {
        const squeezed = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          // Not before ':' — `header :focus-visible` is a descendant selector.
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/;}/g, '}')
          .trim();
        return `css\`${squeezed}\``;
      });
      return { contents, loader: 'ts' };
    });
  },
};

/** Where the server's web-chat plugin looks for the bundle. */
export const DEFAULT_OUTFILE = resolve(here, '..', 'dist', 'webchat', 'parley-chat.js');

/**
 * Bundle the widget.
 * @param {{ outfile?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number }>}
 */
export async function buildWidget(options = {}) {
  const outfile = options.outfile ?? DEFAULT_OUTFILE;
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [resolve(here, 'src', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers of the last few years: custom elements, shadow DOM, optional chaining, private fields.
    target: ['chrome105', 'firefox110', 'safari16.4', 'edge105'],
    minify: options.minify ?? true,
    sourcemap: false,
    // Licence notices of Lit and Socket.IO go into one comment at the end of the file.
    legalComments: 'eof',
    tsconfig: resolve(here, 'tsconfig.json'),
    logLevel: 'warning',
    plugins: options.minify === false ? [] : [minifyStyles],
  });
  const code = readFileSync(outfile);
  return { outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outfile, bytes, gzipBytes } = await buildWidget();
  console.log(`web chat: ${outfile} — ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB gzipped`);
}
