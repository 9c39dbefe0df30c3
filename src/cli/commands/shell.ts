/**
 * `parley shell`: chat with a trained model in the terminal. Unlike Rasa's shell, which starts a
 * server and talks REST to it, the bot runs in this process (same model, same processor, same
 * action server), which starts faster and needs no free port.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Button } from '../../shared/events.js';
import type { BotMessage, MessageHandler, OutputChannel } from '../../shared/messages.js';
import type { NluInterpreter } from '../../shared/nlu.js';
import type { Logger } from '../../logger.js';
import type { CliOutput } from '../output.js';

/** What the user types to leave the shell (Ctrl-D works too). */
export const STOP_COMMAND = '/stop';
const PROMPT = 'Your input ->  ';
const NLU_PROMPT = 'Next message:\n';

interface ShellFlags {
  project: string;
  model?: string;
  endpoints?: string;
  senderId?: string;
  conversationId?: string;
}

export function registerShell(program: Command, output: CliOutput): void {
  const shell = program
    .command('shell')
    .description(
      `Chat with the trained model in the terminal. The bot runs inside this process (Rasa's shell talks REST to a server instead); buttons are shown as a numbered menu. Type ${STOP_COMMAND} or press Ctrl-D to quit.`,
    )
    .argument('[model]', 'model archive or folder of archives (default: models/)')
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-m, --model <path>', 'model archive or folder of archives')
    .option('--endpoints <path>', 'endpoints configuration file, for the action server (default: endpoints.yml)')
    .option('--sender-id <id>', 'conversation id to chat as (default: a new random id)')
    .option('--conversation-id <id>', 'the same as --sender-id (Rasa\'s name)')
    // Flags after `nlu` belong to `shell nlu`.
    .enablePositionalOptions()
    .action(async (positionalModel: string | undefined, flags: ShellFlags) => {
      // Loaded when the command runs, so that registering it costs nothing at start-up.
      const [{ loadEndpoints }, { ensureModel }, { loadAgent }, { humanLogger }] = await Promise.all([
        import('../../project/index.js'),
        import('../../runtime/ensure-model.js'),
        import('../../runtime/load-agent.js'),
        import('../human-logger.js'),
      ]);
      const root = resolve(flags.project);
      const logger = humanLogger(output);
      const modelPath = await ensureModel({
        root,
        model: positionalModel ?? flags.model,
        trainIfNeeded: false,
        logger,
        say: (message) => output.info(message),
      });
      const { readModelMetadata } = await import('../../model/model.js');
      if (!(await readModelMetadata(modelPath)).parts.core) {
        // As Rasa: a model trained with `train nlu` has no dialogue to chat with, so its parses are shown.
        output.info(`The model ${modelPath} has no dialogue part (it was trained with \`parley train nlu\`); showing how it parses messages instead.`);
        await startNluShell(modelPath, logger);
        return;
      }
      const endpoints = await loadEndpoints(flags.endpoints ? resolve(flags.endpoints) : resolve(root, 'endpoints.yml'));
      const { agent } = await loadAgent(modelPath, { endpoints: endpoints ?? {}, logger });
      try {
        await runShellSession({
          handler: agent,
          senderId: flags.senderId ?? flags.conversationId ?? randomUUID().replaceAll('-', ''),
          input: process.stdin,
          output: process.stdout,
        });
      } finally {
        await agent.close();
      }
    });
  shell
    .command('nlu')
    .description(`Type messages and see how the NLU model parses them, as the /model/parse JSON. Type ${STOP_COMMAND} or press Ctrl-D to quit.`)
    .argument('[model]', 'model archive or folder of archives (default: models/)')
    .option('--project <dir>', 'project folder (Parley extension; default: the current directory)', '.')
    .option('-m, --model <path>', 'model archive or folder of archives')
    .action(async (positionalModel: string | undefined, flags: { project: string; model?: string }) => {
      const [{ ensureModel }, { humanLogger }] = await Promise.all([import('../../runtime/ensure-model.js'), import('../human-logger.js')]);
      const logger = humanLogger(output);
      const modelPath = await ensureModel({
        root: resolve(flags.project),
        model: positionalModel ?? flags.model,
        trainIfNeeded: false,
        logger,
        say: (message) => output.info(message),
      });
      await startNluShell(modelPath, logger);
    });
}

async function startNluShell(modelPath: string, logger: Logger): Promise<void> {
  const [{ loadModel }, { loadNlu }] = await Promise.all([import('../../model/model.js'), import('../../nlu/index.js')]);
  const model = await loadModel(modelPath);
  const interpreter = loadNlu(model.nlu as Parameters<typeof loadNlu>[0], model.domain, { logger });
  await runNluShellSession({ interpreter, input: process.stdin, output: process.stdout });
}

export interface NluShellSessionOptions {
  interpreter: NluInterpreter;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Reads lines and prints each one's parse (the `/model/parse` JSON) until `/stop` or the end of input. */
export async function runNluShellSession(options: NluShellSessionOptions): Promise<void> {
  const write = (text: string): void => {
    options.output.write(text);
  };
  const lines = createInterface({ input: options.input, terminal: false });
  write(`NLU model loaded. Type a message and press enter to parse it (use '${STOP_COMMAND}' to exit).\n${NLU_PROMPT}`);
  for await (const line of lines) {
    const text = line.trim();
    if (text === STOP_COMMAND) break;
    if (text !== '') write(`${JSON.stringify(options.interpreter.parse(text), null, 2)}\n`);
    write(NLU_PROMPT);
  }
  lines.close();
  write('\n');
}

export interface ShellSessionOptions {
  handler: MessageHandler;
  senderId: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * Reads lines from `input` and sends each as a user message until `/stop` or the end of input.
 * After a message with buttons, typing a button's number sends its payload.
 */
export async function runShellSession(options: ShellSessionOptions): Promise<void> {
  const { output } = options;
  const write = (text: string): void => {
    output.write(text);
  };
  let menu: Button[] = [];
  const channel: OutputChannel = {
    name: 'cmdline',
    sendResponse: async (_recipient, message) => {
      const rendered = renderBotMessage(message);
      write(rendered.text);
      if (rendered.buttons.length > 0) menu = rendered.buttons;
    },
  };
  const lines = createInterface({ input: options.input, terminal: false });
  write(`Bot loaded. Type a message and press enter (use '${STOP_COMMAND}' to exit):\n${PROMPT}`);
  for await (const line of lines) {
    const typed = line.trim();
    if (typed === STOP_COMMAND) break;
    if (typed === '') {
      write(PROMPT);
      continue;
    }
    const text = chosenPayload(typed, menu) ?? typed;
    menu = [];
    await options.handler.handleMessage({ text, senderId: options.senderId, inputChannel: 'cmdline', output: channel });
    write(PROMPT);
  }
  lines.close();
  write('\n');
}

/** A bot message as terminal lines, plus the buttons the next input may choose from. */
export function renderBotMessage(message: BotMessage): { text: string; buttons: Button[] } {
  const lines: string[] = [];
  if (message.text) lines.push(message.text);
  if (message.image) lines.push(`Image: ${message.image}`);
  if (message.attachment !== undefined && message.attachment !== null) {
    lines.push(`Attachment: ${typeof message.attachment === 'string' ? message.attachment : JSON.stringify(message.attachment)}`);
  }
  if (message.elements && message.elements.length > 0) lines.push(`Elements: ${JSON.stringify(message.elements)}`);
  if (message.custom) lines.push(`Custom json: ${JSON.stringify(message.custom)}`);
  const buttons = [...(message.buttons ?? []), ...(message.quick_replies ?? [])];
  buttons.forEach((button, index) => lines.push(`  ${index + 1}: ${button.title}${button.payload ? ` (${button.payload})` : ''}`));
  if (buttons.length > 0) lines.push(`Type a number from 1 to ${buttons.length} to choose, or type a message.`);
  return { text: lines.map((line) => `${line}\n`).join(''), buttons };
}

/** The payload of the button whose number was typed (its title when it has no payload). */
function chosenPayload(typed: string, menu: readonly Button[]): string | null {
  if (!/^\d+$/.test(typed)) return null;
  const button = menu[Number(typed) - 1];
  return button ? (button.payload ?? button.title) : null;
}
