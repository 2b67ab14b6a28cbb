export { runHook as run } from './hooks.js';
