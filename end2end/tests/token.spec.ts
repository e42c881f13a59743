import { expect, test } from "@playwright/test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";

import { signUp, uniqueEmail } from "./support";

test("a token from /api/auth/token verifies with jose against /api/auth/jwks", async ({
  page,
  baseURL,
}) => {
  const email = uniqueEmail("jose");
  await signUp(page, "Jose Verifier", email);

  const response = await page.request.get("/api/auth/token");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const { token } = (await response.json()) as { token: string };
  expect(decodeProtectedHeader(token).alg).toBe("EdDSA");

  // jose knows nothing of this server but the JWKS URL.
  const jwks = createRemoteJWKSet(new URL("/api/auth/jwks", baseURL));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: baseURL,
    audience: baseURL,
    algorithms: ["EdDSA"],
  });
  expect(payload.email).toBe(email);
  expect(payload.name).toBe("Jose Verifier");
  expect(payload.emailVerified).toBe(false);
  expect(typeof payload.sub).toBe("string");
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);

  // The tasks backend accepts the same token as a bearer.
  const tasks = await page.request.get("/api/tasks", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(tasks.status()).toBe(200);
  expect(await tasks.json()).toEqual([]);
});

test("a signed-out browser gets no token", async ({ request }) => {
  const response = await request.get("/api/auth/token");
  expect(response.status()).toBe(401);
});
