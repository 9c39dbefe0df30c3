/** The `parley` command line: Rasa's commands and flags, for Rasa projects. */
import { Command, CommanderError } from 'commander';
import { PARLEY_VERSION, RASA_COMPATIBLE_VERSION } from '../version.js';
import { describeError, terminalOutput, type CliOutput } from './output.js';
import { registerInit } from './commands/init.js';
import { registerTrain } from './commands/train.js';
import { registerRun } from './commands/run.js';
import { registerData } from './commands/data.js';
import { registerTest } from './commands/test.js';
import { registerShell } from './commands/shell.js';
import { registerExport } from './commands/export.js';

export function buildProgram(output: CliOutput): Command {
  const program = new Command('parley')
    .description('Train and serve Rasa 3.x chat bots, with Rasa\'s channels, on any website.')
    .version(`Parley ${PARLEY_VERSION} (speaks Rasa ${RASA_COMPATIBLE_VERSION} projects and protocols)`, '--version')
    .showHelpAfterError()
    // Lets `parley test` and `parley test core` both take the same flags (commander requires it at the root too).
    .enablePositionalOptions()
    .exitOverride();
  program.configureOutput({ writeErr: (text) => output.info(text.trimEnd()) });
  registerInit(program, output);
  registerTrain(program, output);
  registerRun(program, output);
  registerData(program, output);
  registerTest(program, output);
  registerShell(program, output);
  registerExport(program, output);
  return program;
}

/** Runs the CLI; resolves with the exit code (long-running commands resolve when they stop). */
export async function main(argv: string[], output: CliOutput = terminalOutput()): Promise<void> {
  const program = buildProgram(output);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    output.error(describeError(error));
    process.exitCode = 1;
  }
}
