import { newGenerationRecord, type GenerationRecord, type NewGenerationFields } from "@/lib/generations/generation-record";
import { newCallbackSecret, newGenerationId } from "@/lib/generations/ids";

/**
 * A generation record as tests need one: a new live generation from a 720×960 portrait,
 * with only what a test cares about given. `fields` are those of a new generation;
 * `state` sets anything it has moved on to since (status, result, ...).
 */
export function aGeneration(fields: Partial<NewGenerationFields> = {}, state: Partial<GenerationRecord> = {}): GenerationRecord {
  const id = fields.id ?? newGenerationId();
  const fresh = newGenerationRecord({
    id,
    shareToken: null,
    mode: "live",
    prompt: "",
    promptOptimizer: true,
    watermark: false,
    inputKey: `inputs/${id}.jpg`,
    inputWidth: 720,
    inputHeight: 960,
    callbackSecret: newCallbackSecret(),
    idempotencyKey: null,
    createdAt: new Date().toISOString(),
    ...fields,
  });
  return { ...fresh, ...state };
}
