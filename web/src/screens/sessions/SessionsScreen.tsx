/**
 * Sessions: every conversation of the tenant (operators and admins; members see their own),
 * newest first, filtered by agent and status, and the transcript of one with, per answer, how
 * it was routed, which tools ran (arguments, outcome, latency), the sources cited, usage and
 * the model. Filters and the open transcript live in the URL (`?agent=&status=&session=`);
 * while a transcript is open beside the list, the list drops the columns the transcript shows.
 */
import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { useUser } from "../../auth/AuthProvider";
import { ConfirmButton } from "../../ui/ConfirmButton";
import { Select } from "../../ui/Field";
import { formatDate } from "../../ui/format";
import { PagedTable } from "../../ui/PagedTable";
import { Alert, Empty, ErrorState, Loading } from "../../ui/States";
import { useAgentList } from "../agents/queries";
import { labelOf, SESSION_STATUSES } from "../chat/model";
import { useCloseSession, useSession, useSessionList, useTranscriptPages, type SessionFilters } from "../chat/queries";
import { MessageView } from "../chat/Turn";
import "../chat/chat.css";

type Status = NonNullable<SessionFilters["status"]>;

function statusOf(value: string | null): Status | undefined {
  return value !== null && Object.hasOwn(SESSION_STATUSES, value) ? (value as Status) : undefined;
}

function StatusBadge({ status }: { status: string }) {
  const tone = status === "active" ? "badge badge-ok" : status === "closed" ? "badge badge-muted" : "badge badge-warn";
  return <span className={tone}>{labelOf(SESSION_STATUSES, status)}</span>;
}

function Transcript({ tenant, id, agentName, closeLink }: { tenant: string; id: string; agentName: (id: string | null) => string; closeLink: string }) {
  const session = useSession(tenant, id);
  const transcript = useTranscriptPages(tenant, id);
  const close = useCloseSession(tenant);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [id]);

  return (
    <section className="card transcript" aria-labelledby="transcript-title">
      <div className="transcript-head">
        <h2 id="transcript-title" ref={heading} tabIndex={-1}>
          Transcript
        </h2>
        <Link to={closeLink} className="btn btn-ghost btn-small">
          Close transcript
        </Link>
      </div>
      {session.isPending ? (
        <Loading label="Loading the session" />
      ) : session.isError ? (
        <ErrorState error={session.error} onRetry={() => void session.refetch()} />
      ) : (
        <div className="transcript-meta">
          <p className="small">
            <StatusBadge status={session.data.status} /> {agentName(session.data.agent)} · {session.data.channel} · started {formatDate(session.data.created_at)}
          </p>
          <p className="muted small">Session {session.data.id}</p>
          {session.data.status !== "closed" && (
            <div className="actions actions-start">
              <ConfirmButton label="Close session" confirmLabel="Close this session" disabled={close.isPending} onConfirm={() => close.mutate(id)} />
            </div>
          )}
          <Alert error={close.error} />
        </div>
      )}
      {transcript.isPending ? (
        <Loading label="Loading the transcript" />
      ) : transcript.isError ? (
        <ErrorState error={transcript.error} onRetry={() => void transcript.refetch()} />
      ) : transcript.items.length === 0 ? (
        <Empty title="No messages in this session." />
      ) : (
        <>
          <ol className="turns" aria-label="Messages">
            {transcript.items.map((message) => (
              <MessageView key={message.id} message={message} facts />
            ))}
          </ol>
          {transcript.hasNextPage && (
            <button type="button" className="btn btn-secondary" onClick={() => void transcript.fetchNextPage()} disabled={transcript.isFetchingNextPage}>
              {transcript.isFetchingNextPage ? "Loading…" : "Later messages"}
            </button>
          )}
        </>
      )}
    </section>
  );
}

export function SessionsScreen() {
  const user = useUser();
  const tenant = user.tenant_id ?? "";
  const staff = user.role === "tenant_admin" || user.role === "operator";
  const [params, setParams] = useSearchParams();
  const agentId = params.get("agent") || undefined;
  const status = statusOf(params.get("status"));
  const open = params.get("session") ?? undefined;
  const agents = useAgentList(undefined, staff);
  const sessions = useSessionList(tenant, { agentId, status });
  const names = new Map(agents.items.map((agent) => [agent.id, agent.name]));
  const agentName = (id: string | null) => (id === null ? "No agent yet" : names.get(id) ?? `Agent ${id.slice(0, 8)}`);

  function withParam(name: string, value: string | undefined): URLSearchParams {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    return next;
  }

  return (
    <section className="page" aria-labelledby="sessions-title">
      <header className="page-header">
        <div>
          <h1 id="sessions-title">Sessions</h1>
          <p className="muted">
            {staff ? "Every conversation of your tenant, newest first, with how each answer was routed and which tools ran." : "Your conversations, newest first."}
          </p>
        </div>
      </header>
      <form className="card form form-inline" aria-label="Filter sessions" onSubmit={(e) => e.preventDefault()}>
        {staff && (
          <Select
            label="Agent"
            value={agentId ?? ""}
            disabled={agents.isPending}
            error={agents.isError ? "Could not load agents." : undefined}
            onChange={(e) => setParams(withParam("agent", e.target.value))}
          >
            <option value="">All agents</option>
            {agents.items.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </Select>
        )}
        <Select label="Status" value={status ?? ""} onChange={(e) => setParams(withParam("status", e.target.value))}>
          <option value="">Any status</option>
          {Object.entries(SESSION_STATUSES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </form>
      <div className={open ? "sessions-layout sessions-layout-open" : "sessions-layout"}>
        <PagedTable
          list={sessions}
          loadingLabel="Loading sessions"
          empty={<Empty title={agentId || status ? "No session matches these filters." : "No sessions yet."} />}
          head={
            <>
              <th scope="col">Started</th>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
              {!open && <th scope="col">Channel</th>}
              {!open && <th scope="col">Last activity</th>}
            </>
          }
        >
          {sessions.items.map((s) => (
            <tr key={s.id} aria-current={s.id === open ? "true" : undefined}>
              <td>
                <Link to={`?${withParam("session", s.id).toString()}`} className="row-title" aria-label={`Open the transcript of ${formatDate(s.created_at)}`}>
                  {formatDate(s.created_at)}
                </Link>
              </td>
              <td>{agentName(s.agent)}</td>
              <td>
                <StatusBadge status={s.status} />
              </td>
              {!open && <td>{s.channel}</td>}
              {!open && <td className="nowrap muted">{formatDate(s.updated_at)}</td>}
            </tr>
          ))}
        </PagedTable>
        {open && <Transcript key={open} tenant={tenant} id={open} agentName={agentName} closeLink={`?${withParam("session", undefined).toString()}`} />}
      </div>
    </section>
  );
}
