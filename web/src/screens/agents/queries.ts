/** Agents over the typed client; every write refreshes the cached lists of that tenant. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { PAGE_SIZE, usePagedList } from "../../api/paging";
import type { components } from "../../api/schema";

export type Agent = components["schemas"]["AgentOut"];
export type AgentIn = components["schemas"]["AgentIn"];
export type AgentPatch = components["schemas"]["AgentPatchIn"];

const keys = {
  all: (tenant: string | undefined) => ["agents", tenant ?? "own"] as const,
  list: (tenant: string | undefined) => ["agents", tenant ?? "own", "list"] as const,
  one: (tenant: string | undefined, id: string) => ["agents", tenant ?? "own", "one", id] as const,
};

export function useAgentList(tenant: string | undefined, enabled: boolean) {
  return usePagedList(
    keys.list(tenant),
    (cursor) =>
      unwrap(api.GET("/api/admin/agents", { params: { query: { tenant_id: tenant, limit: PAGE_SIZE, cursor } } })),
    enabled,
  );
}

export function useAgent(tenant: string | undefined, id: string | undefined) {
  return useQuery({
    queryKey: keys.one(tenant, id ?? ""),
    queryFn: () =>
      unwrap(api.GET("/api/admin/agents/{agent_id}", { params: { path: { agent_id: id! }, query: { tenant_id: tenant } } })),
    enabled: id !== undefined,
  });
}

function useInvalidate(tenant: string | undefined) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.all(tenant) });
}

export function useCreateAgent(tenant: string | undefined) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (body: AgentIn) => unwrap(api.POST("/api/admin/agents", { params: { query: { tenant_id: tenant } }, body })),
    onSuccess: invalidate,
  });
}

export function useReplaceAgent(tenant: string | undefined, id: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (body: AgentIn) =>
      unwrap(api.PUT("/api/admin/agents/{agent_id}", { params: { path: { agent_id: id }, query: { tenant_id: tenant } }, body })),
    onSuccess: invalidate,
  });
}

export function useSetAgentActive(tenant: string | undefined) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(
        api.PATCH("/api/admin/agents/{agent_id}", {
          params: { path: { agent_id: id }, query: { tenant_id: tenant } },
          body: { is_active: active },
        }),
      ),
    onSettled: invalidate,
  });
}

export function useDeleteAgent(tenant: string | undefined) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/admin/agents/{agent_id}", { params: { path: { agent_id: id }, query: { tenant_id: tenant } } })),
    onSuccess: invalidate,
  });
}
