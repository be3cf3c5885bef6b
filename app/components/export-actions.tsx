import { type ReactNode } from "react";

/**
 * A page's export links, or, once the plan's exports for the month are used
 * up, the plan's message in their place: a download link cannot show the
 * 402 its request would get.
 */
export function ExportActions({ refusal, children }: { refusal: string | null; children: ReactNode }) {
  if (!refusal) return <>{children}</>;
  return (
    <p role="status" className="max-w-sm rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {refusal}
    </p>
  );
}
