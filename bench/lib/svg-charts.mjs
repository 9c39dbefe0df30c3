/** Two hand-written SVG charts for the summary: grouped bars and a ratio chart. */

function escapeXml(text) {
  return String(text).replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]);
}

const COLOURS = ['#d9652b', '#7a8fa6', '#4f9d69', '#b5a33a'];

/**
 * Grouped vertical bars. `groups`: [{ label, values: [number…] }], one value per series.
 * `log` draws the value axis logarithmically (for figures that span decades).
 */
export function groupedBarChart({ title, unit, series, groups, log = false, width = 640, height = 320 }) {
  const left = 70;
  const bottom = height - 50;
  const top = 50;
  const plotWidth = width - left - 20;
  const all = groups.flatMap((group) => group.values).filter((value) => Number.isFinite(value) && value > 0);
  const max = Math.max(...all);
  const min = log ? Math.min(...all) / 2 : 0;
  const y = (value) => {
    if (!Number.isFinite(value) || value <= 0) return bottom;
    if (log) return bottom - ((Math.log10(value) - Math.log10(min)) / (Math.log10(max * 1.1) - Math.log10(min))) * (bottom - top);
    return bottom - (value / (max * 1.1)) * (bottom - top);
  };
  const groupWidth = plotWidth / groups.length;
  const barWidth = (groupWidth * 0.7) / series.length;
  const bars = groups
    .map((group, groupIndex) =>
      group.values
        .map((value, seriesIndex) => {
          const x = left + groupIndex * groupWidth + groupWidth * 0.15 + seriesIndex * barWidth;
          const barTop = y(value);
          return `<rect x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(bottom - barTop).toFixed(1)}" fill="${COLOURS[seriesIndex]}"><title>${escapeXml(series[seriesIndex])}: ${escapeXml(format(value))} ${escapeXml(unit)}</title></rect>` +
            `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(barTop - 4).toFixed(1)}" text-anchor="middle" font-size="10">${escapeXml(format(value))}</text>`;
        })
        .join('') +
      `<text x="${(left + groupIndex * groupWidth + groupWidth / 2).toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${escapeXml(group.label)}</text>`,
    )
    .join('\n');
  const legend = series
    .map((name, index) => `<rect x="${left + index * 160}" y="${height - 22}" width="12" height="12" fill="${COLOURS[index]}"/><text x="${left + index * 160 + 18}" y="${height - 12}">${escapeXml(name)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fdfdf8"/>
<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>
<line x1="${left}" y1="${bottom}" x2="${width - 20}" y2="${bottom}" stroke="#333"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>
<text x="16" y="${(top + bottom) / 2}" transform="rotate(-90 16 ${(top + bottom) / 2})" text-anchor="middle">${escapeXml(unit)}${log ? ' (log scale)' : ''}</text>
${bars}
${legend}
</svg>
`;
}

/**
 * Ratios on a logarithmic axis: each bar runs from the 1.0 line (the baseline) to the ratio, so
 * "half as fast" and "twice as slow" look alike in size; a dashed marker shows each row's goal.
 */
export function ratioChart({ title, rows, width = 640 }) {
  const rowHeight = 30;
  const left = 190;
  const right = width - 70;
  const height = rows.length * rowHeight + 80;
  const finite = rows.map((row) => row.value).filter((value) => Number.isFinite(value) && value > 0);
  const low = Math.min(0.1, ...finite) / 1.2;
  const high = Math.max(10, ...finite) * 1.2;
  const x = (value) => left + ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * (right - left);
  const ticks = [0.1, 0.25, 0.5, 1, 2, 4, 10, 100, 1000].filter((tick) => tick >= low && tick <= high);
  const axis = ticks
    .map((tick) => `<line x1="${x(tick).toFixed(1)}" y1="38" x2="${x(tick).toFixed(1)}" y2="${height - 34}" stroke="${tick === 1 ? '#555' : '#ddd'}"/><text x="${x(tick).toFixed(1)}" y="${height - 20}" text-anchor="middle" fill="#555" font-size="11">${tick}×</text>`)
    .join('');
  const body = rows
    .map((row, index) => {
      const yTop = 45 + index * rowHeight;
      const colour = row.met === true ? '#4f9d69' : row.met === false ? '#c8463c' : '#7a8fa6';
      const goal = Number.isFinite(row.goal) ? `<line x1="${x(row.goal).toFixed(1)}" y1="${yTop - 2}" x2="${x(row.goal).toFixed(1)}" y2="${yTop + rowHeight - 6}" stroke="#222" stroke-dasharray="3 2"/>` : '';
      if (!Number.isFinite(row.value) || row.value <= 0) return `<text x="${left - 8}" y="${yTop + 15}" text-anchor="end">${escapeXml(row.label)}</text>`;
      const from = Math.min(x(1), x(row.value));
      const to = Math.max(x(1), x(row.value));
      const label = row.value >= 1 ? `x="${(to + 4).toFixed(1)}"` : `x="${(from - 4).toFixed(1)}" text-anchor="end"`;
      return `<text x="${left - 8}" y="${yTop + 15}" text-anchor="end">${escapeXml(row.label)}</text><rect x="${from.toFixed(1)}" y="${yTop}" width="${Math.max(1, to - from).toFixed(1)}" height="${rowHeight - 10}" fill="${colour}"/><text ${label} y="${yTop + 15}">${escapeXml(format(row.value))}×</text>${goal}`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fdfdf8"/>
<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>
${axis}
${body}
<text x="10" y="${height - 4}" fill="#555" font-size="11">Log scale; 1× = the baseline measured in the same run. Green: target met, red: missed, grey: no target. Dashed: the target.</text>
</svg>
`;
}

export function format(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
