import "server-only";
import * as access from "@/lib/security/access";
import * as login from "@/lib/security/login";
import * as session from "@/lib/security/session";
import { services } from "./services";

/*
 * The owner checks and sign-in, bound to this server's store: lib/security decides, and is
 * handed what it needs, so only the wiring reaches for the services.
 */

export const requireOwner = async (request: Request, options?: { mutation?: boolean }) => access.requireOwner((await services()).sessions, request, options);

export const requireOwnerPage = async (returnTo: string) => access.requireOwnerPage((await services()).sessions, returnTo);

export const hasOwnerSession = async () => session.hasOwnerSession((await services()).sessions);

export const logIn = async (request: Request, password: string, client: string) => login.logIn(await services(), request, password, client);

export const logOut = async (request: Request) => login.logOut(await services(), request);

export const logOutEverywhere = async (request: Request) => login.logOutEverywhere(await services(), request);
