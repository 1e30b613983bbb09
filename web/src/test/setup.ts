import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
import { session } from "../api/client";

afterEach(() => {
  cleanup();
  session.clear();
  window.sessionStorage.clear();
});
