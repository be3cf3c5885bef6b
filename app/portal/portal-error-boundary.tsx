import { ErrorNotice, GeneralErrorBoundary } from "~/components/error-boundary";

/** The portal's pages say why a member who is not an admin cannot open them, and send them back to their workspace. */
export function PortalErrorBoundary() {
  return (
    <GeneralErrorBoundary
      statusHandlers={{
        403: () => (
          <ErrorNotice
            status={403}
            title="The tenant portal is for your workspace's admins"
            detail="The portal shows your plan, your Odoo modules, your sign-in settings and support requests. Ask one of your workspace's admins, or the platform's support, if you need something there."
            back={{ to: "/app", label: "Back to your workspace" }}
          />
        ),
      }}
    />
  );
}
