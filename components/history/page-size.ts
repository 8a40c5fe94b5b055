/** Videos per history page: the server renders the first page, the browser loads the rest. */
export const HISTORY_PAGE_SIZE = 24;
