/**
 * `nlu_report.html` (a Parley addition next to Rasa's JSON files): one self-contained page with
 * the headline scores, per-label tables, confusion matrices and confidence histograms (inline SVG,
 * what Rasa draws into PNG files), and the wrongly predicted examples.
 */
import type { ClassificationReport, LabelScores } from './classification-report.js';
import { confusionMatrixSvgOf, escapeHtml } from './html-report.js';
import type { EntityEvaluation, IntentEvaluation, LabelEvaluation, ResponseEvaluation } from './nlu-evaluation.js';

export interface NluHtmlReportInput {
  title: string;
  /** What was evaluated, e.g. "models/nlu-2024.tar.gz on data/test.yml (120 examples)". */
  subtitle: string;
  intents: IntentEvaluation | null;
  entities: Record<string, EntityEvaluation>;
  responses: ResponseEvaluation | null;
  /** Cross-validation: mean and standard deviation per metric over the folds. */
  folds?: { count: number; rows: Array<{ part: string; set: string; metric: string; mean: number; std: number }> };
}

/** How many wrong examples the page lists per section (the JSON files have all of them). */
const LISTED_ERRORS = 50;
const HIT_COLOUR = '#0f8a7e';
const MISS_COLOUR = '#c2402a';

export function renderNluHtmlReport(input: NluHtmlReportInput): string {
  const cards: string[] = [];
  const sections: string[] = [];
  if (input.intents) {
    cards.push(card('Intent accuracy', input.intents.accuracy), card('Intent F1 (weighted)', input.intents.f1_score));
    sections.push(
      section('intents', 'Intents', input.intents, 'Intent confusion matrix', errorTable(
        ['Text', 'Expected', 'Predicted', 'Confidence'],
        input.intents.errors
          .slice()
          .sort((a, b) => (b.intent_prediction.confidence ?? 0) - (a.intent_prediction.confidence ?? 0))
          .map((error) => [error.text, error.intent, error.intent_prediction.name || '(none)', formatConfidence(error.intent_prediction.confidence)].map(escapeHtml)),
        input.intents.errors.length,
      )),
    );
  }
  for (const [extractor, evaluation] of Object.entries(input.entities)) {
    if (Object.keys(evaluation.report).length === 0) {
      sections.push(
        `<section id="entities-${escapeHtml(extractor)}"><h2>Entities: ${escapeHtml(extractor)}</h2><p>No entity is annotated in the test data or found by ${escapeHtml(extractor)}: nothing to score.</p></section>`,
      );
      continue;
    }
    cards.push(card(`${extractor} entity F1`, evaluation.f1_score));
    sections.push(
      section(`entities-${extractor}`, `Entities: ${extractor}`, evaluation, `${extractor} entity confusion matrix (token labels)`, errorTable(
        ['Text', 'Annotated', 'Predicted'],
        evaluation.errors.map((error) => [escapeHtml(error.text), entityList(error.text, error.entities), entityList(error.text, error.predicted_entities)]),
        evaluation.errors.length,
      ), 'Scores are per token, as in Rasa: each token is labelled with the entity covering it; tokens outside every entity (no_entity) are left out of the table.'),
    );
  }
  if (input.responses) {
    cards.push(card('Response accuracy', input.responses.accuracy));
    sections.push(
      section('responses', 'Response selection', input.responses, 'Response selection confusion matrix', errorTable(
        ['Text', 'Expected', 'Predicted', 'Confidence'],
        input.responses.errors.map((error) => [
          error.text,
          error.intent_response_key_target,
          error.intent_response_key_prediction.name || '(none)',
          formatConfidence(error.intent_response_key_prediction.confidence),
        ].map(escapeHtml)),
        input.responses.errors.length,
      )),
    );
  }
  const folds = input.folds ? foldTable(input.folds) : '';
  const nav = sections.length > 1 ? `<nav>${[...sectionLinks(input)].join('')}</nav>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>
:root { color-scheme: light; --ink: #1d1d1f; --muted: #6e6e73; --line: #e3e3e8; --panel: #f6f7f9; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: var(--ink); background: #fff; }
header { background: linear-gradient(120deg, #1f3a5f, #2f6f8f); color: #fff; padding: 1.75rem 2rem 1.5rem; }
header h1 { margin: 0 0 0.25rem; font-size: 1.6rem; font-weight: 650; }
header p { margin: 0; opacity: 0.85; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
nav { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0 0 1rem; }
nav a { text-decoration: none; color: #1f3a5f; background: var(--panel); border: 1px solid var(--line); border-radius: 999px; padding: 0.2rem 0.8rem; font-size: 0.9rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 0.9rem; margin-bottom: 1.5rem; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 0.8rem 1rem; }
.card .label { color: var(--muted); font-size: 0.85rem; }
.card .value { font-size: 1.7rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.bar { height: 6px; background: var(--line); border-radius: 3px; margin-top: 0.35rem; overflow: hidden; }
.bar span { display: block; height: 100%; background: ${HIT_COLOUR}; }
section { border-top: 1px solid var(--line); padding-top: 1.25rem; margin-top: 1.75rem; }
h2 { font-size: 1.3rem; margin: 0 0 0.75rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 0.5rem; color: #333; }
.note { color: var(--muted); font-size: 0.9rem; margin-top: -0.25rem; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.chart { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.75rem; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
thead th { font-weight: 600; color: var(--muted); font-size: 0.85rem; border-bottom: 2px solid var(--line); }
th[scope="row"] { text-align: left; font-weight: normal; font-family: ui-monospace, SFMono-Regular, monospace; }
tr.avg th, tr.avg td { font-weight: 650; background: var(--panel); }
td.text { text-align: left; max-width: 520px; }
td.label { text-align: left; font-family: ui-monospace, SFMono-Regular, monospace; font-size: 0.9rem; }
td.low { color: ${MISS_COLOUR}; }
svg text { font: 11px ui-monospace, SFMono-Regular, monospace; }
mark { background: #fff1c2; border-radius: 3px; padding: 0 2px; }
mark small { color: var(--muted); }
</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1><p>${escapeHtml(input.subtitle)}</p></header>
<main>
${nav}
<div class="cards">${cards.join('')}</div>
${folds}
${sections.length > 0 ? sections.join('\n') : '<p>Nothing could be scored: the model has no intent classifier, entity extractor or response selector that the test data exercises.</p>'}
</main>
</body>
</html>
`;
}

function* sectionLinks(input: NluHtmlReportInput): Generator<string> {
  if (input.intents) yield '<a href="#intents">Intents</a>';
  for (const extractor of Object.keys(input.entities)) yield `<a href="#entities-${escapeHtml(extractor)}">${escapeHtml(extractor)}</a>`;
  if (input.responses) yield '<a href="#responses">Response selection</a>';
}

function card(label: string, value: number): string {
  const percent = Math.round(Math.min(Math.max(value, 0), 1) * 100);
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${value.toFixed(3)}</div><div class="bar"><span style="width:${percent}%"></span></div></div>`;
}

function section(id: string, heading: string, evaluation: LabelEvaluation, matrixTitle: string, errors: string, note?: string): string {
  return `<section id="${escapeHtml(id)}">
<h2>${escapeHtml(heading)}</h2>
${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}
<p>Accuracy <strong>${evaluation.accuracy.toFixed(3)}</strong> · precision <strong>${evaluation.precision.toFixed(3)}</strong> · F1 <strong>${evaluation.f1_score.toFixed(3)}</strong> (weighted averages)</p>
${scoreTable(evaluation.report)}
<div class="charts">
<div class="chart"><h3>${escapeHtml(matrixTitle)}</h3><p class="note">Rows: expected. Columns: predicted.</p>${confusionMatrixSvgOf(evaluation.matrix, matrixTitle)}</div>
<div class="chart"><h3>Confidence of right and wrong predictions</h3>${confidenceHistogramSvg(evaluation.confidences.correct, evaluation.confidences.wrong)}</div>
</div>
<h3>Wrong predictions</h3>
${errors}
</section>`;
}

function scoreTable(report: ClassificationReport): string {
  const entries = Object.entries(report).filter((entry): entry is [string, LabelScores & { confused_with?: Record<string, number> }] => typeof entry[1] === 'object');
  const rows = entries.map(([label, scores]) => {
    const summary = label.endsWith(' avg');
    const confused = Object.entries(scores.confused_with ?? {})
      .map(([other, count]) => `${escapeHtml(other)} (${count})`)
      .join(', ');
    const cells = [scores.precision, scores.recall, scores['f1-score']]
      .map((value) => `<td${!summary && value < 0.5 ? ' class="low"' : ''}>${value.toFixed(3)}</td>`)
      .join('');
    return `<tr${summary ? ' class="avg"' : ''}><th scope="row">${escapeHtml(label)}</th>${cells}<td>${scores.support}</td><td class="label">${confused}</td></tr>`;
  });
  return `<table>
<thead><tr><th scope="col">label</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">f1-score</th><th scope="col">support</th><th scope="col" style="text-align:left">confused with</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** `rows` hold HTML (escaped by the caller). */
function errorTable(headings: string[], rows: string[][], total: number): string {
  if (total === 0) return '<p>None: every example was predicted correctly.</p>';
  const shown = rows.slice(0, LISTED_ERRORS).map(
    (cells) => `<tr>${cells.map((cell, index) => `<td class="${index === 0 ? 'text' : 'label'}">${cell}</td>`).join('')}</tr>`,
  );
  const more = total > LISTED_ERRORS ? `<p class="note">The first ${LISTED_ERRORS} of ${total}; the JSON errors file lists them all.</p>` : '';
  return `<table><thead><tr>${headings.map((heading) => `<th scope="col" style="text-align:left">${escapeHtml(heading)}</th>`).join('')}</tr></thead>
<tbody>
${shown.join('\n')}
</tbody></table>${more}`;
}

/** Entities as highlighted surface texts with their type (HTML, already escaped). */
function entityList(text: string, entities: ReadonlyArray<{ entity: string; start?: number; end?: number; value?: unknown }>): string {
  if (entities.length === 0) return '<span>—</span>';
  return entities
    .map((entity) => {
      const surface = typeof entity.start === 'number' && typeof entity.end === 'number' ? text.slice(entity.start, entity.end) : String(entity.value);
      return `<mark>${escapeHtml(surface)} <small>${escapeHtml(entity.entity)}</small></mark>`;
    })
    .join(' ');
}

function foldTable(folds: NonNullable<NluHtmlReportInput['folds']>): string {
  const rows = folds.rows.map(
    (row) => `<tr><th scope="row">${escapeHtml(row.part)}</th><td class="label">${escapeHtml(row.set)}</td><td class="label">${escapeHtml(row.metric)}</td><td>${row.mean.toFixed(3)}</td><td>${row.std.toFixed(3)}</td></tr>`,
  );
  return `<section id="folds"><h2>Cross-validation (${folds.count} folds)</h2>
<p class="note">Mean and standard deviation over the folds. The sections below score the predictions of every test fold together.</p>
<table><thead><tr><th scope="col">part</th><th scope="col" style="text-align:left">set</th><th scope="col" style="text-align:left">metric</th><th scope="col">mean</th><th scope="col">std</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

/** Two bar series over 20 confidence bins of 0.05 (Rasa's bins): right predictions and wrong ones. */
export function confidenceHistogramSvg(correct: readonly number[], wrong: readonly number[]): string {
  const bins = 20;
  const count = (values: readonly number[]): number[] => {
    const counts = new Array<number>(bins).fill(0);
    for (const value of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(value * bins)))] += 1;
    return counts;
  };
  const hits = count(correct);
  const misses = count(wrong);
  const highest = Math.max(1, ...hits, ...misses);
  // Gridlines at 1, 2 or 5 times a power of ten, about five of them; the axis ends on one.
  const rough = Math.max(1, highest / 5);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? rough;
  const max = Math.ceil(highest / step) * step;
  const width = 520;
  const height = 260;
  const left = 44;
  const bottom = 36;
  const top = 28;
  const plotWidth = width - left - 12;
  const plotHeight = height - top - bottom;
  const binWidth = plotWidth / bins;
  const y = (value: number): number => top + plotHeight - (value / max) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= max; tick += step) {
    parts.push(`<line x1="${left}" x2="${width - 12}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e3e3e8"/>`);
    parts.push(`<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
  }
  for (let bin = 0; bin < bins; bin += 1) {
    const x = left + bin * binWidth;
    const bar = (value: number, offset: number, colour: string, label: string): void => {
      if (value === 0) return;
      parts.push(
        `<rect x="${(x + offset).toFixed(1)}" y="${y(value).toFixed(1)}" width="${(binWidth / 2 - 1).toFixed(1)}" height="${(top + plotHeight - y(value)).toFixed(1)}" fill="${colour}"><title>${label} ${(bin / bins).toFixed(2)}–${((bin + 1) / bins).toFixed(2)}: ${value}</title></rect>`,
      );
    };
    bar(hits[bin], 1, HIT_COLOUR, 'right');
    bar(misses[bin], binWidth / 2, MISS_COLOUR, 'wrong');
    if (bin % 4 === 0) parts.push(`<text x="${x}" y="${top + plotHeight + 16}" text-anchor="middle">${(bin / bins).toFixed(1)}</text>`);
  }
  parts.push(`<text x="${left + plotWidth}" y="${top + plotHeight + 16}" text-anchor="middle">1.0</text>`);
  parts.push(`<line x1="${left}" x2="${width - 12}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="#888"/>`);
  parts.push(`<text x="${left + plotWidth / 2}" y="${height - 4}" text-anchor="middle">confidence</text>`);
  parts.push(`<rect x="${left}" y="6" width="10" height="10" fill="${HIT_COLOUR}"/><text x="${left + 14}" y="15">right (${correct.length})</text>`);
  parts.push(`<rect x="${left + 120}" y="6" width="10" height="10" fill="${MISS_COLOUR}"/><text x="${left + 134}" y="15">wrong (${wrong.length})</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Confidence histogram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
${parts.join('\n')}
</svg>`;
}

function formatConfidence(confidence: number | null): string {
  return confidence === null ? '—' : confidence.toFixed(3);
}
