import { describe, expect, it } from 'vitest';
import { inlineText, parseMarkdown, type BlockNode, type InlineNode } from '../../webchat/src/markdown.js';

const BASE = 'https://bot.example/app/';

/** Renders the tree the way the widget does: text is escaped, only the tree's own tags exist. */
function html(text: string): string {
  return parseMarkdown(text, { baseUrl: BASE }).map(block).join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function block(node: BlockNode): string {
  if (node.type === 'paragraph') return `<p>${inline(node.children)}</p>`;
  if (node.type === 'code') return `<pre>${escape(node.text)}</pre>`;
  const tag = node.ordered ? 'ol' : 'ul';
  const start = node.ordered && node.start !== 1 ? ` start="${node.start}"` : '';
  return `<${tag}${start}>${node.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${tag}>`;
}

function inline(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escape(node.text);
        case 'break':
          return '<br>';
        case 'code':
          return `<code>${escape(node.text)}</code>`;
        case 'link':
          return `<a href="${escape(node.href)}">${inline(node.children)}</a>`;
        default:
          return `<${node.type}>${inline(node.children)}</${node.type}>`;
      }
    })
    .join('');
}

describe('parseMarkdown', () => {
  it('reads bold, italics, strike-through and inline code', () => {
    expect(html('**bold** and *italic* and _also_ and __strong__ ~~gone~~ `x < y`')).toBe(
      '<p><strong>bold</strong> and <em>italic</em> and <em>also</em> and <strong>strong</strong> <del>gone</del> <code>x &lt; y</code></p>',
    );
  });

  it('nests emphasis inside bold and handles triple stars', () => {
    expect(html('**very *much* so**')).toBe('<p><strong>very <em>much</em> so</strong></p>');
    expect(html('***both***')).toBe('<p><strong><em>both</em></strong></p>');
  });

  it('leaves arithmetic, snake_case and unclosed markers alone', () => {
    expect(html('2 * 3 * 4 = 24')).toBe('<p>2 * 3 * 4 = 24</p>');
    expect(html('set my_slot_name now')).toBe('<p>set my_slot_name now</p>');
    expect(html('**not closed')).toBe('<p>**not closed</p>');
  });

  it('honours backslash escapes', () => {
    expect(html('\\*literal\\* \\[x\\](y)')).toBe('<p>*literal* [x](y)</p>');
  });

  it('keeps single newlines as line breaks and splits paragraphs on blank lines', () => {
    expect(html('one\ntwo\n\nthree')).toBe('<p>one<br>two</p><p>three</p>');
  });

  it('reads bulleted and numbered lists, also right after a paragraph', () => {
    expect(html('Pick one:\n- tea\n* **coffee**\n+ water')).toBe(
      '<p>Pick one:</p><ul><li>tea</li><li><strong>coffee</strong></li><li>water</li></ul>',
    );
    expect(html('3. three\n4) four')).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
  });

  it('continues a list item on indented lines and ends the list at an unindented one', () => {
    expect(html('- first\n  more\n- second\nafter')).toBe(
      '<ul><li>first<br>more</li><li>second</li></ul><p>after</p>',
    );
  });

  it('reads fenced code blocks verbatim', () => {
    expect(html('```\n**not bold** <b>\n```\nafter')).toBe('<pre>**not bold** &lt;b&gt;</pre><p>after</p>');
  });

  it('shows headings as bold paragraphs', () => {
    expect(html('## Menu ##\ntext')).toBe('<p><strong>Menu</strong></p><p>text</p>');
  });

  it('makes links, resolving relative ones against the chat server', () => {
    expect(html('[docs](https://rasa.com/docs "Rasa") and [menu](menu.pdf) and [mail](mailto:a@b.example)')).toBe(
      '<p><a href="https://rasa.com/docs">docs</a> and <a href="https://bot.example/app/menu.pdf">menu</a> and <a href="mailto:a@b.example">mail</a></p>',
    );
  });

  it('links bare and angle-bracket URLs without trailing punctuation', () => {
    expect(html('See https://example.com/a_(b). Or <https://example.org>!')).toBe(
      '<p>See <a href="https://example.com/a_(b)">https://example.com/a_(b)</a>. Or <a href="https://example.org/">https://example.org</a>!</p>',
    );
    expect(html('(at https://example.com/x)')).toBe('<p>(at <a href="https://example.com/x">https://example.com/x</a>)</p>');
  });

  it('allows formatting inside link text but no link inside a link', () => {
    expect(html('[**big** https://x.example](https://y.example)')).toBe(
      '<p><a href="https://y.example/"><strong>big</strong> https://x.example</a></p>',
    );
  });
});

describe('parseMarkdown against script injection', () => {
  it('shows raw HTML tags as text', () => {
    expect(html('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html('**<b onmouseover="alert(1)">x</b>**')).toBe(
      '<p><strong>&lt;b onmouseover=&quot;alert(1)&quot;&gt;x&lt;/b&gt;</strong></p>',
    );
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(document.cookie)//https://ok.example',
  ])('never links to a script URL such as %j, and keeps the words', (href) => {
    const tree = parseMarkdown(`[click me](${href})`, { baseUrl: BASE });
    const links = JSON.stringify(tree).match(/"href":"[^"]*"/g) ?? [];
    for (const link of links) expect(link).toMatch(/^"href":"https:\/\/bot\.example\//);
    expect(inlineText((tree[0] as { children: InlineNode[] }).children)).toContain('click me');
  });

  it('does not autolink script URLs', () => {
    expect(html('<javascript:alert(1)> javascript:alert(1)')).toBe('<p>&lt;javascript:alert(1)&gt; javascript:alert(1)</p>');
  });

  it('keeps nested-parenthesis payloads inside the (dropped) link target', () => {
    expect(html('[x](javascript:alert((1))) after')).toBe('<p>x after</p>');
  });

  it('stays bounded on hostile nesting and very long input', () => {
    const deep = `${'*['.repeat(200)}x${'](https://a.example)*'.repeat(200)}`;
    expect(parseMarkdown(deep, { baseUrl: BASE }).length).toBe(1);
    const long = '**a '.repeat(10_000);
    const tree = parseMarkdown(long, { baseUrl: BASE });
    expect(tree).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: long.trim() }] }]);
  });
});
