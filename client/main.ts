import './app/app.js';
import { registerServiceWorker } from './app/sw-registration.js';
import { captureInstallPrompt } from './ui/install-prompt.js';
import { warmDateFormats } from './ui/date-format.js';

captureInstallPrompt();
warmDateFormats();
const app = document.querySelector('mcl-app');
if (app) app.workbox = registerServiceWorker();
