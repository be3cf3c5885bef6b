import { type AnalyticsConnection } from "./analytics-hub";

/** A tenant's analytics connection as a BI tool's settings ask for it; shared by the control plane and the workspace's settings. */
export function AnalyticsConnectionDetails({ connection }: { connection: AnalyticsConnection }) {
  const rows: Array<[string, string]> = [
    ["Host", connection.host],
    ["Port", String(connection.port)],
    ["Database", connection.database],
    ["User", connection.user],
    ["Schema", connection.schema],
    ["psql", connection.psql],
    ["JDBC", connection.jdbc],
  ];
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm" data-testid="analytics-connection">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="break-all font-mono text-xs">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
