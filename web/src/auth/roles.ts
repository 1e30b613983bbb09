/** Who may open which screen. The API enforces the same rules; this only shapes the UI. */
import type { CurrentUser } from "../api/session";

export type Role = "platform_admin" | "tenant_admin" | "operator" | "member";

export const TENANT_ROLES: readonly Role[] = ["tenant_admin", "operator", "member"];
export const ADMINS: readonly Role[] = ["platform_admin", "tenant_admin"];

export function roleOf(user: CurrentUser): Role {
  return user.role as Role;
}

export function can(user: CurrentUser | null, roles: readonly Role[]): boolean {
  return user !== null && roles.includes(roleOf(user));
}

/** Where a user lands after signing in. */
export function homeFor(user: CurrentUser): string {
  switch (roleOf(user)) {
    case "platform_admin":
      return "/admin/tenants";
    case "tenant_admin":
    case "operator":
      return "/agents";
    default:
      return "/chat";
  }
}

export const ROLE_LABELS: Record<Role, string> = {
  platform_admin: "Platform admin",
  tenant_admin: "Tenant admin",
  operator: "Operator",
  member: "Member",
};
