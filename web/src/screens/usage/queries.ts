/** Usage reports over the typed client (`GET /api/admin/usage`). */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

export type UsageReport = components["schemas"]["UsageReportOut"];
export type Figures = components["schemas"]["FiguresOut"];

export interface UsageRange {
  /** UTC days, YYYY-MM-DD; undefined: the API's default (the 30 days ending today). */
  from?: string | undefined;
  to?: string | undefined;
}

export function useUsageReport(tenant: string | undefined, range: UsageRange, enabled: boolean) {
  return useQuery({
    queryKey: ["usage", tenant ?? "own", range.from ?? "", range.to ?? ""],
    queryFn: () => unwrap(api.GET("/api/admin/usage", { params: { query: { tenant_id: tenant, from: range.from, to: range.to } } })),
    enabled,
    placeholderData: keepPreviousData, // keep the charts while another range loads
  });
}
