import { type LoaderFunctionArgs } from "@remix-run/node";
import { metricsResponse } from "~/metrics/exposition.server";
import { readPlatformMetrics } from "~/metrics/platform-metrics.server";

/**
 * Prometheus metrics of this web process and of the platform (read from the
 * database at scrape time), behind METRICS_TOKEN (see metrics/access.server.ts).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return metricsResponse(request, () => readPlatformMetrics());
}
