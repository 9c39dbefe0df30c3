/** Types of nlu-examples.mjs (for the tests, which are TypeScript). */
export interface NluEntitySpan {
  entity: string;
  value: string;
  start: number;
  end: number;
}
export interface NluExample {
  intent: string;
  text: string;
  entities: NluEntitySpan[];
}
export function readNluExamples(path: string): NluExample[];
export function parseAnnotated(annotated: string): { text: string; entities: NluEntitySpan[] };
export function annotate(example: { text: string; entities: readonly NluEntitySpan[] }): string;
export function writeNluOnlyProject(root: string, examples: readonly NluExample[], options?: { entities?: readonly string[] }): string;
export function entitiesOf(examples: readonly { entities: readonly NluEntitySpan[] }[]): string[];
