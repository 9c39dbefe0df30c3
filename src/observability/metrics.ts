/**
 * A small metrics registry with Prometheus' text exposition format (version 0.0.4): counters,
 * gauges (set directly or read when scraped) and histograms, each with a fixed set of label
 * names. No module state: every server builds its own registry.
 */

/** The content type Prometheus expects for the text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values by label name; every declared label must be given. */
export type Labels = Readonly<Record<string, string>>;

interface MetricDefinition {
  /** Prometheus metric name, e.g. `parley_messages_received_total`. */
  name: string;
  help: string;
  /** @default [] */
  labelNames?: readonly string[];
}

/** Something the registry can print. */
interface Exposable {
  readonly name: string;
  render(): string;
}

/** Backslash, double quote and newline are the characters the format escapes in label values. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Numbers as Prometheus writes them (`+Inf`, `NaN`). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((name, index) => `${name}="${escapeLabelValue(values[index])}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function header(definition: MetricDefinition, type: string): string {
  return `# HELP ${definition.name} ${escapeHelp(definition.help)}\n# TYPE ${definition.name} ${type}\n`;
}

function checkDefinition(definition: MetricDefinition): readonly string[] {
  if (!METRIC_NAME.test(definition.name)) throw new TypeError(`'${definition.name}' is not a valid Prometheus metric name.`);
  const labelNames = definition.labelNames ?? [];
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le') {
      throw new TypeError(`'${label}' is not a usable label name for the metric '${definition.name}'.`);
    }
  }
  return labelNames;
}

/** A series per distinct label-value combination, keyed by the values joined with a separator no value contains. */
class Series<T> {
  readonly #labelNames: readonly string[];
  readonly #metric: string;
  readonly #byKey = new Map<string, { values: string[]; state: T }>();

  constructor(metric: string, labelNames: readonly string[]) {
    this.#metric = metric;
    this.#labelNames = labelNames;
  }

  get(labels: Labels | undefined, create: () => T): T {
    const values = this.#labelNames.map((name) => {
      const value = labels?.[name];
      if (value === undefined) throw new TypeError(`The metric '${this.#metric}' needs the label '${name}'.`);
      return value;
    });
    const key = values.join('\u0000');
    let entry = this.#byKey.get(key);
    if (!entry) {
      entry = { values, state: create() };
      this.#byKey.set(key, entry);
    }
    return entry.state;
  }

  entries(): Iterable<{ values: string[]; state: T }> {
    return this.#byKey.values();
  }
}

/** A value that only goes up (requests served, errors seen). */
export class Counter implements Exposable {
  readonly name: string;
  readonly #definition: MetricDefinition;
  readonly #labelNames: readonly string[];
  readonly #series: Series<{ value: number }>;

  constructor(definition: MetricDefinition) {
    this.#labelNames = checkDefinition(definition);
    this.#definition = definition;
    this.name = definition.name;
    this.#series = new Series(definition.name, this.#labelNames);
    // A metric without labels has one series, shown as 0 before anything happens.
    if (this.#labelNames.length === 0) this.inc(undefined, 0);
  }

  /** Adds `amount` (default 1; must not be negative). */
  inc(labels?: Labels, amount = 1): void {
    if (!(amount >= 0)) throw new RangeError(`A counter only goes up; '${this.name}' was given ${amount}.`);
    this.#series.get(labels, () => ({ value: 0 })).value += amount;
  }

  /** The current value of one series (0 when it was never incremented). */
  value(labels?: Labels): number {
    return this.#series.get(labels, () => ({ value: 0 })).value;
  }

  render(): string {
    let text = header(this.#definition, 'counter');
    for (const { values, state } of this.#series.entries()) {
      text += `${this.name}${formatLabels(this.#labelNames, values)} ${formatValue(state.value)}\n`;
    }
    return text;
  }
}

/** A value that goes up and down; `collect` (if given) sets it just before each scrape. */
export class Gauge implements Exposable {
  readonly name: string;
  readonly #definition: MetricDefinition;
  readonly #labelNames: readonly string[];
  readonly #series: Series<{ value: number }>;
  readonly #collect: ((gauge: Gauge) => void) | undefined;

  constructor(definition: MetricDefinition & { collect?: (gauge: Gauge) => void }) {
    this.#labelNames = checkDefinition(definition);
    this.#definition = definition;
    this.name = definition.name;
    this.#series = new Series(definition.name, this.#labelNames);
    this.#collect = definition.collect;
  }

  set(labels: Labels | undefined, value: number): void {
    this.#series.get(labels, () => ({ value: 0 })).value = value;
  }

  inc(labels?: Labels, amount = 1): void {
    this.#series.get(labels, () => ({ value: 0 })).value += amount;
  }

  dec(labels?: Labels, amount = 1): void {
    this.inc(labels, -amount);
  }

  value(labels?: Labels): number {
    return this.#series.get(labels, () => ({ value: 0 })).value;
  }

  render(): string {
    this.#collect?.(this);
    let text = header(this.#definition, 'gauge');
    for (const { values, state } of this.#series.entries()) {
      text += `${this.name}${formatLabels(this.#labelNames, values)} ${formatValue(state.value)}\n`;
    }
    return text;
  }
}

/** Upper bounds in seconds suited to message handling and outbound calls (5 ms … 30 s). */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
]);

interface HistogramState {
  /** Observations per bucket (not cumulative); the last slot is `+Inf`. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** Observations sorted into cumulative buckets, with their sum and count. */
export class Histogram implements Exposable {
  readonly name: string;
  readonly #definition: MetricDefinition;
  readonly #labelNames: readonly string[];
  readonly #buckets: readonly number[];
  readonly #series: Series<HistogramState>;

  constructor(definition: MetricDefinition & { buckets?: readonly number[] }) {
    this.#labelNames = checkDefinition(definition);
    this.#definition = definition;
    this.name = definition.name;
    const buckets = [...(definition.buckets ?? LATENCY_BUCKETS_SECONDS)];
    if (buckets.length === 0 || buckets.some((bound, index) => !Number.isFinite(bound) || (index > 0 && bound <= buckets[index - 1]))) {
      throw new TypeError(`The buckets of '${definition.name}' must be finite and increasing.`);
    }
    this.#buckets = buckets;
    this.#series = new Series(definition.name, this.#labelNames);
    if (this.#labelNames.length === 0) this.count();
  }

  observe(labels: Labels | undefined, value: number): void {
    const state = this.#series.get(labels, () => ({ counts: new Float64Array(this.#buckets.length + 1), sum: 0, count: 0 }));
    let slot = this.#buckets.findIndex((bound) => value <= bound);
    if (slot === -1) slot = this.#buckets.length;
    state.counts[slot] += 1;
    state.sum += value;
    state.count += 1;
  }

  /** Observations of one series so far. */
  count(labels?: Labels): number {
    return this.#series.get(labels, () => ({ counts: new Float64Array(this.#buckets.length + 1), sum: 0, count: 0 })).count;
  }

  render(): string {
    let text = header(this.#definition, 'histogram');
    for (const { values, state } of this.#series.entries()) {
      let cumulative = 0;
      for (let index = 0; index <= this.#buckets.length; index += 1) {
        cumulative += state.counts[index];
        const bound = index < this.#buckets.length ? formatValue(this.#buckets[index]) : '+Inf';
        text += `${this.name}_bucket${formatLabels(this.#labelNames, values, `le="${bound}"`)} ${cumulative}\n`;
      }
      const labels = formatLabels(this.#labelNames, values);
      text += `${this.name}_sum${labels} ${formatValue(state.sum)}\n`;
      text += `${this.name}_count${labels} ${state.count}\n`;
    }
    return text;
  }
}

/** The metrics of one server, printed together on `/metrics`. */
export class MetricsRegistry {
  readonly #metrics = new Map<string, Exposable>();

  #add<T extends Exposable>(metric: T): T {
    if (this.#metrics.has(metric.name)) throw new TypeError(`The metric '${metric.name}' is registered twice.`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }

  counter(definition: MetricDefinition): Counter {
    return this.#add(new Counter(definition));
  }

  gauge(definition: MetricDefinition & { collect?: (gauge: Gauge) => void }): Gauge {
    return this.#add(new Gauge(definition));
  }

  histogram(definition: MetricDefinition & { buckets?: readonly number[] }): Histogram {
    return this.#add(new Histogram(definition));
  }

  /** Every metric in the text exposition format, in registration order. */
  render(): string {
    let text = '';
    for (const metric of this.#metrics.values()) text += metric.render();
    return text;
  }
}
