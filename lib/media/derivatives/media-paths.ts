/** Addresses of a result's frames and loops: shared by the pages (server and browser) and the routes. */
export const framePath = (id: string) => `/api/generations/${id}/frame`;
export const sharedFramePath = (token: string) => `/api/share/${token}/frame`;
/** The preview pages show first (see posterImage). */
export const smallFramePath = (id: string) => `${framePath(id)}?size=small`;
export const sharedSmallFramePath = (token: string) => `${sharedFramePath(token)}?size=small`;
export const loopsPath = (id: string) => `/api/generations/${id}/loops`;
export const sharedLoopsPath = (token: string) => `/api/share/${token}/loops`;
