#!/usr/bin/env node
// Serves the face detector's weights (shipped inside the npm package) from /models/.
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const source = path.join(root, "node_modules", "@vladmandic", "face-api", "model");
const target = path.join(root, "public", "models");
mkdirSync(target, { recursive: true });
for (const file of ["tiny_face_detector_model-weights_manifest.json", "tiny_face_detector_model.bin"]) {
  copyFileSync(path.join(source, file), path.join(target, file));
}
