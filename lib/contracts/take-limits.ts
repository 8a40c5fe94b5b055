/** How many takes one set may hold; apart from the schemas so the studio's first load needs no zod. */
export const MIN_TAKES = 1;
export const MAX_TAKES = 4;
