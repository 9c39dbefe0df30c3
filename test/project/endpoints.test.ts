import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEndpoints, ProjectFilesError } from '../../src/project/index.js';
import { removeProjects, writeProject } from './helpers.js';

afterAll(removeProjects);

describe('loadEndpoints', () => {
  it('reads each endpoint with its options, expanding ${VAR} and reading flags as booleans', async () => {
    const root = writeProject({
      'endpoints.yml': [
        'action_endpoint:',
        '  url: "http://${ACTION_HOST}:5055/webhook"',
        'tracker_store:',
        '  type: redis',
        '  url: localhost',
        '  port: 6379',
        '  use_ssl: ${REDIS_SSL}',
        'models:',
        '',
      ].join('\n'),
    });
    expect(await loadEndpoints(path.join(root, 'endpoints.yml'), { env: { ACTION_HOST: 'actions', REDIS_SSL: 'false' } })).toEqual({
      action_endpoint: { url: 'http://actions:5055/webhook' },
      tracker_store: { type: 'redis', url: 'localhost', port: 6379, use_ssl: false },
      models: null,
    });
  });

  it('returns an empty mapping for a file with only comments, and null for no file', async () => {
    const root = writeProject({ 'endpoints.yml': '# action_endpoint:\n#   url: http://localhost:5055/webhook\n' });
    expect(await loadEndpoints(path.join(root, 'endpoints.yml'))).toEqual({});
    expect(await loadEndpoints(path.join(root, 'missing.yml'))).toBeNull();
  });

  it('reports a syntax error with its location', async () => {
    const root = writeProject({ 'endpoints.yml': 'action_endpoint:\n  url: http://x\n url: y\n' });
    const error = (await loadEndpoints(path.join(root, 'endpoints.yml'), { displayPath: 'endpoints.yml' }).catch(
      (thrown: unknown) => thrown,
    )) as ProjectFilesError;
    expect(error).toBeInstanceOf(ProjectFilesError);
    expect(error.code).toBe('PARLEY_ERR_YAML_SYNTAX');
    expect(error.message).toMatch(/endpoints\.yml:3:\d+: Invalid YAML/);
  });
});
