import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail, uniquePassword, waitForOutboxLink } from "./support";

test("the resend button emails a verification link that removes the banner", async ({ page }) => {
  const email = uniqueEmail("verify");
  await signUp(page, "Ada", email, uniquePassword());
  const banner = page.getByTestId("verify-banner");
  await expect(banner).toContainText("Please verify your email address");

  await banner.getByRole("button", { name: "Resend verification email" }).click();
  await expect(page.getByTestId("verify-success")).toHaveText(
    "We sent a new verification link. It may take a minute to arrive.",
  );

  const link = await waitForOutboxLink(email, "verify-email");
  await page.goto(link);
  await expect(page).toHaveURL(/\/tasks$/);
  await expect(page.getByTestId("verify-banner")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Tasks" })).toBeVisible();
});
