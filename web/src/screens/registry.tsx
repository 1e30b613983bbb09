/**
 * Every screen of the console, in one table: its path, its nav entry, who may open it, and
 * whether it is built yet. A "coming" screen is a module of its own under screens/ rendering
 * <Coming>; when its API lands, that module gets its real content and flips `ready` here.
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
  ready: boolean;
  Component: ComponentType;
}

const TENANT_ADMINS: readonly Role[] = ["tenant_admin"];
const AGENT_READERS: readonly Role[] = ["platform_admin", "tenant_admin", "operator"];

export const SCREENS: readonly ScreenEntry[] = [
  { path: "/chat", label: "Chat", section: "Workspace", roles: TENANT_ROLES, ready: true, Component: ChatScreen },
  { path: "/sessions", label: "Sessions", section: "Workspace", roles: TENANT_ROLES, ready: true, Component: SessionsScreen },
  { path: "/usage", label: "Usage", section: "Workspace", roles: AGENT_READERS, ready: true, Component: UsageScreen },
  { path: "/agents", label: "Agents", section: "Build", roles: AGENT_READERS, ready: true, Component: AgentsScreen },
  { path: "/provider-keys", label: "Provider keys", section: "Build", roles: ADMINS, ready: true, Component: ProviderKeysScreen },
  { path: "/tools", label: "Tools", section: "Build", roles: TENANT_ADMINS, ready: true, Component: ToolsScreen },
  { path: "/knowledge", label: "Knowledge", section: "Build", roles: TENANT_ADMINS, ready: true, Component: KnowledgeScreen },
  { path: "/widget", label: "Widget", section: "Build", roles: ADMINS, ready: true, Component: WidgetScreen },
  { path: "/admin/tenants", label: "Tenants", section: "Platform", roles: ["platform_admin"], ready: true, Component: TenantsScreen },
  { path: "/admin/users", label: "Users", section: "Platform", roles: ADMINS, ready: true, Component: UsersScreen },
];
