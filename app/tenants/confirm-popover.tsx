import { type ReactNode } from "react";

/**
 * An operation's confirmation: a button that opens what the operation does to
 * the workspace, and the form that starts it, so nothing happens on the first click.
 */
export function ConfirmPopover({
  label,
  title,
  impact,
  danger = false,
  wide = false,
  children,
}: {
  label: ReactNode;
  title: string;
  impact: ReactNode;
  danger?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <details className="relative">
      <summary
        className={`cursor-pointer list-none rounded-md px-3.5 py-2 text-sm font-medium ${danger ? "bg-red-600 text-white" : "border border-slate-300 bg-white text-slate-700"}`}
      >
        {label}
      </summary>
      <div
        role="dialog"
        aria-label={title}
        className={`absolute right-0 z-10 mt-2 ${wide ? "w-96" : "w-80"} rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg`}
      >
        <p className="font-semibold">{title}</p>
        <div className="mt-2 text-slate-600">{impact}</div>
        <div className="mt-3">{children}</div>
      </div>
    </details>
  );
}
