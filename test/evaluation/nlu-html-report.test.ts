import { describe, expect, it } from 'vitest';
import { evaluateEntities, evaluateIntents } from '../../src/evaluation/nlu-evaluation.js';
import { confidenceHistogramSvg, renderNluHtmlReport } from '../../src/evaluation/nlu-html-report.js';

describe('renderNluHtmlReport', () => {
  const intents = evaluateIntents([
    { text: 'hi <b>there</b>', target: 'greet', prediction: 'greet', confidence: 0.95 },
    { text: 'bye & thanks', target: 'goodbye', prediction: 'greet', confidence: 0.55 },
  ]);
  const entities = evaluateEntities(
    [{ text: 'to berlin', tokens: [[0, 2], [3, 9]], targets: [{ entity: 'city', value: 'berlin', start: 3, end: 9 }], predictions: [] }],
    ['CRFEntityExtractor'],
  );

  it('renders one self-contained page with score cards, tables, both charts and the wrong predictions', () => {
    const html = renderNluHtmlReport({ title: 'NLU <report>', subtitle: 'model on data', intents, entities, responses: null });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('<title>NLU &#60;report&#62;</title>');
    expect(html).toContain('aria-label="Intent confusion matrix"');
    expect(html).toContain('aria-label="Confidence histogram"');
    expect(html).toContain('Entities: CRFEntityExtractor');
    expect(html).toContain('bye &#38; thanks');
    expect(html).not.toContain('<b>there</b>');
    expect(html).toContain('greet (1)');
  });

  it('says so when nothing could be scored', () => {
    expect(renderNluHtmlReport({ title: 't', subtitle: '', intents: null, entities: {}, responses: null })).toContain('Nothing could be scored');
  });
});

describe('confidenceHistogramSvg', () => {
  it('draws one bar per non-empty bin and series, with the counts in the legend', () => {
    const svg = confidenceHistogramSvg([0.91, 0.93, 0.2], [0.5]);
    expect(svg.match(/<rect [^>]*fill="#0f8a7e"><title>/g)).toHaveLength(2);
    expect(svg.match(/<rect [^>]*fill="#c2402a"><title>/g)).toHaveLength(1);
    expect(svg).toContain('right (3)');
    expect(svg).toContain('wrong (1)');
    expect(svg).toContain('right 0.90–0.95: 2');
  });
});
