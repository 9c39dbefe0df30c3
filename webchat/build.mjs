/**
 * Builds the web-chat widget into one minified ES module, `dist/webchat/parley-chat.js`
 * (Lit and the Socket.IO client included). Run `node webchat/build.mjs`; tests call buildWidget().
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, runIfMain } from '../build/browser-bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the server's web-chat plugin looks for the bundle. */
export const DEFAULT_OUTFILE = resolve(here, '..', 'dist', 'webchat', 'parley-chat.js');

/**
 * Bundle the widget.
 * @param {{ outfile?: string, minify?: boolean }} [options]
 * @returns {Promise<{ outfile: string, bytes: number, gzipBytes: number }>}
 */
export function buildWidget(options = {}) {
  return bundleForBrowser({
    projectDir: here,
    outfile: options.outfile ?? DEFAULT_OUTFILE,
    minify: options.minify ?? true,
    squeezeCssIn: /webchat[\\/]src[\\/]styles\.ts$/,
  });
}

await runIfMain(import.meta.url, 'web chat', buildWidget);
