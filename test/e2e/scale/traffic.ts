/**
 * Steady REST traffic for the fault tests: several workers, each running moodbot conversations
 * one after another with a new sender each. A turn that fails (an error status, or the empty
 * answer Rasa's REST channel gives when processing failed) is retried until it is answered, as
 * a website client would, so every conversation ends complete.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { restTurn, SCRIPTS, type Turn } from './moodbot-cluster.js';

export interface TurnRecord {
  message: string;
  /** The answer that was finally accepted. */
  replies: string[];
  /** Failed tries before it. */
  failures: number;
}

export interface ConversationRecord {
  sender: string;
  script: Turn[];
  turns: TurnRecord[];
}

export interface Traffic {
  /** Answered turns so far. */
  readonly answered: number;
  /** Failed tries so far. */
  readonly failed: number;
  /** The HTTP status of every failed try (0: no answer at all), each once. */
  readonly failureStatuses: ReadonlySet<number>;
  /** Resolves once `count` turns were answered in total. */
  untilAnswered(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves once `count` tries failed in total. */
  untilFailed(count: number, timeoutMs?: number): Promise<void>;
  /** Lets every worker finish its conversation, then returns them all. */
  stop(): Promise<ConversationRecord[]>;
}

const RETRY_DELAY_MS = 100;
/** A turn still failing after this long means the service did not recover. */
const GIVE_UP_MS = 40_000;

export function startTraffic(url: string, options: { workers: number; senderPrefix: string }): Traffic {
  let answered = 0;
  let failed = 0;
  const failureStatuses = new Set<number>();
  let stopping = false;
  const records: ConversationRecord[] = [];

  const turnUntilAnswered = async (sender: string, turn: Turn): Promise<TurnRecord> => {
    const deadline = Date.now() + GIVE_UP_MS;
    for (let failures = 0; ; failures += 1) {
      const result = await restTurn(url, sender, turn.message).catch((error: Error) => ({
        status: 0,
        replies: [] as string[],
        body: error.message,
      }));
      if (result.status === 200 && result.replies.length > 0) {
        answered += 1;
        return { message: turn.message, replies: result.replies, failures };
      }
      failed += 1;
      failureStatuses.add(result.status);
      if (Date.now() > deadline) {
        throw new Error(`${sender}: "${turn.message}" still failing after ${GIVE_UP_MS} ms (${result.status} ${result.body})`);
      }
      await sleep(RETRY_DELAY_MS);
    }
  };

  const worker = async (workerIndex: number): Promise<void> => {
    for (let conversation = 0; !stopping; conversation += 1) {
      const sender = `${options.senderPrefix}-${workerIndex}-${conversation}`;
      const script = SCRIPTS[(workerIndex + conversation) % SCRIPTS.length];
      const record: ConversationRecord = { sender, script, turns: [] };
      records.push(record);
      for (const turn of script) record.turns.push(await turnUntilAnswered(sender, turn));
    }
  };
  const workers = Array.from({ length: options.workers }, (_, index) => worker(index));
  const finished = Promise.all(workers);
  finished.catch(() => undefined);

  const until = async (reached: () => boolean, what: string, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!reached()) {
      if (Date.now() > deadline) throw new Error(`traffic: ${what} not reached within ${timeoutMs} ms`);
      // A worker that threw has stopped for good: report it instead of waiting.
      await Promise.race([finished, sleep(20)]);
    }
  };

  return {
    get answered() {
      return answered;
    },
    get failed() {
      return failed;
    },
    failureStatuses,
    untilAnswered: (count, timeoutMs = 30_000) => until(() => answered >= count, `${count} answered turns`, timeoutMs),
    untilFailed: (count, timeoutMs = 30_000) => until(() => failed >= count, `${count} failed tries`, timeoutMs),
    stop: async () => {
      stopping = true;
      await finished;
      return records;
    },
  };
}
