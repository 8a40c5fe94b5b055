/** A quiet text button in a card's row of actions. */
export const cardAction =
  "rounded-lg px-2.5 py-1.5 text-sm font-medium text-neutral-700 hover:bg-neutral-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-50 dark:text-neutral-200 dark:hover:bg-neutral-800";

/** What went wrong with the last action, in the server's words; nothing when nothing did. */
export function ErrorAlert({ error }: { error: Error | null }) {
  return error ? (
    <p role="alert" className="text-sm text-red-700 dark:text-red-400">
      {error.message}
    </p>
  ) : null;
}
