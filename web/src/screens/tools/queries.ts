/** Tools over the typed client (the signed-in tenant admin's own tenant). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { PAGE_SIZE, usePagedList } from "../../api/paging";
import type { components } from "../../api/schema";

export type Tool = components["schemas"]["ToolOut"];
export type ToolIn = components["schemas"]["ToolIn"];
export type ToolPatch = components["schemas"]["ToolPatchIn"];
export type ToolKind = components["schemas"]["ToolKind"];
export type ToolOutcome = components["schemas"]["ToolOutcomeOut"];

const keys = {
  all: ["tools"] as const,
  list: ["tools", "list"] as const,
  one: (id: string) => ["tools", "one", id] as const,
};

export function useToolList() {
  return usePagedList(keys.list, (cursor) => unwrap(api.GET("/api/admin/tools", { params: { query: { limit: PAGE_SIZE, cursor } } })));
}

export function useTool(id: string | undefined) {
  return useQuery({
    queryKey: keys.one(id ?? ""),
    queryFn: () => unwrap(api.GET("/api/admin/tools/{tool_id}", { params: { path: { tool_id: id! } } })),
    enabled: id !== undefined,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.all });
}

export function useCreateTool() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ToolIn) => unwrap(api.POST("/api/admin/tools", { body })),
    onSuccess: invalidate,
  });
}

/** PATCH: secrets merge (a null value removes one), so stored secrets left alone stay stored. */
export function useUpdateTool(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ToolPatch) => unwrap(api.PATCH("/api/admin/tools/{tool_id}", { params: { path: { tool_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteTool() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/admin/tools/{tool_id}", { params: { path: { tool_id: id } } })),
    onSuccess: invalidate,
  });
}

/** Runs the saved tool once; a failed run is an answer (`is_error`), not an error. */
export function useTestTool(id: string) {
  return useMutation({
    mutationFn: (args: Record<string, unknown>) =>
      unwrap(api.POST("/api/admin/tools/{tool_id}/test", { params: { path: { tool_id: id } }, body: { arguments: args } })),
  });
}
