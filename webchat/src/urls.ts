/** Which URLs from bot messages the widget may put into `href` and `src` attributes. */

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const MEDIA_PROTOCOLS = new Set(['http:', 'https:', 'blob:']);
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif|svg\+xml)[;,]/i;

/** What a URL is used for; each use allows different schemes. */
export type UrlUse = 'link' | 'image' | 'media';

/**
 * The absolute URL to use, or null when the URL is unusable or has a scheme that could run code
 * (`javascript:`, `vbscript:`, `data:text/html`…). Relative URLs are resolved against `base`
 * (the chat server), because that is where a bot's relative links point.
 * The browser's own URL parser decides the scheme, so tricks such as `java\tscript:` or
 * leading control characters are seen exactly as a browser would see them.
 * @example safeUrl('/files/menu.pdf', 'link', 'https://bot.example/') // 'https://bot.example/files/menu.pdf'
 * @example safeUrl('javascript:alert(1)', 'link', 'https://bot.example/') // null
 */
export function safeUrl(raw: unknown, use: UrlUse, base: string): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '' || text.length > 8192) return null;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return null;
  }
  if (use === 'link') return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  if (MEDIA_PROTOCOLS.has(url.protocol)) return url.href;
  // Images inside <img> cannot run script, not even SVG, so inline raster and SVG images are fine.
  if (use === 'image' && url.protocol === 'data:' && DATA_IMAGE.test(url.href)) return url.href;
  return null;
}

/** True when `href` leaves the page's origin (such links open in a new tab). */
export function isExternal(href: string, pageOrigin: string): boolean {
  try {
    return new URL(href).origin !== pageOrigin;
  } catch {
    return true;
  }
}
