import { css } from 'lit';

/**
 * Styles every page shares: readable type for tired eyes, big touch targets (≥ 44 px, WCAG 2.5.5), a focus ring that
 * is always visible, and colours that pass WCAG AA contrast. Colours come from the custom properties in app.css.
 */
export const pageStyles = css`
  :host {
    display: block;
    color: var(--mcl-text, #1a1a1a);
    line-height: 1.5;
  }
  h1 {
    font-size: 1.75rem;
    line-height: 1.2;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.3rem;
    margin: 1.5rem 0 0.5rem;
  }
  a {
    color: var(--mcl-link, #0a4f8a);
  }
  a:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--mcl-focus, #b3540b);
    outline-offset: 2px;
  }
  a.button {
    display: inline-block;
    box-sizing: border-box;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: 6px;
    background: var(--mcl-primary, #0b5d66);
    color: #fff;
    text-decoration: none;
    font-weight: 600;
  }
  button {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: 6px;
    border: 2px solid var(--mcl-primary, #0b5d66);
    background: var(--mcl-primary, #0b5d66);
    color: #fff;
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--mcl-primary, #0b5d66);
  }
  button.link {
    background: none;
    border: none;
    color: var(--mcl-link, #0a4f8a);
    text-decoration: underline;
    padding: 0.5rem 0;
    text-align: left;
  }
  button:disabled {
    opacity: 0.7;
    cursor: default;
  }
  ul.choices {
    list-style: none;
    padding: 0;
    margin: 0 0 1rem;
  }
  .card {
    border: 1px solid var(--mcl-border, #c9d2d6);
    border-radius: 8px;
    padding: 1rem 1.25rem;
    margin: 0 0 1rem;
    background: var(--mcl-surface, #fff);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .urgent {
    border-left: 6px solid var(--mcl-danger, #a4161a);
  }
`;
