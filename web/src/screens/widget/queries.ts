/** The widget configuration over the typed client (one per tenant; PUT replaces it whole). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

export type WidgetConfig = components["schemas"]["WidgetConfigOut"];
export type WidgetConfigIn = components["schemas"]["WidgetConfigIn"];

const key = (tenant: string | undefined) => ["widget", tenant ?? "own"] as const;

export function useWidgetConfig(tenant: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: key(tenant),
    queryFn: () => unwrap(api.GET("/api/admin/widget", { params: { query: { tenant_id: tenant } } })),
    enabled,
  });
}

export function useSaveWidgetConfig(tenant: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: WidgetConfigIn) => unwrap(api.PUT("/api/admin/widget", { params: { query: { tenant_id: tenant } }, body })),
    onSuccess: (saved) => client.setQueryData(key(tenant), saved),
  });
}

export function useRotateIdentitySecret(tenant: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/admin/widget/identity-secret", { params: { query: { tenant_id: tenant } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: key(tenant) }),
  });
}
