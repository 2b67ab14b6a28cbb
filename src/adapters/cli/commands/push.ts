export { runPush as run } from './sync.js';
