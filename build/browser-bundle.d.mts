/** Types for browser-bundle.mjs (so TypeScript code can call it). */
import type { Plugin } from 'esbuild';

export interface BrowserBundle {
  outfile: string;
  bytes: number;
  gzipBytes: number;
}
export declare const BROWSER_TARGETS: string[];
export declare function squeezeCssTemplate(filter: RegExp): Plugin;
export declare function squeezeCss(body: string): string;
export declare function bundleForBrowser(options: {
  projectDir: string;
  outfile: string;
  minify?: boolean;
  squeezeCssIn?: RegExp;
}): Promise<BrowserBundle>;
export declare function runIfMain(moduleUrl: string, label: string, buildIt: () => Promise<BrowserBundle>): Promise<void>;
