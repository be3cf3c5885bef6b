import { requireRole, requireTenantUser, type TenantViewer } from "~/auth/guards.server";

/**
 * The tenant portal is for the workspace's admins (seed 004 §6): every
 * portal loader and action calls this first. Platform staff reach it only
 * as admins of a workspace they belong to; the control plane is their way in.
 */
export async function requirePortalAdmin(request: Request): Promise<TenantViewer> {
  return requireRole(request, await requireTenantUser(request), ["admin"]);
}

export const actorOf = (viewer: TenantViewer) => ({ sub: viewer.sub, email: viewer.email });
