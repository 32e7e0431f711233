import './app/app.js';
import { registerServiceWorker } from './app/sw-registration.js';

const app = document.querySelector('mcl-app');
if (app) app.workbox = registerServiceWorker();
