import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** While an operation is queued or running, the page reads again every few seconds so it shows the operation finish. */
export const LIVE_REFRESH_MS = 3000;

export function useLiveRefresh(live: boolean): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, revalidator]);
}
