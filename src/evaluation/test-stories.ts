/** Reads the test stories `parley test core --stories` points at (a file, or a folder of `test_*.yml`). */
import { basename } from 'node:path';
import type { Domain } from '../shared/domain.js';
import type { Story } from '../shared/training-data.js';
import { ParleyError } from '../errors.js';
import { displayPath, exists, isDirectory, listYamlFiles } from '../project/discovery.js';
import { acceptsFormatVersion } from '../project/format-version.js';
import { IssueCollector } from '../project/issues.js';
import { checkSchema } from '../project/schemas/report.js';
import { storiesFileSchema } from '../project/schemas/training-data.js';
import { readStoryFile } from '../project/story-reader.js';
import { isMapping, readYamlFile } from '../project/yaml.js';

const TEST_FILE_PREFIX = 'test_';

/**
 * The stories of `target`. In a folder only files named `test_*.yml` count (as Rasa's test
 * stories); a file named directly is read whatever its name. Slot types come from the model's
 * domain, so `slot_was_set: [name]` gets the value the model was trained with.
 * @throws ProjectFilesError listing every problem with file:line:column
 * @throws ParleyError `PARLEY_ERR_FILE_NOT_FOUND` when `target` does not exist
 */
export async function readTestStories(target: string, domain: Domain, root: string): Promise<Story[]> {
  if (!(await exists(target))) {
    throw new ParleyError('PARLEY_ERR_FILE_NOT_FOUND', `The test stories '${displayPath(root, target)}' do not exist. Point --stories at a file or a folder of test_*.yml files.`);
  }
  const files = (await isDirectory(target))
    ? (await listYamlFiles(target)).filter((file) => basename(file).startsWith(TEST_FILE_PREFIX))
    : [target];
  const slots = new Map(domain.slots.map((slot) => [slot.name, slot]));
  const issues = new IssueCollector();
  const stories: Story[] = [];
  for (const absPath of files) {
    const file = await readYamlFile(absPath, displayPath(root, absPath), issues);
    if (!file || !isMapping(file.data ?? {}) || !('stories' in ((file.data ?? {}) as object))) continue;
    const data = file.data as Record<string, unknown>;
    if (!acceptsFormatVersion(file, data, issues)) continue;
    if (!checkSchema(file, data, storiesFileSchema, issues)) continue;
    const content = readStoryFile(
      file,
      data,
      {
        isTestFile: true,
        slotType: (name) => {
          const slot = slots.get(name);
          return slot ? { type: slot.type, influenceConversation: slot.influenceConversation } : undefined;
        },
      },
      issues,
    );
    stories.push(...content.stories);
  }
  issues.throwIfErrors('the test stories');
  return stories;
}
