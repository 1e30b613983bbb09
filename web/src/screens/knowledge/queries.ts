/** The knowledge base over the typed client; uploads go through `upload.ts` (for progress). */
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { PAGE_SIZE, type Page } from "../../api/paging";
import type { components } from "../../api/schema";

export type KnowledgeDocument = components["schemas"]["DocumentOut"];
export type SearchHit = components["schemas"]["SearchHitOut"];

/** How often the list is re-read while a document is still processing. */
export const POLL_MS = 2000;

export const documentKeys = { all: ["knowledge", "documents"] as const };

/** Documents, pages joined; re-read every POLL_MS while any of them is still processing. */
export function useDocuments() {
  const query = useInfiniteQuery({
    queryKey: documentKeys.all,
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/admin/knowledge/documents", { params: { query: { limit: PAGE_SIZE, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<KnowledgeDocument>) => last.next_cursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((d) => d.status === "processing")) ? POLL_MS : false),
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, items };
}

export function useRefreshDocuments() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: documentKeys.all });
}

export function useDeleteDocument() {
  const refresh = useRefreshDocuments();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/admin/knowledge/documents/{document_id}", { params: { path: { document_id: id } } })),
    onSuccess: refresh,
  });
}

export function useSearch() {
  return useMutation({
    mutationFn: ({ query, k }: { query: string; k: number }) => unwrap(api.POST("/api/admin/knowledge/search", { body: { query, k } })),
  });
}
