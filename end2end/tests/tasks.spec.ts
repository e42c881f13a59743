import { expect, test, type Page } from "@playwright/test";

import { readableStorage, signOut, signUp, uniqueEmail, waitForTaskBoard } from "./support";

const newTask = (page: Page) => page.getByLabel("New task");
const titles = (page: Page) => page.getByTestId("task-title");
const counter = (page: Page) => page.getByTestId("task-count");
const saveStatus = (page: Page) => page.getByTestId("save-status");

/** Adds a task and waits until the server has confirmed it: its controls are enabled then. */
async function addTask(page: Page, title: string) {
  await newTask(page).fill(title);
  await newTask(page).press("Enter");
  await expect(newTask(page)).toHaveValue("");
  await expect(page.getByLabel(`Complete “${title.trim()}”`)).toBeEnabled();
}

test("the TodoMVC journey: add, complete, edit, filter, clear, reload, sign out", async ({
  page,
}) => {
  await signUp(page, "Grace Hopper", uniqueEmail("tasks"));
  await waitForTaskBoard(page);
  await expect(newTask(page)).toBeFocused();

  // Adding: Enter adds a trimmed title; a blank input is ignored.
  await addTask(page, "  Buy milk  ");
  await addTask(page, "Write report");
  await addTask(page, "Call mum");
  await newTask(page).fill("   ");
  await newTask(page).press("Enter");
  await expect(titles(page)).toHaveText(["Buy milk", "Write report", "Call mum"]);
  await expect(counter(page)).toHaveText("3 items left");
  await expect(page.getByRole("button", { name: "Clear completed" })).toHaveCount(0);

  // Completing one.
  await page.getByLabel("Complete “Buy milk”").check();
  await expect(counter(page)).toHaveText("2 items left");
  await expect(page.getByRole("button", { name: "Clear completed" })).toBeVisible();

  // Editing: double-click, Enter saves; Escape cancels.
  await titles(page).filter({ hasText: "Write report" }).dblclick();
  const editBox = page.getByLabel("Edit title of “Write report”");
  await expect(editBox).toBeFocused();
  await editBox.fill("Write the quarterly report");
  await editBox.press("Enter");
  await expect(titles(page)).toHaveText(["Buy milk", "Write the quarterly report", "Call mum"]);
  await titles(page).filter({ hasText: "Call mum" }).dblclick();
  await page.getByLabel("Edit title of “Call mum”").fill("Something else");
  await page.getByLabel("Edit title of “Call mum”").press("Escape");
  await expect(titles(page)).toHaveText(["Buy milk", "Write the quarterly report", "Call mum"]);

  // Filters are URLs.
  await page.getByRole("link", { name: "Active" }).click();
  await expect(page).toHaveURL(/\/tasks\/active$/);
  await expect(titles(page)).toHaveText(["Write the quarterly report", "Call mum"]);
  await page.getByRole("link", { name: "Completed" }).click();
  await expect(page).toHaveURL(/\/tasks\/completed$/);
  await expect(titles(page)).toHaveText(["Buy milk"]);
  await page.getByRole("link", { name: "All" }).click();
  await expect(page).toHaveURL(/\/tasks$/);

  // Clear completed removes the completed one and hides itself.
  await page.getByRole("button", { name: "Clear completed" }).click();
  await expect(titles(page)).toHaveText(["Write the quarterly report", "Call mum"]);
  await expect(page.getByRole("button", { name: "Clear completed" })).toHaveCount(0);
  await expect(counter(page)).toHaveText("2 items left");

  // The first HTML of the page already holds the tasks, as stored by the server.
  await expect(saveStatus(page)).toHaveText("All changes saved");
  const html = await (await page.request.get("/tasks")).text();
  expect(html).toContain("Write the quarterly report");
  expect(html).toContain("Call mum");
  expect(html).not.toContain("Buy milk");
  await page.reload();
  await expect(titles(page)).toHaveText(["Write the quarterly report", "Call mum"]);

  // Nothing a script can read holds a token: no web storage, no readable cookie.
  await waitForTaskBoard(page);
  expect(await readableStorage(page)).toEqual({
    localStorage: {},
    sessionStorage: {},
    cookie: "",
    indexedDB: [],
  });

  await signOut(page);
  await page.goto("/tasks");
  await expect(page).toHaveURL(/\/sign-in\?next=\/tasks$/);
});

test("mark all, the counter's singular, and an emptied title deleting its task", async ({
  page,
}) => {
  await signUp(page, "Toggler", uniqueEmail("toggle"));
  await waitForTaskBoard(page);
  await addTask(page, "One");
  await addTask(page, "Two");
  await expect(titles(page)).toHaveText(["One", "Two"]);

  await page.getByLabel("Mark all as complete").check();
  await expect(counter(page)).toHaveText("0 items left");
  await expect(saveStatus(page)).toHaveText("All changes saved");

  // "One" is completed while the answer to "mark all as active" is held back. The page sends
  // its changes in order, so the change to "One" waits for that answer; when the answer comes
  // it must not show "One" active again, and the server must end with "One" completed.
  let releaseToggleAll = () => {};
  const toggleAllHeld = new Promise<void>((resolve) => (releaseToggleAll = resolve));
  let releasePatch = () => {};
  const patchHeld = new Promise<void>((resolve) => (releasePatch = resolve));
  let patchSent = () => {};
  const patchArrived = new Promise<void>((resolve) => (patchSent = resolve));
  await page.route("**/api/tasks/**", async (route) => {
    if (route.request().url().endsWith("/api/tasks/toggle-all")) {
      await toggleAllHeld;
    } else if (route.request().method() === "PATCH") {
      patchSent();
      await patchHeld;
    }
    await route.continue();
  });
  await page.getByLabel("Mark all as complete").uncheck();
  await expect(counter(page)).toHaveText("2 items left");
  await page.getByLabel("Complete “One”").check();
  await expect(counter(page)).toHaveText("1 item left");
  await expect(saveStatus(page)).toHaveText("Saving…");

  // The change to "One" is sent only once the page has taken in the "mark all" answer.
  releaseToggleAll();
  await patchArrived;
  await expect(saveStatus(page)).toHaveText("Saving…");
  await expect(counter(page)).toHaveText("1 item left");
  await expect(page.getByLabel("Complete “One”")).toBeChecked();
  await expect(page.getByLabel("Complete “Two”")).not.toBeChecked();

  releasePatch();
  await expect(saveStatus(page)).toHaveText("All changes saved");
  await expect(counter(page)).toHaveText("1 item left");
  await page.unroute("**/api/tasks/**");

  await titles(page).filter({ hasText: "Two" }).dblclick();
  await page.getByLabel("Edit title of “Two”").fill("   ");
  await page.getByLabel("Edit title of “Two”").press("Enter");
  await expect(titles(page)).toHaveText(["One"]);

  // The deletion and the toggles reached the server.
  await expect(saveStatus(page)).toHaveText("All changes saved");
  await page.reload();
  await expect(titles(page)).toHaveText(["One"]);
  await expect(page.getByLabel("Complete “One”")).toBeChecked();
});

test("while a change is saving the page says so and asks before it is left", async ({ page }) => {
  await signUp(page, "Saver", uniqueEmail("saving"));
  await waitForTaskBoard(page);
  await expect(saveStatus(page)).toHaveText("");
  await addTask(page, "Slow one");
  await expect(saveStatus(page)).toHaveText("All changes saved");

  // The deletion is held on its way to the server until released.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/tasks/**", async (route) => {
    if (route.request().method() === "DELETE") await held;
    await route.continue();
  });
  const list = page.getByRole("list", { name: "Task list" });
  await page.getByRole("button", { name: "Delete “Slow one”" }).click();
  await expect(titles(page)).toHaveCount(0);
  await expect(saveStatus(page)).toHaveText("Saving…");
  await expect(list).toHaveAttribute("aria-busy", "true");

  // Leaving now would drop the change: the browser asks first, and the visitor stays.
  const dialog = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const asked = await dialog;
  expect(asked.type()).toBe("beforeunload");
  await asked.dismiss();

  release();
  await expect(saveStatus(page)).toHaveText("All changes saved");
  await expect(list).not.toHaveAttribute("aria-busy", /.*/);
  // Nothing is in flight any more, so a reload does not ask (an unanswered question would
  // stall it), and the server has the deletion.
  await page.reload();
  await waitForTaskBoard(page);
  await expect(titles(page)).toHaveCount(0);
});

test("a change the backend refuses is rolled back with a visible message", async ({ page }) => {
  await signUp(page, "Rollback", uniqueEmail("rollback"));
  await waitForTaskBoard(page);
  await addTask(page, "Keep me");
  await expect(titles(page)).toHaveText(["Keep me"]);

  // The tasks backend refuses every deletion from now on.
  await page.route("**/api/tasks/**", (route) =>
    route.request().method() === "DELETE"
      ? route.fulfill({
          status: 500,
          contentType: "application/json",
          body: JSON.stringify({ code: "INTERNAL_ERROR", message: "Something broke." }),
        })
      : route.continue(),
  );
  await page.getByRole("button", { name: "Delete “Keep me”" }).click();
  await expect(page.getByTestId("task-alert")).toContainText("Deleting “Keep me” failed.");
  await expect(titles(page)).toHaveText(["Keep me"]);
});

test("the tasks API refuses the session cookie: only the bearer JWT opens it", async ({
  page,
}) => {
  await signUp(page, "Cookie Only", uniqueEmail("cookieonly"));
  const response = await page.request.get("/api/tasks");
  expect(response.status()).toBe(401);
  expect(response.headers()["www-authenticate"]).toMatch(/^Bearer/);
});
