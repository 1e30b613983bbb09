/**
 * Every screen of the console, in one table: its path, its nav entry and who may open it.
 */
import type { ComponentType } from "react";
import { ADMINS, TENANT_ROLES, type Role } from "../auth/roles";
import { AgentsScreen } from "./agents/AgentsScreen";
import { ChatScreen } from "./chat/ChatScreen";
import { KnowledgeScreen } from "./knowledge/KnowledgeScreen";
import { ProviderKeysScreen } from "./provider-keys/ProviderKeysScreen";
import { SessionsScreen } from "./sessions/SessionsScreen";
import { TenantsScreen } from "./tenants/TenantsScreen";
import { ToolsScreen } from "./tools/ToolsScreen";
import { UsageScreen } from "./usage/UsageScreen";
import { UsersScreen } from "./users/UsersScreen";
import { WidgetScreen } from "./widget/WidgetScreen";

export type Section = "Workspace" | "Build" | "Platform";

export interface ScreenEntry {
  path: string;
  label: string;
  section: Section;
  roles: readonly Role[];
  Component: ComponentType;
}

const TENANT_ADMINS: readonly Role[] = ["tenant_admin"];
const AGENT_READERS: readonly Role[] = ["platform_admin", "tenant_admin", "operator"];

export const SCREENS: readonly ScreenEntry[] = [
  { path: "/chat", label: "Chat", section: "Workspace", roles: TENANT_ROLES, Component: ChatScreen },
  { path: "/sessions", label: "Sessions", section: "Workspace", roles: TENANT_ROLES, Component: SessionsScreen },
  { path: "/usage", label: "Usage", section: "Workspace", roles: AGENT_READERS, Component: UsageScreen },
  { path: "/agents", label: "Agents", section: "Build", roles: AGENT_READERS, Component: AgentsScreen },
  { path: "/provider-keys", label: "Provider keys", section: "Build", roles: ADMINS, Component: ProviderKeysScreen },
  { path: "/tools", label: "Tools", section: "Build", roles: TENANT_ADMINS, Component: ToolsScreen },
  { path: "/knowledge", label: "Knowledge", section: "Build", roles: TENANT_ADMINS, Component: KnowledgeScreen },
  { path: "/widget", label: "Widget", section: "Build", roles: ADMINS, Component: WidgetScreen },
  { path: "/admin/tenants", label: "Tenants", section: "Platform", roles: ["platform_admin"], Component: TenantsScreen },
  { path: "/admin/users", label: "Users", section: "Platform", roles: ADMINS, Component: UsersScreen },
];
