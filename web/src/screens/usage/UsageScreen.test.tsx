import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { REFRESH_KEY } from "../../api/session";
import { installFakeApi, problem, type FakeApi } from "../../test/fakeApi";
import { renderApp } from "../../test/render";

function open(fake: FakeApi, path: string, email = "admin@demo.local") {
  window.sessionStorage.setItem(REFRESH_KEY, fake.grantRefresh(email));
  renderApp(path);
  return userEvent.setup({ delay: null });
}

function withUsage(): FakeApi {
  const fake = installFakeApi();
  fake.widgetUsage.usage = [
    { date: "2026-11-02", agent_id: "a-shipment-tracking", figures: { turns: 3, input_tokens: 1200, output_tokens: 300, cost_usd: 0.012 } },
    { date: "2026-11-03", agent_id: "a-shipment-tracking", figures: { turns: 1, input_tokens: 400, output_tokens: 100, cost_usd: 0.004 } },
    { date: "2026-11-03", agent_id: "a-concierge", figures: { turns: 2, input_tokens: 100, output_tokens: 50, cost_usd: 0, unpriced_turns: 2 } },
    { date: "2026-11-03", agent_id: null, figures: { turns: 1 } },
  ];
  return fake;
}

describe("usage", () => {
  it("draws tokens and cost per day and per agent from the report", async () => {
    const fake = withUsage();
    open(fake, "/usage?from=2026-11-01&to=2026-11-04");
    const summary = await screen.findByLabelText("Totals");
    expect(within(summary).getByText("2,150")).toBeInTheDocument(); // 1700 in + 450 out
    expect(within(summary).getByText("$0.02")).toBeInTheDocument();
    expect(within(summary).getByText(/plus 2 turns on models without a price/)).toBeInTheDocument();
    expect(fake.widgetUsage.usageQueries.at(-1)).toBe("?from=2026-11-01&to=2026-11-04");

    const perDay = screen.getByRole("img", { name: "Tokens per day" });
    expect(perDay.querySelectorAll("g[data-day]")).toHaveLength(4); // every day, idle ones too
    const nov2 = perDay.querySelector('g[data-day="2026-11-02"]')!;
    expect(nov2.querySelectorAll("rect")).toHaveLength(2); // input and output, stacked
    expect(nov2.querySelector("title")?.textContent).toMatch(/Input tokens 1,200, Output tokens 300/);
    expect(perDay).toHaveAccessibleDescription(/^2,150 tokens over 4 days; the busiest day was .*2.* with 1,500\.$/);

    const perAgent = screen.getByRole("img", { name: "Tokens per agent" });
    const bars = [...perAgent.querySelectorAll("g[data-agent]")].map((g) => g.getAttribute("data-agent"));
    expect(bars).toEqual(["Shipment Tracking", "Concierge", "Not routed"]); // names, most tokens first
    expect(screen.getByRole("img", { name: "Cost per agent" }).querySelector("g[data-agent]")).toHaveAttribute("data-agent", "Shipment Tracking");
  });

  it("offers every chart as a table", async () => {
    const fake = withUsage();
    const user = open(fake, "/usage?from=2026-11-01&to=2026-11-04");
    const chart = (await screen.findByRole("heading", { name: "Cost per day" })).closest("section")!;
    await user.click(within(chart).getByText("Show the data as a table"));
    const table = within(chart).getByRole("table", { name: "Cost per day" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(5); // header + 4 days
    expect(within(rows[3]!).getAllByRole("cell")[0]).toHaveTextContent("$0.0040");
  });

  it("says so when the period has no usage", async () => {
    const fake = installFakeApi();
    open(fake, "/usage");
    expect(await screen.findByText("No usage in this period.")).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
    expect(fake.widgetUsage.usageQueries).toEqual([""]); // the API's default range
  });

  it("changes the period from the form and from a quick period", async () => {
    const fake = withUsage();
    const user = open(fake, "/usage"); // the API's default: the 30 days up to the fake's today
    expect(await screen.findByRole("img", { name: "Tokens per day" })).toBeInTheDocument();
    const from = screen.getByLabelText("From");
    const to = screen.getByLabelText("To");
    await user.clear(from);
    await user.type(from, "2026-11-03");
    await user.clear(to);
    await user.type(to, "2026-11-03");
    await user.click(screen.getByRole("button", { name: "Show" }));
    expect(await screen.findByRole("img", { name: "Tokens per day" })).toHaveAccessibleDescription(/^650 tokens over 1 day;/);
    expect(fake.widgetUsage.usageQueries.at(-1)).toBe("?from=2026-11-03&to=2026-11-03");
    await user.click(screen.getByRole("button", { name: "Last 7 days" }));
    expect(fake.widgetUsage.usageQueries.at(-1)).toMatch(/^\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  });

  it("refuses a reversed period before asking, and shows the API's detail on errors", async () => {
    const fake = installFakeApi();
    fake.overrides.set("GET /api/admin/usage", () => problem(422, "from: the range is at most 366 days"));
    const user = open(fake, "/usage?from=2020-01-01&to=2026-01-01");
    expect(await screen.findByRole("alert")).toHaveTextContent("from: the range is at most 366 days");
    const calls = fake.widgetUsage.usageQueries.length;
    const from = screen.getByLabelText("From");
    await user.clear(from);
    await user.type(from, "2026-02-01");
    await user.click(screen.getByRole("button", { name: "Show" }));
    expect(screen.getByText("The first day must not be after the last.")).toBeInTheDocument();
    expect(fake.widgetUsage.usageQueries).toHaveLength(calls);
  });

  it("is open to operators", async () => {
    const fake = withUsage();
    fake.addUser({ ...fake.users.get("member@demo.local")!.user, id: "u-op", email: "op@demo.local", role: "operator" }, "operator-password-1");
    open(fake, "/usage?from=2026-11-01&to=2026-11-04", "op@demo.local");
    expect(await screen.findByRole("img", { name: "Cost per day" })).toBeInTheDocument();
  });
});
