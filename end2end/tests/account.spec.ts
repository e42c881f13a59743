import { expect, test } from "@playwright/test";
import {
  expectSignedOut,
  open,
  signInToTasks,
  signUp,
  signIn,
  uniqueEmail,
  uniquePassword,
} from "./support";

// Every form of the account page is sent by the hydrated app, and also posted by a browser
// without JavaScript (the server then answers with a redirect back to the page).
for (const javaScript of [true, false]) {
  test.describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a session revoked on the account page is signed out on its own device", async ({
      browser,
    }) => {
      // Two browsers, each signing in and loading pages: more than the default budget.
      test.slow();
      const email = uniqueEmail("sessions");
      const password = uniquePassword();
      const deviceA = await browser.newContext({ javaScriptEnabled: javaScript });
      const deviceB = await browser.newContext({ javaScriptEnabled: javaScript });
      const pageA = await deviceA.newPage();
      const pageB = await deviceB.newPage();

      await signUp(pageA, "Ada Lovelace", email, password);
      await signInToTasks(pageB, email, password);

      await open(pageA, "/account", javaScript);
      const sessions = pageA.getByTestId("session");
      await expect(sessions).toHaveCount(2);
      await expect(pageA.getByTestId("this-device")).toHaveCount(1);
      await expect(pageA.getByTestId("this-device")).toHaveText("This device");
      const current = pageA.locator('[data-testid="session"][data-current="true"]');
      await expect(current.getByTestId("this-device")).toBeVisible();
      await expect(current.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);

      const other = pageA.locator('[data-testid="session"][data-current="false"]');
      await expect(other).toContainText("Chrome on");
      await expect(other).toContainText("127.0.0.1");
      await other.getByRole("button", { name: /^Revoke/ }).click();
      await expect(pageA.getByTestId("sessions-success")).toHaveText(
        "The session was ended; that device is signed out.",
      );
      await expect(sessions).toHaveCount(1);
      await expect(current).toHaveCount(1);
      if (javaScript) {
        // The pressed button is gone with its session; focus stays in the sessions section.
        await expect(
          pageA.getByRole("heading", { name: "Where you are signed in" }),
        ).toBeFocused();
      }

      await pageB.goto("/account");
      await expect(pageB).toHaveURL(/\/sign-in\?next=\/account$/);

      await pageA.goto("/account");
      await expect(pageA).toHaveURL(/\/account$/);

      await deviceA.close();
      await deviceB.close();
    });

    test("sign out everywhere else leaves only this device signed in", async ({ browser }) => {
      // Two browsers, each signing in and loading pages: more than the default budget.
      test.slow();
      const email = uniqueEmail("others");
      const password = uniquePassword();
      const deviceA = await browser.newContext({ javaScriptEnabled: javaScript });
      const deviceB = await browser.newContext({ javaScriptEnabled: javaScript });
      const pageA = await deviceA.newPage();
      const pageB = await deviceB.newPage();
      await signUp(pageA, "Ada", email, password);
      await signInToTasks(pageB, email, password);

      await open(pageA, "/account", javaScript);
      await expect(pageA.getByTestId("session")).toHaveCount(2);
      await pageA.getByRole("button", { name: "Sign out everywhere else" }).click();
      await expect(pageA.getByTestId("sessions-success")).toHaveText(
        "Every other session was ended; only this device is signed in.",
      );
      await expect(pageA.getByTestId("session")).toHaveCount(1);
      await expect(pageA.getByRole("button", { name: "Sign out everywhere else" })).toHaveCount(0);

      await pageB.goto("/tasks");
      await expect(pageB).toHaveURL(/\/sign-in\?next=\/tasks$/);

      await deviceA.close();
      await deviceB.close();
    });

    test("a new name is saved and shown in the header", async ({ page }) => {
      await signUp(page, "Ada", uniqueEmail("rename"), uniquePassword());
      await open(page, "/account", javaScript);

      await page.getByLabel("Name").fill("Grace Hopper");
      await page.getByRole("button", { name: "Save name" }).click();

      await expect(page.getByTestId("profile-success")).toHaveText("Your name was saved.");
      await expect(page.getByTestId("current-user")).toContainText("Grace Hopper");
      await expect(page.getByLabel("Name")).toHaveValue("Grace Hopper");
    });

    test("a wrong current password is shown on the current-password field", async ({ page }) => {
      await signUp(page, "Ada", uniqueEmail("password"), uniquePassword());
      await open(page, "/account", javaScript);

      await page.getByLabel("Current password", { exact: true }).fill("not-my-password-at-all");
      await page.getByLabel("New password", { exact: true }).fill(uniquePassword());
      await page.getByRole("button", { name: "Change password", exact: true }).click();

      await expect(page.getByTestId("password-current_password-error")).toHaveText(
        "The password is not correct.",
      );
      await expect(page.getByLabel("Current password", { exact: true })).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByTestId("password-success")).toHaveText("");
    });

    test("after a password change only the new password signs in", async ({ page }) => {
      const email = uniqueEmail("change");
      const oldPassword = uniquePassword();
      const newPassword = uniquePassword();
      await signUp(page, "Ada", email, oldPassword);
      await open(page, "/account", javaScript);

      await page.getByLabel("Current password", { exact: true }).fill(oldPassword);
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByLabel("Sign out other sessions").check();
      await page.getByRole("button", { name: "Change password", exact: true }).click();
      await expect(page.getByTestId("password-success")).toHaveText("Your password was changed.");
      await expect(page.getByLabel("Current password", { exact: true })).toHaveValue("");

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page).toHaveURL(/\/$/);
      await expectSignedOut(page);
      await signIn(page, email, oldPassword);
      await expect(page.getByTestId("form-error")).toHaveText("Invalid email or password.");
      await signInToTasks(page, email, newPassword);
    });

    test("deleting the account needs the password and a confirmation, then signs out", async ({
      page,
    }) => {
      const email = uniqueEmail("delete");
      const password = uniquePassword();
      await signUp(page, "Ada", email, password);
      await open(page, "/account", javaScript);

      const dangerZone = page.locator("section.danger-zone");
      await expect(dangerZone.getByLabel("Password", { exact: true })).toBeHidden();
      await dangerZone.locator("summary").click();
      await dangerZone.getByLabel("Password", { exact: true }).fill("not-my-password-at-all");
      await dangerZone.getByLabel("I understand").check();
      await dangerZone.getByRole("button", { name: "Delete my account", exact: true }).click();
      await expect(page.getByTestId("delete-current_password-error")).toHaveText(
        "The password is not correct.",
      );

      await dangerZone.getByLabel("Password", { exact: true }).fill(password);
      await dangerZone.getByLabel("I understand").check();
      await dangerZone.getByRole("button", { name: "Delete my account", exact: true }).click();

      await expect(page).toHaveURL(/\/$/);
      await expectSignedOut(page);
      await signIn(page, email, password);
      await expect(page.getByTestId("form-error")).toHaveText("Invalid email or password.");
      await expect(page).toHaveURL(/\/sign-in/);
    });
  });
}

test("a new account sees the verify-email banner on the tasks page", async ({ page }) => {
  await signUp(page, "Ada", uniqueEmail("banner"), uniquePassword());
  const banner = page.getByTestId("verify-banner");
  await expect(banner).toContainText("Please verify your email address");
  await expect(banner.getByRole("button", { name: "Resend verification email" })).toBeVisible();
});

test("the account and recovery pages hydrate without console errors or warnings", async ({
  page,
}) => {
  test.slow();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`${page.url()}: console.${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: pageerror: ${error.message}`));

  await signUp(page, "Ada", uniqueEmail("console"), uniquePassword());
  for (const path of ["/tasks", "/account", "/forgot-password", "/reset-password?token=x"]) {
    await open(page, path, true);
    await page.waitForLoadState("networkidle");
  }

  expect(problems).toEqual([]);
});
