import { type LoaderFunctionArgs } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { apiError, isApiRequest } from "~/http.server";

// Any path no route claims: JSON for API clients, otherwise a 404 for the error boundary.
export function loader({ request }: LoaderFunctionArgs) {
  if (isApiRequest(request)) throw apiError(404, "not_found", "No such API endpoint");
  throw new Response("Not found", { status: 404 });
}

// A POST to an unknown API path is answered the same way (not Remix's 405 page).
export function action({ request }: LoaderFunctionArgs) {
  return loader({ request, params: {}, context: {} });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
