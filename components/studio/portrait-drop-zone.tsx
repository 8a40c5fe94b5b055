"use client";

import { useDropzone } from "react-dropzone";

const ACCEPT_HINT = "image/jpeg,image/png,image/webp,image/heic,image/heif";

/** Drag and drop, click to browse, or take a photo on phones; one image at a time. */
export function PortraitDropZone({ onFile, busy }: { onFile: (file: File) => void; busy: boolean }) {
  const { getRootProps, getInputProps, isDragActive } = useDropzone({
    multiple: false,
    // Types are judged by their bytes after the drop, so every file gets a specific answer.
    onDrop: (accepted, rejected) => {
      const file = accepted[0] ?? rejected[0]?.file;
      if (file) onFile(file);
    },
  });

  return (
    <div className="flex flex-col gap-3">
      <div
        {...getRootProps({
          "aria-label": "Drop a portrait here, or press Enter to choose a file",
          "aria-describedby": "drop-hint",
        })}
        data-testid="drop-zone"
        className={`flex min-h-72 cursor-pointer flex-col items-center justify-center gap-3 rounded-3xl border-2 border-dashed p-8 text-center transition focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600 ${
          isDragActive
            ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950/40"
            : "border-neutral-300 bg-white hover:border-indigo-400 dark:border-neutral-700 dark:bg-neutral-900"
        }`}
      >
        <input {...getInputProps({ accept: ACCEPT_HINT })} data-testid="file-input" />
        <PortraitIcon />
        <p className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">
          {busy ? "Reading your photo…" : isDragActive ? "Drop it here" : "Drop a portrait, paste one, or click to choose"}
        </p>
        <p id="drop-hint" className="max-w-md text-sm text-neutral-600 dark:text-neutral-400">
          JPG, PNG or WebP under 20 MB, with the short side over 300 px. A clear, front-facing face works best.
        </p>
      </div>
      <label className="self-center text-sm font-medium text-indigo-700 underline-offset-2 hover:underline has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600 dark:text-indigo-300 sm:hidden">
        Take a photo
        <input
          type="file"
          accept="image/*"
          capture="user"
          className="sr-only"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) onFile(file);
            event.currentTarget.value = "";
          }}
        />
      </label>
    </div>
  );
}

/** Drawn rather than an emoji: emoji fonts are missing on some systems. */
function PortraitIcon() {
  return (
    <svg aria-hidden width="56" height="56" viewBox="0 0 56 56" fill="none" className="text-indigo-500 dark:text-indigo-400">
      <rect x="6" y="4" width="44" height="48" rx="10" stroke="currentColor" strokeWidth="2.5" />
      <circle cx="28" cy="22" r="8" stroke="currentColor" strokeWidth="2.5" />
      <path d="M14 46c2.5-7 8-10.5 14-10.5S39.5 39 42 46" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
