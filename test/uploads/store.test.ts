import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanFileName, UploadStore } from '../../src/uploads/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempStore(): { store: UploadStore; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'parley-uploads-'));
  dirs.push(root);
  return { store: new UploadStore(join(root, 'uploads')), root };
}

describe('UploadStore', () => {
  it('stores the bytes under a random id and reads them back', async () => {
    const { store } = tempStore();
    const saved = await store.save(Buffer.from('hello'), 'text/plain', 'note.txt');
    expect(saved).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), type: 'text/plain', name: 'note.txt', size: 5 });
    const read = await store.read(saved.id);
    expect(read?.upload).toEqual(saved);
    expect(read?.bytes.toString()).toBe('hello');
    expect(readdirSync(store.dir).sort()).toEqual([saved.id, `${saved.id}.json`].sort());
  });

  it('never turns a request into a path outside its folder', async () => {
    const { store, root } = tempStore();
    writeFileSync(join(root, 'secret'), 'do not serve');
    writeFileSync(join(root, 'secret.json'), JSON.stringify({ id: 'x', type: 'text/plain', name: 'secret', size: 12 }));
    for (const id of ['../secret', '..%2Fsecret', '/etc/passwd', 'secret', '', 'A'.repeat(32)]) {
      expect(await store.read(id)).toBeNull();
    }
  });

  it('answers null for a well-formed id it does not hold', async () => {
    const { store } = tempStore();
    expect(await store.read('0'.repeat(32))).toBeNull();
  });
});

describe('cleanFileName', () => {
  it('keeps only the last path segment, without control characters or quotes', () => {
    expect(cleanFileName('C:\\Users\\me\\photo.png')).toBe('photo.png');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\n"c".png')).toBe('abc.png');
    expect(cleanFileName('x'.repeat(300))).toHaveLength(200);
  });

  it('names a file without a usable name "file"', () => {
    expect(cleanFileName(undefined)).toBe('file');
    expect(cleanFileName('..')).toBe('file');
    expect(cleanFileName('dir/')).toBe('file');
  });
});
