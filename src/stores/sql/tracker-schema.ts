/**
 * The SQL tracker store's schema: created on first start, Rasa's own `events` table upgraded in
 * place, and a version row so later releases know what they find.
 *
 * Tables (schema version 1):
 * - `events` — Rasa's columns (`id, sender_id, type_name, timestamp, intent_name, action_name,
 *   data`) plus `seq`, the event's position in its conversation; unique (`sender_id`, `seq`).
 * - `parley_conversations` — one row per conversation: `sender_id`, `event_count` (next `seq`),
 *   `session_start_seq` (where the latest session starts) and `latest_event_time`.
 * - `parley_schema` — `component`, `version`.
 */
import { ParleyError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { tableColumns, type SqlClient, type SqlDialect, type SqlExecutor } from './sql-client.js';

export const TRACKER_SCHEMA_VERSION = 1;
const COMPONENT = 'tracker_store';
const LOCK_NAME = 'parley_tracker_schema';
const RASA_EVENT_COLUMNS = ['id', 'sender_id', 'type_name', 'timestamp', 'data'];

/** Creates or upgrades the tracker tables; safe to run from several instances at once. */
export async function ensureTrackerSchema(client: SqlClient, logger: Logger): Promise<void> {
  const collation = client.dialect === 'mysql' ? await binaryCollation(client) : '';
  await client.exclusive(LOCK_NAME, async (tx) => {
    await tx.query(
      'CREATE TABLE IF NOT EXISTS parley_schema (component VARCHAR(64) PRIMARY KEY, version INTEGER NOT NULL)',
    );
    const [row] = await tx.query<{ version: number }>(
      'SELECT version FROM parley_schema WHERE component = ?',
      [COMPONENT],
    );
    const version = row ? Number(row.version) : 0;
    if (version > TRACKER_SCHEMA_VERSION) {
      throw new ParleyError(
        'PARLEY_ERR_STORE_SCHEMA',
        `The tracker tables in ${client.description} have schema version ${version}, written by a ` +
          `newer Parley; this one understands up to version ${TRACKER_SCHEMA_VERSION}. Upgrade Parley.`,
      );
    }
    if (version === TRACKER_SCHEMA_VERSION) return;

    const columns = await tableColumns(tx, client.dialect, 'events');
    if (columns.length === 0) {
      for (const statement of createStatements(client.dialect, collation)) await tx.query(statement);
      logger.info({ target: client.description }, 'store.sql.schema.created');
    } else {
      assertRasaEventsTable(columns, client.description);
      await upgradeRasaEventsTable(tx, client.dialect, collation, columns.includes('seq'));
      logger.info({ target: client.description }, 'store.sql.schema.upgraded_from_rasa');
    }
    await tx.query('INSERT INTO parley_schema (component, version) VALUES (?, ?)', [
      COMPONENT,
      TRACKER_SCHEMA_VERSION,
    ]);
  });
}

function createStatements(dialect: SqlDialect, collation: string): string[] {
  const types = columnTypes(dialect, collation);
  const tableOptions = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4' : '';
  return [
    `CREATE TABLE events (
       id ${types.id},
       sender_id ${types.senderId} NOT NULL,
       type_name VARCHAR(255) NOT NULL,
       ${types.timestampColumn} ${types.float},
       intent_name VARCHAR(255),
       action_name VARCHAR(255),
       data ${types.text},
       seq INTEGER NOT NULL
     )${tableOptions}`,
    'CREATE UNIQUE INDEX events_sender_seq ON events (sender_id, seq)',
    conversationsTable(dialect, collation),
  ];
}

function conversationsTable(dialect: SqlDialect, collation: string): string {
  const types = columnTypes(dialect, collation);
  const tableOptions = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4' : '';
  return `CREATE TABLE IF NOT EXISTS parley_conversations (
     sender_id ${types.senderId} PRIMARY KEY,
     event_count INTEGER NOT NULL,
     session_start_seq INTEGER NOT NULL,
     latest_event_time ${types.float}
   )${tableOptions}`;
}

interface ColumnTypes {
  id: string;
  senderId: string;
  float: string;
  text: string;
  timestampColumn: string;
}

function columnTypes(dialect: SqlDialect, collation: string): ColumnTypes {
  switch (dialect) {
    case 'postgresql':
      return {
        id: 'BIGSERIAL PRIMARY KEY',
        senderId: 'VARCHAR(255)',
        float: 'DOUBLE PRECISION',
        text: 'TEXT',
        timestampColumn: 'timestamp',
      };
    case 'mysql':
      // Sender ids compare byte for byte: the default collations would make "Ann" and "ann " one
      // conversation. LONGTEXT because TEXT stops at 64 KiB.
      return {
        id: 'BIGINT AUTO_INCREMENT PRIMARY KEY',
        senderId: `VARCHAR(255) CHARACTER SET utf8mb4 COLLATE ${collation}`,
        float: 'DOUBLE',
        text: 'LONGTEXT',
        timestampColumn: '`timestamp`',
      };
    case 'sqlite':
      return {
        id: 'INTEGER PRIMARY KEY',
        senderId: 'VARCHAR(255)',
        float: 'FLOAT',
        text: 'TEXT',
        timestampColumn: 'timestamp',
      };
  }
}

/** The strictest binary collation the server offers (NO PAD where available). */
async function binaryCollation(client: SqlClient): Promise<string> {
  const rows = await client.query<{ name: string }>(
    `SELECT COLLATION_NAME AS name FROM information_schema.collations
      WHERE COLLATION_NAME IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin')`,
  );
  return rows[0]?.name ?? 'utf8mb4_bin';
}

function assertRasaEventsTable(columns: string[], description: string): void {
  const missing = RASA_EVENT_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length === 0) return;
  const hint = columns.includes('data') && !columns.includes('type_name')
    ? ' It looks like the table of the SQL event broker; give the broker its own database (`db`).'
    : '';
  throw new ParleyError(
    'PARLEY_ERR_STORE_SCHEMA',
    `${description} already has a table "events" that is not a Rasa tracker store table ` +
      `(missing columns: ${missing.join(', ')}).${hint}`,
  );
}

/** Adds `seq` to a table written by Rasa's SQLTrackerStore and builds the conversations table. */
async function upgradeRasaEventsTable(
  tx: SqlExecutor,
  dialect: SqlDialect,
  collation: string,
  hasSeq: boolean,
): Promise<void> {
  if (!hasSeq) {
    await tx.query('ALTER TABLE events ADD COLUMN seq INTEGER');
    // Rasa reads a conversation ordered by timestamp; ids break ties in insertion order.
    const numbered =
      'SELECT id, ROW_NUMBER() OVER (PARTITION BY sender_id ORDER BY timestamp, id) - 1 AS n FROM events';
    await tx.query(
      dialect === 'mysql'
        ? `UPDATE events JOIN (${numbered}) AS numbered ON events.id = numbered.id SET events.seq = numbered.n`
        : `UPDATE events SET seq = numbered.n FROM (${numbered}) AS numbered WHERE events.id = numbered.id`,
    );
    await tx.query('CREATE UNIQUE INDEX events_sender_seq ON events (sender_id, seq)');
  }
  await tx.query(conversationsTable(dialect, collation));
  await tx.query(
    `INSERT INTO parley_conversations (sender_id, event_count, session_start_seq, latest_event_time)
     SELECT sender_id, MAX(seq) + 1,
            COALESCE(MAX(CASE WHEN type_name = 'action' AND action_name = 'action_session_start'
                              THEN seq END), 0),
            MAX(timestamp)
       FROM events
      WHERE sender_id NOT IN (SELECT sender_id FROM parley_conversations)
      GROUP BY sender_id`,
  );
}
