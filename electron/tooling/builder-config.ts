// electron-builder configuration. It packages the self-contained directory build.ts writes
// (dist/app: package.json, main.cjs, preload.cjs, renderer/), so no node_modules are copied and the
// installer holds exactly what runs. Fuses turn off the ways a packaged Electron binary can be
// repurposed as a Node runtime or debugger.
import type { Configuration } from 'electron-builder';

export const ELECTRON_VERSION = '45.4.1';

export function builderConfig(options: { electronDist?: string } = {}): Configuration {
  return {
    appId: 'com.voucher-till.till',
    productName: 'Voucher Till',
    electronVersion: ELECTRON_VERSION,
    ...(options.electronDist ? { electronDist: options.electronDist } : {}),
    directories: { app: 'dist/app', output: 'dist/packages', buildResources: 'electron/build-resources' },
    files: ['**/*', '!**/*.map'],
    asar: true,
    electronFuses: {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    },
    linux: {
      target: ['AppImage', 'deb'],
      category: 'Office',
      executableName: 'voucher-till',
      maintainer: 'voucher-till <till@example.invalid>',
      synopsis: 'Offline-first voucher and gift-card till',
    },
    win: { target: [{ target: 'nsis', arch: ['x64'] }] },
    nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true, createDesktopShortcut: true },
    publish: null,
  };
}
