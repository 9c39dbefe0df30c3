/** Share links (tester invites): created with a random token, listed newest first, revoked at once. */
import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { tokensMatch } from '../api/auth.js';

/** A share link as the review API returns it (without `url`, which depends on the request). */
export interface ShareLink {
  id: string;
  token: string;
  label: string | null;
  /** Seconds since the epoch (Rasa's timestamp unit). */
  created_at: number;
  revoked: boolean;
}

interface ShareLinkRow {
  id: string;
  token: string;
  label: string | null;
  created_at: number;
  revoked: number;
}

function fromRow(row: ShareLinkRow): ShareLink {
  return { id: row.id, token: row.token, label: row.label, created_at: row.created_at, revoked: row.revoked !== 0 };
}

/** A URL-safe token with 192 random bits. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export class ShareLinkStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  create(label: string | null = null): ShareLink {
    const link: ShareLink = { id: randomUUID(), token: newToken(), label, created_at: Date.now() / 1000, revoked: false };
    this.#db
      .prepare('INSERT INTO share_links (id, token, label, created_at, revoked) VALUES (?, ?, ?, ?, 0)')
      .run(link.id, link.token, link.label, link.created_at);
    return link;
  }

  /** Every link, revoked ones included, newest first. */
  list(): ShareLink[] {
    const rows = this.#db.prepare('SELECT * FROM share_links ORDER BY created_at DESC, rowid DESC').all() as ShareLinkRow[];
    return rows.map(fromRow);
  }

  get(id: string): ShareLink | undefined {
    const row = this.#db.prepare('SELECT * FROM share_links WHERE id = ?').get(id) as ShareLinkRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Marks the link revoked; false when there is no such link. */
  revoke(id: string): boolean {
    return this.#db.prepare('UPDATE share_links SET revoked = 1 WHERE id = ?').run(id).changes > 0;
  }

  /** The unrevoked link with this token. The comparison runs in constant time per link. */
  findActiveByToken(token: string): ShareLink | undefined {
    const rows = this.#db.prepare('SELECT * FROM share_links WHERE revoked = 0').all() as ShareLinkRow[];
    let found: ShareLinkRow | undefined;
    for (const row of rows) if (tokensMatch(token, row.token)) found = row;
    return found ? fromRow(found) : undefined;
  }

  /** The newest unrevoked link (what `parley run --share` reuses). */
  newestActive(): ShareLink | undefined {
    const row = this.#db
      .prepare('SELECT * FROM share_links WHERE revoked = 0 ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get() as ShareLinkRow | undefined;
    return row ? fromRow(row) : undefined;
  }
}
