import { describe, expect, it } from 'vitest';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../../src/observability/metrics.js';

describe('MetricsRegistry', () => {
  it('prints counters with HELP, TYPE and one line per label combination', () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter({ name: 'parley_things_total', help: 'Things.', labelNames: ['channel'] });
    counter.inc({ channel: 'rest' });
    counter.inc({ channel: 'rest' }, 2);
    counter.inc({ channel: 'socketio' });
    expect(registry.render()).toBe(
      '# HELP parley_things_total Things.\n# TYPE parley_things_total counter\n' +
        'parley_things_total{channel="rest"} 3\nparley_things_total{channel="socketio"} 1\n',
    );
    expect(counter.value({ channel: 'rest' })).toBe(3);
  });

  it('escapes backslashes, quotes and newlines in label values and help text', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'odd_total', help: 'a\\b\nc', labelNames: ['route'] }).inc({ route: 'a"b\\c\nd' });
    expect(registry.render()).toContain('# HELP odd_total a\\\\b\\nc\n');
    expect(registry.render()).toContain('odd_total{route="a\\"b\\\\c\\nd"} 1\n');
  });

  it('prints histograms as cumulative buckets with +Inf, sum and count', () => {
    const registry = new MetricsRegistry();
    const histogram = registry.histogram({ name: 'latency_seconds', help: 'L.', buckets: [0.1, 1] });
    histogram.observe(undefined, 0.05);
    histogram.observe(undefined, 0.5);
    histogram.observe(undefined, 5);
    expect(registry.render()).toBe(
      '# HELP latency_seconds L.\n# TYPE latency_seconds histogram\n' +
        'latency_seconds_bucket{le="0.1"} 1\nlatency_seconds_bucket{le="1"} 2\nlatency_seconds_bucket{le="+Inf"} 3\n' +
        'latency_seconds_sum 5.55\nlatency_seconds_count 3\n',
    );
    expect(histogram.count()).toBe(3);
  });

  it('shows metrics without labels as 0 before anything happened', () => {
    const registry = new MetricsRegistry();
    registry.counter({ name: 'calls_total', help: 'C.' });
    registry.histogram({ name: 'call_seconds', help: 'S.', buckets: [1] });
    registry.counter({ name: 'by_channel_total', help: 'B.', labelNames: ['channel'] });
    const text = registry.render();
    expect(text).toContain('calls_total 0\n');
    expect(text).toContain('call_seconds_bucket{le="+Inf"} 0\ncall_seconds_sum 0\ncall_seconds_count 0\n');
    expect(text).not.toContain('by_channel_total{');
  });

  it('reads collected gauges when rendering', () => {
    const registry = new MetricsRegistry();
    let live = 4;
    registry.gauge({ name: 'open_things', help: 'Open.', collect: (gauge) => gauge.set(undefined, live) });
    expect(registry.render()).toContain('open_things 4\n');
    live = 1;
    expect(registry.render()).toContain('open_things 1\n');
  });

  it('refuses invalid names, missing labels, a counter going down and a name registered twice', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter({ name: 'bad-name', help: '' })).toThrow(/metric name/);
    expect(() => registry.counter({ name: 'x_total', help: '', labelNames: ['le'] })).toThrow(/label name/);
    const counter = registry.counter({ name: 'y_total', help: '', labelNames: ['channel'] });
    expect(() => counter.inc({})).toThrow(/needs the label 'channel'/);
    expect(() => counter.inc({ channel: 'rest' }, -1)).toThrow(/only goes up/);
    expect(() => registry.counter({ name: 'y_total', help: '' })).toThrow(/twice/);
    expect(() => registry.histogram({ name: 'h', help: '', buckets: [1, 1] })).toThrow(/increasing/);
  });

  it('names the Prometheus text-format content type', () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
