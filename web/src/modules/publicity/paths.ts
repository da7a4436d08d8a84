// Which paths are public pages (no session, outside the staff shell): read by App.tsx without loading the pages.

/** Pages that draw the whole window themselves. */
export const BARE_PUBLIC_PATHS = ['/bigscreen', '/citizen/services'] as const;

export function isPublicPath(pathname: string): boolean {
  const path = pathname.replace(/\/+$/, '') || '/';
  return (BARE_PUBLIC_PATHS as readonly string[]).includes(path) || path === '/public' || path.startsWith('/public/') || isCitizenApprovalPath(path);
}

/** The citizen portal's apply / my cases pages (apply/CitizenApproval.tsx): public frame, the citizen's own session. */
export function isCitizenApprovalPath(path: string): boolean {
  return path === '/citizen/approval' || path.startsWith('/citizen/approval/');
}
