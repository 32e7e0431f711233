// The account area's pages, loaded together on the first visit to any of them.
import './sign-in-page.js';
import './sign-up-page.js';
import './verify-email-page.js';
import './password-pages.js';
import './security-page.js';
import './staff-enrol-page.js';
