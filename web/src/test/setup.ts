import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";
import { session } from "../api/client";

// findBy*/waitFor give up after 1 s by default: too short on a loaded 2-core CI machine, where a
// screen's first render plus a fake fetch can take longer. A real failure still fails, later.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  session.clear();
  window.sessionStorage.clear();
});
