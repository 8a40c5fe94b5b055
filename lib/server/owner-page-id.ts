import "server-only";
import { notFound } from "next/navigation";
import type { z } from "zod";
import { requireOwnerPage } from "./owner";

/** The id an owner page is about: without a session, to sign-in and back here; malformed, 404. */
export async function ownerPageId(params: Promise<{ id: string }>, pathOf: (id: string) => string, schema: z.ZodType<string>): Promise<string> {
  const { id } = await params;
  await requireOwnerPage(pathOf(id));
  const parsed = schema.safeParse(id);
  if (!parsed.success) notFound();
  return parsed.data;
}
