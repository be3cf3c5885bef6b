/** A grey placeholder block shown while content loads; hidden from screen readers, which get the busy region instead. */
export function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden className={`animate-pulse rounded-md bg-slate-200/80 ${className}`} />;
}
