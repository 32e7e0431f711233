// Built as its own small script, run before the shell's code (scripts/build.mjs): the opened page's code starts
// downloading at once, in parallel with the shell's.
import { preloadRouteOf } from './session/route-preload.js';

preloadRouteOf(location.pathname);
