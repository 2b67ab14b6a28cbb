export { runRenumber as run } from './sync.js';
