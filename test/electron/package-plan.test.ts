// `npm run package` decides what it can build before touching electron-builder.
import { describe, expect, it } from 'vitest';
import { builderConfig } from '../../electron/tooling/builder-config';
import { planPackaging } from '../../electron/tooling/package';

const installed = { ok: true as const, path: '/repo/node_modules/electron/dist/electron' };
const missing = { ok: false as const, reason: 'the Electron binary is not installed' };

describe('planPackaging', () => {
  it('packages the host platform with the local binary (no download)', () => {
    expect(planPackaging([], 'linux', installed)).toEqual({ ok: true, linux: true, win: false, electronDist: '/repo/node_modules/electron/dist', notes: [] });
  });
  it('says why it cannot when the binary is missing', () => {
    expect(planPackaging([], 'linux', missing)).toEqual({ ok: false, reason: 'cannot package: the Electron binary is not installed' });
  });
  it('a Windows build on Linux needs the Windows Electron and says so', () => {
    const plan = planPackaging(['--win'], 'linux', missing);
    expect(plan).toMatchObject({ ok: true, linux: false, win: true, electronDist: undefined });
    expect(plan.ok && plan.notes.join(' ')).toMatch(/downloads it.*Wine/s);
  });
  it('refuses unknown arguments and platforms without a default', () => {
    expect(planPackaging(['--mac'], 'linux', installed)).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown argument/) });
    expect(planPackaging([], 'darwin', installed)).toMatchObject({ ok: false, reason: expect.stringMatching(/pass --linux or --win/) });
  });
});

it('electron-builder packages dist/app for AppImage, deb and NSIS with hardening fuses', () => {
  const config = builderConfig();
  expect(config.directories?.app).toBe('dist/app');
  expect(config.linux?.target).toEqual(['AppImage', 'deb']);
  expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
  expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeCliInspectArguments: false, enableNodeOptionsEnvironmentVariable: false, onlyLoadAppFromAsar: true });
});
