/**
 * Usage: tokens and cost per UTC day and per agent over a range of days (default: the last 30),
 * from `GET /api/admin/usage`. The range lives in the URL (`?from=&to=`), so a view can be
 * linked and reloaded. Tenant admins and operators; platform admins pick a tenant first.
 */
import { useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useAgentList } from "../agents/queries";
import { TextField } from "../../ui/Field";
import { Empty, ErrorState, Loading } from "../../ui/States";
import { TenantPicker, useTenantScope } from "../tenants/scope";
import { AgentChart, DailyChart, type Point, type Series } from "./Charts";
import { formatCost, formatLongDay, formatTokens, formatTokensShort, shiftDay, todayUtc } from "./format";
import { useUsageReport, type UsageReport } from "./queries";
import "./usage.css";

const TOKEN_SERIES: readonly Series[] = [
  { key: "input", label: "Input tokens", className: "bar-input" },
  { key: "output", label: "Output tokens", className: "bar-output" },
];
const COST_SERIES: readonly Series[] = [{ key: "cost", label: "Cost (USD)", className: "bar-cost" }];
const PRESETS = [7, 30, 90] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const count = (n: number, one: string, many: string) => `${formatTokens(n)} ${n === 1 ? one : many}`;

function useAgentNames(tenant: string | undefined, enabled: boolean): Map<string, string> {
  const agents = useAgentList(tenant, enabled);
  const pages = agents.data?.pages;
  return useMemo(() => new Map((pages ?? []).flatMap((p) => p.items).map((a) => [a.id, a.name])), [pages]);
}

export function UsageScreen() {
  const scope = useTenantScope();
  const [params, setParams] = useSearchParams();
  const from = params.get("from") ?? undefined;
  const to = params.get("to") ?? undefined;
  const report = useUsageReport(scope.param, { from, to }, scope.ready);
  const names = useAgentNames(scope.param, scope.ready);

  function show(range: { from: string; to: string }) {
    const next = new URLSearchParams(params);
    next.set("from", range.from);
    next.set("to", range.to);
    setParams(next);
  }

  return (
    <section className="page usage-page" aria-labelledby="usage-title">
      <header className="page-header">
        <div>
          <h1 id="usage-title">Usage</h1>
          <p className="muted">What your agents consume, and what it costs: every chat turn's tokens, per UTC day and per agent.</p>
        </div>
      </header>
      {scope.isPlatformAdmin && <TenantPicker />}
      {!scope.ready ? (
        <Empty title="Choose a tenant to see its usage." />
      ) : (
        <>
          <RangeForm key={`${report.data?.from}-${report.data?.to}`} from={report.data?.from ?? from} to={report.data?.to ?? to} onShow={show} />
          {report.isPending ? (
            <Loading label="Loading usage" />
          ) : report.isError ? (
            <ErrorState error={report.error} onRetry={() => void report.refetch()} />
          ) : (
            <Report report={report.data} names={names} refreshing={report.isFetching} />
          )}
        </>
      )}
    </section>
  );
}

function RangeForm({ from, to, onShow }: { from: string | undefined; to: string | undefined; onShow: (range: { from: string; to: string }) => void }) {
  const [start, setStart] = useState(from ?? "");
  const [end, setEnd] = useState(to ?? "");
  const [error, setError] = useState<string | undefined>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!DAY.test(start) || !DAY.test(end)) return setError("Choose both days.");
    if (start > end) return setError("The first day must not be after the last.");
    setError(undefined);
    onShow({ from: start, to: end });
  }

  function preset(days: number) {
    const last = todayUtc();
    onShow({ from: shiftDay(last, -(days - 1)), to: last });
  }

  return (
    <form className="card form-inline usage-range" onSubmit={submit} noValidate aria-label="Period">
      <div className="segmented" role="group" aria-label="Quick periods">
        {PRESETS.map((days) => (
          <button
            key={days}
            type="button"
            className="btn btn-secondary btn-small"
            aria-pressed={to === todayUtc() && from === shiftDay(todayUtc(), -(days - 1))}
            onClick={() => preset(days)}
          >
            Last {days} days
          </button>
        ))}
      </div>
      <TextField label="From" type="date" name="from" value={start} onChange={(e) => setStart(e.target.value)} error={error && !DAY.test(start) ? error : undefined} />
      <TextField label="To" type="date" name="to" value={end} onChange={(e) => setEnd(e.target.value)} error={error && DAY.test(start) ? error : undefined} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          Show
        </button>
      </div>
    </form>
  );
}

function Report({ report, names, refreshing }: { report: UsageReport; names: Map<string, string>; refreshing: boolean }) {
  const { totals } = report;
  const period = `${formatLongDay(report.from)} – ${formatLongDay(report.to)} (UTC)`;
  if (totals.turns === 0) {
    return (
      <Empty title="No usage in this period.">
        <p className="muted">{period}. Usage appears here after chat turns, from the chat screen, the API or the website widget.</p>
      </Empty>
    );
  }
  const days: Point[] = report.days.map((d) => ({ label: d.date, values: [d.input_tokens, d.output_tokens] }));
  const costs: Point[] = report.days.map((d) => ({ label: d.date, values: [d.cost_usd] }));
  const agentName = (id: string | null) => (id === null ? "Not routed" : (names.get(id) ?? id));
  const agentTokens: Point[] = report.agents.map((a) => ({ label: agentName(a.agent_id), values: [a.input_tokens, a.output_tokens] }));
  const agentCosts: Point[] = [...report.agents].sort((a, b) => b.cost_usd - a.cost_usd).map((a) => ({ label: agentName(a.agent_id), values: [a.cost_usd] }));
  const busiest = report.days.reduce((best, d) => (d.input_tokens + d.output_tokens > best.input_tokens + best.output_tokens ? d : best));

  return (
    <div className="usage-report" aria-busy={refreshing}>
      <p className="muted small">{period}</p>
      <dl className="usage-totals" aria-label="Totals">
        <div className="card">
          <dt>Tokens</dt>
          <dd>{formatTokens(totals.input_tokens + totals.output_tokens)}</dd>
          <dd className="muted small">
            {formatTokens(totals.input_tokens)} in · {formatTokens(totals.output_tokens)} out
          </dd>
        </div>
        <div className="card">
          <dt>Cost</dt>
          <dd>{formatCost(totals.cost_usd)}</dd>
          {totals.unpriced_turns > 0 && <dd className="muted small">plus {count(totals.unpriced_turns, "turn", "turns")} on models without a price</dd>}
        </div>
        <div className="card">
          <dt>Chat turns</dt>
          <dd>{formatTokens(totals.turns)}</dd>
          <dd className="muted small">across {count(report.agents.length, "agent", "agents")}</dd>
        </div>
      </dl>
      <div className="usage-charts">
        <DailyChart
          title="Tokens per day"
          summary={`${formatTokens(totals.input_tokens + totals.output_tokens)} tokens over ${count(report.days.length, "day", "days")}; the busiest day was ${formatLongDay(busiest.date)} with ${formatTokens(busiest.input_tokens + busiest.output_tokens)}.`}
          series={TOKEN_SERIES}
          points={days}
          format={formatTokens}
          formatAxis={formatTokensShort}
        />
        <DailyChart
          title="Cost per day"
          summary={`${formatCost(totals.cost_usd)} over ${count(report.days.length, "day", "days")}.`}
          series={COST_SERIES}
          points={costs}
          format={formatCost}
          formatAxis={formatCost}
        />
        <AgentChart
          title="Tokens per agent"
          summary={`${count(report.agents.length, "agent", "agents")}; most tokens: ${agentTokens[0]?.label ?? "none"}.`}
          series={TOKEN_SERIES}
          points={agentTokens}
          format={formatTokens}
        />
        <AgentChart title="Cost per agent" summary={`Most cost: ${agentCosts[0]?.label ?? "none"}.`} series={COST_SERIES} points={agentCosts} format={formatCost} />
      </div>
    </div>
  );
}
