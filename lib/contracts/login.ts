import { z } from "zod";

/** `POST /api/session`: sign in with APP_PASSWORD. */
export const loginBodySchema = z.strictObject({
  password: z.string({ error: "Enter the password." }).min(1, "Enter the password.").max(1024),
});

/** Only same-site paths may follow a login, never another origin. */
export function safeReturnPath(value: string | null | undefined): string {
  return value && /^\/(?!\/)[^\\\s]*$/.test(value) ? value : "/";
}
