// The window switches and the navigation / permission decisions main.ts applies.
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES } from '../../electron/app-protocol';
import { ALLOWED_PERMISSIONS, mayGrantPermission, mayNavigate, windowOpenAction } from '../../electron/navigation-policy';
import { printWindowOptions, tillWindowOptions } from '../../electron/window-options';

describe('till window', () => {
  const prefs = tillWindowOptions({ preloadPath: '/app/preload.cjs', kiosk: false, devTools: false }).webPreferences!;

  it('is isolated, sandboxed, without Node, with web security', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('kiosk mode is full screen and kiosk', () => {
    expect(tillWindowOptions({ preloadPath: '/p', kiosk: true, devTools: false })).toMatchObject({ kiosk: true, fullscreen: true });
    expect(tillWindowOptions({ preloadPath: '/p', kiosk: false, devTools: false })).toMatchObject({ kiosk: false, fullscreen: false });
  });
});

describe('print window', () => {
  const options = printWindowOptions();
  it('is hidden, has no preload and no JavaScript, and its own in-memory session', () => {
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'till-print' });
    expect(options.webPreferences?.preload).toBeUndefined();
    expect(options.webPreferences?.partition).not.toMatch(/^persist:/);
  });
});

describe('app:// scheme privileges', () => {
  it('is a standard, secure scheme that does not bypass CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, bypassCSP: false, allowServiceWorkers: false });
  });
});

describe('navigation', () => {
  it('stays inside the app', () => {
    expect(mayNavigate('app://till/index.html')).toBe(true);
  });
  it.each(['https://hq.example.com/', 'app://till.evil/', 'app://user@till/', 'http://localhost.evil.example/', 'file:///etc/passwd', 'data:text/html,x', 'javascript:alert(1)', 'about:blank'])(
    'refuses %s',
    (url) => expect(mayNavigate(url)).toBe(false),
  );
  it('window.open is always denied', () => expect(windowOpenAction()).toEqual({ action: 'deny' }));
});

describe('permissions', () => {
  it('grants the allowed ones to the till only', () => {
    for (const p of ALLOWED_PERMISSIONS) {
      expect(mayGrantPermission(p, 'app://till/index.html')).toBe(true);
      expect(mayGrantPermission(p, 'app://till')).toBe(true); // check handler passes an origin
      expect(mayGrantPermission(p, 'app://till.evil')).toBe(false);
      expect(mayGrantPermission(p, 'https://hq.example.com')).toBe(false);
      expect(mayGrantPermission(p, undefined)).toBe(false);
    }
  });
  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'hid', 'serial', 'usb', 'clipboard-read', 'display-capture', 'fileSystem', 'unknown'])(
    'refuses %s even to the till',
    (permission) => expect(mayGrantPermission(permission, 'app://till/index.html')).toBe(false),
  );
});
