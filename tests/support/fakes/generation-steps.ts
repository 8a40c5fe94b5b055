import type { GenerationRepository } from "@/lib/generations/generation-repository";

/** Moves a stored generation along the way the tracker would, through the repository's own transitions. */
const OWNER = "test-tracker";
const at = () => new Date().toISOString();

/** Claimed and marked as sent: the create has left, its answer not yet in. */
export async function sendCreate(repository: GenerationRepository, id: string): Promise<void> {
  await repository.claim(id, { owner: OWNER, until: new Date(Date.now() + 3_600_000).toISOString(), now: at() });
  if (!(await repository.beginSubmit(id, OWNER))) throw new Error(`could not mark ${id} as sent`);
}

/** Sent, answered, finished at the provider and stored. */
export async function finish(repository: GenerationRepository, id: string, options: { costUsd?: string | null; resultKey?: string } = {}): Promise<void> {
  await sendCreate(repository, id);
  await repository.update(id, { kind: "submitted", upstreamTaskId: `task-${id}` });
  await repository.update(id, { kind: "result_ready", resultUrl: "https://cdn.example/result.mp4", costUsd: options.costUsd ?? null });
  const stored = await repository.update(id, { kind: "stored", resultKey: options.resultKey ?? `videos/${id}.mp4`, resultBytes: 1, completedAt: at() });
  if (!stored) throw new Error(`could not finish ${id}`);
}

/** Failed before anything was sent. */
export async function failUnsent(repository: GenerationRepository, id: string): Promise<void> {
  if (!(await repository.update(id, { kind: "failed", code: "x", message: "x", completedAt: at() }))) throw new Error(`could not fail ${id}`);
}
