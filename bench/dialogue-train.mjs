/**
 * Training time of the dialogue policies alone (`trainPolicies`, in process) for the fixture bots,
 * next to the time to read and validate the same project (`loadProject`), measured interleaved as
 * the in-run reference. Per-message time over a long conversation is `conversation-length.mjs`.
 *
 * Usage: node bench/dialogue-train.mjs [--smoke] [--runs n] [--out dir]
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchArgs } from './lib/args.mjs';
import { FIXTURES } from './lib/projects.mjs';
import { writeResult } from './lib/results.mjs';
import { pairedRatio, spread } from './lib/stats.mjs';
import { silentLogger } from '../dist/logger.js';
import { loadProject } from '../dist/project/index.js';
import { trainPolicies } from '../dist/core/policies/index.js';

const args = benchArgs();
const runs = args.runs ?? (args.smoke ? 1 : 7);
const bots = args.smoke ? ['moodbot'] : ['moodbot', 'formbot'];

async function seconds(task) {
  const start = performance.now();
  await task();
  return (performance.now() - start) / 1000;
}

const projects = [];
for (const bot of bots) {
  const root = join(FIXTURES, 'bots', bot);
  const { project } = await loadProject(root);
  const input = {
    domain: project.domain,
    stories: project.training.stories,
    rules: project.training.rules,
    policies: project.config.policies,
  };
  const training = [];
  const loading = [];
  for (let run = 0; run < runs; run += 1) {
    loading.push(await seconds(() => loadProject(root)));
    training.push(await seconds(() => trainPolicies(input, { logger: silentLogger() })));
  }
  const policies = (project.config.policies ?? []).map((policy) => policy.name);
  projects.push({
    project: bot,
    stories: input.stories.length,
    rules: input.rules.length,
    policies: policies.length > 0 ? policies : ['(Rasa defaults)'],
    trainSeconds: spread(training),
    loadProjectSeconds: spread(loading),
    ratioToLoadProject: pairedRatio(training, loading),
  });
  console.log(`dialogue-train: ${bot}: policies ${spread(training).median.toFixed(3)} s (project load ${spread(loading).median.toFixed(3)} s)`);
}

writeResult(args.out, 'dialogue-train', { setup: { runs }, projects });
