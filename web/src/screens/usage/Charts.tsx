/**
 * Usage charts as plain SVG: bars per day (tokens stacked input/output, or cost) and bars per
 * agent. Each chart is an image with a text summary (`role="img"`, title and description) and
 * comes with its data as a table, which is what keyboard and screen-reader users read.
 */
import { useId, type ReactNode } from "react";
import { formatDay, formatLongDay, niceCeiling } from "./format";

export interface Series {
  key: string;
  label: string;
  /** CSS class giving the bars (and the legend swatch) their fill. */
  className: string;
}

export interface Point {
  /** Category (a YYYY-MM-DD day, or an agent's name). */
  label: string;
  values: number[];
}

const W = 560;
const H = 200;
const PAD = { top: 12, right: 8, bottom: 26, left: 56 };

function Legend({ series }: { series: readonly Series[] }) {
  if (series.length < 2) return null;
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.key}>
          <svg width="12" height="12" className={s.className}>
            <rect width="12" height="12" rx="2" />
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

function DataTable({ caption, head, series, points, format, category }: { caption: string; head: string; series: readonly Series[]; points: readonly Point[]; format: (n: number) => string; category: (label: string) => string }) {
  return (
    <details className="chart-table">
      <summary>Show the data as a table</summary>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{head}</th>
              {series.map((s) => (
                <th scope="col" key={s.key} className="num">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{category(p.label)}</th>
                {p.values.map((v, i) => (
                  <td key={series[i]!.key} className="num">
                    {format(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ChartFrame({ title, summary, children }: { title: string; summary: string; children: (ids: { title: string; desc: string }) => ReactNode }) {
  const id = useId();
  const ids = { title: `${id}-title`, desc: `${id}-desc` };
  return (
    <section className="card chart" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{title}</h2>
      <p id={ids.desc} className="muted small">
        {summary}
      </p>
      {children(ids)}
    </section>
  );
}

/** Vertical bars, one per day, stacked by series. */
export function DailyChart({ title, summary, series, points, format, formatAxis }: { title: string; summary: string; series: readonly Series[]; points: readonly Point[]; format: (n: number) => string; formatAxis: (n: number) => string }) {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const top = niceCeiling(Math.max(0, ...points.map((p) => p.values.reduce((a, b) => a + b, 0))));
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(1, Math.min(28, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  return (
    <ChartFrame title={title} summary={summary}>
      {(ids) => (
        <>
          <Legend series={series} />
          <svg className="chart-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={ids.title} aria-describedby={ids.desc}>
            {[0, 0.5, 1].map((f) => (
              <g key={f} className="chart-grid">
                <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} />
                <text x={PAD.left - 6} y={y(top * f)} dy="0.32em" textAnchor="end">
                  {formatAxis(top * f)}
                </text>
              </g>
            ))}
            {points.map((p, i) => {
              const x = PAD.left + slot * i + (slot - barW) / 2;
              let base = 0;
              return (
                <g key={p.label} data-day={p.label}>
                  <title>{`${formatLongDay(p.label)}: ${series.map((s, k) => `${s.label} ${format(p.values[k] ?? 0)}`).join(", ")}`}</title>
                  {p.values.map((v, k) => {
                    const rect = <rect key={series[k]!.key} className={series[k]!.className} x={x} width={barW} y={y(base + v)} height={Math.max(0, y(base) - y(base + v))} />;
                    base += v;
                    return rect;
                  })}
                  {labelled.has(i) && (
                    <text className="chart-axis" x={x + barW / 2} y={H - 8} textAnchor="middle">
                      {formatDay(p.label)}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
          <DataTable caption={title} head="Day" series={series} points={points} format={format} category={formatLongDay} />
        </>
      )}
    </ChartFrame>
  );
}

/** Horizontal bars, one per agent, stacked by series. */
export function AgentChart({ title, summary, series, points, format }: { title: string; summary: string; series: readonly Series[]; points: readonly Point[]; format: (n: number) => string }) {
  const row = 30;
  const labelW = 150;
  const valueW = 80;
  const height = Math.max(1, points.length) * row + 8;
  const plotW = W - labelW - valueW;
  const top = Math.max(1e-9, ...points.map((p) => p.values.reduce((a, b) => a + b, 0)));
  return (
    <ChartFrame title={title} summary={summary}>
      {(ids) => (
        <>
          <Legend series={series} />
          <svg className="chart-svg" viewBox={`0 0 ${W} ${height}`} role="img" aria-labelledby={ids.title} aria-describedby={ids.desc}>
            {points.map((p, i) => {
              const yTop = 4 + i * row;
              const total = p.values.reduce((a, b) => a + b, 0);
              let x = labelW;
              return (
                <g key={p.label} data-agent={p.label}>
                  <title>{`${p.label}: ${series.map((s, k) => `${s.label} ${format(p.values[k] ?? 0)}`).join(", ")}`}</title>
                  <text className="chart-label" x={labelW - 8} y={yTop + row / 2 - 2} dy="0.32em" textAnchor="end">
                    {p.label.length > 20 ? `${p.label.slice(0, 19)}…` : p.label}
                  </text>
                  {p.values.map((v, k) => {
                    const w = (v / top) * plotW;
                    const rect = <rect key={series[k]!.key} className={series[k]!.className} x={x} y={yTop + 4} width={Math.max(0, w)} height={row - 12} rx="2" />;
                    x += w;
                    return rect;
                  })}
                  <text className="chart-value" x={x + 6} y={yTop + row / 2 - 2} dy="0.32em">
                    {format(total)}
                  </text>
                </g>
              );
            })}
          </svg>
          <DataTable caption={title} head="Agent" series={series} points={points} format={format} category={(label) => label} />
        </>
      )}
    </ChartFrame>
  );
}
