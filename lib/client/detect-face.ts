import type { Area } from "./crop-math";

const DETECTION_SIZE = 512;

/**
 * Finds the most prominent face, loading the detector (library and weights) only now,
 * after a drop: none of it is in the first-load bundle. Null when no face is found or
 * the detector cannot run here.
 */
export async function detectFace(file: Blob): Promise<Area | null> {
  try {
    const faceapi = await import("@vladmandic/face-api");
    if (!faceapi.nets.tinyFaceDetector.isLoaded) await faceapi.nets.tinyFaceDetector.loadFromUri("/models");
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, DETECTION_SIZE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const detections = await faceapi.detectAllFaces(canvas, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.4 }));
    const best = detections.sort((a, b) => b.box.area - a.box.area)[0];
    if (!best) return null;
    const { x, y, width, height } = best.box;
    return { x: x / scale, y: y / scale, width: width / scale, height: height / scale };
  } catch {
    return null;
  }
}
