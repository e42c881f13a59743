import { expect, test, type Page } from "@playwright/test";

/** The tour texts of the home page, as `app/src/pages/home.rs` renders them. */
const SESSION_TEXT =
  "You sign in once. The server keeps your session and your browser holds only an " +
  "HttpOnly cookie that scripts cannot read.";
const TOKEN_TEXT =
  "When the page needs your tasks, it asks the server for a short-lived token " +
  "signed with Ed25519, and keeps it in memory only.";

/**
 * Clicks the "Token" tab until its panel shows the Token text. The click handler only exists
 * once the WASM bundle has hydrated the page, so this passes only after hydration.
 */
async function waitForHydrationByOpeningTheTokenTab(page: Page): Promise<void> {
  const tab = page.getByRole("tab", { name: "Token" });
  const panel = page.getByRole("tabpanel");
  await expect(async () => {
    await tab.click();
    await expect(panel).toHaveText(TOKEN_TEXT, { timeout: 250 });
  }).toPass({ timeout: 15_000 });
  await expect(tab).toHaveAttribute("aria-selected", "true");
}

test("the first HTML response is server-rendered with the header, navigation and tour", async ({
  request,
}) => {
  const response = await request.get("/");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/html; charset=utf-8");
  const html = await response.text();
  expect(html).toContain('<header class="site-header">');
  expect(html).toContain('<nav aria-label="Main">');
  expect(html).toContain("Your tasks, kept safe");
  expect(html).toContain(SESSION_TEXT);
});

test("every page carries a Content-Security-Policy whose nonce is the one on the inline scripts", async ({
  request,
}) => {
  for (const path of ["/", "/no-such-page"]) {
    const response = await request.get(path);
    const policy = response.headers()["content-security-policy"];
    const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(policy)?.[1];
    expect(nonce, `${path}: ${policy}`).toBeTruthy();
    expect(policy).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'; ` +
        "style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; " +
        "base-uri 'self'; form-action 'self'; object-src 'none'",
    );
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script, path).toContain(`nonce="${nonce}"`);
    }
  }
});

test("the page hydrates: the Token tab switches the tour text", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("tabpanel")).toHaveText(SESSION_TEXT);
  await waitForHydrationByOpeningTheTokenTab(page);
});

test("loading and hydrating the home page logs no console error, warning or CSP violation", async ({
  page,
}) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`console.${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  // Init scripts run outside the page's CSP, so this listener sees every violation.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  await page.goto("/");
  // A blocked script shows up as a problem first, so report the problems before hydration.
  const hydration = await waitForHydrationByOpeningTheTokenTab(page).then(
    () => "hydrated",
    (error: Error) => error.message,
  );
  await page.waitForLoadState("networkidle");

  expect(problems).toEqual([]);
  expect(hydration).toBe("hydrated");
});
