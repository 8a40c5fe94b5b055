import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeReturnPath } from "@/lib/contracts/login";
import { env } from "@/lib/env";
import { hasOwnerSession } from "@/lib/server/owner";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in · Portrait Live", robots: { index: false } };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const returnTo = safeReturnPath(typeof next === "string" ? next : undefined);
  if (!env().APP_PASSWORD || (await hasOwnerSession())) redirect(returnTo);
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-4">
      <div>
        <h1 className="text-2xl font-semibold text-neutral-900 dark:text-neutral-50">Portrait Live</h1>
        <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">This server is private. Enter its password to continue.</p>
      </div>
      <LoginForm returnTo={returnTo} />
    </main>
  );
}
