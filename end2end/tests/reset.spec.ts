import { expect, test } from "@playwright/test";
import {
  expectSignedOut,
  newestOutboxLink,
  open,
  signInToTasks,
  signUp,
  signIn,
  uniqueEmail,
  uniquePassword,
  waitForOutboxLink,
} from "./support";

/** The sentence the forgot-password page shows for every address, known or not. */
const LINK_SENT =
  "If an account exists for that address, we sent a link to reset the password. " +
  "It works for one hour.";

// The forms are sent by the hydrated app, and also posted by a browser without JavaScript.
for (const javaScript of [true, false]) {
  test.describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    test("a reset link sets a new password once, and ends the sessions", async ({ browser }) => {
      // Two browsers, eight page loads and four password hashes: more than the default budget.
      test.slow();
      const email = uniqueEmail("reset");
      const oldPassword = uniquePassword();
      const newPassword = uniquePassword();
      const other = await browser.newContext({ javaScriptEnabled: javaScript });
      const otherPage = await other.newPage();
      const context = await browser.newContext({ javaScriptEnabled: javaScript });
      const page = await context.newPage();

      await signUp(page, "Ada", email, oldPassword);
      await signInToTasks(otherPage, email, oldPassword);
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page).toHaveURL(/\/$/);
      await expectSignedOut(page);

      await page.goto("/sign-in");
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await expect(page).toHaveURL(/\/forgot-password$/);
      await open(page, "/forgot-password", javaScript);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Send reset link" }).click();
      await expect(page.getByTestId("forgot-success")).toHaveText(LINK_SENT);

      const link = await waitForOutboxLink(email, "/reset-password");
      expect(new URL(link).pathname).toBe("/reset-password");
      expect(new URL(link).searchParams.get("token")).toBeTruthy();

      await open(page, link, javaScript);
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(page.getByTestId("reset-success")).toContainText("Your password was changed");
      await page.getByRole("link", { name: "Sign in with your new password" }).click();
      await expect(page).toHaveURL(/\/sign-in$/);
      await signInToTasks(page, email, newPassword);

      await otherPage.goto("/account");
      await expect(otherPage).toHaveURL(/\/sign-in\?next=\/account$/);
      await signIn(otherPage, email, oldPassword);
      await expect(otherPage.getByTestId("form-error")).toHaveText("Invalid email or password.");

      await open(page, link, javaScript);
      await page.getByLabel("New password", { exact: true }).fill(uniquePassword());
      await page.getByRole("button", { name: "Set new password" }).click();
      await expect(page.getByTestId("reset-invalid")).toContainText(
        "This reset link is invalid, has expired or was already used.",
      );
      await expect(page.getByRole("link", { name: "Ask for a new link" })).toHaveAttribute(
        "href",
        "/forgot-password",
      );

      await context.close();
      await other.close();
    });
  });
}

test("an unknown address gets the same answer and no message", async ({ page }) => {
  const email = uniqueEmail("nobody");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("forgot-success")).toHaveText(LINK_SENT);
  expect(newestOutboxLink(email, "/reset-password")).toBeUndefined();
});

test("the reset page without a token says the link is invalid", async ({ page }) => {
  await page.goto("/reset-password");
  await expect(page.getByTestId("reset-invalid")).toBeVisible();
  await expect(page.getByLabel("New password", { exact: true })).toHaveCount(0);
});
