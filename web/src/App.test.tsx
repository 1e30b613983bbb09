import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { session } from "./api/client";
import { REFRESH_KEY } from "./api/session";
import { installFakeApi, problem } from "./test/fakeApi";
import { renderApp } from "./test/render";

async function signIn(email: string, password: string) {
  const user = userEvent.setup({ delay: null });
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  return user;
}

function nav() {
  return within(screen.getByRole("navigation", { name: "Primary" }));
}

describe("signing in", () => {
  it("sends a visitor to sign-in, then back to the screen they asked for", async () => {
    installFakeApi();
    renderApp("/agents");
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    await signIn("admin@demo.local", "demo-password-1");
    expect(await screen.findByRole("heading", { name: "Agents" })).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Shipment Tracking" })).toBeInTheDocument();
  });

  it("shows the API's detail when the password is wrong", async () => {
    installFakeApi();
    renderApp("/sign-in");
    await signIn("admin@demo.local", "nope");
    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid email or password.");
  });

  it("restores the session of this tab from its refresh token, without a password", async () => {
    const fake = installFakeApi();
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/agents");
    expect(await screen.findByRole("heading", { name: "Agents" })).toBeInTheDocument();
    expect(fake.calls).not.toContain("POST /api/auth/login");
  });

  it("signs out: tokens forgotten here and revoked on the server", async () => {
    const fake = installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    await waitFor(() => expect(fake.calls).toContain("POST /api/auth/logout"));
    expect(session.refreshToken).toBeNull();
    expect(fake.refresh.size).toBe(0);
  });
});

describe("an expired session", () => {
  it("goes back to sign-in and says why, when the refresh is refused", async () => {
    const fake = installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await screen.findByRole("heading", { name: "Agents" });
    fake.expireAccessTokens();
    fake.revokeRefreshTokens();
    await user.click(nav().getByRole("link", { name: /Users/ }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Your session has expired. Please sign in again.");
  });

  it("is renewed silently while the refresh token is good", async () => {
    const fake = installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await screen.findByRole("heading", { name: "Agents" });
    fake.expireAccessTokens();
    await user.click(nav().getByRole("link", { name: /Users/ }));
    expect(await screen.findByText("member@demo.local")).toBeInTheDocument();
  });
});

describe("roles", () => {
  it("shows a member no admin screens, and refuses them by URL", async () => {
    installFakeApi();
    renderApp("/admin/tenants");
    await signIn("member@demo.local", "member-password-1");
    expect(await screen.findByRole("heading", { name: "No access" })).toBeInTheDocument();
    const links = nav().getAllByRole("link").map((a) => a.textContent);
    expect(links.join(" ")).toMatch(/Chat/);
    for (const admin of ["Agents", "Tenants", "Users", "Provider keys", "Widget", "Tools", "Knowledge"])
      expect(links.some((l) => l?.startsWith(admin))).toBe(false);
  });

  it("gives a platform admin the tenants screen first", async () => {
    installFakeApi();
    renderApp("/");
    await signIn("admin@itl.local", "platform-password-1");
    expect(await screen.findByRole("heading", { name: "Tenants" })).toBeInTheDocument();
    expect(await screen.findByText("Demo Logistics")).toBeInTheDocument();
  });
});

describe("agents", () => {
  it("creates an agent and lists it", async () => {
    installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await user.click(await screen.findByRole("link", { name: "New agent" }));
    await user.type(screen.getByLabelText("Name"), "Billing");
    await user.type(screen.getByLabelText("Keywords"), "invoice{enter}refund");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(await screen.findByRole("link", { name: "Billing" })).toBeInTheDocument();
  });

  it("shows checks before sending, and the API's field errors on their inputs", async () => {
    const fake = installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await user.click(await screen.findByRole("link", { name: "New agent" }));
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription("Give the agent a name.");
    expect(fake.calls).not.toContain("POST /api/admin/agents");
    await user.type(screen.getByLabelText("Name"), "Hot");
    fake.overrides.set("POST /api/admin/agents", () =>
      problem(422, "model: unknown to provider offline", [{ field: "model", message: "unknown to provider offline" }]),
    );
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    await waitFor(() => expect(screen.getByLabelText("Model")).toHaveAccessibleDescription("unknown to provider offline"));
    expect(screen.getByLabelText("Model")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows the one-supervisor rule from the API's detail", async () => {
    installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await user.click(await screen.findByRole("link", { name: "New agent" }));
    await user.type(screen.getByLabelText("Name"), "Second router");
    await user.selectOptions(screen.getByLabelText("Kind"), "supervisor");
    await user.click(screen.getByRole("button", { name: "Create agent" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already the active supervisor; deactivate it first.");
  });

  it("deactivates an agent in the list", async () => {
    const fake = installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await user.click(await screen.findByRole("button", { name: "Deactivate Shipment Tracking" }));
    expect(await screen.findByRole("button", { name: "Activate Shipment Tracking" })).toBeInTheDocument();
    expect(fake.agents.find((a) => a.name === "Shipment Tracking")?.is_active).toBe(false);
  });

  it("shows an error state with the API's detail when the list fails", async () => {
    const fake = installFakeApi();
    fake.overrides.set("GET /api/admin/agents", () => problem(503, "PostgreSQL is unavailable."));
    renderApp("/sign-in");
    await signIn("admin@demo.local", "demo-password-1");
    expect(await screen.findByRole("alert")).toHaveTextContent("PostgreSQL is unavailable.");
  });
});

describe("navigation", () => {
  it("opens the widget and usage screens", async () => {
    installFakeApi();
    renderApp("/sign-in");
    const user = await signIn("admin@demo.local", "demo-password-1");
    await user.click(await screen.findByRole("link", { name: /Widget/ }));
    expect(await screen.findByRole("heading", { name: "Widget" })).toBeInTheDocument();
    await user.click(nav().getByRole("link", { name: /Usage/ }));
    expect(await screen.findByRole("heading", { name: "Usage" })).toBeInTheDocument();
  });
});
