/** Types for build.mjs (so TypeScript tests can call it). */
export declare const DEFAULT_OUTFILE: string;
export declare function buildReviewUi(options?: {
  outfile?: string;
  minify?: boolean;
}): Promise<{ outfile: string; bytes: number; gzipBytes: number }>;
