/**
 * Agent names by id, for sessions (which name their agent by id). Only staff may list agents;
 * members get an empty map, and screens fall back to what the transcript itself says.
 */
import { useMemo } from "react";
import { useUser } from "../../auth/AuthProvider";
import { useAgentList } from "../agents/queries";

export function useAgentNames(): Map<string, string> {
  const user = useUser();
  const staff = user.role === "tenant_admin" || user.role === "operator";
  const agents = useAgentList(undefined, staff);
  const pages = agents.data?.pages;
  return useMemo(() => new Map((pages ?? []).flatMap((page) => page.items).map((agent) => [agent.id, agent.name])), [pages]);
}
