/**
 * Headers of the share and review pages: the strict policy of `/chat` (only this server's
 * scripts, styles and connections), with the page's own inline style and script allowed by hash.
 */
import { createHash } from 'node:crypto';

/** The CSP source for an inline `<style>` or `<script>` with exactly this content. */
export function inlineHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
}

export interface PageHeaderOptions {
  /** Inline `<style>` contents allowed on the page. */
  styles?: readonly string[];
  /** Inline `<script>` contents allowed on the page. */
  scripts?: readonly string[];
}

/**
 * Response headers for one of these pages.
 * @example reply.headers(pageHeaders({ styles: [PAGE_STYLE] })).send(html)
 */
export function pageHeaders(options: PageHeaderOptions = {}): Record<string, string> {
  const csp = [
    "default-src 'none'",
    ["script-src 'self'", ...(options.scripts ?? []).map(inlineHash)].join(' '),
    ["style-src 'self'", ...(options.styles ?? []).map(inlineHash)].join(' '),
    "img-src 'self' data: https:",
    "media-src 'self' https:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'cache-control': 'no-store',
  };
}
