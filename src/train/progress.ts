/** Progress events emitted by long work (training, evaluation). */

export interface ProgressEvent {
  /** Machine-readable step, e.g. `nlu:intent-classifier`. */
  stage: string;
  /** Overall completion between 0 and 1. */
  fraction: number;
  /** What is happening, for a person. */
  message: string;
}
