/**
 * The review database: share links and corrections in one SQLite file of the project
 * (`.parley/review.db`), kept apart from the tracker store so that review works whatever store
 * endpoints.yml names (Redis, PostgreSQL…) and survives restarts.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { ParleyError } from '../errors.js';
import { CorrectionStore } from './correction-store.js';
import { ShareLinkStore } from '../share/share-link-store.js';

/** Where a project keeps its review database. */
export function reviewDatabasePath(projectRoot: string): string {
  return join(resolve(projectRoot), '.parley', 'review.db');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS share_links (
  id TEXT PRIMARY KEY,
  token TEXT NOT NULL UNIQUE,
  label TEXT,
  created_at REAL NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS corrections (
  id TEXT PRIMARY KEY,
  sender_id TEXT NOT NULL,
  event_index INTEGER NOT NULL,
  text TEXT NOT NULL,
  intent TEXT,
  entities TEXT,
  action TEXT,
  created_at REAL NOT NULL,
  UNIQUE (sender_id, event_index)
);
`;

/** The open review database and its two stores. */
export interface ReviewDatabase {
  readonly file: string;
  readonly shareLinks: ShareLinkStore;
  readonly corrections: CorrectionStore;
  close(): void;
}

/**
 * Opens (creating the file, its folder and tables when needed) the review database.
 * @throws ParleyError `PARLEY_ERR_STORE_UNAVAILABLE` when the file cannot be opened.
 * @example const db = openReviewDatabase(reviewDatabasePath('.'));
 */
export function openReviewDatabase(file: string): ReviewDatabase {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    // Required on first use, not at import: a server whose tracker store is not SQLite loads the
    // driver only once someone opens a share link or the review API.
    const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
    db = new Driver(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 2000');
    db.exec(SCHEMA);
  } catch (error) {
    throw new ParleyError(
      'PARLEY_ERR_STORE_UNAVAILABLE',
      `The review database ${file} could not be opened: ${(error as Error).message}. Check that the folder is writable.`,
      { cause: error },
    );
  }
  return {
    file,
    shareLinks: new ShareLinkStore(db),
    corrections: new CorrectionStore(db),
    close: () => db.close(),
  };
}
