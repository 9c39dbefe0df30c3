/**
 * Uploaded files on disk: `<dir>/<id>` holds the bytes, `<id>.json` what we know about them.
 * Ids are 32 random hex characters, and only such ids are ever turned into paths, so no request
 * can name a file outside the folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredUpload {
  id: string;
  /** MIME type, as accepted. */
  type: string;
  /** The file name the user's browser gave, cleaned for display. */
  name: string;
  size: number;
}

const ID = /^[0-9a-f]{32}$/;

/** A display name: the last path segment, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
  const lastSegment = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
}

export class UploadStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  get dir(): string {
    return this.#dir;
  }

  async save(bytes: Buffer, type: string, name: string): Promise<StoredUpload> {
    const upload: StoredUpload = { id: randomUUID().replaceAll('-', ''), type, name: cleanFileName(name), size: bytes.length };
    await mkdir(this.#dir, { recursive: true });
    await writeFile(join(this.#dir, upload.id), bytes, { flag: 'wx' });
    await writeFile(join(this.#dir, `${upload.id}.json`), JSON.stringify(upload), { flag: 'wx' });
    return upload;
  }

  /** The upload and its bytes, or null for an id that is malformed or unknown. */
  async read(id: string): Promise<{ upload: StoredUpload; bytes: Buffer } | null> {
    if (!ID.test(id)) return null;
    try {
      const upload = JSON.parse(await readFile(join(this.#dir, `${id}.json`), 'utf8')) as StoredUpload;
      return { upload, bytes: await readFile(join(this.#dir, id)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
