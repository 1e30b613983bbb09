/** Platform admin: the tenants (create, rename, delete). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { PAGE_SIZE, usePagedList } from "../../api/paging";
import type { components } from "../../api/schema";
import { ConfirmButton } from "../../ui/ConfirmButton";
import { TextField } from "../../ui/Field";
import { formatDate } from "../../ui/format";
import { Alert, Empty } from "../../ui/States";
import { PagedTable } from "../../ui/PagedTable";

type Tenant = components["schemas"]["TenantOut"];

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function tenantIdError(id: string): string | undefined {
  if (id === "") return "Choose an id.";
  return SLUG.test(id) ? undefined : "Lowercase letters, digits and dashes; no dash at either end (max 63).";
}

function useTenantMutations() {
  const client = useQueryClient();
  const invalidate = () => client.invalidateQueries({ queryKey: ["tenants"] });
  return {
    create: useMutation({
      mutationFn: (body: { id: string; name: string }) => unwrap(api.POST("/api/admin/tenants", { body })),
      onSuccess: invalidate,
    }),
    rename: useMutation({
      mutationFn: ({ id, name }: { id: string; name: string }) =>
        unwrap(api.PATCH("/api/admin/tenants/{tenant_id}", { params: { path: { tenant_id: id } }, body: { name } })),
      onSuccess: invalidate,
    }),
    remove: useMutation({
      mutationFn: (id: string) => unwrap(api.DELETE("/api/admin/tenants/{tenant_id}", { params: { path: { tenant_id: id } } })),
      onSuccess: invalidate,
    }),
  };
}

function CreateTenant({ create }: { create: ReturnType<typeof useTenantMutations>["create"] }) {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<{ id?: string; name?: string }>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = { id: tenantIdError(id), name: name.trim() ? undefined : "Give the tenant a name." };
    setErrors(found);
    if (found.id || found.name) return;
    try {
      await create.mutateAsync({ id, name: name.trim() });
      setId("");
      setName("");
    } catch (e) {
      if (e instanceof ApiError) {
        const byField = Object.fromEntries(e.fieldErrors.map((f) => [f.field, f.message]));
        setErrors({ id: byField.id, name: byField.name });
      }
    }
  }

  return (
    <form className="card form form-inline" onSubmit={submit} noValidate aria-label="New tenant">
      <TextField label="Tenant id" name="tenant_id" value={id} error={errors.id} hint="Used in URLs, e.g. acme-freight." onChange={(e) => setId(e.target.value.toLowerCase())} />
      <TextField label="Name" name="tenant_name" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create tenant"}
        </button>
      </div>
    </form>
  );
}

function TenantRow({ tenant, mutations }: { tenant: Tenant; mutations: ReturnType<typeof useTenantMutations> }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(tenant.name);
  return (
    <tr>
      <td className="nowrap">
        <code>{tenant.id}</code>
      </td>
      <td>
        {editing ? (
          <form
            className="inline-edit"
            onSubmit={(e) => {
              e.preventDefault();
              mutations.rename.mutate({ id: tenant.id, name: name.trim() }, { onSuccess: () => setEditing(false) });
            }}
          >
            <TextField label={`Name of ${tenant.id}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            <button type="submit" className="btn btn-primary btn-small">
              Save
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          tenant.name
        )}
      </td>
      <td className="nowrap muted">{formatDate(tenant.created_at)}</td>
      <td>
<div className="actions">
        <Link className="btn btn-ghost btn-small" to={`/agents?tenant=${encodeURIComponent(tenant.id)}`}>
          Agents
        </Link>
        <Link className="btn btn-ghost btn-small" to={`/admin/users?tenant=${encodeURIComponent(tenant.id)}`}>
          Users
        </Link>
        {!editing && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(true)}>
            Rename
          </button>
        )}
        <ConfirmButton label="Delete" confirmLabel={`Delete ${tenant.id}`} onConfirm={() => mutations.remove.mutate(tenant.id)} />
      </div>
</td>
    </tr>
  );
}

export function TenantsScreen() {
  const tenants = usePagedList(["tenants", "list"], (cursor) =>
    unwrap(api.GET("/api/admin/tenants", { params: { query: { limit: PAGE_SIZE, cursor } } })),
  );
  const mutations = useTenantMutations();
  return (
    <section className="page" aria-labelledby="tenants-title">
      <header className="page-header">
        <div>
          <h1 id="tenants-title">Tenants</h1>
          <p className="muted">Each tenant is a business with its own agents, users, knowledge and widget.</p>
        </div>
      </header>
      <CreateTenant create={mutations.create} />
      <Alert error={mutations.create.error ?? mutations.rename.error ?? mutations.remove.error} />
      <PagedTable
        list={tenants}
        loadingLabel="Loading tenants"
        empty={<Empty title="No tenants yet." />}
        head={
          <>
            <th scope="col">Id</th>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
      >
        {tenants.items.map((tenant) => (
          <TenantRow key={tenant.id} tenant={tenant} mutations={mutations} />
        ))}
      </PagedTable>
    </section>
  );
}
