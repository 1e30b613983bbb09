/** The signed-in frame: navigation (by role), the user and sign-out, and the screen. */
import { useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router";
import { useAuth, useUser } from "../auth/AuthProvider";
import { can, ROLE_LABELS, roleOf } from "../auth/roles";
import { SCREENS, type Section } from "../screens/registry";

const SECTIONS: readonly Section[] = ["Workspace", "Build", "Platform"];

export function Shell() {
  const user = useUser();
  const { signOut } = useAuth();
  const location = useLocation();
  const [menuFor, setMenuFor] = useState<string | null>(null);
  // The mobile menu closes on navigation: it is open only for the path it was opened on.
  const menuOpen = menuFor === location.pathname;
  const visible = SCREENS.filter((screen) => can(user, screen.roles));

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          ITL Chatbot
        </span>
        <button
          type="button"
          className="btn btn-ghost menu-button"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuFor(menuOpen ? null : location.pathname)}
        >
          Menu
        </button>
      </header>
      <nav id="primary-nav" className={menuOpen ? "sidebar open" : "sidebar"} aria-label="Primary">
        {SECTIONS.map((section) => {
          const entries = visible.filter((screen) => screen.section === section);
          if (entries.length === 0) return null;
          return (
            <div className="nav-section" key={section}>
              <p className="nav-heading" id={`nav-${section}`}>
                {section}
              </p>
              <ul aria-labelledby={`nav-${section}`}>
                {entries.map((screen) => (
                  <li key={screen.path}>
                    <NavLink to={screen.path} className="nav-link">
                      <span>{screen.label}</span>
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
        <div className="nav-user">
          <p className="nav-user-email" title={user.email}>
            {user.email}
          </p>
          <p className="muted small">
            {ROLE_LABELS[roleOf(user)]}
            {user.tenant_id ? ` · ${user.tenant_id}` : ""}
          </p>
          <button type="button" className="btn btn-secondary btn-block" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
