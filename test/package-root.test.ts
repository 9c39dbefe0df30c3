import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, packagePath } from '../src/package-root.js';

describe('the package root', () => {
  it("is the folder of Parley's package.json, and package paths are made inside it", () => {
    expect(PACKAGE_ROOT).toBe(fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, ''));
    expect((JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string }).name).toBe('parley');
    expect(packagePath('examples', 'starter')).toBe(join(PACKAGE_ROOT, 'examples', 'starter'));
  });
});
