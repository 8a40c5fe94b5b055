"use client";

import { useMemo, useState, type KeyboardEvent } from "react";
import Cropper, { type Area as CropperArea } from "react-easy-crop";
import { availablePresets, frameAround, maxZoomFor, type Area, type Size } from "@/lib/client/crop-math";

const PAN_STEP = 12;
const ZOOM_STEP = 0.1;

export interface FrameEditorProps {
  image: Size & { previewUrl: string };
  /** undefined while detection runs; null when no face was found. */
  face: Area | null | undefined;
  onAreaChange: (area: Area) => void;
}

/**
 * Framing with react-easy-crop. The frame never leaves the 2:5–5:2 band (only such
 * presets exist) and zoom stops before its short side reaches 300 source pixels.
 */
export function FrameEditor({ image, face, onAreaChange }: FrameEditorProps) {
  const presets = useMemo(() => availablePresets(image), [image]);
  const [presetId, setPresetId] = useState(() => presets.find((preset) => preset.id === "3:4")?.id ?? presets[0]?.id ?? "1:1");
  const preset = presets.find((candidate) => candidate.id === presetId) ?? presets[0];
  const ratio = preset?.ratio ?? 1;
  const maxZoom = maxZoomFor(image, ratio);
  const [crop, setCrop] = useState({ x: 0, y: 0 });
  const [zoom, setZoom] = useState(1);
  const [zoomRefused, setZoomRefused] = useState(false);

  const faceCentre = face ? { x: face.x + face.width / 2, y: face.y + face.height / 2 } : null;
  const initialArea = useMemo(() => frameAround(image, ratio, faceCentre), [image, ratio, faceCentre?.x, faceCentre?.y]); // eslint-disable-line react-hooks/exhaustive-deps

  const changeZoom = (next: number) => {
    setZoomRefused(next > maxZoom + 1e-6);
    setZoom(Math.min(Math.max(1, next), maxZoom));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setCrop((current) => ({ x: current.x + move[0], y: current.y + move[1] }));
    } else if (event.key === "+" || event.key === "=") {
      event.preventDefault();
      changeZoom(zoom + ZOOM_STEP);
    } else if (event.key === "-") {
      event.preventDefault();
      changeZoom(zoom - ZOOM_STEP);
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="relative h-[min(70dvh,520px)] w-full overflow-hidden rounded-3xl bg-neutral-900" data-testid="crop-stage" data-image-width={image.width} data-image-height={image.height}>
        <Cropper
          // Re-key when the face or aspect changes so the initial framing applies again.
          key={`${presetId}:${initialArea.x}:${initialArea.y}`}
          image={image.previewUrl}
          aspect={ratio}
          crop={crop}
          zoom={zoom}
          maxZoom={maxZoom}
          objectFit="contain"
          initialCroppedAreaPixels={initialArea}
          onCropChange={setCrop}
          onZoomChange={changeZoom}
          onCropComplete={(_area: CropperArea, pixels: CropperArea) => onAreaChange(pixels)}
          cropperProps={{
            tabIndex: 0,
            role: "application",
            "aria-label": "Portrait frame. Drag or use the arrow keys to move it; plus and minus zoom.",
            onKeyDown,
          }}
          // Added to the library's own classes (cropperProps.className would replace them).
          classes={{ cropAreaClassName: "focus-visible:outline focus-visible:outline-4 focus-visible:outline-indigo-400" }}
          mediaProps={{ alt: "Your portrait" }}
        />
      </div>

      <fieldset className="flex flex-wrap gap-2">
        <legend className="mb-1 text-sm font-medium text-neutral-800 dark:text-neutral-200">Frame</legend>
        {presets.map((candidate) => (
          <label key={candidate.id} className="cursor-pointer">
            <input
              type="radio"
              name="aspect"
              value={candidate.id}
              checked={candidate.id === presetId}
              onChange={() => {
                setPresetId(candidate.id);
                setZoom(1);
                setZoomRefused(false);
              }}
              className="peer sr-only"
            />
            <span className="block rounded-full border border-neutral-300 px-3 py-1 text-sm font-medium text-neutral-700 peer-checked:border-indigo-600 peer-checked:bg-indigo-600 peer-checked:text-white peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 dark:border-neutral-700 dark:text-neutral-200">
              {candidate.label}
            </span>
          </label>
        ))}
      </fieldset>

      <label className="flex items-center gap-3 text-sm text-neutral-800 dark:text-neutral-200">
        Zoom
        <input
          type="range"
          min={1}
          max={maxZoom}
          step={0.01}
          value={zoom}
          onChange={(event) => changeZoom(Number(event.currentTarget.value))}
          className="flex-1 accent-indigo-600"
          aria-valuetext={`${zoom.toFixed(1)}×`}
        />
      </label>
      <p className="min-h-5 text-sm text-neutral-600 dark:text-neutral-400" aria-live="polite" data-testid="frame-hint">
        {zoomRefused || zoom >= maxZoom - 1e-3
          ? "That is as close as it goes: zooming further would leave 300 px or less on the short side, below what the model accepts."
          : face === undefined
            ? "Looking for a face to centre the frame…"
            : face === null
              ? "No face found, so the frame is centred. The model works best on portraits with a clear face."
              : "Framed on the face. Drag to adjust."}
      </p>
    </div>
  );
}
