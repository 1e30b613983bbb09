import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi } from "../../test/fakeApi";
import { renderApp } from "../../test/render";

describe("provider keys", () => {
  it("saves a key write-only: only its last four characters come back", async () => {
    const fake = installFakeApi();
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/provider-keys");
    const user = userEvent.setup({ delay: null });
    const openai = within(await screen.findByRole("form", { name: "OpenAI key" }));
    expect(openai.getByText(/No key/)).toBeInTheDocument();
    await user.type(openai.getByLabelText("OpenAI API key"), "sk-test-secret-9876");
    await user.click(openai.getByRole("button", { name: "Save key" }));
    expect(await openai.findByText("…9876")).toBeInTheDocument();
    expect(openai.getByLabelText("Replace the OpenAI key")).toHaveValue("");
    expect(document.body.textContent).not.toContain("sk-test-secret");
    expect(fake.providerKeys.get("openai")).toBe("sk-test-secret-9876");
  });

  it("shows the API's message on the key's input", async () => {
    const fake = installFakeApi();
    window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh("admin@demo.local"));
    renderApp("/provider-keys");
    const user = userEvent.setup({ delay: null });
    const google = within(await screen.findByRole("form", { name: "Google key" }));
    await user.type(google.getByLabelText("Google API key"), "short");
    await user.click(google.getByRole("button", { name: "Save key" }));
    expect(await google.findByText("too short")).toBeInTheDocument();
  });
});
