import type { Area } from "./crop-math";
import type { WorkingImage } from "./decode-portrait";

const DETECTION_SIZE = 512;
const TIME_LIMIT_MS = 20_000;

/**
 * Finds the most prominent face in a worker, which loads the detector (library and
 * weights) only now, after a drop: none of it is in the first-load bundle. Null when
 * no face is found or the detector cannot run here; the frame then stays centred.
 */
export async function detectFace(image: WorkingImage): Promise<Area | null> {
  if (typeof Worker === "undefined" || typeof OffscreenCanvas === "undefined") return null;
  const upright = image.bitmap;
  const detectionScale = Math.min(1, DETECTION_SIZE / Math.max(upright.width, upright.height));
  const small = await createImageBitmap(upright, {
    resizeWidth: Math.max(1, Math.round(upright.width * detectionScale)),
    resizeHeight: Math.max(1, Math.round(upright.height * detectionScale)),
    resizeQuality: "medium",
  });
  // Detection pixels → source pixels (the bitmap itself may be a scaled decode).
  const scale = detectionScale * image.scale;
  const worker = new Worker(new URL("./face-detector.worker.ts", import.meta.url), { type: "module" });
  try {
    const box = await new Promise<Area | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), TIME_LIMIT_MS);
      worker.onmessage = (event: MessageEvent<{ box?: Area | null; error?: string }>) => {
        clearTimeout(timer);
        if (event.data.error) console.warn(`Face detection unavailable: ${event.data.error}`);
        resolve(event.data.box ?? null);
      };
      worker.onerror = () => {
        clearTimeout(timer);
        resolve(null);
      };
      worker.postMessage({ bitmap: small }, [small]);
    });
    return box && { x: box.x / scale, y: box.y / scale, width: box.width / scale, height: box.height / scale };
  } finally {
    worker.terminate();
  }
}
