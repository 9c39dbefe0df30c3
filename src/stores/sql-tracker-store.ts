/**
 * Tracker store on SQL (PostgreSQL, MySQL/MariaDB, SQLite): events are appended as rows numbered
 * per conversation, and one small row per conversation says where the latest session starts, so
 * loading a conversation reads only its latest session however long the history is.
 */
import { serializeEvent } from '../core/events.js';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TrackerEvent } from '../shared/events.js';
import { lastSessionStartIndex } from './sessions.js';
import {
  isRetryableConflict,
  type SqlClient,
  type SqlExecutor,
} from './sql/sql-client.js';
import { ensureTrackerSchema } from './sql/tracker-schema.js';
import type { RetrieveOptions, TrackerStore, TrackerStoreReadStats } from './types.js';

/** Rows per INSERT statement: well under every driver's parameter limit (8 per row). */
const ROWS_PER_INSERT = 500;
const MAX_SENDER_ID_LENGTH = 255;
const NAME_COLUMN_LENGTH = 255;
const CONFLICT_RETRIES = 3;

export interface SqlTrackerStoreOptions {
  /** The endpoints.yml `type:` this store answers to (`sql` or `sqlite`). */
  type: string;
  logger: Logger;
}

/** A tracker store over an open SqlClient; the store owns the client and closes it. */
export class SqlTrackerStore implements TrackerStore {
  readonly type: string;
  readonly #client: SqlClient;
  readonly #logger: Logger;
  readonly #stats: TrackerStoreReadStats = { eventsRead: 0 };

  private constructor(client: SqlClient, options: SqlTrackerStoreOptions) {
    this.type = options.type;
    this.#client = client;
    this.#logger = options.logger;
  }

  /** Creates or upgrades the schema, then returns the store. */
  static async open(client: SqlClient, options: SqlTrackerStoreOptions): Promise<SqlTrackerStore> {
    try {
      await ensureTrackerSchema(client, options.logger);
    } catch (error) {
      await client.close().catch(() => undefined);
      if (error instanceof ParleyError) throw error;
      throw new ParleyError(
        'PARLEY_ERR_STORE_SCHEMA',
        `Cannot create the tracker tables in ${client.description}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return new SqlTrackerStore(client, options);
  }

  get stats(): Readonly<TrackerStoreReadStats> {
    return { ...this.#stats };
  }

  async retrieve(senderId: string, options: RetrieveOptions = {}): Promise<TrackerEvent[] | undefined> {
    const rows = await this.#guard('read', senderId, () =>
      options.allSessions
        ? this.#client.query<{ data: string }>(
            'SELECT data FROM events WHERE sender_id = ? ORDER BY seq',
            [senderId],
          )
        : this.#client.query<{ data: string }>(
            `SELECT data FROM events
              WHERE sender_id = ?
                AND seq >= (SELECT session_start_seq FROM parley_conversations WHERE sender_id = ?)
              ORDER BY seq`,
            [senderId, senderId],
          ),
    );
    this.#stats.eventsRead += rows.length;
    if (rows.length === 0) return undefined;
    return rows.map((row) => JSON.parse(row.data) as TrackerEvent);
  }

  /** One row of `parley_conversations`, whatever the conversation's length. */
  async eventCount(senderId: string): Promise<number> {
    const rows = await this.#guard('read', senderId, () =>
      this.#client.query<{ event_count: number | string }>(
        'SELECT event_count FROM parley_conversations WHERE sender_id = ?',
        [senderId],
      ),
    );
    return rows.length === 0 ? 0 : Number(rows[0].event_count);
  }

  async append(senderId: string, events: readonly TrackerEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (senderId.length > MAX_SENDER_ID_LENGTH) {
      throw new ParleyError(
        'PARLEY_ERR_BAD_REQUEST',
        `The conversation id is ${senderId.length} characters long; the SQL tracker store keeps ` +
          `ids of up to ${MAX_SENDER_ID_LENGTH} characters (as Rasa's does).`,
      );
    }
    await this.#guard('write', senderId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (this.#client.dialect === 'postgresql' && events.length <= ROWS_PER_INSERT) {
            await this.#appendInOneStatement(senderId, events);
            return;
          }
          await this.#client.transaction((tx) => this.#appendIn(tx, senderId, events));
          return;
        } catch (error) {
          if (attempt >= CONFLICT_RETRIES || !isRetryableConflict(error)) throw error;
          this.#logger.debug({ attempt, err: error }, 'store.sql.append.conflict_retry');
        }
      }
    });
  }

  async keys(): Promise<string[]> {
    const rows = await this.#guard('list', undefined, () =>
      this.#client.query<{ sender_id: string }>('SELECT sender_id FROM parley_conversations'),
    );
    return rows.map((row) => row.sender_id);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  /**
   * PostgreSQL: a turn's append as one statement (one round trip instead of six, the same
   * atomicity): the upsert of the conversation row locks it, as `SELECT … FOR UPDATE` does, and
   * hands the first free sequence number to the insert of the events.
   */
  async #appendInOneStatement(senderId: string, events: readonly TrackerEvent[]): Promise<void> {
    const sessionStart = lastSessionStartIndex(events);
    const latestTime = events[events.length - 1].timestamp ?? null;
    const params: unknown[] = [
      senderId, events.length, Math.max(sessionStart, 0), latestTime,
      events.length, sessionStart, sessionStart, latestTime, events.length, senderId,
    ];
    const rows: string[] = [];
    events.forEach((event, index) => {
      const [, , type, timestamp, intent, action, data] = eventRow(senderId, index, event);
      params.push(index, type, timestamp, intent, action, data);
      rows.push('(?::integer, ?::varchar, ?::double precision, ?::varchar, ?::varchar, ?::text)');
    });
    await this.#client.query(
      `WITH conversation AS (
         INSERT INTO parley_conversations AS c (sender_id, event_count, session_start_seq, latest_event_time)
         VALUES (?, ?::integer, ?::integer, ?::double precision)
         ON CONFLICT (sender_id) DO UPDATE
           SET event_count = c.event_count + ?::integer,
               session_start_seq = CASE WHEN ?::integer >= 0 THEN c.event_count + ?::integer ELSE c.session_start_seq END,
               latest_event_time = ?::double precision
         RETURNING event_count - ?::integer AS first_seq
       )
       INSERT INTO events (sender_id, seq, type_name, timestamp, intent_name, action_name, data)
       SELECT ?, conversation.first_seq + row.offset_in_turn, row.type_name, row.event_time, row.intent_name, row.action_name, row.data
         FROM conversation CROSS JOIN (VALUES ${rows.join(', ')})
           AS row (offset_in_turn, type_name, event_time, intent_name, action_name, data)`,
      params,
    );
  }

  async #appendIn(tx: SqlExecutor, senderId: string, events: readonly TrackerEvent[]): Promise<void> {
    // MySQL/MariaDB: a no-op update on the duplicate takes the row's exclusive lock at once;
    // INSERT IGNORE took a shared one, and two appends to one conversation that both held it
    // deadlocked when each then asked for the exclusive lock (SELECT … FOR UPDATE).
    const onConflict =
      this.#client.dialect === 'mysql' ? ' ON DUPLICATE KEY UPDATE sender_id = sender_id' : ' ON CONFLICT (sender_id) DO NOTHING';
    await tx.query(
      `INSERT INTO parley_conversations (sender_id, event_count, session_start_seq, latest_event_time)
       VALUES (?, 0, 0, NULL)${onConflict}`,
      [senderId],
    );
    // SQLite has no row locks; BEGIN IMMEDIATE already holds the database's write lock.
    const forUpdate = this.#client.dialect === 'sqlite' ? '' : ' FOR UPDATE';
    const [conversation] = await tx.query<{ event_count: number; session_start_seq: number }>(
      `SELECT event_count, session_start_seq FROM parley_conversations WHERE sender_id = ?${forUpdate}`,
      [senderId],
    );
    const firstSeq = Number(conversation.event_count);
    for (let offset = 0; offset < events.length; offset += ROWS_PER_INSERT) {
      const chunk = events.slice(offset, offset + ROWS_PER_INSERT);
      const params: unknown[] = [];
      chunk.forEach((event, index) => params.push(...eventRow(senderId, firstSeq + offset + index, event)));
      await tx.query(
        `INSERT INTO events
           (sender_id, seq, type_name, timestamp, intent_name, action_name, data)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        params,
      );
    }
    const sessionStart = lastSessionStartIndex(events);
    await tx.query(
      `UPDATE parley_conversations
          SET event_count = ?, session_start_seq = ?, latest_event_time = ?
        WHERE sender_id = ?`,
      [
        firstSeq + events.length,
        sessionStart >= 0 ? firstSeq + sessionStart : Number(conversation.session_start_seq),
        events[events.length - 1].timestamp ?? null,
        senderId,
      ],
    );
  }

  async #guard<T>(operation: string, senderId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ParleyError) throw error;
      const subject = senderId === undefined ? 'the conversation list' : `conversation "${senderId}"`;
      const verb = operation === 'write' ? 'save' : 'read';
      throw new ParleyError(
        'PARLEY_ERR_STORE_UNAVAILABLE',
        `Could not ${verb} ${subject} in the tracker store (${this.#client.description}): ` +
          `${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

/** Rasa's column values for one event: the intent of user messages, the `name` of any event. */
function eventRow(senderId: string, seq: number, event: TrackerEvent): unknown[] {
  const intent = event.event === 'user' ? event.parse_data?.intent?.name : undefined;
  const name = 'name' in event && typeof event.name === 'string' ? event.name : undefined;
  return [
    senderId,
    seq,
    event.event,
    event.timestamp ?? null,
    truncate(intent),
    truncate(name),
    JSON.stringify(serializeEvent(event)),
  ];
}

function truncate(value: string | null | undefined): string | null {
  return typeof value === 'string' ? value.slice(0, NAME_COLUMN_LENGTH) : null;
}
