/**
 * The HTML pages Parley serves itself (`/chat`, `/share`, `/review`): one document shell and one
 * set of response headers — a strict CSP allowing only this server's scripts, styles and
 * connections, with each page's own inline style and script allowed by hash.
 */
import { createHash } from 'node:crypto';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The CSP source for an inline `<style>` or `<script>` with exactly this content. */
export function inlineHash(content: string): string {
  return `'sha256-${createHash('sha256').update(content).digest('base64')}'`;
}

export interface PageHeaderOptions {
  /** Inline `<style>` contents allowed on the page. */
  styles?: readonly string[];
  /** Inline `<script>` contents allowed on the page. */
  scripts?: readonly string[];
  /** @default 'no-store' (pages that carry a credential or a conversation must not be kept) */
  cacheControl?: string;
}

/**
 * Response headers for one of these pages. Bot images and videos may come from any HTTPS host;
 * an image or video cannot run script.
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
    'cache-control': options.cacheControl ?? 'no-store',
  };
}

export interface HtmlDocumentOptions {
  /** Plain text (escaped here). */
  title: string;
  /** The inline stylesheet; allow it with `pageHeaders({ styles: [style] })`. */
  style: string;
  /** URL of the page's module script, if any (escaped here). */
  moduleScript?: string;
  /** Ask search engines not to index the page. @default false */
  noindex?: boolean;
  /** The markup inside `<body>`, trusted as it is: escape every value put into it. */
  body: string;
}

/** A complete HTML document in English with the given head parts and body. */
export function htmlDocument(options: HtmlDocumentOptions): string {
  const robots = options.noindex ? '<meta name="robots" content="noindex">\n' : '';
  const script = options.moduleScript ? `<script type="module" src="${escapeHtml(options.moduleScript)}"></script>\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${robots}<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<style>${options.style}</style>
${script}</head>
<body>
${options.body}
</body>
</html>
`;
}
