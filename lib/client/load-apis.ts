// The API clients bring their response schemas (zod): kept out of pages' first load and
// fetched when they are likely to be needed, once.
let generationsApi: Promise<typeof import("./generations-api")> | null = null;
let takesApi: Promise<typeof import("./takes-api")> | null = null;
let createdByKeyApi: Promise<typeof import("./created-by-key-api")> | null = null;

export const loadGenerationsApi = () => (generationsApi ??= import("./generations-api"));
export const loadTakesApi = () => (takesApi ??= import("./takes-api"));
export const loadCreatedByKeyApi = () => (createdByKeyApi ??= import("./created-by-key-api"));
