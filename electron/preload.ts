// Preload of the till window. Runs sandboxed with context isolation, so it is bundled into one
// CommonJS file (build.ts) and may only use contextBridge and ipcRenderer. It exposes exactly one
// object, window.tillShell, typed by renderer/shell/till-shell-api.ts.
import { contextBridge, ipcRenderer } from 'electron';
import { createTillShell } from './shell-api';

contextBridge.exposeInMainWorld('tillShell', createTillShell(ipcRenderer));
