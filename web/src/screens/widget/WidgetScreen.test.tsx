import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, problem, type FakeApi } from "../../test/fakeApi";
import { renderApp } from "../../test/render";

function open(path = "/widget"): { fake: FakeApi; user: ReturnType<typeof userEvent.setup> } {
  const fake = installFakeApi();
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
  renderApp(path);
  return { fake, user: userEvent.setup({ delay: null }) };
}

const SNIPPET = '<script src="http://127.0.0.1:8001/widget.js" data-tenant="demo" async></script>';

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
  Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn(writeText) }, configurable: true });
}

afterEach(() => {
  Reflect.deleteProperty(navigator, "clipboard");
  Reflect.deleteProperty(window, "isSecureContext");
});

describe("widget settings", () => {
  it("adds an allowed origin, refusing a malformed one, and saves the whole configuration", async () => {
    const { fake, user } = open();
    const origin = await screen.findByLabelText("Add an origin");
    await user.type(origin, "https://shop.example.com/");
    await user.click(screen.getByRole("button", { name: "Add origin" }));
    expect(screen.getByText(/Leave out the trailing slash/)).toBeInTheDocument();
    expect(origin).toHaveAttribute("aria-invalid", "true");
    await user.clear(origin);
    await user.type(origin, "https://shop.example.com{enter}"); // Enter adds; it does not submit
    const list = screen.getByRole("list", { name: "Allowed origins" });
    expect(within(list).getByText("https://shop.example.com")).toBeInTheDocument();
    expect(fake.calls).not.toContain("PUT /api/admin/widget");
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Save widget" }));
    expect(await screen.findByText(/Saved: visitors get the new settings/)).toBeInTheDocument();
    expect(fake.widgetUsage.widget.allowed_origins).toEqual(["https://shop.example.com"]);
    expect(fake.widgetUsage.widget.title).toBe("Chat with us");
  });

  it("checks the form before sending and shows the API's field errors on their inputs", async () => {
    const { fake, user } = open();
    const title = await screen.findByLabelText("Title");
    await user.clear(title);
    await user.clear(screen.getByLabelText("Primary colour"));
    await user.type(screen.getByLabelText("Primary colour"), "blue");
    await user.click(screen.getByRole("button", { name: "Save widget" }));
    expect(screen.getByText("Give the widget a title.")).toBeInTheDocument();
    expect(screen.getByText(/A colour as #rgb or #rrggbb/)).toBeInTheDocument();
    expect(screen.getByLabelText("Primary colour")).toHaveAttribute("aria-invalid", "true");
    expect(fake.calls).not.toContain("PUT /api/admin/widget");

    // The API has the last word: its errors land on the field they name.
    await user.type(title, "Help");
    await user.clear(screen.getByLabelText("Primary colour"));
    fake.overrides.set("PUT /api/admin/widget", () =>
      problem(422, "theme.primary_color: must be a #rgb or #rrggbb colour", [{ field: "theme.primary_color", message: "must be a #rgb or #rrggbb colour" }]),
    );
    await user.click(screen.getByRole("button", { name: "Save widget" }));
    expect(await screen.findByText("must be a #rgb or #rrggbb colour")).toBeInTheDocument();
  });

  it("previews unsaved edits live", async () => {
    const { user } = open();
    const preview = await screen.findByTestId("widget-preview");
    expect(within(preview).getByText("Chat with us")).toBeInTheDocument();
    const title = screen.getByLabelText("Title");
    await user.clear(title);
    await user.type(title, "Ask Demo Logistics");
    await user.type(screen.getByLabelText("Starter prompts"), "Track my parcel");
    await user.selectOptions(screen.getByLabelText("Position"), "bottom-left");
    expect(within(preview).getByText("Ask Demo Logistics")).toBeInTheDocument();
    expect(within(preview).getByText("Track my parcel")).toBeInTheDocument();
    expect(preview).toHaveClass("wp-left");
    expect(preview).toHaveAttribute("inert");
  });

  it("shows the embed snippet and confirms a copy", async () => {
    const copied: string[] = [];
    const { user } = open();
    stubClipboard(async (text) => void copied.push(text)); // after user-event installed its own
    const snippet = await screen.findByLabelText(/Add this tag to every page/);
    expect(snippet).toHaveValue(SNIPPET);
    expect(screen.getByText(/works on no site yet/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy snippet" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    expect(copied).toEqual([SNIPPET]);
  });

  it("falls back to the legacy copy, then to selecting the text, when the clipboard is refused", async () => {
    const { user } = open();
    stubClipboard(async () => {
      throw new DOMException("denied", "NotAllowedError");
    });
    const execCommand = vi.fn(() => true);
    Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
    await user.click(await screen.findByRole("button", { name: "Copy snippet" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    expect(execCommand).toHaveBeenCalledWith("copy");

    execCommand.mockReturnValue(false);
    await user.click(screen.getByRole("button", { name: "Copy snippet" }));
    expect(await screen.findByText(/Could not copy: the text is selected/)).toBeInTheDocument();
    const area = screen.getByLabelText(/Add this tag to every page/) as HTMLTextAreaElement;
    await waitFor(() => expect(area.selectionEnd - area.selectionStart).toBe(SNIPPET.length));
    Reflect.deleteProperty(document, "execCommand");
  });

  it("rotates the identity secret, shows it once, and asks before replacing one", async () => {
    const { fake, user } = open();
    await user.click(await screen.findByRole("button", { name: "Create secret" }));
    expect(await screen.findByLabelText("New identity secret")).toHaveValue("whsec-1-a1b2c3d4e5f6");
    expect(await screen.findByText("Set")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Rotate secret" }));
    await user.click(screen.getByRole("button", { name: /Rotate: old signatures stop working/ }));
    await waitFor(() => expect(screen.getByLabelText("New identity secret")).toHaveValue("whsec-2-a1b2c3d4e5f6"));
    expect(fake.widgetUsage.secrets).toHaveLength(2);
  });

  it("shows the API's detail when the settings cannot load", async () => {
    const fake = installFakeApi();
    fake.overrides.set("GET /api/admin/widget", () => problem(503, "PostgreSQL is unavailable."));
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/widget");
    expect(await screen.findByRole("alert")).toHaveTextContent("PostgreSQL is unavailable.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
