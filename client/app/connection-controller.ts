import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Tracks whether the browser has a network connection and re-renders its host when that changes.
 * `navigator.onLine` false is certain; true only means "a network exists", so online-only features still handle
 * a failed request.
 */
export class ConnectionController implements ReactiveController {
  online = navigator.onLine;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  private readonly update = () => {
    this.online = navigator.onLine;
    this.host.requestUpdate();
  };

  hostConnected(): void {
    window.addEventListener('online', this.update);
    window.addEventListener('offline', this.update);
    this.update();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.update);
    window.removeEventListener('offline', this.update);
  }
}
