/**
 * Create or edit a tool, and (once saved) run it once with sample arguments. An edit is a PATCH
 * of every field plus only the secret changes, so stored secrets nobody touched stay stored.
 */
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { EditorHeader } from "../../ui/EditorHeader";
import { Checkbox, Select, TextArea, TextField } from "../../ui/Field";
import { Alert, Empty, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../../ui/useFormErrors";
import { useDocuments } from "../knowledge/queries";
import { useCreateTool, useDeleteTool, useTestTool, useTool, useUpdateTool, type Tool, type ToolKind } from "./queries";
import {
  argumentsSchemaOf,
  EMPTY_TOOL,
  emptyHeader,
  emptyParam,
  fromTool,
  MAX_RAG_K,
  METHODS,
  PARAM_TYPES,
  parametersOf,
  sampleArguments,
  serverErrors,
  switchParamsMode,
  toCreate,
  toPatch,
  validate,
  type FormErrors,
  type HeaderRow,
  type ParamRow,
  type ParamType,
  type ToolFormValues,
} from "./toolForm";
import { KIND_LABEL } from "./ToolsScreen";

const BACK = "/tools";

export function ToolEditor() {
  const { toolId } = useParams();
  const tool = useTool(toolId);
  // The form remounts with what the API answered after a save; this says it was just saved.
  const [savedAt, setSavedAt] = useState<string | null>(null);
  if (toolId === undefined) return <ToolForm initial={EMPTY_TOOL} />;
  if (tool.isPending) return <Loading label="Loading the tool" />;
  if (tool.isError) return <ErrorState error={tool.error} onRetry={() => void tool.refetch()} />;
  return (
    <ToolForm
      key={tool.data.updated_at}
      initial={fromTool(tool.data)}
      existing={tool.data}
      justSaved={savedAt === tool.data.updated_at}
      onSaved={(saved) => setSavedAt(saved.updated_at)}
    />
  );
}

interface FormProps {
  initial: ToolFormValues;
  existing?: Tool;
  justSaved?: boolean;
  onSaved?: (tool: Tool) => void;
}

function ToolForm({ initial, existing, justSaved = false, onSaved }: FormProps) {
  const navigate = useNavigate();
  const [values, setValues] = useState(initial);
  const { errors, failure, clear, check, fail } = useFormErrors<FormErrors>();
  const create = useCreateTool();
  const update = useUpdateTool(existing?.id ?? "");
  const remove = useDeleteTool();
  const saving = create.isPending || update.isPending;
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);

  function change(next: Partial<ToolFormValues>, ...cleared: (keyof FormErrors)[]) {
    setValues((v) => ({ ...v, ...next }));
    clear(...cleared);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!check(validate(values))) return;
    try {
      if (existing) {
        onSaved?.(await update.mutateAsync(toPatch(values, existing.secret_names)));
      } else {
        const created = await create.mutateAsync(toCreate(values));
        navigate(`/tools/${created.id}`);
      }
    } catch (e) {
      fail(e, serverErrors);
    }
  }

  const title = existing ? `Edit ${existing.name}` : "New tool";
  return (
    <section className="page" aria-labelledby="tool-title">
      <EditorHeader
        titleId="tool-title"
        title={title}
        crumb="Tools"
        back={BACK}
        deletion={
          existing && {
            label: "Delete tool",
            name: existing.name,
            pending: remove.isPending,
            onConfirm: () => remove.mutate(existing.id, { onSuccess: () => navigate(BACK) }),
          }
        }
      />
      <Alert error={failure ?? remove.error} />
      {errors.form && (
        <p className="alert" role="alert">
          {errors.form}
        </p>
      )}
      <form className="card form" onSubmit={submit} noValidate aria-labelledby="tool-title">
        <div className="form-grid">
          <TextField
            label="Name"
            name="name"
            value={values.name}
            error={errors.name}
            maxLength={64}
            hint="The model calls the tool by this name, e.g. track_shipment."
            onChange={(e) => change({ name: e.target.value }, "name")}
          />
          <Select label="Kind" name="kind" value={values.kind} error={errors.kind} onChange={(e) => change({ kind: e.target.value as ToolKind }, "kind")}>
            {(Object.keys(KIND_LABEL) as ToolKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABEL[kind]}
              </option>
            ))}
          </Select>
        </div>
        <TextArea
          label="Description"
          name="description"
          rows={2}
          value={values.description}
          error={errors.description}
          hint="Tells the model when to use the tool."
          onChange={(e) => change({ description: e.target.value }, "description")}
        />
        {values.kind === "http" && <HttpSettings values={values} errors={errors} change={change} />}
        {values.kind === "rag" && <RagSettings values={values} errors={errors} change={change} />}
        {values.kind === "handoff" && <p className="muted">A handoff tool needs no settings: when the model calls it, the conversation waits for a person.</p>}
        {existing && values.kind !== "http" && existing.secret_names.length > 0 && (
          <p className="notice">Saving removes this tool's secret headers: only HTTP tools use them.</p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? "Saving…" : existing ? "Save changes" : "Create tool"}
          </button>
          <Link className="btn btn-ghost" to={BACK}>
            {existing ? "Back to tools" : "Cancel"}
          </Link>
          {justSaved && !dirty && (
            <span className="small muted" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
      {existing && <TestCall tool={existing} dirty={dirty} />}
    </section>
  );
}

type Change = (next: Partial<ToolFormValues>, ...cleared: (keyof FormErrors)[]) => void;

function HttpSettings({ values, errors, change }: { values: ToolFormValues; errors: FormErrors; change: Change }) {
  return (
    <>
      <fieldset className="form-grid form-grid-url">
        <legend>Request</legend>
        <Select label="Method" name="method" value={values.method} error={errors.method} onChange={(e) => change({ method: e.target.value }, "method")}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </Select>
        <TextField
          label="URL template"
          name="url"
          value={values.url}
          error={errors.url}
          maxLength={2000}
          spellCheck={false}
          hint={
            <>
              Put a parameter in the path as <code>{"{name}"}</code>; its value is encoded. Other arguments go to the query ({values.method === "GET" || values.method === "DELETE" ? "this method" : "GET, DELETE"}) or the JSON body.
            </>
          }
          onChange={(e) => change({ url: e.target.value }, "url")}
        />
      </fieldset>
      <Checkbox
        label="Let the model choose the host (a parameter in the host part of the URL)"
        name="allow_model_host"
        checked={values.allow_model_host}
        onChange={(e) => change({ allow_model_host: e.target.checked }, "url", "allow_model_host")}
      />
      <ParametersEditor values={values} error={errors.params} change={change} />
      <HeadersEditor rows={values.headers} error={errors.headers} onChange={(headers) => change({ headers }, "headers")} />
      <fieldset className="form-grid form-grid-3">
        <legend>Response</legend>
        <TextField
          label="Timeout (seconds)"
          name="timeout_s"
          inputMode="decimal"
          value={values.timeout_s}
          error={errors.timeout_s}
          onChange={(e) => change({ timeout_s: e.target.value }, "timeout_s")}
        />
        <TextField
          label="Max response bytes"
          name="max_response_bytes"
          inputMode="numeric"
          value={values.max_response_bytes}
          error={errors.max_response_bytes}
          hint="Longer answers fail the call."
          onChange={(e) => change({ max_response_bytes: e.target.value }, "max_response_bytes")}
        />
        <TextArea
          label="Response fields (one per line)"
          name="response_fields"
          rows={4}
          spellCheck={false}
          value={values.response_fields}
          error={errors.response_fields}
          hint="Dotted paths such as status or events.0.location; empty hands the model the whole body."
          onChange={(e) => change({ response_fields: e.target.value }, "response_fields")}
        />
      </fieldset>
    </>
  );
}

function ParametersEditor({ values, error, change }: { values: ToolFormValues; error?: string | undefined; change: Change }) {
  const [modeError, setModeError] = useState<string>();
  const json = values.paramsMode === "json";
  const jsonProblem = json ? (() => {
    const read = parametersOf(values);
    return "error" in read ? read.error : undefined;
  })() : undefined;

  function switchTo(mode: "table" | "json") {
    const next = switchParamsMode(values, mode);
    if (typeof next === "string") setModeError(next);
    else {
      setModeError(undefined);
      change(next, "params");
    }
  }

  function setRow(id: string, patch: Partial<ParamRow>) {
    change({ params: values.params.map((r) => (r.id === id ? { ...r, ...patch } : r)) }, "params", "url");
  }

  const shownError = error ?? modeError;
  return (
    <fieldset className="stack">
      <legend>Parameters</legend>
      <div className="section-head">
        <p className="muted small">The arguments the model fills in, as a JSON Schema of type object.</p>
        <div className="segmented" role="group" aria-label="Edit parameters as">
          <button type="button" className="btn btn-small btn-secondary" aria-pressed={!json} onClick={() => switchTo("table")}>
            Table
          </button>
          <button type="button" className="btn btn-small btn-secondary" aria-pressed={json} onClick={() => switchTo("json")}>
            JSON
          </button>
        </div>
      </div>
      {json ? (
        <TextArea
          label="Parameters schema (JSON)"
          name="parameters"
          rows={10}
          spellCheck={false}
          className="code"
          value={values.paramsJson}
          error={shownError ?? jsonProblem}
          onChange={(e) => change({ paramsJson: e.target.value }, "params", "url")}
        />
      ) : (
        <>
          {values.params.length === 0 ? (
            <p className="muted small">No parameters: the model calls the tool without arguments.</p>
          ) : (
            <div className="table-wrap">
              <table className="table table-edit">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Required</th>
                    <th scope="col">Description</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {values.params.map((row, i) => (
                    <tr key={row.id}>
                      <td>
                        <input aria-label={`Parameter ${i + 1} name`} value={row.name} spellCheck={false} onChange={(e) => setRow(row.id, { name: e.target.value })} />
                      </td>
                      <td>
                        <select aria-label={`Parameter ${i + 1} type`} value={row.type} onChange={(e) => setRow(row.id, { type: e.target.value as ParamType })}>
                          {PARAM_TYPES.map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input type="checkbox" aria-label={`Parameter ${i + 1} required`} checked={row.required} onChange={(e) => setRow(row.id, { required: e.target.checked })} />
                      </td>
                      <td>
                        <input aria-label={`Parameter ${i + 1} description`} value={row.description} onChange={(e) => setRow(row.id, { description: e.target.value })} />
                        {Object.keys(row.extra).length > 0 && (
                          <p className="small muted">
                            Also: {Object.entries(row.extra).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")} (edit in JSON)
                          </p>
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          className="btn btn-ghost btn-small"
                          aria-label={`Remove parameter ${row.name || i + 1}`}
                          onClick={() => change({ params: values.params.filter((r) => r.id !== row.id) }, "params", "url")}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {shownError && (
            <p className="field-error" role="alert">
              {shownError}
            </p>
          )}
          <div>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => change({ params: [...values.params, emptyParam()] }, "params")}>
              Add parameter
            </button>
          </div>
        </>
      )}
    </fieldset>
  );
}

function HeadersEditor({ rows, error, onChange }: { rows: HeaderRow[]; error?: string | undefined; onChange: (rows: HeaderRow[]) => void }) {
  const set = (id: string, patch: Partial<HeaderRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <fieldset className="stack">
      <legend>Headers</legend>
      <p className="muted small">Secret headers (API keys, tokens) are stored encrypted and never shown again: type a new value to replace one.</p>
      {rows.length > 0 && (
        <ul className="header-rows">
          {rows.map((row, i) => {
            const label = row.name || `header ${i + 1}`;
            return (
              <li key={row.id} className={row.removed ? "header-row header-removed" : "header-row"}>
                {row.stored ? (
                  <span className="header-name">
                    <code>{row.name}</code> <span className="badge badge-ok">{row.removed ? "will be removed" : "secret set"}</span>
                  </span>
                ) : (
                  <input aria-label={`Header ${i + 1} name`} placeholder="Header name" value={row.name} spellCheck={false} onChange={(e) => set(row.id, { name: e.target.value })} />
                )}
                {!row.removed && (
                  <input
                    type={row.secret ? "password" : "text"}
                    autoComplete={row.secret ? "new-password" : "off"}
                    aria-label={row.stored ? `New value for ${row.name}` : row.secret ? `Secret value of ${label}` : `Value of ${label}`}
                    placeholder={row.stored ? "Leave empty to keep the stored value" : row.secret ? "Secret value" : "Value"}
                    value={row.value}
                    onChange={(e) => set(row.id, { value: e.target.value })}
                  />
                )}
                {row.stored ? (
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => set(row.id, { removed: !row.removed, value: "" })}>
                    {row.removed ? `Keep ${row.name}` : `Remove ${row.name}`}
                  </button>
                ) : (
                  <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove ${label}`} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
                    Remove
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange([...rows, emptyHeader(false)])}>
          Add header
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange([...rows, emptyHeader(true)])}>
          Add secret header
        </button>
      </div>
    </fieldset>
  );
}

function RagSettings({ values, errors, change }: { values: ToolFormValues; errors: FormErrors; change: Change }) {
  const documents = useDocuments();
  const toggle = (id: string, on: boolean) =>
    change({ document_ids: on ? [...values.document_ids, id] : values.document_ids.filter((d) => d !== id) }, "document_ids");
  return (
    <fieldset className="stack">
      <legend>Knowledge search</legend>
      <TextField
        label="Passages per search"
        name="rag_k"
        inputMode="numeric"
        value={values.rag_k}
        error={errors.rag_k}
        hint={`1 to ${MAX_RAG_K}: how many passages the model receives.`}
        onChange={(e) => change({ rag_k: e.target.value }, "rag_k")}
      />
      <Checkbox label="Search only some documents" name="restrict" checked={values.restrict} onChange={(e) => change({ restrict: e.target.checked }, "document_ids")} />
      {values.restrict && (
        <div className="stack">
          {documents.isPending ? (
            <Loading label="Loading documents" />
          ) : documents.isError ? (
            <ErrorState error={documents.error} onRetry={() => void documents.refetch()} />
          ) : documents.items.length === 0 && values.document_ids.length === 0 ? (
            <Empty title="No documents yet.">
              <p>
                Add some on the <Link to="/knowledge">Knowledge</Link> screen.
              </p>
            </Empty>
          ) : (
            <ul className="check-list" aria-label="Documents to search">
              {documents.items.map((d) => (
                <li key={d.id}>
                  <Checkbox label={d.title} checked={values.document_ids.includes(d.id)} onChange={(e) => toggle(d.id, e.target.checked)} />
                </li>
              ))}
              {values.document_ids
                .filter((id) => !documents.items.some((d) => d.id === id))
                .map((id) => (
                  <li key={id}>
                    <Checkbox label={`${id} (no longer in the knowledge base)`} checked onChange={() => toggle(id, false)} />
                  </li>
                ))}
            </ul>
          )}
          {errors.document_ids && (
            <p className="field-error" role="alert">
              {errors.document_ids}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}

/** A tool's content for people: JSON indented (it is usually JSON), anything else as it is. */
function readable(content: string): string {
  if (content === "") return "(empty)";
  try {
    return JSON.stringify(JSON.parse(content), null, 2);
  } catch {
    return content;
  }
}

function TestCall({ tool, dirty }: { tool: Tool; dirty: boolean }) {
  const [text, setText] = useState(() => JSON.stringify(sampleArguments(argumentsSchemaOf(tool)), null, 2));
  const [error, setError] = useState<string>();
  const test = useTestTool(tool.id);

  function run(event: FormEvent) {
    event.preventDefault();
    let args: unknown;
    try {
      args = JSON.parse(text);
    } catch (e) {
      setError(`Not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
      setError("The arguments must be a JSON object, e.g. {\"number\": \"ITL-123456\"}.");
      return;
    }
    setError(undefined);
    test.mutate(args as Record<string, unknown>);
  }

  const outcome = test.data;
  return (
    <section className="card form" aria-labelledby="test-title">
      <div>
        <h2 className="card-title" id="test-title">
          Test call
        </h2>
        <p className="muted small">Runs the saved tool once with these arguments, as the model would, and shows what the model would receive.</p>
      </div>
      {dirty && <p className="notice">You have unsaved changes: the test runs the saved version.</p>}
      <form className="form" onSubmit={run} noValidate aria-label="Test call">
        <TextArea label="Sample arguments (JSON)" name="arguments" rows={5} spellCheck={false} className="code" value={text} error={error} onChange={(e) => setText(e.target.value)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={test.isPending}>
            {test.isPending ? "Calling…" : "Test call"}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {test.isPending ? (
          <Loading label="Calling the tool" />
        ) : test.isError ? (
          <Alert error={test.error} />
        ) : outcome ? (
          <div className="test-result" aria-label="Test result" role="region">
            <p>
              {outcome.is_error ? <span className="badge badge-failed">Failed</span> : <span className="badge badge-ok">Succeeded</span>}
              {outcome.handoff && <span className="badge">Hands over to a person</span>}
            </p>
            <h3 className="small">What the model receives</h3>
            <pre className="code-block">{readable(outcome.content)}</pre>
            {Object.keys(outcome.data).length > 0 && (
              <details>
                <summary>Data</summary>
                <pre className="code-block">{JSON.stringify(outcome.data, null, 2)}</pre>
              </details>
            )}
            {outcome.citations.length > 0 && (
              <>
                <h3 className="small">Citations</h3>
                <ul>
                  {outcome.citations.map((c) => (
                    <li key={c.chunk_id}>{c.title}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        ) : null}
      </div>
    </section>
  );
}
