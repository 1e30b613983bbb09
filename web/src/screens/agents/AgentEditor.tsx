/** Create or edit an agent (PUT replaces it whole); validation messages come from the API. */
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { EditorHeader } from "../../ui/EditorHeader";
import { Checkbox, Select, TextArea, TextField } from "../../ui/Field";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../../ui/useFormErrors";
import { useTenantScope } from "../tenants/scope";
import { EMPTY_AGENT, fromAgent, PROVIDERS, serverErrors, toAgentIn, validate, type AgentFormValues, type FormErrors } from "./agentForm";
import { useAgent, useCreateAgent, useDeleteAgent, useReplaceAgent, type Agent } from "./queries";

export function AgentEditor() {
  const { agentId } = useParams();
  const scope = useTenantScope();
  const agent = useAgent(scope.param, agentId);
  if (agentId === undefined) return <AgentForm initial={EMPTY_AGENT} />;
  if (agent.isPending) return <Loading label="Loading the agent" />;
  if (agent.isError) return <ErrorState error={agent.error} onRetry={() => void agent.refetch()} />;
  return <AgentForm key={agent.data.updated_at} initial={fromAgent(agent.data)} existing={agent.data} />;
}

function AgentForm({ initial, existing }: { initial: AgentFormValues; existing?: Agent }) {
  const scope = useTenantScope();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [values, setValues] = useState(initial);
  const { errors, failure, clear, check, fail } = useFormErrors<FormErrors>();
  const create = useCreateAgent(scope.param);
  const replace = useReplaceAgent(scope.param, existing?.id ?? "");
  const remove = useDeleteAgent(scope.param);
  const saving = create.isPending || replace.isPending;
  const back = `/agents${params.toString() ? `?${params.toString()}` : ""}`;

  function set<K extends keyof AgentFormValues>(key: K, value: AgentFormValues[K]) {
    setValues((v) => ({ ...v, [key]: value }));
    clear(key);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!check(validate(values))) return;
    try {
      if (existing) await replace.mutateAsync(toAgentIn(values));
      else await create.mutateAsync(toAgentIn(values));
      navigate(back);
    } catch (e) {
      fail(e, serverErrors);
    }
  }

  const title = existing ? `Edit ${existing.name}` : "New agent";
  return (
    <section className="page" aria-labelledby="agent-title">
      <EditorHeader
        titleId="agent-title"
        title={title}
        crumb="Agents"
        back={back}
        deletion={
          existing && {
            label: "Delete agent",
            name: existing.name,
            pending: remove.isPending,
            onConfirm: () => remove.mutate(existing.id, { onSuccess: () => navigate(back) }),
          }
        }
      />
      <Alert error={failure ?? remove.error} />
      <form className="card form" onSubmit={submit} noValidate aria-labelledby="agent-title">
        <div className="form-grid">
          <TextField label="Name" name="name" value={values.name} error={errors.name} maxLength={200} required onChange={(e) => set("name", e.target.value)} />
          <Select
            label="Kind"
            name="kind"
            value={values.kind}
            error={errors.kind}
            hint="The supervisor routes; domain agents answer."
            onChange={(e) => set("kind", e.target.value as AgentFormValues["kind"])}
          >
            <option value="domain">Domain agent</option>
            <option value="supervisor">Supervisor</option>
          </Select>
        </div>
        <TextArea
          label="Description"
          name="description"
          rows={2}
          value={values.description}
          error={errors.description}
          hint="What this agent handles; the supervisor routes by it."
          onChange={(e) => set("description", e.target.value)}
        />
        <TextArea label="System prompt" name="system_prompt" rows={5} value={values.system_prompt} error={errors.system_prompt} onChange={(e) => set("system_prompt", e.target.value)} />
        <fieldset className="form-grid">
          <legend>Model</legend>
          <Select label="Provider" name="provider" value={values.provider} error={errors.provider} onChange={(e) => set("provider", e.target.value)}>
            {[...new Set([...PROVIDERS, values.provider])].map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
          <TextField label="Model" name="model" value={values.model} error={errors.model} onChange={(e) => set("model", e.target.value)} />
          <TextField label="Temperature" name="temperature" inputMode="decimal" value={values.temperature} error={errors.temperature} onChange={(e) => set("temperature", e.target.value)} />
          <TextField label="Max tokens" name="max_tokens" inputMode="numeric" value={values.max_tokens} error={errors.max_tokens} onChange={(e) => set("max_tokens", e.target.value)} />
        </fieldset>
        <fieldset className="form-grid form-grid-3">
          <legend>Routing hints (one per line)</legend>
          <TextArea label="Keywords" name="keywords" rows={4} value={values.keywords} error={errors.keywords} onChange={(e) => set("keywords", e.target.value)} />
          <TextArea label="Patterns" name="patterns" rows={4} value={values.patterns} error={errors.patterns} hint="Regular expressions, e.g. tracking numbers." onChange={(e) => set("patterns", e.target.value)} />
          <TextArea label="Example questions" name="examples" rows={4} value={values.examples} error={errors.examples} onChange={(e) => set("examples", e.target.value)} />
        </fieldset>
        <TextField
          label="Tie priority"
          name="priority"
          inputMode="numeric"
          value={values.priority}
          error={errors.priority}
          hint="0 to 100. When several agents' keywords and patterns match a message equally, the highest priority answers (e.g. a handoff agent)."
          onChange={(e) => set("priority", e.target.value)}
        />
        <Checkbox label="Active" name="is_active" checked={values.is_active} onChange={(e) => set("is_active", e.target.checked)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? "Saving…" : existing ? "Save changes" : "Create agent"}
          </button>
          <Link className="btn btn-ghost" to={back}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
