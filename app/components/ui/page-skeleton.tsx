import { Skeleton } from "~/components/charts/skeleton";

type Navigation = { state: "idle" | "loading" | "submitting"; location?: { pathname: string } };

/**
 * Whether the workspace is on its way to another page, so the page being left
 * gives way to a skeleton. Filtering or paging within a page keeps that page
 * (which shows its own skeleton), and the chat keeps its thread list.
 */
export function opensAnotherPage(navigation: Navigation, currentPath: string): boolean {
  const next = navigation.state === "loading" ? navigation.location?.pathname : undefined;
  if (next === undefined || next === currentPath) return false;
  const inChat = (path: string) => path === "/app/chat" || path.startsWith("/app/chat/");
  return !(inChat(next) && inChat(currentPath));
}

/** A page-shaped placeholder: a title, then cards, with the loading state announced once. */
export function PageSkeleton() {
  return (
    <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 sm:px-6" aria-busy="true">
      <p role="status" className="sr-only">
        Loading the page…
      </p>
      <Skeleton className="mb-2 h-7 w-48" />
      <Skeleton className="mb-6 h-4 w-72 max-w-full" />
      <div className="grid gap-6 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
            <Skeleton className="h-5 w-32" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-5/6" />
            <Skeleton className="h-4 w-2/3" />
          </div>
        ))}
      </div>
    </main>
  );
}
