/** A paged list as a table: its loading, error and empty states, the table, and "Load more". */
import type { ReactNode } from "react";
import { ErrorState, Loading } from "./States";

interface PagedList {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  items: unknown[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

export function PagedTable({
  list,
  loadingLabel,
  empty,
  head,
  children,
}: {
  list: PagedList;
  loadingLabel: string;
  /** Shown when the list has no item: usually an `<Empty>`. */
  empty: ReactNode;
  /** The header row's cells. */
  head: ReactNode;
  /** The body rows. */
  children: ReactNode;
}) {
  if (list.isPending) return <Loading label={loadingLabel} />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.items.length === 0) return <>{empty}</>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {list.hasNextPage && (
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => void list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}
