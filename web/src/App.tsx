/** Routes: sign-in outside, every screen of the registry inside the signed-in shell. */
import { Navigate, Route, Routes } from "react-router";
import { useAuth } from "./auth/AuthProvider";
import { RequireAuth, RequireRole } from "./auth/guards";
import { homeFor } from "./auth/roles";
import { Shell } from "./layout/Shell";
import { AgentEditor } from "./screens/agents/AgentEditor";
import { SCREENS } from "./screens/registry";
import { SignIn } from "./screens/SignIn";
import { ToolEditor } from "./screens/tools/ToolEditor";

function Home() {
  const { user } = useAuth();
  return <Navigate to={user ? homeFor(user) : "/sign-in"} replace />;
}

function NotFound() {
  return (
    <section className="page" aria-labelledby="missing-title">
      <h1 id="missing-title">Page not found</h1>
      <p className="muted">There is nothing at this address. Pick a screen from the menu.</p>
    </section>
  );
}

const AGENT_WRITERS = ["platform_admin", "tenant_admin"] as const;
const TOOL_WRITERS = ["tenant_admin"] as const;

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route element={<RequireAuth />}>
        <Route element={<Shell />}>
          <Route index element={<Home />} />
          {SCREENS.map(({ path, roles, Component }) => (
            <Route
              key={path}
              path={path}
              element={
                <RequireRole roles={roles}>
                  <Component />
                </RequireRole>
              }
            />
          ))}
          <Route
            path="/agents/new"
            element={
              <RequireRole roles={AGENT_WRITERS}>
                <AgentEditor />
              </RequireRole>
            }
          />
          <Route
            path="/agents/:agentId"
            element={
              <RequireRole roles={AGENT_WRITERS}>
                <AgentEditor />
              </RequireRole>
            }
          />
          {["/tools/new", "/tools/:toolId"].map((path) => (
            <Route
              key={path}
              path={path}
              element={
                <RequireRole roles={TOOL_WRITERS}>
                  <ToolEditor />
                </RequireRole>
              }
            />
          ))}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}
