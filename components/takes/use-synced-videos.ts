"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/** Followers further than this from the leader are put back on its time. */
const MAX_DRIFT_S = 0.1;

/**
 * One transport for several videos: play and pause all at once, scrub all to one time, and
 * keep followers on the leader's time while they play (looping included).
 */
export function useSyncedVideos() {
  const videos = useRef(new Map<string, HTMLVideoElement>());
  const [playing, setPlaying] = useState(true);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const playingRef = useRef(playing);
  useEffect(() => {
    playingRef.current = playing;
  }, [playing]);

  const leader = () => videos.current.values().next().value as HTMLVideoElement | undefined;

  const align = useCallback(() => {
    const lead = leader();
    if (!lead) return;
    // The scrubber moves in tenths: re-rendering on every frame would be wasted work.
    setTime(Math.round(lead.currentTime * 10) / 10);
    if (Number.isFinite(lead.duration)) setDuration(lead.duration);
    for (const video of videos.current.values()) {
      if (video !== lead && Math.abs(video.currentTime - lead.currentTime) > MAX_DRIFT_S) video.currentTime = lead.currentTime;
    }
  }, []);

  useEffect(() => {
    // timeupdate fires only ~4 times a second: a frame clock keeps the drift small.
    let frame = 0;
    const tick = () => {
      align();
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [align]);

  const register = useCallback((id: string, video: HTMLVideoElement | null) => {
    if (!video) {
      videos.current.delete(id);
      return;
    }
    if (videos.current.get(id) === video) return;
    const lead = leader();
    videos.current.set(id, video);
    if (lead && lead !== video) video.currentTime = lead.currentTime;
    if (playingRef.current) void video.play().catch(() => undefined);
  }, []);

  const setAllPlaying = useCallback((play: boolean) => {
    setPlaying(play);
    const lead = leader();
    for (const video of videos.current.values()) {
      if (lead && video !== lead) video.currentTime = lead.currentTime;
      if (play) void video.play().catch(() => undefined);
      else video.pause();
    }
  }, []);

  const seek = useCallback((seconds: number) => {
    for (const video of videos.current.values()) video.currentTime = seconds;
    setTime(seconds);
  }, []);

  return { register, playing, toggle: () => setAllPlaying(!playing), seek, time, duration };
}
