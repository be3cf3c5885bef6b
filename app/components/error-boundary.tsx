import { isRouteErrorResponse, Link, useParams, useRouteError, type ErrorResponse, type Params } from "@remix-run/react";
import { type ReactNode } from "react";

export type StatusHandler = (info: { error: ErrorResponse; params: Params }) => ReactNode;

type Notice = { status: number; title: string; detail: ReactNode; back?: { to: string; label: string } };

const startPage = { to: "/", label: "Back to the start page" };

/** The message a user sees instead of a page, with one way out of it. */
export function ErrorNotice({ status, title, detail, back = startPage }: Notice) {
  return (
    <main className="mx-auto flex w-full max-w-2xl flex-1 flex-col items-start justify-center gap-4 px-6 py-16">
      <p className="text-sm font-semibold text-brand-600">Error {status}</p>
      <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
      <div className="text-slate-600">{detail}</div>
      <Link to={back.to} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        {back.label}
      </Link>
    </main>
  );
}

/** What every page says for the statuses the guards throw; a route passes its own handler where it can say more. */
export const defaultStatusHandlers: Record<number, StatusHandler> = {
  403: () => (
    <ErrorNotice status={403} title="You don't have access to this page" detail="Your role does not allow this. Ask a workspace admin if you need access." />
  ),
  404: () => <ErrorNotice status={404} title="Page not found" detail="The page you asked for does not exist or has moved." />,
  423: () => (
    <ErrorNotice
      status={423}
      title="This workspace is paused"
      detail="The platform operator has paused this workspace, so its pages and nightly runs are on hold. Nothing has been deleted; contact your operator to resume it."
    />
  ),
};

const somethingWentWrong = "We could not complete your request. It has been logged; please try again in a moment.";

/** Developers see the error itself; users never see a stack trace or a server message. */
function unexpectedDetail(error: unknown): ReactNode {
  if (process.env.NODE_ENV !== "development" || !(error instanceof Error)) return somethingWentWrong;
  return (
    <>
      <p>{error.message}</p>
      <pre className="mt-2 max-w-full overflow-x-auto whitespace-pre-wrap text-xs">{error.stack}</pre>
    </>
  );
}

export function GeneralErrorBoundary({
  statusHandlers,
  defaultStatusHandler = ({ error }) => <ErrorNotice status={error.status} title="Something went wrong" detail={somethingWentWrong} />,
  unexpectedErrorHandler = (error) => <ErrorNotice status={500} title="Something went wrong" detail={unexpectedDetail(error)} />,
}: {
  statusHandlers?: Record<number, StatusHandler>;
  defaultStatusHandler?: StatusHandler;
  unexpectedErrorHandler?: (error: unknown) => ReactNode;
}) {
  const error = useRouteError();
  const params = useParams();
  if (!isRouteErrorResponse(error)) return <>{unexpectedErrorHandler(error)}</>;
  const handler = statusHandlers?.[error.status] ?? defaultStatusHandlers[error.status] ?? defaultStatusHandler;
  return <>{handler({ error, params })}</>;
}
