import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, type FakeApi } from "../../test/fakeApi";
import { installFakeXhr } from "../../test/fakeXhr";
import { renderApp } from "../../test/render";
import { POLL_MS } from "./queries";

// Each test renders the whole app and types into it: a loaded machine needs more than the 5 s default.

function signedIn(): FakeApi {
  const fake = installFakeApi();
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
  renderApp("/knowledge");
  return fake;
}

const file = (name: string, text: string) => new File([text], name, { type: "text/plain" });

describe("uploads", () => {
  it("shows each file's progress as it is sent, then the document in the list", async () => {
    const fake = signedIn();
    const xhr = installFakeXhr(fake, { manual: true });
    const user = userEvent.setup({ delay: null });
    expect(await screen.findByText("No documents yet.")).toBeInTheDocument();

    await user.upload(screen.getByLabelText("Files"), [file("incoterms.md", "# Incoterms\nFOB means free on board."), file("customs.txt", "Customs brokers file entries.")]);
    expect(screen.getByLabelText("Title (optional)")).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Upload 2 files" }));

    const uploads = within(screen.getByRole("list", { name: "Uploads" }));
    const first = uploads.getByRole("progressbar", { name: "Upload of incoterms.md" });
    await waitFor(() => expect(xhr.requests).toHaveLength(1));
    // One at a time: the second waits for the first.
    expect(uploads.getByText("Waiting")).toBeInTheDocument();
    expect(xhr.requests[0]!.headers.get("authorization")).toMatch(/^Bearer a-/);

    xhr.requests[0]!.progress(20, 80);
    await waitFor(() => expect(first).toHaveAttribute("value", "25"));
    expect(uploads.getByText("Uploading 25%")).toBeInTheDocument();
    await xhr.requests[0]!.respond();
    await waitFor(() => expect(first).toHaveAttribute("value", "100"));
    expect(uploads.getByText("Added · 1 passages")).toBeInTheDocument();

    await waitFor(() => expect(xhr.requests).toHaveLength(2));
    await xhr.requests[1]!.respond();
    const table = within(await screen.findByRole("table"));
    expect(await table.findByText("customs.txt")).toBeInTheDocument();
    expect(table.getByText("incoterms.md")).toBeInTheDocument();
    expect(fake.documentText.get(fake.documents[0]!.id)).toContain("FOB means free on board.");
  });

  it("shows an upload the API refused with its problem detail", async () => {
    const fake = signedIn();
    installFakeXhr(fake);
    const user = userEvent.setup({ delay: null });
    await user.upload(await screen.findByLabelText("Files"), file("empty.txt", " "));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText("Failed · file: the document is empty")).toBeInTheDocument();
    expect(fake.documents).toEqual([]);
  });

  it("refreshes an expired token once and replays the upload", async () => {
    const fake = signedIn();
    const xhr = installFakeXhr(fake);
    const user = userEvent.setup({ delay: null });
    await screen.findByText("No documents yet.");
    fake.expireAccessTokens();
    await user.type(screen.getByLabelText("Document title"), "Opening hours");
    await user.type(screen.getByLabelText("Text"), "We answer from 8 to 18.");
    await user.click(screen.getByRole("button", { name: "Add text" }));
    expect(await screen.findByText("Added · 1 passages")).toBeInTheDocument();
    expect(xhr.requests.map((r) => r.status)).toEqual([401, 201]);
    expect(fake.documents.map((d) => d.title)).toEqual(["Opening hours"]);
  });

  it("re-reads the list while a document is processing, until it is ready", async () => {
    const fake = signedIn();
    installFakeXhr(fake);
    fake.processingReads = 1;
    const user = userEvent.setup({ delay: null });
    await screen.findByText("No documents yet.");
    await user.type(screen.getByLabelText("Document title"), "Tariffs");
    await user.type(screen.getByLabelText("Text"), "Tariff codes.");
    await user.click(screen.getByRole("button", { name: "Add text" }));
    const row = () => screen.getByRole("cell", { name: "Tariffs" }).closest("tr")!;
    const uploads = within(screen.getByRole("list", { name: "Uploads" }));
    await waitFor(() => expect(within(row()).getByText("Processing")).toBeInTheDocument());
    expect(uploads.getByText("Processing")).toBeInTheDocument();
    expect(screen.getByText(/Checking for processed documents/)).toBeInTheDocument();
    await waitFor(() => expect(within(row()).getByText("Ready")).toBeInTheDocument(), { timeout: POLL_MS * 3 });
    expect(screen.queryByText(/Checking for processed documents/)).not.toBeInTheDocument();
    // The upload's row follows its document.
    expect(uploads.getByText("Added · 1 passages")).toBeInTheDocument();
  });
});

describe("documents", () => {
  it("shows why a document failed, and deletes one after asking", async () => {
    const fake = installFakeApi();
    fake.documents = [
      { id: "d-1", title: "scan.pdf", status: "failed", chunks: 0, bytes: 2048, failure_reason: "The PDF has no text layer.", created_at: "2026-01-05T10:00:00Z" },
      { id: "d-2", title: "faq.md", status: "ready", chunks: 4, bytes: 900, failure_reason: null, created_at: "2026-01-05T10:00:00Z" },
    ];
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/knowledge");
    const user = userEvent.setup({ delay: null });
    const failed = (await screen.findByRole("cell", { name: "scan.pdf" })).closest("tr")!;
    expect(within(failed).getByText("Failed")).toBeInTheDocument();
    expect(within(failed).getByText("The PDF has no text layer.")).toBeInTheDocument();
    expect(within(failed).getByText("2.0 KB")).toBeInTheDocument();

    await user.click(within(failed).getByRole("button", { name: "Delete" }));
    await user.click(screen.getByRole("button", { name: "Delete scan.pdf" }));
    await waitFor(() => expect(screen.queryByRole("cell", { name: "scan.pdf" })).not.toBeInTheDocument());
    expect(fake.documents.map((d) => d.id)).toEqual(["d-2"]);
  });
});

describe("search preview", () => {
  it("lists ranked passages with document, heading path and score, as text", async () => {
    const fake = installFakeApi();
    fake.documents = [{ id: "d-1", title: "Dangerous goods", status: "ready", chunks: 1, bytes: 60, failure_reason: null, created_at: "2026-01-05T10:00:00Z" }];
    fake.documentText.set("d-1", "Lithium <b>batteries</b> ship as class 9.");
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/knowledge");
    const user = userEvent.setup({ delay: null });
    const search = within(await screen.findByRole("search", { name: "Search the knowledge base" }));

    await user.click(search.getByRole("button", { name: "Search" }));
    expect(search.getByText("Type what a customer might ask.")).toBeInTheDocument();

    await user.type(search.getByLabelText("Question"), "lithium batteries");
    await user.click(search.getByRole("button", { name: "Search" }));
    const results = within(await screen.findByRole("list", { name: "Search results" }));
    const hit = results.getByRole("listitem");
    expect(within(hit).getByText("Dangerous goods")).toBeInTheDocument();
    expect(within(hit).getByText("Dangerous goods › Overview")).toBeInTheDocument();
    expect(within(hit).getByText("score 0.900")).toBeInTheDocument();
    // The passage's markup is shown as the characters it is, never as HTML.
    expect(within(hit).getByText("Lithium <b>batteries</b> ship as class 9.")).toBeInTheDocument();
    expect(hit.querySelector("b")).toBeNull();

    await user.clear(search.getByLabelText("Question"));
    await user.type(search.getByLabelText("Question"), "reefer");
    await user.click(search.getByRole("button", { name: "Search" }));
    expect(await screen.findByText("No passage matches.")).toBeInTheDocument();
  });

  it("shows the API's problem detail when the search fails", async () => {
    const fake = signedIn();
    fake.overrides.set("POST /api/admin/knowledge/search", () => new Response(JSON.stringify({ type: "about:blank", title: "Error", status: 503, detail: "The embedding service is unavailable." }), { status: 503, headers: { "content-type": "application/problem+json" } }));
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText("Question"), "customs");
    await user.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The embedding service is unavailable.");
  });
});
