import { describe, expect, it } from "vitest";
import { embedSnippet, fromConfig, originError, serverErrors, toConfigIn, validate, type WidgetFormValues } from "./widgetForm";
import type { WidgetConfig } from "./queries";

const CONFIG: WidgetConfig = {
  tenant_id: "acme",
  widget_url: "https://widget.example.com",
  title: "Ask us",
  welcome_message: "Hi!",
  theme: { primary_color: "#112233" },
  position: "bottom-left",
  starter_prompts: ["Track my box", "Prices"],
  allowed_origins: ["https://shop.example.com"],
  identity_secret_set: false,
  updated_at: "2026-11-26T10:00:00Z",
};

const values = (changes: Partial<WidgetFormValues> = {}): WidgetFormValues => ({ ...fromConfig(CONFIG), ...changes });

describe("widget form", () => {
  it("round-trips a configuration, leaving unset colours out of the theme", () => {
    expect(toConfigIn(values())).toEqual({
      title: "Ask us",
      welcome_message: "Hi!",
      theme: { primary_color: "#112233" },
      position: "bottom-left",
      starter_prompts: ["Track my box", "Prices"],
      allowed_origins: ["https://shop.example.com"],
    });
    expect(toConfigIn(values({ starter_prompts: "  one \n\n two\n", text_color: " #fff " }))).toMatchObject({
      starter_prompts: ["one", "two"],
      theme: { primary_color: "#112233", text_color: "#fff" },
    });
  });

  it("refuses what the API would refuse, field by field", () => {
    expect(validate(values())).toEqual({});
    const errors = validate(
      values({
        title: "   ",
        welcome_message: "x".repeat(1001),
        primary_color: "red",
        background_color: "#12345",
        starter_prompts: ["a", "b", "c", "d", "e", "f", "g"].join("\n"),
        allowed_origins: ["https://shop.example.com/path"],
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(
      ["allowed_origins", "background_color", "primary_color", "starter_prompts", "title", "welcome_message"].sort(),
    );
    expect(validate(values({ starter_prompts: "y".repeat(201) })).starter_prompts).toMatch(/200 characters/);
  });

  it("checks an origin before it joins the list", () => {
    const current = ["https://shop.example.com"];
    expect(originError("http://localhost:8080", current)).toBeUndefined();
    expect(originError("https://www.example.com", current)).toBeUndefined();
    expect(originError("https://shop.example.com", current)).toMatch(/already allowed/);
    expect(originError("https://www.example.com/", current)).toMatch(/trailing slash/);
    for (const bad of ["*", "https://*.example.com", "example.com", "ftp://example.com", "https://Example.com", "https://a.com/path", "null"])
      expect(originError(bad, current), bad).toMatch(/scheme:\/\/host/);
    expect(originError("", current)).toMatch(/Type the origin/);
  });

  it("puts the API's field errors on their inputs", () => {
    const v = values({ allowed_origins: ["https://a.example", "https://b.example"] });
    expect(
      serverErrors(
        [
          { field: "allowed_origins[1]", message: "must be scheme://host[:port] (http or https)" },
          { field: "theme.primary_color", message: "must be a #rgb or #rrggbb colour" },
          { field: "theme.accent", message: "unknown" },
        ],
        v,
      ),
    ).toEqual({
      allowed_origins: "https://b.example: must be scheme://host[:port] (http or https)",
      primary_color: "must be a #rgb or #rrggbb colour",
      form: "unknown",
    });
  });

  it("builds the embed snippet of the README, escaped as an attribute", () => {
    expect(embedSnippet("https://widget.example.com/", "acme")).toBe(
      '<script src="https://widget.example.com/widget.js" data-tenant="acme" async></script>',
    );
    expect(embedSnippet('https://w.example/"x', "a&b")).toBe('<script src="https://w.example/&quot;x/widget.js" data-tenant="a&amp;b" async></script>');
  });
});
