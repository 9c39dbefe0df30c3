/**
 * `story_report.html`: one self-contained page (no scripts, no external files) with the summary,
 * the per-label table of `story_report.json`, the action confusion matrix as inline SVG (what
 * Rasa draws into `story_confusion_matrix.png`) and the list of failed stories.
 */
import { escapeHtml } from '../server/html-page.js';
import { confusionMatrix, type ClassificationReport, type ConfusionMatrix, type LabelScores } from './classification-report.js';

/** Text made safe for HTML and SVG (the report modules import it from here). */
export { escapeHtml };

export interface HtmlReportInput {
  title: string;
  report: ClassificationReport;
  stories: { total: number; failed: Array<{ name: string; where: string | null }> };
  actionAccuracy: number;
  actionTargets: readonly string[];
  actionPredictions: readonly string[];
}

/** Renders the report page; every text from the project is escaped. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const passed = input.stories.total - input.stories.failed.length;
  const rows = Object.entries(input.report)
    .filter((entry): entry is [string, LabelScores] => typeof entry[1] === 'object')
    .map(([label, scores]) => {
      const summary = label.endsWith(' avg');
      return `<tr${summary ? ' class="avg"' : ''}><th scope="row">${escapeHtml(label)}</th>${[scores.precision, scores.recall, scores['f1-score']]
        .map((value) => `<td>${value.toFixed(3)}</td>`)
        .join('')}<td>${scores.support}</td></tr>`;
    })
    .join('\n');
  const failed =
    input.stories.failed.length === 0
      ? '<p>None of the test stories failed.</p>'
      : `<ul>${input.stories.failed.map((story) => `<li>${escapeHtml(story.name)}${story.where ? ` <code>${escapeHtml(story.where)}</code>` : ''}</li>`).join('')}</ul>
<p>The wrong predictions are marked in <code>failed_test_stories.yml</code>.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; text-align: right; }
th[scope="row"] { text-align: left; font-weight: normal; font-family: ui-monospace, monospace; }
tr.avg th, tr.avg td { font-weight: bold; }
.summary span { display: inline-block; margin-right: 2rem; }
svg text { font: 11px ui-monospace, monospace; }
</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="summary"><span>Stories passed: <strong>${passed} / ${input.stories.total}</strong></span><span>Action accuracy: <strong>${input.actionAccuracy.toFixed(3)}</strong></span></p>
<h2>Failed stories</h2>
${failed}
<h2>Per label</h2>
<table>
<thead><tr><th scope="col">label</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">f1-score</th><th scope="col">support</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Action confusion matrix</h2>
<p>Rows: the action the story expects. Columns: the action the model predicted.</p>
${confusionMatrixSvg(input.actionTargets, input.actionPredictions)}
</body>
</html>
`;
}

/** The confusion matrix of actions as an SVG, labels sorted, darker cells for higher counts. */
export function confusionMatrixSvg(targets: readonly string[], predictions: readonly string[]): string {
  return confusionMatrixSvgOf(confusionMatrix(targets, predictions), 'Action confusion matrix');
}

/** Any confusion matrix as an SVG: rows are targets, columns predictions, darker cells for higher counts. */
export function confusionMatrixSvgOf(matrix: ConfusionMatrix, title: string): string {
  const { counts } = matrix;
  // An empty label is "no prediction" (the NLU predicted no intent).
  const labels = matrix.labels.map((label) => (label === '' ? '(none)' : label));
  const max = Math.max(1, ...counts.flat());
  const cell = 28;
  const margin = 8 + 7 * Math.max(1, ...labels.map((label) => label.length));
  const size = margin + cell * labels.length + 8;
  const parts: string[] = [];
  labels.forEach((label, row) => {
    const y = margin + row * cell;
    parts.push(`<text x="${margin - 6}" y="${y + cell / 2 + 4}" text-anchor="end">${escapeHtml(label)}</text>`);
    parts.push(
      `<text transform="translate(${margin + row * cell + cell / 2 + 4},${margin - 6}) rotate(-90)">${escapeHtml(label)}</text>`,
    );
    counts[row].forEach((count, column) => {
      const x = margin + column * cell;
      // A log scale (as Rasa's plots), so that one dominant cell does not wash out the confusions.
      const shade = count === 0 ? 1 : 0.92 - 0.75 * (Math.log1p(count) / Math.log1p(max));
      const fill = `hsl(215, 70%, ${Math.round(shade * 100)}%)`;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"><title>${escapeHtml(label)} → ${escapeHtml(labels[column])}: ${count}</title></rect>`);
      if (count > 0) {
        parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" fill="${shade < 0.5 ? '#fff' : '#000'}">${count}</text>`);
      }
    });
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
${parts.join('\n')}
</svg>`;
}
