export { runPull as run } from './sync.js';
