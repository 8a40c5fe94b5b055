import type { Area } from "./crop-math";
import { renderCrop, type ExportOptions } from "./render-crop";

interface ExportRequest {
  file: Blob;
  area: Area;
  options: ExportOptions;
}

self.onmessage = async (event: MessageEvent<ExportRequest>) => {
  try {
    const blob = await renderCrop(event.data.file, event.data.area, event.data.options);
    self.postMessage({ blob });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
