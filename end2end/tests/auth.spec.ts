import { expect, test } from "@playwright/test";

import { PASSWORD, signIn, signOut, signUp, uniqueEmail } from "./support";

test("sign up, sign out, sign in, see the protected page, reload and stay signed in", async ({
  page,
  context,
}) => {
  const email = uniqueEmail("journey");
  await signUp(page, "Ada Lovelace", email);
  await expect(page.getByTestId("current-user")).toHaveText(`Ada Lovelace ${email}`);
  await expect(page.getByRole("heading", { name: "Tasks" })).toBeVisible();

  await signOut(page);
  const cookies = await context.cookies();
  expect(cookies.filter((c) => c.name.includes("session_token"))).toEqual([]);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByTestId("current-user")).toHaveText(`Ada Lovelace ${email}`);

  await page.goto("/account");
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await page.reload();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(page.getByTestId("current-user")).toHaveText(`Ada Lovelace ${email}`);
});

test("the session cookie is HttpOnly, SameSite=Lax and invisible to scripts", async ({
  page,
  context,
}) => {
  await signUp(page, "Cookie Check", uniqueEmail("cookie"));
  const session = (await context.cookies()).filter((c) => c.name.includes("session_token"));
  expect(session).toHaveLength(1);
  expect(session[0].name).toBe("better-auth.session_token");
  expect(session[0].httpOnly).toBe(true);
  expect(session[0].sameSite).toBe("Lax");
  expect(session[0].path).toBe("/");
  expect(await page.evaluate(() => document.cookie)).toBe("");
});

test("a protected page sends a signed-out visitor to sign in and back afterwards", async ({
  page,
}) => {
  const email = uniqueEmail("detour");
  await signUp(page, "Detour", email);
  await signOut(page);

  await page.goto("/tasks/completed");
  await expect(page).toHaveURL(/\/sign-in\?next=\/tasks\/completed$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tasks\/completed$/);
  await expect(page.getByRole("link", { name: "Completed" })).toHaveCount(0);
});

test("sign-in ignores a next target on another origin", async ({ page }) => {
  const email = uniqueEmail("offsite");
  await signUp(page, "Offsite", email);
  await signOut(page);

  await signIn(page, email, PASSWORD, "/sign-in?next=https%3A%2F%2Fevil.example%2Fsteal");
  await expect(page).toHaveURL(/\/tasks$/);

  await signOut(page);
  await signIn(page, email, PASSWORD, "/sign-in?next=%2F%2Fevil.example%2Fsteal");
  await expect(page).toHaveURL(/\/tasks$/);
});

test("wrong credentials show the contract's message inline and keep the visitor signed out", async ({
  page,
}) => {
  const email = uniqueEmail("wrong");
  await signUp(page, "Wrong", email);
  await signOut(page);

  await signIn(page, email, "not the password at all");
  await expect(page.getByTestId("form-error")).toHaveText(/^Invalid email or password\.?$/);
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("sign-up shows field errors inline: a taken email and a short password", async ({ page }) => {
  const email = uniqueEmail("taken");
  await signUp(page, "First", email);
  await signOut(page);

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Second");
  await page.getByLabel("Email").fill(email.toUpperCase());
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByTestId("email-error")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Short");
  await page.getByLabel("Email").fill(uniqueEmail("short"));
  // The browser's own length check is not there: the server's rule is the one shown.
  await page.getByLabel("Password").fill("abc");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByTestId("password-error")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-up and sign-in forms work as plain HTML forms", async ({ page }) => {
    const email = uniqueEmail("nojs");
    await signUp(page, "No Script", email);
    await expect(page.getByTestId("current-user")).toHaveText(`No Script ${email}`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    await signIn(page, email, "a wrong password here");
    await expect(page).toHaveURL(/\/sign-in\?error=INVALID_EMAIL_OR_PASSWORD/);
    await expect(page.getByTestId("form-error")).toHaveText(/^Invalid email or password\.?$/);

    await signIn(page, email);
    await expect(page).toHaveURL(/\/tasks$/);
    await expect(page.getByTestId("current-user")).toHaveText(`No Script ${email}`);
  });
});
