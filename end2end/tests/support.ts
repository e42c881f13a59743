import { expect, type Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The password every test account uses: long enough and not on the common-password list. */
export const PASSWORD = "correct horse battery staple 7";

/** An email address no other test (or earlier run on the same data directory) uses. */
export function uniqueEmail(prefix: string): string {
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return `${prefix}-${nonce}@example.com`;
}

/** Fills and submits the sign-up form; the server then sends the browser to `/tasks`. */
export async function signUp(page: Page, name: string, email: string, password = PASSWORD) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/tasks$/);
}

/** Fills and submits the sign-in form at `path` (default `/sign-in`). */
export async function signIn(page: Page, email: string, password = PASSWORD, path = "/sign-in") {
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs out with the header's button and waits for the home page. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Waits until the tasks board is hydrated: its controls respond only from then on. */
export async function waitForTaskBoard(page: Page) {
  await expect(page.locator("section.task-board[data-hydrated=true]")).toBeVisible({
    timeout: 15_000,
  });
}

/** Everything scripts on the page can read from the browser's storage. */
export async function readableStorage(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async () => {
    const databases = "databases" in indexedDB ? await indexedDB.databases() : [];
    return {
      localStorage: Object.fromEntries(Object.entries(localStorage)),
      sessionStorage: Object.fromEntries(Object.entries(sessionStorage)),
      cookie: document.cookie,
      indexedDB: databases.map((db) => db.name),
    };
  });
}

/** A password long enough for the policy and on no list of common passwords. */
export function uniquePassword(): string {
  return `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
}

/** Signs in with the sign-in form and waits for `/tasks`. */
export async function signInToTasks(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/tasks$/);
}

/**
 * Waits until the WASM bundle has hydrated the page (the app then sets `data-hydrated` on the
 * document element), so that forms are sent by the app rather than posted by the browser.
 */
export async function waitForHydration(page: Page) {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 20_000 });
}

/** Opens `path`; with JavaScript on, also waits for hydration. */
export async function open(page: Page, path: string, javaScript: boolean) {
  await page.goto(path);
  if (javaScript) {
    await waitForHydration(page);
  }
}

/** Checks that the browser has no session: the account page sends it to sign in. */
export async function expectSignedOut(page: Page) {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?next=\/account$/);
}

/** One message of the development outbox, as its `.json` file records it. */
interface OutboxEntry {
  to: string;
  subject: string;
  link: string | null;
}

/**
 * The link of the newest message to `recipient` in the server's development outbox
 * (`<E2E_DATA_DIR>/outbox/*.json`, whose names sort by time) whose link contains `linkPart`.
 */
export function newestOutboxLink(recipient: string, linkPart: string): string | undefined {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) {
    throw new Error("E2E_DATA_DIR must name the data directory of the server under test");
  }
  const dir = join(dataDir, "outbox");
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch {
    return undefined;
  }
  for (const name of names.sort().reverse()) {
    const entry = JSON.parse(readFileSync(join(dir, name), "utf8")) as OutboxEntry;
    const to = entry.to.toLowerCase();
    const addressed = to === recipient || to.endsWith(`<${recipient}>`);
    if (addressed && entry.link?.includes(linkPart)) {
      return entry.link;
    }
  }
  return undefined;
}

/** Waits until a message to `recipient` with a link containing `linkPart` is in the outbox. */
export async function waitForOutboxLink(recipient: string, linkPart: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(() => (link = newestOutboxLink(recipient, linkPart)), {
      message: `a message to ${recipient} with a link to ${linkPart}`,
      timeout: 10_000,
    })
    .toBeTruthy();
  return link as string;
}
