import { createContext } from '@lit/context';
import type { SessionController } from './session-controller.js';

/** The signed-in state and its actions, provided by `<mcl-app>`. */
export const sessionContext = createContext<SessionController | undefined>(Symbol('session'));
