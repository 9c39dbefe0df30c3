import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openReviewDatabase, reviewDatabasePath } from '../../src/review/review-db.js';

const directories: string[] = [];
afterEach(() => directories.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-links-'));
  directories.push(dir);
  return dir;
}

describe('share link store', () => {
  it('keeps links and corrections in .parley/review.db across restarts', () => {
    const root = project();
    expect(reviewDatabasePath(root)).toBe(join(root, '.parley', 'review.db'));
    const first = openReviewDatabase(reviewDatabasePath(root));
    const link = first.shareLinks.create('friends');
    first.corrections.save({ sender_id: 's', event_index: 2, text: 'hi', intent: 'greet', entities: [{ start: 0, end: 2, entity: 'x', value: 'hi' }], action: null });
    first.close();
    const second = openReviewDatabase(reviewDatabasePath(root));
    expect(second.shareLinks.get(link.id)).toEqual(link);
    expect(second.corrections.list()).toMatchObject([{ sender_id: 's', event_index: 2, entities: [{ start: 0, end: 2, entity: 'x', value: 'hi' }] }]);
    second.close();
  });

  it('finds a link by token only while it is not revoked', () => {
    const database = openReviewDatabase(':memory:');
    const link = database.shareLinks.create();
    const other = database.shareLinks.create();
    expect(database.shareLinks.findActiveByToken(link.token)?.id).toBe(link.id);
    expect(database.shareLinks.findActiveByToken(`${link.token}x`)).toBeUndefined();
    expect(database.shareLinks.newestActive()?.id).toBe(other.id);
    database.shareLinks.revoke(other.id);
    expect(database.shareLinks.findActiveByToken(other.token)).toBeUndefined();
    expect(database.shareLinks.newestActive()?.id).toBe(link.id);
    expect(database.shareLinks.revoke('missing')).toBe(false);
    database.close();
  });

  it('gives every link its own random token', () => {
    const database = openReviewDatabase(':memory:');
    const tokens = new Set(Array.from({ length: 20 }, () => database.shareLinks.create().token));
    expect(tokens.size).toBe(20);
    database.close();
  });

  it('reports a database it cannot open with the file and a coded error', () => {
    const root = project();
    expect(() => openReviewDatabase(join(root, 'missing-dir', '\0', 'x.db'))).toThrow(/review database/);
  });
});
