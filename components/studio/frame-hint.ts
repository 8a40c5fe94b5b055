import type { Area, ZoomLimit } from "@/lib/client/crop-math";
import { IMAGE_RULES } from "@/lib/contracts/image-rules";

/** The line under the frame: the zoom's limit first, then what face detection found. */
export function frameHint(state: { limit: ZoomLimit; atLimit: boolean; face: Area | null | undefined; framedOnFace: boolean }): string {
  if (state.limit.max <= 1 + 1e-3) return "This photo is only just large enough for this frame, so it cannot zoom in further.";
  if (state.atLimit && state.limit.reason === "min-size") {
    return `That is as close as it goes: a tighter frame would keep ${IMAGE_RULES.minShortSideExclusive} px or less of your photo on its short side, and the model needs more.`;
  }
  if (state.atLimit) return "That is the closest zoom.";
  if (state.face === undefined) return "Looking for a face to centre the frame…";
  if (state.face === null) return "No face found, so the frame is centred. The model works best on portraits with a clear face.";
  if (!state.framedOnFace) return "Face found. Pick a frame shape to centre on it again.";
  return "Framed on the face. Drag or use the arrow keys to adjust.";
}
