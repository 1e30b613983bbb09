/** Agents: the list, activation, and the way into create/edit. Operators read only. */
import { Link, useSearchParams } from "react-router";
import { useUser } from "../../auth/AuthProvider";
import { Alert, Empty } from "../../ui/States";
import { PagedTable } from "../../ui/PagedTable";
import { TenantPicker, useTenantScope } from "../tenants/scope";
import { useAgentList, useSetAgentActive, type Agent } from "./queries";

function KindBadge({ agent }: { agent: Agent }) {
  return agent.kind === "supervisor" ? <span className="badge badge-supervisor">Supervisor</span> : <span className="badge">Domain</span>;
}

function StatusBadge({ active }: { active: boolean }) {
  return active ? <span className="badge badge-ok">Active</span> : <span className="badge badge-muted">Inactive</span>;
}

export function AgentsScreen() {
  const user = useUser();
  const scope = useTenantScope();
  const [params] = useSearchParams();
  const canWrite = user.role === "tenant_admin" || user.role === "platform_admin";
  const agents = useAgentList(scope.param, scope.ready);
  const toggle = useSetAgentActive(scope.param);
  const suffix = params.toString() ? `?${params.toString()}` : "";
  const supervisor = agents.items.find((a) => a.kind === "supervisor" && a.is_active);

  return (
    <section className="page" aria-labelledby="agents-title">
      <header className="page-header">
        <div>
          <h1 id="agents-title">Agents</h1>
          <p className="muted">
            A supervisor routes each question to a domain agent. A tenant has at most one active supervisor
            {supervisor ? (
              <>
                {": "}
                <strong>{supervisor.name}</strong>
              </>
            ) : null}
            .
          </p>
        </div>
        {canWrite && scope.ready && (
          <Link className="btn btn-primary" to={`/agents/new${suffix}`}>
            New agent
          </Link>
        )}
      </header>
      {scope.isPlatformAdmin && <TenantPicker />}
      <Alert error={toggle.error} />
      {!scope.ready ? (
        <Empty title="Choose a tenant to see its agents." />
      ) : (
        <PagedTable
          list={agents}
          loadingLabel="Loading agents"
          empty={
            <Empty title="No agents yet.">
              {canWrite && <p>Create a supervisor to route questions, then domain agents to answer them.</p>}
            </Empty>
          }
          head={
            <>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Model</th>
              <th scope="col">Status</th>
              {canWrite && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </>
          }
        >
          {agents.items.map((agent) => (
            <tr key={agent.id}>
              <td>
                {canWrite ? (
                  <Link to={`/agents/${agent.id}${suffix}`} className="row-title">
                    {agent.name}
                  </Link>
                ) : (
                  <span className="row-title">{agent.name}</span>
                )}
                {agent.description && <p className="muted small clamp">{agent.description}</p>}
              </td>
              <td>
                <KindBadge agent={agent} />
              </td>
              <td className="nowrap">
                {agent.provider} · {agent.model}
              </td>
              <td>
                <StatusBadge active={agent.is_active} />
              </td>
              {canWrite && (
                <td>
                  <div className="actions">
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      disabled={toggle.isPending && toggle.variables?.id === agent.id}
                      onClick={() => toggle.mutate({ id: agent.id, active: !agent.is_active })}
                      aria-label={`${agent.is_active ? "Deactivate" : "Activate"} ${agent.name}`}
                    >
                      {agent.is_active ? "Deactivate" : "Activate"}
                    </button>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </PagedTable>
      )}
    </section>
  );
}
