import * as faceapi from "@vladmandic/face-api";

/**
 * Face detection off the main thread: the model (TensorFlow.js on the CPU where there
 * is no GPU) takes seconds on a phone, which would otherwise freeze the cropper.
 */
type Unsafe<T> = T & never;
const unavailable = () => {
  throw new Error("not available in a worker");
};
// face-api expects a page; a worker offers OffscreenCanvas instead of DOM elements.
faceapi.env.setEnv({
  Canvas: OffscreenCanvas as Unsafe<typeof OffscreenCanvas>,
  CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D as Unsafe<typeof OffscreenCanvasRenderingContext2D>,
  Image: class {} as Unsafe<unknown>,
  ImageData,
  Video: class {} as Unsafe<unknown>,
  createCanvasElement: () => new OffscreenCanvas(1, 1) as Unsafe<OffscreenCanvas>,
  createImageElement: unavailable,
  createVideoElement: unavailable,
  fetch: (url: string, init?: RequestInit) => fetch(url, init),
  readFile: unavailable,
});

let loaded: Promise<void> | null = null;

self.onmessage = async (event: MessageEvent<{ bitmap: ImageBitmap }>) => {
  const { bitmap } = event.data;
  try {
    loaded ??= faceapi.nets.tinyFaceDetector.loadFromUri(`${self.location.origin}/models`);
    await loaded;
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("no 2d context in the worker");
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const input = faceapi.tf.browser.fromPixels(pixels);
    const detections = await faceapi.detectAllFaces(
      input as Unsafe<typeof input>,
      new faceapi.TinyFaceDetectorOptions({ inputSize: 320, scoreThreshold: 0.4 }),
    );
    input.dispose();
    const best = detections.sort((a, b) => b.box.area - a.box.area)[0];
    self.postMessage({ box: best ? { x: best.box.x, y: best.box.y, width: best.box.width, height: best.box.height } : null });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    bitmap.close();
  }
};
