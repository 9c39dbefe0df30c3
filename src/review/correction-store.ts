/** Saved corrections: one per user message (a new one for the same message replaces the old). */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

/** An entity as a reviewer marks it: character offsets into the message text. */
export interface CorrectedEntity {
  start: number;
  end: number;
  entity: string;
  value: string;
  role?: string;
  group?: string;
}

/** A correction as the review API returns it. */
export interface Correction {
  id: string;
  sender_id: string;
  /** Index of the corrected user event among all the conversation's events (all sessions). */
  event_index: number;
  /** The user message as it was sent. */
  text: string;
  /** The right intent, or null when the predicted one stays. */
  intent: string | null;
  /** The right entities, or null when the predicted ones stay. */
  entities: CorrectedEntity[] | null;
  /** The action the bot should have run next, or null when it was right. */
  action: string | null;
  /** Seconds since the epoch. */
  created_at: number;
}

export type NewCorrection = Omit<Correction, 'id' | 'created_at'>;

interface CorrectionRow {
  id: string;
  sender_id: string;
  event_index: number;
  text: string;
  intent: string | null;
  entities: string | null;
  action: string | null;
  created_at: number;
}

function fromRow(row: CorrectionRow): Correction {
  return {
    id: row.id,
    sender_id: row.sender_id,
    event_index: row.event_index,
    text: row.text,
    intent: row.intent,
    entities: row.entities === null ? null : (JSON.parse(row.entities) as CorrectedEntity[]),
    action: row.action,
    created_at: row.created_at,
  };
}

export class CorrectionStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Saves the correction, replacing any earlier one of the same message. */
  save(input: NewCorrection): Correction {
    const correction: Correction = { ...input, id: randomUUID(), created_at: Date.now() / 1000 };
    this.#db
      .prepare(
        `INSERT INTO corrections (id, sender_id, event_index, text, intent, entities, action, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sender_id, event_index) DO UPDATE SET
           id = excluded.id, text = excluded.text, intent = excluded.intent, entities = excluded.entities,
           action = excluded.action, created_at = excluded.created_at`,
      )
      .run(
        correction.id,
        correction.sender_id,
        correction.event_index,
        correction.text,
        correction.intent,
        correction.entities === null ? null : JSON.stringify(correction.entities),
        correction.action,
        correction.created_at,
      );
    return correction;
  }

  /** Every correction, oldest first (the order exports are written in). */
  list(): Correction[] {
    const rows = this.#db.prepare('SELECT * FROM corrections ORDER BY created_at, rowid').all() as CorrectionRow[];
    return rows.map(fromRow);
  }

  /** The conversation's corrections, by event index. */
  forConversation(senderId: string): Correction[] {
    const rows = this.#db
      .prepare('SELECT * FROM corrections WHERE sender_id = ? ORDER BY event_index')
      .all(senderId) as CorrectionRow[];
    return rows.map(fromRow);
  }

  /** How many corrections each conversation has. */
  counts(): Map<string, number> {
    const rows = this.#db.prepare('SELECT sender_id, COUNT(*) AS n FROM corrections GROUP BY sender_id').all() as Array<{
      sender_id: string;
      n: number;
    }>;
    return new Map(rows.map((row) => [row.sender_id, row.n]));
  }

  /** False when there is no such correction. */
  delete(id: string): boolean {
    return this.#db.prepare('DELETE FROM corrections WHERE id = ?').run(id).changes > 0;
  }
}
