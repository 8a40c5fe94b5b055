import type { Area } from "./crop-math";
import { DEFAULT_EXPORT, renderCrop, type ExportOptions } from "./render-crop";

/**
 * The upload payload: a JPEG of the crop, made in a worker so a 24 MP photo never
 * freezes the page; falls back to the page where workers cannot draw.
 */
export async function exportCrop(file: Blob, area: Area, options: ExportOptions = DEFAULT_EXPORT): Promise<Blob> {
  if (typeof Worker === "undefined" || typeof OffscreenCanvas === "undefined") return renderCrop(file, area, options);
  const worker = new Worker(new URL("./export-crop.worker.ts", import.meta.url), { type: "module" });
  try {
    return await new Promise<Blob>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ blob?: Blob; error?: string }>) =>
        event.data.blob ? resolve(event.data.blob) : reject(new Error(event.data.error ?? "export failed"));
      worker.onerror = () => reject(new Error("export worker failed"));
      worker.postMessage({ file, area, options });
    });
  } catch {
    return renderCrop(file, area, options);
  } finally {
    worker.terminate();
  }
}

export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("could not read the image"));
    reader.readAsDataURL(blob);
  });
}
