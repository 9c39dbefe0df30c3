import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/core/agent.js';
import { silentLogger } from '../../src/logger.js';
import type { Domain } from '../../src/shared/domain.js';
import { MemoryTrackerStore } from '../../src/stores/memory-tracker-store.js';
import { startActionServer, type ActionServer } from './helpers/action-server.js';
import { domainFromYaml, fixtureDomain } from './helpers/domain.js';
import { CollectingOutput, ruleLikePolicies, scriptedInterpreter } from './helpers/scripted.js';

let moodbot: Domain;
let server: ActionServer;
beforeAll(async () => {
  moodbot = await fixtureDomain('moodbot');
  server = await startActionServer({ action_hello: () => ({ responses: [{ text: 'hello from the server' }] }) });
});
afterAll(async () => {
  await server.close();
});

describe('createAgent', () => {
  it('builds a message handler with in-memory stores by default', async () => {
    const agent = createAgent({
      domain: moodbot,
      interpreter: scriptedInterpreter({ hi: { intent: 'greet' } }),
      policies: ruleLikePolicies(moodbot, { afterIntent: { greet: 'utter_greet' } }),
      modelId: 'model-7',
      assistantId: 'moodbot',
      logger: silentLogger(),
    });
    const output = new CollectingOutput();
    await agent.handleMessage({ text: 'hi', senderId: 'ann', inputChannel: 'rest', output });
    expect(output.texts).toEqual(['Hey! How are you?']);
    expect(agent.trackerStore.type).toBe('in_memory');
    expect(agent.lockStore.type).toBe('in_memory');
    expect(agent.hasPolicies).toBe(true);
    const tracker = await agent.processor.getTracker('ann');
    expect(tracker?.events.every((event) => event.metadata?.model_id === 'model-7' && event.metadata?.assistant_id === 'moodbot')).toBe(true);
    await agent.close();
    expect(await agent.trackerStore.keys()).toEqual([]);
  });

  it('reads the action server from endpoints.yml and uses the stores it is given', async () => {
    const domain = await domainFromYaml('version: "3.1"\nintents: [greet]\nactions: [action_hello]\n');
    const trackerStore = new MemoryTrackerStore();
    const agent = createAgent({
      domain,
      interpreter: scriptedInterpreter({ hi: { intent: 'greet' } }),
      policies: ruleLikePolicies(domain, { afterIntent: { greet: 'action_hello' } }),
      modelId: 'm',
      trackerStore,
      endpoints: { action_endpoint: { url: server.url } },
      logger: silentLogger(),
    });
    const output = new CollectingOutput();
    await agent.handleMessage({ text: 'hi', senderId: 'ann', inputChannel: 'rest', output });
    expect(output.texts).toEqual(['hello from the server']);
    expect(await trackerStore.keys()).toEqual(['ann']);
  });

  it('reports an NLU-only model', () => {
    const agent = createAgent({ domain: moodbot, interpreter: scriptedInterpreter(), policies: null, modelId: 'm', logger: silentLogger() });
    expect(agent.hasPolicies).toBe(false);
  });
});
