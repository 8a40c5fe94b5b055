"use client";

import { useMemo, useState, type KeyboardEvent } from "react";
import Cropper, { type Area as CropperArea } from "react-easy-crop";
import { availablePresets, frameAround, zoomLimit, type Area, type Size } from "@/lib/client/crop-math";
import { frameHint } from "./frame-hint";
import { FramePresetPicker } from "./frame-preset-picker";

const PAN_STEP_PX = 12;
const ZOOM_STEP = 0.1;

export interface FrameEditorProps {
  /** `scale`: how finely the photo was decoded (bitmap pixels per source pixel). */
  image: Size & { previewUrl: string; scale: number };
  /** undefined while detection runs; null when no face was found. */
  face: Area | null | undefined;
  onAreaChange: (area: Area) => void;
  /** A click is on its way with this framing: nothing may move it (nor a face found late). */
  locked?: boolean;
}

/**
 * Framing with react-easy-crop. The frame never leaves the 2:5–5:2 band (only such
 * presets exist) and zoom stops before its short side reaches 300 source pixels.
 */
export function FrameEditor({ image, face, onAreaChange, locked = false }: FrameEditorProps) {
  const presets = useMemo(() => availablePresets(image), [image]);
  const [presetId, setPresetId] = useState(() => presets.find((preset) => preset.id === "3:4")?.id ?? presets[0]?.id ?? "1:1");
  const ratio = (presets.find((candidate) => candidate.id === presetId) ?? presets[0])?.ratio ?? 1;
  const limit = zoomLimit(image, ratio);
  const [crop, setCrop] = useState({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [zoomRefused, setZoomRefused] = useState(false);

  // A face found after the user has moved the frame must not snap it away from their choice.
  const [adjusted, setAdjusted] = useState(false);
  const [framingFace, setFramingFace] = useState(face);
  if (face !== framingFace && !adjusted && !locked) setFramingFace(face);
  const focus = framingFace ? { x: framingFace.x + framingFace.width / 2, y: framingFace.y + framingFace.height / 2 } : null;
  const initialArea = useMemo(() => frameAround(image, ratio, focus), [image, ratio, focus?.x, focus?.y]); // eslint-disable-line react-hooks/exhaustive-deps -- the focus point by value, not by identity

  const changeZoom = (next: number) => {
    setZoomRefused(next > limit.max + 1e-6);
    setZoom(Math.min(Math.max(1, next), limit.max));
  };

  // Arrows are the cropper's own (it keeps the photo inside the frame); + and - zoom.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "+" || event.key === "=" ? ZOOM_STEP : event.key === "-" || event.key === "_" ? -ZOOM_STEP : 0;
    if (!step) return;
    event.preventDefault();
    setAdjusted(true);
    changeZoom(zoom + step);
  };

  const hint = frameHint({ limit, atLimit: zoomRefused || zoom >= limit.max - 1e-3, face, framedOnFace: framingFace === face });

  return (
    <fieldset disabled={locked} className="flex min-w-0 flex-col gap-4 disabled:opacity-70" data-locked={locked ? "true" : undefined}>
      {/* Not itself interactive: its keydown adds + and - to the focusable frame inside. */}
      <div
        className="relative h-[min(65dvh,520px)] min-h-72 w-full overflow-hidden rounded-3xl bg-neutral-900"
        data-testid="crop-stage"
        data-image-width={image.width}
        data-image-height={image.height}
        data-decode-scale={image.scale.toFixed(3)}
        onKeyDown={onKeyDown}
        inert={locked}
      >
        <Cropper
          // Re-keyed when the shape or the face changes, so the initial framing applies again.
          key={`${presetId}:${initialArea.x}:${initialArea.y}`}
          image={image.previewUrl}
          aspect={ratio}
          crop={crop}
          zoom={zoom}
          maxZoom={limit.max}
          keyboardStep={PAN_STEP_PX}
          objectFit="contain"
          initialCroppedAreaPixels={initialArea}
          onCropChange={setCrop}
          onZoomChange={changeZoom}
          onInteractionStart={() => setAdjusted(true)}
          onCropComplete={(_area: CropperArea, pixels: CropperArea) => onAreaChange(pixels)}
          cropperProps={{
            role: "application",
            "aria-label": "Portrait frame. Drag or use the arrow keys to move the photo; plus and minus zoom.",
            "aria-describedby": "frame-hint",
          }}
          // Added to the library's own classes (cropperProps.className would replace them).
          classes={{ cropAreaClassName: "focus-visible:outline focus-visible:outline-4 focus-visible:outline-indigo-400" }}
          mediaProps={{ alt: "Your portrait" }}
        />
      </div>

      <FramePresetPicker
        presets={presets}
        value={presetId}
        onChange={(id) => {
          setPresetId(id);
          setZoom(1);
          setZoomRefused(false);
          setAdjusted(false);
          setFramingFace(face);
        }}
      />

      <label className="flex items-center gap-3 text-sm font-medium text-neutral-800 dark:text-neutral-200">
        Zoom
        <input
          type="range"
          min={1}
          max={limit.max}
          step={0.01}
          value={zoom}
          disabled={limit.max <= 1 + 1e-3}
          onChange={(event) => {
            setAdjusted(true);
            changeZoom(Number(event.currentTarget.value));
          }}
          className="flex-1 accent-indigo-600 disabled:opacity-50"
          aria-valuetext={`${zoom.toFixed(1)}×`}
        />
      </label>
      <p id="frame-hint" className="min-h-10 text-sm text-neutral-600 dark:text-neutral-400" aria-live="polite" data-testid="frame-hint">
        {hint}
      </p>
    </fieldset>
  );
}
