/**
 * `parley run --enable-metrics --rate-limit-sender … --auth-token …`: metrics behind the API
 * token, per-sender 429s with Retry-After, and request ids on the processor's JSON log lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureBot, startCli, type RunningCli } from './helpers.js';

let bot: ReturnType<typeof copyFixtureBot>;
let server: RunningCli;

beforeAll(async () => {
  bot = copyFixtureBot('moodbot');
  server = await startCli(['--enable-metrics', '--rate-limit-sender', '2', '--auth-token', 'metrics-s3cret'], {
    cwd: bot.dir,
    env: { LOG_LEVEL: 'debug' },
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  bot?.remove();
});

function say(sender: string, requestId: string) {
  return fetch(`${server.url}/webhooks/rest/webhook`, {
    method: 'POST',
    headers: { 'x-request-id': requestId },
    body: JSON.stringify({ sender, message: 'hello' }),
  });
}

describe('parley run --enable-metrics --rate-limit-sender', () => {
  it('answers a sender over its limit with 429 and Retry-After, and counts it on /metrics behind the token', async () => {
    expect((await say('e2e-limited', 'e2e-1')).status).toBe(200);
    expect((await say('e2e-limited', 'e2e-2')).status).toBe(200);
    const refused = await say('e2e-limited', 'e2e-3');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 'failure', reason: 'TooManyRequests', code: 429 });

    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${server.url}/metrics?token=metrics-s3cret`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('parley_messages_received_total{channel="rest"} 2\n');
    expect(text).toContain('parley_rate_limited_total{scope="sender"} 1\n');
    expect(text).toContain('parley_http_requests_total{method="POST",route="/webhooks/rest/webhook",status="429"} 1\n');
  });

  it('writes the request id on the processor’s log lines and never the token', async () => {
    const response = await say('e2e-logs', 'e2e-trace-42');
    expect(response.headers.get('x-request-id')).toBe('e2e-trace-42');
    await expect
      .poll(() => server.output().split('\n').some((line) => line.includes('"module":"processor"') && line.includes('"requestId":"e2e-trace-42"')))
      .toBe(true);
    expect(server.output()).not.toContain('metrics-s3cret');
  });
});
