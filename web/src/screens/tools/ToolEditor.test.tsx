import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, type FakeApi } from "../../test/fakeApi";
import { renderApp } from "../../test/render";

// Each test renders the whole app and types into it: a loaded machine needs more than the 5 s default.

function signedIn(path: string): FakeApi {
  const fake = installFakeApi();
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
  renderApp(path);
  return fake;
}

describe("tools list", () => {
  it("lists the tenant's tools with what each one reaches", async () => {
    signedIn("/tools");
    const row = (await screen.findByRole("link", { name: "track_shipment" })).closest("tr")!;
    expect(within(row).getByText("HTTP request")).toBeInTheDocument();
    expect(within(row).getByText("GET https://carrier.example/track/{number}")).toBeInTheDocument();
  });

  it("shows the API's problem detail when the list fails", async () => {
    const fake = installFakeApi();
    fake.overrides.set("GET /api/admin/tools", () => new Response(JSON.stringify({ type: "about:blank", title: "Error", status: 503, detail: "The database is unavailable." }), { status: 503, headers: { "content-type": "application/problem+json" } }));
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/tools");
    expect(await screen.findByRole("alert")).toHaveTextContent("The database is unavailable.");
  });
});

describe("HTTP tool editor", () => {
  it("shows a stored secret as set, never its value, and keeps it when left alone", async () => {
    const fake = signedIn("/tools/t-track_shipment");
    const user = userEvent.setup({ delay: null });
    expect(await screen.findByText("secret set")).toBeInTheDocument();
    const newValue = screen.getByLabelText("New value for X-Api-Key");
    expect(newValue).toHaveValue("");
    expect(newValue).toHaveAttribute("type", "password");
    expect(document.body.innerHTML).not.toContain("stored-secret-value");

    await user.clear(screen.getByLabelText("Description"));
    await user.type(screen.getByLabelText("Description"), "Tracks a shipment.");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(fake.tools[0]!.description).toBe("Tracks a shipment.");
    expect(fake.toolSecrets.get("t-track_shipment")).toEqual({ "X-Api-Key": "stored-secret-value" });
  });

  it("replaces a secret with a typed value, and removes one on request", async () => {
    const fake = signedIn("/tools/t-track_shipment");
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText("New value for X-Api-Key"), "rotated-key-1");
    await user.click(screen.getByRole("button", { name: "Add secret header" }));
    await user.type(screen.getByLabelText("Header 2 name"), "X-Tenant");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Enter the value of the secret header 'X-Tenant'.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Secret value of X-Tenant"), "acme");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(fake.toolSecrets.get("t-track_shipment")).toEqual({ "X-Api-Key": "rotated-key-1", "X-Tenant": "acme" });
    // The form came back from the API: both secrets "set", no value in any input.
    expect(screen.getAllByText("secret set")).toHaveLength(2);
    expect(document.body.innerHTML).not.toContain("rotated-key-1");

    await user.click(screen.getByRole("button", { name: "Remove X-Tenant" }));
    expect(screen.getByText("will be removed")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(fake.toolSecrets.get("t-track_shipment")).toEqual({ "X-Api-Key": "rotated-key-1" }));
  });

  it("checks the form before sending, then puts the API's field errors on their inputs", async () => {
    const fake = signedIn("/tools/new");
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText("Name"), "rates lookup");
    const url = screen.getByLabelText("URL template");
    await user.clear(url);
    await user.click(url);
    await user.paste("https://blocked.example/rates/{lane}");
    await user.click(screen.getByRole("button", { name: "Create tool" }));
    expect(screen.getByText(/1 to 64 letters, digits/)).toBeInTheDocument();
    expect(screen.getByText("{lane} must be a required parameter: add it below.")).toBeInTheDocument();
    expect(url).toHaveAttribute("aria-invalid", "true");
    expect(fake.calls).not.toContain("POST /api/admin/tools");

    await user.clear(screen.getByLabelText("Name"));
    await user.type(screen.getByLabelText("Name"), "rates_lookup");
    await user.click(screen.getByRole("button", { name: "Add parameter" }));
    await user.type(screen.getByLabelText("Parameter 1 name"), "lane");
    await user.click(screen.getByRole("button", { name: "Create tool" }));
    // Only the API knows the egress allow-list: its message lands on the URL input.
    expect(await screen.findByText("the host is not on the tenant's egress allow-list")).toBeInTheDocument();
    expect(screen.getByLabelText("URL template")).toHaveAttribute("aria-invalid", "true");
  });

  it("creates a tool whose parameters were written as JSON, with its secret write-only", async () => {
    const fake = signedIn("/tools/new");
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText("Name"), "quote");
    const url = screen.getByLabelText("URL template");
    await user.clear(url);
    await user.click(url);
    await user.paste("https://rates.example/quote");
    await user.selectOptions(screen.getByLabelText("Method"), "POST");
    await user.click(screen.getByRole("button", { name: "JSON" }));
    const schema = screen.getByLabelText("Parameters schema (JSON)");
    await user.clear(schema);
    // Pasted, not typed key by key: the same input events, a fraction of the time.
    await user.click(schema);
    await user.paste('{"type": "object", "properties": {"lanes": {"type": "array"}}');
    expect(screen.getByText(/Not valid JSON/)).toBeInTheDocument();
    await user.type(schema, "}");
    expect(screen.queryByText(/Not valid JSON/)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Table" }));
    expect(screen.getByText(/keep editing it as JSON/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add secret header" }));
    await user.type(screen.getByLabelText("Header 1 name"), "Authorization");
    await user.type(screen.getByLabelText("Secret value of Authorization"), "Bearer abc123");
    await user.click(screen.getByRole("button", { name: "Create tool" }));

    expect(await screen.findByRole("heading", { name: "Edit quote" })).toBeInTheDocument();
    const created = fake.tools.find((t) => t.name === "quote")!;
    expect(created.config).toMatchObject({ method: "POST", parameters: { properties: { lanes: { type: "array" } } }, headers: {} });
    expect(fake.toolSecrets.get(created.id)).toEqual({ Authorization: "Bearer abc123" });
    expect(screen.getByText("secret set")).toBeInTheDocument();
  });
});

describe("knowledge search tool editor", () => {
  it("restricts the tool to chosen documents, or lets it search them all", async () => {
    const fake = installFakeApi();
    fake.documents = [
      { id: "d-1", title: "Incoterms", status: "ready", chunks: 3, bytes: 900, failure_reason: null, created_at: "2026-01-05T10:00:00Z" },
      { id: "d-2", title: "Customs", status: "ready", chunks: 2, bytes: 700, failure_reason: null, created_at: "2026-01-05T10:00:00Z" },
    ];
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/tools/new");
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText("Name"), "trade_terms");
    await user.selectOptions(screen.getByLabelText("Kind"), "rag");
    expect(screen.queryByLabelText("URL template")).not.toBeInTheDocument();
    await user.clear(screen.getByLabelText("Passages per search"));
    await user.type(screen.getByLabelText("Passages per search"), "3");
    await user.click(screen.getByLabelText("Search only some documents"));
    await user.click(screen.getByRole("button", { name: "Create tool" }));
    expect(screen.getByText("Pick at least one document, or let the tool search them all.")).toBeInTheDocument();
    await user.click(within(screen.getByRole("list", { name: "Documents to search" })).getByLabelText("Incoterms"));
    await user.click(screen.getByRole("button", { name: "Create tool" }));

    expect(await screen.findByRole("heading", { name: "Edit trade_terms" })).toBeInTheDocument();
    const created = fake.tools.find((t) => t.name === "trade_terms")!;
    expect(created).toMatchObject({ kind: "rag", config: { k: 3, document_ids: ["d-1"] } });
    expect(fake.toolSecrets.has(created.id)).toBe(false);
    expect(screen.getByLabelText("Incoterms")).toBeChecked();

    await user.click(screen.getByLabelText("Search only some documents"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(created.config).toEqual({ k: 3 }));
  });
});

describe("test call", () => {
  it("runs the saved tool with sample arguments and shows what the model receives", async () => {
    const fake = signedIn("/tools/t-track_shipment");
    const user = userEvent.setup({ delay: null });
    const args = await screen.findByLabelText("Sample arguments (JSON)");
    expect(JSON.parse((args as HTMLTextAreaElement).value)).toEqual({ number: "" });

    await user.click(screen.getByRole("button", { name: "Test call" }));
    const failed = await screen.findByRole("region", { name: "Test result" });
    expect(within(failed).getByText("Failed")).toBeInTheDocument();
    expect(within(failed).getByText(/does not match the pattern/)).toBeInTheDocument();

    await user.clear(args);
    await user.type(args, '{{"number": "ITL-123456"}');
    await user.click(screen.getByRole("button", { name: "Test call" }));
    await waitFor(() => expect(within(screen.getByRole("region", { name: "Test result" })).getByText("Succeeded")).toBeInTheDocument());
    // JSON content is shown indented, as text.
    const content = within(screen.getByRole("region", { name: "Test result" })).getByText(/"status": "in_transit"/);
    expect(content.textContent).toBe(JSON.stringify({ number: "ITL-123456", status: "in_transit" }, null, 2));
    expect(fake.toolTests.at(-1)).toEqual({ id: "t-track_shipment", arguments: { number: "ITL-123456" } });
  });

  it("refuses arguments that are not a JSON object, and says when the form has unsaved changes", async () => {
    const fake = signedIn("/tools/t-track_shipment");
    const user = userEvent.setup({ delay: null });
    const args = await screen.findByLabelText("Sample arguments (JSON)");
    await user.clear(args);
    await user.type(args, "[[1]");
    await user.click(screen.getByRole("button", { name: "Test call" }));
    expect(screen.getByText(/must be a JSON object/)).toBeInTheDocument();
    expect(fake.toolTests).toEqual([]);
    await user.type(screen.getByLabelText("Description"), " more");
    expect(screen.getByText("You have unsaved changes: the test runs the saved version.")).toBeInTheDocument();
  });
});
