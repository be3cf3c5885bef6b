import { Link, useLocation } from "@remix-run/react";

/** Previous / next links that keep the other query parameters. */
export function Pagination({ page, pages, param = "page" }: { page: number; pages: number; param?: string }) {
  const location = useLocation();
  if (pages <= 1) return null;
  const href = (target: number) => {
    const search = new URLSearchParams(location.search);
    search.set(param, String(target));
    return `${location.pathname}?${search.toString()}`;
  };
  const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-600">
      <span>
        Page {page} of {pages}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link to={href(page - 1)} className={linkClass} rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link to={href(page + 1)} className={linkClass} rel="next">
            Next
          </Link>
        ) : null}
      </span>
    </nav>
  );
}

export function pageParam(url: URL, param = "page"): number {
  const value = Number(url.searchParams.get(param) ?? "1");
  return Number.isInteger(value) && value > 0 && value < 100_000 ? value : 1;
}

/** Where a page number past the end goes instead: the last page, other parameters kept. */
export function lastPageHref(url: URL, pages: number, param = "page"): string {
  const search = new URLSearchParams(url.search);
  if (pages > 1) search.set(param, String(pages));
  else search.delete(param);
  const query = search.toString();
  return `${url.pathname}${query ? `?${query}` : ""}`;
}
