import { ExposureNotice } from "@/components/layout/exposure-notice";
import { RecentStripLazy } from "@/components/studio/recent-strip-lazy";
import { Studio } from "@/components/studio/studio";
import { VIDEO_SPEC } from "@/lib/contracts/video-spec";
import { requireOwnerPage } from "@/lib/server/owner";

export default async function StudioPage() {
  await requireOwnerPage("/");
  return (
    <main className="mx-auto flex w-full max-w-6xl flex-col gap-10 px-4 py-8">
      <ExposureNotice />
      <div className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold tracking-tight text-neutral-900 dark:text-neutral-50">Bring a portrait to life</h1>
        <p className="max-w-2xl text-neutral-600 dark:text-neutral-400">
          Drop a photo, frame the face, describe a small movement, and get a {`${VIDEO_SPEC.durationSeconds}-second ${VIDEO_SPEC.resolution}`} video.
        </p>
      </div>
      <Studio />
      <RecentStripLazy />
    </main>
  );
}
