/** Route guards: signed-in only, and role-restricted screens. */
import type { ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { Loading } from "../ui/States";
import { useAuth } from "./AuthProvider";
import { can, type Role } from "./roles";

export function RequireAuth() {
  const { status } = useAuth();
  const location = useLocation();
  if (status === "loading") return <Loading label="Restoring your session" />;
  if (status === "signed-out") {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** Renders its screen only for the given roles; others get a plain "no access" page. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useAuth();
  if (!can(user, roles)) {
    return (
      <section className="page" aria-labelledby="forbidden-title">
        <h1 id="forbidden-title">No access</h1>
        <p className="muted">Your role does not give access to this screen. Ask a tenant admin if you need it.</p>
      </section>
    );
  }
  return <>{children}</>;
}
