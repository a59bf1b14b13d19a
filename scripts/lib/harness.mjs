// The test/dev harness in one import: paths, processes, engine, workspace, code-server, browser.
export * from './paths.mjs';
export * from './processes.mjs';
export * from './engine.mjs';
export * from './workspace.mjs';
export * from './codeServer.mjs';
export * from './browser.mjs';
export * from './testTools.mjs';
export { packageVsix } from '../package.mjs';
