import "server-only";
import { customAlphabet, nanoid } from "nanoid";

/** 21 url-safe characters (126 bits): matches GENERATION_ID_PATTERN. */
export const newGenerationId = () => nanoid();
/** Same shape as a generation id: matches UPLOAD_ID_PATTERN. */
export const newUploadId = () => nanoid();
/** 24 url-safe characters = 144 random bits, above the 128 a guess-proof link needs. */
export const newShareToken = () => nanoid(24);
/** Part of the callback URL; 32 characters (192 bits). */
export const newCallbackSecret = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 32);
export const CALLBACK_SECRET_PATTERN = /^[0-9A-Za-z]{32}$/;
