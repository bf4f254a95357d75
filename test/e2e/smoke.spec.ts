import { expect, test } from '@playwright/test';

test('the renderer loads in Chromium and runs the shared core', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'voucher-till' })).toBeVisible();
  await expect(page.getByTestId('sample-code')).toHaveText(/^[A-Z0-9]{8}$/);
  expect(errors).toEqual([]);
});
