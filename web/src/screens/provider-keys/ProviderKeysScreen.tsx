/**
 * A tenant's own model-provider keys. Write-only: the API answers the last four characters and
 * the time of the change, never the key; the input is cleared as soon as the key is saved.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { components } from "../../api/schema";
import { ConfirmButton } from "../../ui/ConfirmButton";
import { TextField } from "../../ui/Field";
import { formatDate } from "../../ui/format";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { TenantPicker, useTenantScope } from "../tenants/scope";

type ProviderKey = components["schemas"]["ProviderKeyOut"];

export const PROVIDERS = [
  { id: "openai", name: "OpenAI" },
  { id: "anthropic", name: "Anthropic" },
  { id: "google", name: "Google" },
] as const;

function useProviderKeys(tenant: string | undefined, enabled: boolean) {
  const client = useQueryClient();
  const key = ["provider-keys", tenant ?? "own"];
  const query = { tenant_id: tenant };
  const invalidate = () => client.invalidateQueries({ queryKey: key });
  return {
    list: useQuery({ queryKey: key, queryFn: () => unwrap(api.GET("/api/admin/provider-keys", { params: { query } })), enabled }),
    put: useMutation({
      mutationFn: ({ provider, apiKey }: { provider: string; apiKey: string }) =>
        unwrap(api.PUT("/api/admin/provider-keys/{provider}", { params: { path: { provider }, query }, body: { api_key: apiKey } })),
      onSuccess: invalidate,
    }),
    remove: useMutation({
      mutationFn: (provider: string) => unwrap(api.DELETE("/api/admin/provider-keys/{provider}", { params: { path: { provider }, query } })),
      onSuccess: invalidate,
    }),
  };
}

type Keys = ReturnType<typeof useProviderKeys>;

function ProviderCard({ provider, name, stored, keys }: { provider: string; name: string; stored: ProviderKey | undefined; keys: Keys }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (value.trim() === "") return setError("Paste the key first.");
    setError(undefined);
    try {
      await keys.put.mutateAsync({ provider, apiKey: value.trim() });
      setValue("");
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors[0]?.message ?? e.problem.detail) : "Could not save the key.");
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-label={`${name} key`}>
      <div className="page-header">
        <div>
          <h2 className="card-title">{name}</h2>
          {stored ? (
            <p className="muted small">
              Key ending in <code>…{stored.last4}</code> · set {formatDate(stored.updated_at)}
            </p>
          ) : (
            <p className="muted small">No key: agents on {name} cannot answer.</p>
          )}
        </div>
        {stored && <ConfirmButton label="Delete key" confirmLabel={`Delete the ${name} key`} onConfirm={() => keys.remove.mutate(provider)} />}
      </div>
      <TextField
        label={stored ? `Replace the ${name} key` : `${name} API key`}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={value}
        error={error}
        onChange={(e) => setValue(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={keys.put.isPending && keys.put.variables?.provider === provider}>
          {stored ? "Replace key" : "Save key"}
        </button>
      </div>
    </form>
  );
}

export function ProviderKeysScreen() {
  const scope = useTenantScope();
  const keys = useProviderKeys(scope.param, scope.ready);
  const stored = new Map((keys.list.data?.items ?? []).map((k) => [k.provider, k]));
  return (
    <section className="page" aria-labelledby="keys-title">
      <header className="page-header">
        <div>
          <h1 id="keys-title">Provider keys</h1>
          <p className="muted">Your own model-provider keys, encrypted at rest and never shown again. The offline provider needs none.</p>
        </div>
      </header>
      {scope.isPlatformAdmin && <TenantPicker />}
      <Alert error={keys.remove.error} />
      {!scope.ready ? null : keys.list.isPending ? (
        <Loading label="Loading provider keys" />
      ) : keys.list.isError ? (
        <ErrorState error={keys.list.error} onRetry={() => void keys.list.refetch()} />
      ) : (
        <div className="cards">
          {PROVIDERS.map(({ id, name }) => (
            <ProviderCard key={id} provider={id} name={name} stored={stored.get(id)} keys={keys} />
          ))}
        </div>
      )}
    </section>
  );
}
