import { Coming } from "../Coming";

/** Knowledge base. Fills in when /api/admin/knowledge lands. */
export function KnowledgeScreen() {
  return (
    <Coming
      title="Knowledge"
      summary="The documents your agents answer from."
      features={["Upload documents with progress", "Document status and chunk counts", "Search preview: what an agent would retrieve"]}
    />
  );
}
