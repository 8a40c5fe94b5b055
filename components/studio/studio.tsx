"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Area } from "@/lib/client/crop-math";
import { ApiRequestError } from "@/lib/client/api-request-error";
import { detectFace } from "@/lib/client/detect-face";
import { inspectImageFile, type InspectedImage } from "@/lib/client/inspect-image-file";
import { PROMPT_MAX_CODE_POINTS, promptLength } from "@/lib/contracts/prompt";
import { MotionPrompt, type MotionSettings } from "./motion-prompt";
import { PortraitDropZone } from "./portrait-drop-zone";
import { GenerateButton } from "./generate-button";
import { UploadStatus } from "./upload-status";
import { framingKeyFor, prepareToUpload, useCropUpload } from "./use-crop-upload";
import { useFrameEditor } from "./use-frame-editor";
import { usePasteImage } from "./use-paste-image";
import { prepareToStart, useStartFromStudio } from "./use-start-from-studio";
import { SINGLE_TAKE, takePrompts, takesProblem, TakesPicker, type TakesSettings } from "@/components/takes/takes-picker";
import { useTakeQuote } from "@/components/takes/use-take-quote";
import { singleGenerationNote } from "@/lib/client/take-quote";

type Portrait = Extract<InspectedImage, { ok: true }>;

function afterPaintAndIdle(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (typeof requestIdleCallback === "function") requestIdleCallback(() => resolve(), { timeout: 1000 });
        else resolve();
      }, 0),
    ),
  );
}

const sameArea = (a: Area, b: Area) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

function release(portrait: Portrait | null) {
  if (!portrait) return;
  URL.revokeObjectURL(portrait.previewUrl);
  portrait.bitmap.close();
}

/** Drop → frame → describe → generate. Everything the model would refuse is caught here first. */
export function Studio() {
  const [portrait, setPortrait] = useState<Portrait | null>(null);
  const [dropError, setDropError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [face, setFace] = useState<Area | null | undefined>(undefined);
  const [area, setArea] = useState<Area | null>(null);
  const [settings, setSettings] = useState<MotionSettings>({ prompt: "", promptOptimizer: true, watermark: false });
  // Takes: 1 is a single generation as before; more start a set compared side by side.
  const [takes, setTakes] = useState<TakesSettings>(SINGLE_TAKE);
  const quote = useTakeQuote(takes.count, portrait !== null);
  const takesError = takesProblem(takes, settings.prompt);
  const FrameEditor = useFrameEditor();
  const upload = useCropUpload(portrait, area);
  const start = useStartFromStudio(upload.uploader);
  // While a click is on its way, the composer shows what it sends and nothing can change it.
  const locked = start.busy;

  // The photo on screen: a slow detection for an earlier photo must not frame a later one.
  const currentFile = useRef<Blob | null>(null);

  const { clearError, isBusyNow } = start;
  const acceptFile = useCallback(
    async (file: Blob) => {
      // A paste while a click is on its way would change what that click pays for.
      if (isBusyNow()) return;
      setReading(true);
      setDropError(null);
      clearError();
      prepareToStart();
      prepareToUpload();
      const inspected = await inspectImageFile(file);
      setReading(false);
      if (!inspected.ok) {
        setDropError(inspected.message);
        return;
      }
      currentFile.current = file;
      setPortrait((previous) => {
        release(previous);
        return inspected;
      });
      setFace(undefined);
      setArea(null);
      // Let the frame paint first: the detector competes for the same cores.
      await afterPaintAndIdle();
      if (currentFile.current !== file) return;
      const found = await detectFace(inspected).catch(() => null);
      if (currentFile.current === file) setFace(found);
    },
    [clearError, isBusyNow],
  );
  usePasteImage(acceptFile);

  // Free the photo's preview and pixels when the studio closes.
  const current = useRef<Portrait | null>(null);
  useEffect(() => {
    current.current = portrait;
  }, [portrait]);
  useEffect(() => () => release(current.current), []);

  const promptTooLong = promptLength(settings.prompt) > PROMPT_MAX_CODE_POINTS;
  const serverError = start.error;
  const fieldError = (field: string) => (serverError instanceof ApiRequestError && serverError.field === field ? serverError.message : null);
  const generalError =
    serverError && !fieldError("prompt") && !fieldError("image")
      ? `${serverError.message}${start.state.phase === "failed" && start.state.outcomeUnknown ? " It may have started all the same: press Generate again to find out (you are never charged twice)." : ""}`
      : null;

  const canGenerate = portrait !== null && area !== null && !promptTooLong && (takes.count === 1 || takesError === null);
  const generate = () => {
    if (!portrait || !area || !canGenerate) return;
    const { promptOptimizer, watermark } = settings;
    start.start({ framingKey: framingKeyFor(portrait, area), prompts: takePrompts(takes, settings.prompt), promptOptimizer, watermark });
  };

  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <section aria-labelledby="step-portrait" className="flex flex-col gap-3">
        <h2 id="step-portrait" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">
          1. Your portrait
        </h2>
        {portrait ? (
          <>
            {FrameEditor ? (
              // eslint-disable-next-line react-hooks/static-components -- the hook returns the module's own component, not one made here
              <FrameEditor
                // A new photo starts a new framing (shape, zoom and face all reset).
                key={portrait.previewUrl}
                image={portrait}
                face={face}
                locked={locked}
                onAreaChange={(next) => {
                  // The cropper re-reports the same area on resizes; only a real change is a new request.
                  if (area && sameArea(area, next)) return;
                  setArea(next);
                }}
              />
            ) : (
              <div className="h-[min(65dvh,520px)] min-h-72 w-full animate-pulse rounded-3xl bg-neutral-200 dark:bg-neutral-800" />
            )}
            <UploadStatus state={upload.state} />
            <button
              type="button"
              disabled={locked}
              onClick={() => {
                clearError();
                currentFile.current = null;
                setPortrait((previous) => {
                  release(previous);
                  return null;
                });
                setArea(null);
              }}
              className="self-start text-sm font-medium text-indigo-700 underline-offset-2 hover:underline disabled:cursor-not-allowed disabled:opacity-60 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
            >
              Use a different photo
            </button>
          </>
        ) : (
          <PortraitDropZone onFile={(file) => void acceptFile(file)} busy={reading} />
        )}
        <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400" data-testid="drop-error">
          {dropError ?? fieldError("image")}
        </p>
      </section>

      <section aria-labelledby="step-motion" className="flex flex-col gap-4">
        <h2 id="step-motion" className="text-lg font-semibold text-neutral-900 dark:text-neutral-50">
          2. Describe the motion
        </h2>
        <fieldset disabled={locked} className="flex min-w-0 flex-col gap-4 disabled:opacity-70" data-testid="composer-inputs">
          <MotionPrompt value={settings} onChange={setSettings} error={fieldError("prompt")} />
          <TakesPicker value={takes} base={settings.prompt} onChange={setTakes} />
        </fieldset>
        <GenerateButton
          state={start.state}
          takes={takes.count}
          quoteUsd={quote?.totalUsd ?? null}
          upload={upload.state}
          disabled={!canGenerate}
          onGenerate={generate}
          onCancel={start.cancellable ? start.cancel : null}
        />
        {portrait && takes.count === 1 ? (
          <p className="text-sm text-neutral-700 dark:text-neutral-300" data-testid="generation-quote">
            {quote ? singleGenerationNote(quote) : null}
          </p>
        ) : null}
        {portrait && takes.count > 1 ? (
          <p className="text-sm text-neutral-700 dark:text-neutral-300" data-testid="takes-quote">
            {takesError ??
              quote?.refusal ??
              (quote && quote.willWait > 0 ? `${quote.willWait} of them will wait for a free slot and start by themselves.` : null)}
          </p>
        ) : null}
        {!portrait ? <p className="text-sm text-neutral-600 dark:text-neutral-400">Add a portrait to start.</p> : null}
        <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400" data-testid="generate-error">
          {generalError}
        </p>
      </section>
    </div>
  );
}
