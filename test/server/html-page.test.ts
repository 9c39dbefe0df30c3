import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlDocument, inlineHash, pageHeaders } from '../../src/server/html-page.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can break out of content or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(escapeHtml('plain text · ü')).toBe('plain text · ü');
  });
});

describe('pageHeaders', () => {
  it('allows inline styles and scripts only by the hash of their exact content', () => {
    const style = 'body { margin: 0; }';
    const script = 'console.log(1);';
    const csp = pageHeaders({ styles: [style], scripts: [script] })['content-security-policy'];
    const sha = (text: string) => createHash('sha256').update(text).digest('base64');
    expect(inlineHash(style)).toBe(`'sha256-${sha(style)}'`);
    expect(csp).toContain(`script-src 'self' 'sha256-${sha(script)}';`);
    expect(csp).toContain(`style-src 'self' 'sha256-${sha(style)}';`);
    expect(csp.startsWith("default-src 'none';")).toBe(true);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('allows no inline code when none is named', () => {
    const csp = pageHeaders()['content-security-policy'];
    expect(csp).toContain("script-src 'self'; style-src 'self';");
  });

  it('forbids storing the page unless told otherwise', () => {
    expect(pageHeaders()['cache-control']).toBe('no-store');
    expect(pageHeaders({ cacheControl: 'no-cache' })['cache-control']).toBe('no-cache');
  });

  it('sends the HTML type and the framing, sniffing and referrer protections', () => {
    expect(pageHeaders()).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
  });
});

describe('htmlDocument', () => {
  it('escapes the title and the script URL and keeps the style and body as given', () => {
    const html = htmlDocument({
      title: 'Chat with <b>&co',
      style: 'p { color: red; }',
      moduleScript: '/app.js?v="x"',
      body: '<p>Hi</p>',
    });
    expect(html).toContain('<title>Chat with &#60;b&#62;&#38;co</title>');
    expect(html).toContain('<script type="module" src="/app.js?v=&#34;x&#34;"></script>\n</head>');
    expect(html).toContain('<style>p { color: red; }</style>');
    expect(html).toContain('<body>\n<p>Hi</p>\n</body>\n</html>\n');
    expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
  });

  it('adds the robots meta tag only for noindex pages and the script tag only when named', () => {
    const plain = htmlDocument({ title: 't', style: '', body: '' });
    expect(plain).not.toContain('robots');
    expect(plain).not.toContain('<script');
    expect(htmlDocument({ title: 't', style: '', body: '', noindex: true })).toContain('<meta name="robots" content="noindex">\n<title>');
  });
});
