import { expect, test, type Page } from "@playwright/test";
import { signUp, uniqueEmail, waitForHydration, waitForTaskBoard } from "./support";

// The release build scripts/test.sh serves is split (`--split`): the account page, and the
// forgot- and reset-password pages, live in WASM chunks of their own (README, "Pages loaded on
// demand").

const ACCOUNT_CHUNK = /^\/pkg\/split___account_route_view_\d+\.wasm$/;

/** Records the path of every WASM file the page requests, from now on. */
function recordWasm(page: Page): string[] {
  const paths: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) {
      paths.push(path);
    }
  });
  return paths;
}

/**
 * Tries a password change with a wrong current password. The hydrated page shows the error in
 * place and stays at `/account`; a page that is not hydrated posts the form and is sent back to
 * `/account?form=password&error=…`.
 */
async function expectInteractive(page: Page) {
  await page.getByLabel("Current password", { exact: true }).fill("not-my-password-at-all");
  await page.getByLabel("New password", { exact: true }).fill("a new password nobody uses 9");
  await page.getByRole("button", { name: "Change password", exact: true }).click();
  await expect(page.getByTestId("password-current_password-error")).toHaveText(
    "The password is not correct.",
  );
  const url = new URL(page.url());
  expect(url.pathname + url.search).toBe("/account");
}

test("the tasks page loads only the main module; the account page fetches its chunk when opened", async ({
  page,
}) => {
  const wasm = recordWasm(page);
  await signUp(page, "Ada", uniqueEmail("chunks"));
  await waitForTaskBoard(page);
  expect([...new Set(wasm)]).toEqual(["/pkg/tasks.wasm"]);

  await page.getByRole("link", { name: "Account", exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  expect(wasm.filter((path) => ACCOUNT_CHUNK.test(path))).toHaveLength(1);
  await expectInteractive(page);
});

test("a first visit straight to the account page hydrates once its chunk has arrived", async ({
  page,
}) => {
  await signUp(page, "Grace", uniqueEmail("direct"));
  const wasm = recordWasm(page);
  await page.goto("/account");
  await waitForHydration(page);
  expect(wasm).toContain("/pkg/tasks.wasm");
  expect(wasm.filter((path) => ACCOUNT_CHUNK.test(path))).toHaveLength(1);
  await expectInteractive(page);
});
