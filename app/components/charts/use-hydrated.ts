import { useEffect, useState } from "react";

/**
 * False during server rendering and the first client render, true after.
 * Charts measure their container, which only exists in the browser; until
 * then the page shows a skeleton of the same size (and the table is there).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
