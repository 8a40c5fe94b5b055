import type { ReactNode } from "react";
import { SiteHeader } from "@/components/layout/site-header";

/** The owner's pages (studio, generation, history). Each page checks the session itself. */
export default function OwnerLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteHeader />
      {children}
    </>
  );
}
