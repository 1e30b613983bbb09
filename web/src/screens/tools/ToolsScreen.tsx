import { Coming } from "../Coming";

/** Tools. Fills in when /api/admin/tools lands. */
export function ToolsScreen() {
  return (
    <Coming
      title="Tools"
      summary="What your agents can do besides talking."
      features={[
        "HTTP tools: endpoint, arguments schema, write-only credentials",
        "A “test call” button that runs the tool once",
        "Knowledge search tools for your documents",
      ]}
    />
  );
}
