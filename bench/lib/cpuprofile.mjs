/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`): top functions by self time, and a flame
 * graph as a self-contained SVG (stacks merged by frame, width = time, root at the bottom).
 */

function frameName(callFrame) {
  const name = callFrame.functionName || '(anonymous)';
  if (!callFrame.url) return name;
  const file = callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/(dist|bench)\//, '$1/');
  return `${name} ${file}:${callFrame.lineNumber + 1}`;
}

/** Self time per node id in ms, from the sample list and its time deltas. */
function selfTimes(profile) {
  const self = new Map();
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  return self;
}

/** The `limit` functions with the most self time (ms and share of all samples). */
export function topSelfTime(profile, limit = 25) {
  const self = selfTimes(profile);
  const byFrame = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    total += ms;
    const key = frameName(node.callFrame);
    byFrame.set(key, (byFrame.get(key) ?? 0) + ms);
  }
  return {
    totalMs: total,
    functions: [...byFrame.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ name, selfMs: ms, share: ms / total })),
  };
}

/** Merge the profile's node tree by frame name: { name, total, children: Map }. */
function mergedTree(profile) {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const rootNode = profile.nodes[0];
  const build = (node, into) => {
    into.total += self.get(node.id) ?? 0;
    for (const childId of node.children ?? []) {
      const child = byId.get(childId);
      const name = frameName(child.callFrame);
      if (!into.children.has(name)) into.children.set(name, { name, total: 0, children: new Map() });
      build(child, into.children.get(name));
    }
  };
  const root = { name: 'all', total: 0, children: new Map() };
  build(rootNode, root);
  const sum = (node) => {
    for (const child of node.children.values()) node.total += sum(child);
    return node.total;
  };
  // `build` added only self time; totals are self plus descendants.
  sum(root);
  return root;
}

function escapeXml(text) {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]);
}

/** Warm colours for our code and dependencies, grey for V8/Node internals (stable per name). */
function colour(name) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const jitter = hash % 40;
  if (name.includes(' dist/')) return `rgb(${215 + (jitter % 40)},${100 + jitter},40)`;
  if (name.includes('node_modules/')) return `rgb(${200 + (jitter % 50)},${150 + jitter},60)`;
  if (name.startsWith('(')) return `rgb(${170 + jitter},${170 + jitter},${170 + jitter})`;
  return `rgb(${120 + jitter},${160 + jitter},210)`;
}

/** The flame graph as an SVG string; frames narrower than `minWidth` px are left out. */
export function flameGraphSvg(profile, { title = 'CPU flame graph', width = 1200, rowHeight = 16, minWidth = 0.5 } = {}) {
  const root = mergedTree(profile);
  const rects = [];
  let maxDepth = 0;
  const scale = (width - 20) / root.total;
  const place = (node, x, depth) => {
    const w = node.total * scale;
    if (w < minWidth) return;
    maxDepth = Math.max(maxDepth, depth);
    rects.push({ node, x, depth, w });
    let childX = x;
    for (const child of [...node.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      place(child, childX, depth + 1);
      childX += child.total * scale;
    }
  };
  place(root, 10, 0);
  const height = (maxDepth + 1) * rowHeight + 60;
  const body = rects
    .map(({ node, x, depth, w }) => {
      const y = height - 20 - (depth + 1) * rowHeight;
      const share = ((node.total / root.total) * 100).toFixed(2);
      const label = w > 40 ? escapeXml(node.name.slice(0, Math.floor(w / 6.5))) : '';
      return `<g><title>${escapeXml(node.name)} — ${node.total.toFixed(1)} ms (${share} %)</title><rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${rowHeight - 1}" fill="${colour(node.name)}" rx="2"/>${label ? `<text x="${(x + 3).toFixed(2)}" y="${y + rowHeight - 4}">${label}</text>` : ''}</g>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11">
<rect width="100%" height="100%" fill="#fdfdf8"/>
<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-family="sans-serif">${escapeXml(title)}</text>
<text x="10" y="${height - 5}" font-family="sans-serif" fill="#555">Width = share of ${root.total.toFixed(0)} ms of samples; hover a frame for its name and time. Orange: Parley (dist/), yellow: dependencies, grey: V8/Node.</text>
${body}
</svg>
`;
}

/**
 * Self time grouped by where it was spent: the outermost npm package on the stack (time a
 * package's loading or code takes, including what it calls), else Parley's own `dist/`, else
 * Node/V8 itself. Answers "which dependency costs start-up time".
 */
export function selfTimeByPackage(profile) {
  const self = selfTimes(profile);
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const totals = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    let owner = null;
    let sawDist = false;
    for (let at = node; at; at = parent.get(at.id)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(at.callFrame.url);
      if (match) owner = match[1];
      else if (/\/dist\//.test(at.callFrame.url)) sawDist = true;
    }
    const key = owner ?? (sawDist ? 'parley dist/' : 'node/v8');
    totals.set(key, (totals.get(key) ?? 0) + ms);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, selfMs: ms, share: ms / total }));
}

/**
 * Self time grouped by where each function lives: `dist/<folder>` for Parley's modules, `npm:<package>`,
 * `node:<module>` for Node's own JavaScript, or the frame's name for natives and V8 entries
 * (`(garbage collector)`, `writev`, …). Unlike {@link selfTimeByPackage} it does not charge a
 * function to its callers' package, so `dist/core` is what the dialogue engine itself runs.
 */
export function selfTimeByOrigin(profile) {
  const self = selfTimes(profile);
  const totals = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const key = originOf(node.callFrame);
    totals.set(key, (totals.get(key) ?? 0) + ms);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, selfMs: ms, share: ms / total }));
}

function originOf({ url, functionName }) {
  if (!url) return functionName || '(anonymous native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist) return `dist/${dist[1]}`;
  if (/\/dist\/[^/]+$/.test(url)) return 'dist';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}
