/** Reading and writing trained model archives (`models/<timestamp>-<name>.tar.gz`). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { ParleyError } from '../errors.js';

/** The parts stored in an archive, one JSON file each. */
export const ARCHIVE_PARTS = ['metadata', 'domain', 'nlu', 'core'] as const;
export type ArchivePart = (typeof ARCHIVE_PARTS)[number];
export type ArchiveContents = Record<ArchivePart, unknown>;

/** Writes the parts as `<part>.json` into a gzipped tar at `archivePath` (atomically). */
export async function writeArchive(archivePath: string, contents: ArchiveContents): Promise<void> {
  const staging = mkdtempSync(join(tmpdir(), 'parley-model-'));
  try {
    const names = ARCHIVE_PARTS.map((part) => {
      writeFileSync(join(staging, `${part}.json`), JSON.stringify(contents[part]));
      return `${part}.json`;
    });
    mkdirSync(dirname(archivePath), { recursive: true });
    const partial = `${archivePath}.partial`;
    await tar.c({ gzip: true, file: partial, cwd: staging, portable: true }, names);
    renameSync(partial, archivePath);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Reads every part of an archive into memory; a missing or unreadable part is a clear error. */
export async function readArchive(archivePath: string): Promise<ArchiveContents>;
export async function readArchive<P extends ArchivePart>(archivePath: string, only: readonly P[]): Promise<Pick<ArchiveContents, P>>;
export async function readArchive(archivePath: string, only: readonly ArchivePart[] = ARCHIVE_PARTS): Promise<Partial<ArchiveContents>> {
  const wanted = new Set(only.map((part) => `${part}.json`));
  const texts = new Map<string, string>();
  try {
    await tar.t({
      file: archivePath,
      filter: (path) => wanted.has(path),
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => texts.set(entry.path, Buffer.concat(chunks).toString('utf8')));
      },
    });
  } catch (error) {
    throw new ParleyError(
      'PARLEY_ERR_MODEL_INVALID',
      `Could not read the model archive '${archivePath}': ${(error as Error).message}. ` +
        'Train a new model with `parley train`.',
      { cause: error },
    );
  }
  const contents: Partial<ArchiveContents> = {};
  for (const part of only) {
    const text = texts.get(`${part}.json`);
    if (text === undefined) {
      throw new ParleyError(
        'PARLEY_ERR_MODEL_INVALID',
        `The model archive '${archivePath}' has no '${part}.json'; it was not written by this ` +
          'version of Parley. Train a new model with `parley train`.',
      );
    }
    contents[part] = JSON.parse(text);
  }
  return contents;
}
