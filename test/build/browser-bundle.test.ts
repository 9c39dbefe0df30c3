import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, squeezeCss } from '../../build/browser-bundle.mjs';

describe('squeezeCss', () => {
  it('drops comments and white space but keeps descendant selectors before a colon', () => {
    const css = `
      /* the panel */
      header :focus-visible {
        outline: 2px solid red;
      }
      a > b,
      c { color: blue; }
    `;
    expect(squeezeCss(css)).toBe('header :focus-visible{outline:2px solid red}a>b,c{color:blue}');
  });
});

describe('bundleForBrowser', () => {
  it('bundles src/index.ts, squeezes the named stylesheet only when asked and reports the sizes', async () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'parley-browser-bundle-'));
    try {
      mkdirSync(join(projectDir, 'src'));
      writeFileSync(join(projectDir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
      writeFileSync(join(projectDir, 'src', 'styles.ts'), 'const css = (parts: TemplateStringsArray): string => parts.join("");\nexport const styles = css`\n  /* note to self */\n  a {\n    color: red;\n  }\n`;\n');
      writeFileSync(join(projectDir, 'src', 'index.ts'), 'import { styles } from "./styles.js";\ndocument.title = styles;\n');
      const squeezed = await bundleForBrowser({ projectDir, outfile: join(projectDir, 'out', 'squeezed.js'), squeezeCssIn: /src[\\/]styles\.ts$/ });
      const plain = await bundleForBrowser({ projectDir, outfile: join(projectDir, 'out', 'plain.js') });
      expect(squeezed.bytes).toBe(readFileSync(squeezed.outfile).length);
      expect(squeezed.gzipBytes).toBeGreaterThan(0);
      expect(readFileSync(squeezed.outfile, 'utf8')).toContain('a{color:red}');
      expect(readFileSync(plain.outfile, 'utf8')).toContain('note to self');
    } finally {
      rmSync(projectDir, { recursive: true, force: true });
    }
  });
});
