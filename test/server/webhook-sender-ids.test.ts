import { afterEach, describe, expect, it } from 'vitest';
import { closeApis, startApi } from '../api/helpers/api-server.js';

afterEach(closeApis);

describe('sender ids of odd shapes on the REST webhook', () => {
  it('answers each as its own conversation and stores it under exactly that id', async () => {
    const api = await startApi();
    const senders = ['x'.repeat(2048), 'ü-ß-😀', '../../etc/passwd', '..', 'line\nbreak\u0000nul', ' spaced ', 'a/b?c#d'];
    for (const sender of senders) {
      const response = await api.server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender, message: 'hello' } });
      expect(response.statusCode, JSON.stringify(sender.slice(0, 20))).toBe(200);
      const replies = response.json() as Array<{ recipient_id: string }>;
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.every((reply) => reply.recipient_id === sender)).toBe(true);
    }
    expect((await api.holder.trackerStore.keys()).sort()).toEqual([...senders].sort());
  });

  it('refuses a sender over 2,048 characters with 400 and stores nothing for it', async () => {
    const api = await startApi();
    const response = await api.server.app.inject({ method: 'POST', url: '/webhooks/rest/webhook', payload: { sender: 'x'.repeat(10_000), message: 'hello' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('at most 2048');
    expect(await api.holder.trackerStore.keys()).toEqual([]);
  });
});
