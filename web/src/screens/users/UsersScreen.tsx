/**
 * Users: platform admins manage any tenant's users (or the platform's own admins); tenant
 * admins manage their own tenant's. Passwords go in, never come out.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { PAGE_SIZE, usePagedList } from "../../api/paging";
import type { components } from "../../api/schema";
import { ROLE_LABELS, type Role } from "../../auth/roles";
import { ConfirmButton } from "../../ui/ConfirmButton";
import { Select, TextField } from "../../ui/Field";
import { formatDate } from "../../ui/format";
import { Alert, Empty } from "../../ui/States";
import { PagedTable } from "../../ui/PagedTable";
import { TenantPicker, useTenantScope } from "../tenants/scope";
import { useUser } from "../../auth/AuthProvider";

type User = components["schemas"]["UserOut"];
type UserIn = components["schemas"]["UserIn"];

const TENANT_ROLES: Role[] = ["tenant_admin", "operator", "member"];

function useUserMutations(tenant: string | undefined) {
  const client = useQueryClient();
  const invalidate = () => client.invalidateQueries({ queryKey: ["users"] });
  const query = { tenant_id: tenant };
  return {
    create: useMutation({ mutationFn: (body: UserIn) => unwrap(api.POST("/api/admin/users", { body })), onSuccess: invalidate }),
    setActive: useMutation({
      mutationFn: ({ id, active }: { id: string; active: boolean }) =>
        unwrap(api.PATCH("/api/admin/users/{user_id}", { params: { path: { user_id: id }, query }, body: { is_active: active } })),
      onSettled: invalidate,
    }),
    remove: useMutation({
      mutationFn: (id: string) => unwrap(api.DELETE("/api/admin/users/{user_id}", { params: { path: { user_id: id }, query } })),
      onSuccess: invalidate,
    }),
  };
}

function CreateUser({ tenant, platformScope, create }: { tenant: string | undefined; platformScope: boolean; create: ReturnType<typeof useUserMutations>["create"] }) {
  const roles: Role[] = platformScope ? ["platform_admin"] : TENANT_ROLES;
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>(roles[roles.length - 1]!);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      email: /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? undefined : "Enter an email address.",
      password: password.length >= 10 ? undefined : "At least 10 characters.",
    };
    setErrors(found);
    if (found.email || found.password) return;
    try {
      await create.mutateAsync({ email: email.trim(), password, role: role as UserIn["role"], tenant_id: platformScope ? null : tenant ?? null });
      setEmail("");
      setPassword("");
    } catch (e) {
      if (e instanceof ApiError) setErrors(Object.fromEntries(e.fieldErrors.map((f) => [f.field, f.message])));
    }
  }

  return (
    <form className="card form form-inline" onSubmit={submit} noValidate aria-label="New user">
      <TextField label="Email" name="user_email" type="email" autoComplete="off" value={email} error={errors.email} onChange={(e) => setEmail(e.target.value)} />
      <TextField label="Password" name="user_password" type="password" autoComplete="new-password" value={password} error={errors.password} onChange={(e) => setPassword(e.target.value)} />
      <Select label="Role" name="user_role" value={role} error={errors.role} onChange={(e) => setRole(e.target.value as Role)}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </Select>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add user"}
        </button>
      </div>
    </form>
  );
}

function UserRow({ user, self, mutations }: { user: User; self: boolean; mutations: ReturnType<typeof useUserMutations> }) {
  return (
    <tr>
      <td>
        <span className="row-title">{user.email}</span>
        {self && <span className="badge">You</span>}
      </td>
      <td>{ROLE_LABELS[user.role as Role] ?? user.role}</td>
      <td>{user.is_active ? <span className="badge badge-ok">Active</span> : <span className="badge badge-muted">Inactive</span>}</td>
      <td className="nowrap muted">{formatDate(user.created_at)}</td>
      <td>
<div className="actions">
        {!self && (
          <>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={() => mutations.setActive.mutate({ id: user.id, active: !user.is_active })}
              aria-label={`${user.is_active ? "Deactivate" : "Activate"} ${user.email}`}
            >
              {user.is_active ? "Deactivate" : "Activate"}
            </button>
            <ConfirmButton label="Delete" confirmLabel={`Delete ${user.email}`} onConfirm={() => mutations.remove.mutate(user.id)} />
          </>
        )}
      </div>
</td>
    </tr>
  );
}

export function UsersScreen() {
  const me = useUser();
  const scope = useTenantScope();
  // A platform admin with no tenant picked sees the platform's own users (tenant_id absent).
  const users = usePagedList(["users", scope.param ?? "own"], (cursor) =>
    unwrap(api.GET("/api/admin/users", { params: { query: { tenant_id: scope.param, limit: PAGE_SIZE, cursor } } })),
  );
  const mutations = useUserMutations(scope.param);
  const platformScope = scope.isPlatformAdmin && !scope.ready;

  return (
    <section className="page" aria-labelledby="users-title">
      <header className="page-header">
        <div>
          <h1 id="users-title">Users</h1>
          <p className="muted">
            {platformScope
              ? "Platform admins. Pick a tenant to manage its users."
              : "Tenant admins configure everything; operators read transcripts; members chat."}
          </p>
        </div>
      </header>
      {scope.isPlatformAdmin && <TenantPicker allowNone noneLabel="Platform admins" />}
      <CreateUser key={scope.param ?? "platform"} tenant={scope.param} platformScope={platformScope} create={mutations.create} />
      <Alert error={mutations.create.error ?? mutations.setActive.error ?? mutations.remove.error} />
      <PagedTable
        list={users}
        loadingLabel="Loading users"
        empty={<Empty title="No users yet." />}
        head={
          <>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </>
        }
      >
        {users.items.map((user) => (
          <UserRow key={user.id} user={user} self={user.id === me.id} mutations={mutations} />
        ))}
      </PagedTable>
    </section>
  );
}
