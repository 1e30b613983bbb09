/**
 * Which tenant a tenant-scoped admin screen acts on.
 *
 * Tenant users act on their own tenant (the API takes it from the token). Platform admins have
 * none: they pick one, kept in the URL (`?tenant=`) so a view can be linked and reloaded.
 */
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../../api/client";
import { useUser } from "../../auth/AuthProvider";
import { Select } from "../../ui/Field";

export interface TenantScope {
  /** The `tenant_id` query parameter to send (undefined: the token's own tenant). */
  param: string | undefined;
  /** False while a platform admin has not picked a tenant yet. */
  ready: boolean;
  isPlatformAdmin: boolean;
}

export function useTenantScope(): TenantScope {
  const user = useUser();
  const [params] = useSearchParams();
  if (user.role !== "platform_admin") return { param: undefined, ready: true, isPlatformAdmin: false };
  const chosen = params.get("tenant") ?? undefined;
  return { param: chosen, ready: chosen !== undefined, isPlatformAdmin: true };
}

export function useTenants(enabled = true) {
  return useQuery({
    queryKey: ["tenants", "all"],
    queryFn: () => unwrap(api.GET("/api/admin/tenants", { params: { query: { limit: 200 } } })),
    enabled,
  });
}

/** The tenant picker platform admins see on tenant-scoped screens. */
export function TenantPicker({ allowNone = false, noneLabel = "Choose a tenant" }: { allowNone?: boolean; noneLabel?: string }) {
  const [params, setParams] = useSearchParams();
  const tenants = useTenants();
  const value = params.get("tenant") ?? "";
  return (
    <div className="tenant-picker">
      <Select
        label="Tenant"
        value={value}
        disabled={tenants.isPending}
        onChange={(e) => {
          const next = new URLSearchParams(params);
          if (e.target.value) next.set("tenant", e.target.value);
          else next.delete("tenant");
          setParams(next);
        }}
        error={tenants.isError ? "Could not load tenants." : undefined}
      >
        <option value="" disabled={!allowNone}>
          {noneLabel}
        </option>
        {tenants.data?.items.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name} ({tenant.id})
          </option>
        ))}
      </Select>
    </div>
  );
}
