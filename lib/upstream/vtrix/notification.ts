import { wireNotificationSchema } from "./wire";

/** The task id a callback body names, or null; the tracker verifies it with the gateway before use. */
export function taskIdFromNotification(body: unknown): string | null {
  const parsed = wireNotificationSchema.safeParse(body);
  if (!parsed.success) return null;
  const { id, task_id: taskIdSnake, taskId, data } = parsed.data;
  return id ?? taskIdSnake ?? taskId ?? data?.id ?? data?.task_id ?? data?.taskId ?? null;
}
