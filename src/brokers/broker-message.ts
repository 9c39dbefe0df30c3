/** The body Rasa publishes for each event: `{"sender_id": …}` followed by the event's JSON. */
import { serializeEvent } from '../core/events.js';
import type { TrackerEvent } from '../shared/events.js';
import type { BrokerMessage } from './types.js';

export function brokerMessage(senderId: string, event: TrackerEvent): BrokerMessage {
  return { senderId, body: JSON.stringify({ sender_id: senderId, ...serializeEvent(event) }) };
}
